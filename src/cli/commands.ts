// The CLI's commands: each parses its arguments, opens the workbook, calls WorkbenchApi and prints the result.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CallOptions, ImportReport, WarningList, WarningView } from '../shared/api';
import { NUMBER_FORMATS, type NumberFormat, readClaimDate } from '../shared/cells';
import { STATUSES } from '../shared/domain';
import { describeProblem, WorkbenchError } from '../shared/errors';
import { parseMappingText } from '../shared/mapping';
import { readRecordedOn } from '../shared/recordedOn';
import type { FigureFilterInput } from '../shared/schemas';
import { fileError } from '../core/fsErrors';
import { openSession, type Session } from '../core/session';
import { formatCompare, formatConflicts, formatHistory, formatMerge, formatPeriod, formatUncaptured } from './format';
import { progressReporter } from './progress';
import { serverCommand, syncCommand } from './serverCommands';
import { type CommandName, UsageError } from './usage';

type Command = (args: string[]) => Promise<number>;

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, positionals: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length !== positionals.length) {
    throw new UsageError(`expected ${positionals.join(' ')}, got ${parsed.positionals.length ? parsed.positionals.join(' ') : 'nothing'}`);
  }
  return parsed;
}

/** Commands that only read open a workbook they may not write (a read-only disk, no permission) for reading. */
async function withWorkbook<T>(path: string, work: (session: Session) => Promise<T>, access: 'read' | 'write' = 'write'): Promise<T> {
  // A command is over in seconds: the full check of a large file is `workbench check`, not a thread beside it.
  const session = await openSession(path, { create: false, backgroundCheck: false, readOnly: access === 'read' ? 'if-not-writable' : false });
  try {
    return await work(session);
  } finally {
    session.workbook.close();
  }
}

/** Ctrl+C during a long task cancels it (and the transaction rolls back) instead of killing the process. */
async function cancellable<T>(work: (options: CallOptions) => Promise<T>, label: string): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  const progress = progressReporter(label);
  try {
    return await work({ signal: controller.signal, onProgress: progress.update ?? undefined });
  } finally {
    progress.stop();
    process.off('SIGINT', onInterrupt);
  }
}

const init: Command = async (args) => {
  const { values, positionals } = parse(args, { demo: { type: 'boolean' } }, ['FILE']);
  const [file] = positionals as [string];
  const { existsSync } = await import('node:fs');
  if (existsSync(file)) throw new WorkbenchError('conflict', `${file} already exists; not overwritten`);
  const session = await openSession(file, { demo: values.demo });
  const info = await session.api.getWorkbookInfo({});
  session.workbook.close();
  process.stdout.write(`created ${file}: ${info.counts.figures} figures, ${info.counts.sources} sources, ${info.counts.metrics} metrics\n`);
  return 0;
};

const importCommand: Command = async (args) => {
  const { values, positionals } = parse(
    args,
    {
      mapping: { type: 'string' },
      'dry-run': { type: 'boolean' },
      partial: { type: 'boolean' },
      errors: { type: 'string' },
      'number-format': { type: 'string' },
    },
    ['FILE', 'CSV'],
  );
  const [file, csv] = positionals as [string, string];
  if (values.errors && !values.partial) throw new UsageError('--errors goes with --partial');
  const numberFormat = values['number-format'];
  if (numberFormat !== undefined && !(NUMBER_FORMATS as readonly string[]).includes(numberFormat)) {
    throw new UsageError(`--number-format ${numberFormat}: expected ${NUMBER_FORMATS.join(' or ')}`);
  }
  const read = values.mapping ? readMapping(values.mapping) : undefined;
  const mapping = numberFormat ? { ...(read ?? {}), number_format: numberFormat as NumberFormat } : read;
  const report = await withWorkbook(file, (session) =>
    cancellable(
      (options) =>
        session.api.importCsv(
          { file: { path: csv }, mapping, dry_run: values['dry-run'] ?? false, mode: values.partial ? 'partial' : 'all', errors_path: values.errors },
          options,
        ),
      'import',
    ),
  );
  printImport(csv, report);
  return report.problems.length > 0 && !(report.written && report.mode === 'partial') ? 1 : 0;
};

/** A date given on the command line, read as every cell is (2024/05/19 is 2024-05-19; 2024-02-30 is refused). */
/** A whole number of days, 0 or more. */
function daysOption(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,6}$/.test(text.trim())) throw new UsageError(`${option} ${text}: a whole number of days (0 or more)`);
  return Number(text.trim());
}

function claimDateOption(option: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const read = readClaimDate(text);
  if (!read.ok) throw new UsageError(`${option} ${text}: ${read.reason}`);
  return read.value ?? undefined;
}

/** A moment of the change log given on the command line, read as the API reads it. */
function recordedOnOption(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const read = readRecordedOn(text);
  if (!read.ok) throw new UsageError(`--recorded-on ${text}: ${read.reason}`);
  return read.value;
}

function readMapping(path: string) {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw fileError(path, error, 'read the mapping');
  }
  return parseMappingText(text, path);
}

function printImport(csv: string, report: ImportReport): void {
  for (const problem of report.problems) process.stderr.write(`${csv}: ${describeProblem(problem)}\n`);
  if (report.more_problems) process.stderr.write(`${csv}: … and ${report.more_problems} more problems\n`);
  const counts =
    `${report.rows} rows, ${report.figures} figures: ${report.created} created, ${report.updated} updated, ` +
    `${report.unchanged} unchanged, ${report.skipped} rows skipped, ${report.rejected} rows rejected`;
  // a refused import made nothing (its report lists nothing); a dry run says what the import would make
  const created = Object.entries(report.new_entities)
    .filter(([, names]) => names.length)
    .map(
      ([kind, names]) =>
        `${report.dry_run ? 'would make new' : 'new'} ${kind} (${names.length}): ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}`,
    );
  if (report.dry_run) {
    process.stdout.write(`dry run of ${csv}: ${counts}; nothing written\n`);
  } else if (report.written) {
    process.stdout.write(`imported ${csv} as batch ${report.batch_id}: ${counts}\n`);
    if (report.errors_path) process.stdout.write(`rejected rows and their reasons: ${report.errors_path}\n`);
  } else {
    process.stderr.write(`${csv}: not imported (${report.problems.length + report.more_problems} problems); the workbook is unchanged\n`);
  }
  if (report.dry_run || report.written) for (const line of created) process.stdout.write(`  ${line}\n`);
}

const exportCommand: Command = async (args) => {
  const { values, positionals } = parse(
    args,
    {
      hxl: { type: 'boolean' },
      bom: { type: 'boolean' },
      manifest: { type: 'boolean' },
      metric: { type: 'string', multiple: true },
      source: { type: 'string', multiple: true },
      location: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      status: { type: 'string', multiple: true },
      'include-retracted': { type: 'boolean' },
      'recorded-on': { type: 'string' },
    },
    ['FILE', 'OUT'],
  );
  const [file, out] = positionals as [string, string];
  for (const status of values.status ?? []) {
    if (!(STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status ${status}: expected one of ${STATUSES.join(', ')}`);
  }
  const filter: NonNullable<FigureFilterInput> = {
    metric: values.metric,
    source: values.source,
    location: values.location,
    from: claimDateOption('--from', values.from),
    to: claimDateOption('--to', values.to),
    status: values.status as NonNullable<FigureFilterInput>['status'],
    include_retracted: values['include-retracted'],
    recorded_on: recordedOnOption(values['recorded-on']),
  };
  const format = { bom: values.bom ?? false, hxl: values.hxl ?? false, manifest: values.manifest ?? false };
  if (format.manifest && out === '-') throw new UsageError('--manifest: the manifest is written beside OUT.csv; give a file, not -');
  return withWorkbook(
    file,
    async (session) => {
      if (out === '-') {
        const result = await session.api.exportCsv({ filter, options: format, to: 'text' }, { sink: toStdout });
        process.stderr.write(`exported ${result.rows} figures\n`);
        return 0;
      }
      const result = await cancellable((options) => session.api.exportCsv({ filter, options: format, to: { path: out } }, options), 'export');
      const manifest = format.manifest ? `; manifest ${out}.json` : '';
      const recorded = filter.recorded_on ? ` as recorded on ${filter.recorded_on}` : '';
      process.stdout.write(`exported ${result.rows} figures${recorded} to ${out} (${result.bytes} bytes, sha256 ${result.sha256}${manifest})\n`);
      return 0;
    },
    'read',
  );
};

function toStdout(chunk: Buffer): void | Promise<void> {
  // A copy: the writer reuses the chunk's memory, and a stream may hold on to what it was given.
  if (process.stdout.write(Buffer.from(chunk))) return;
  return new Promise((resolve) => process.stdout.once('drain', resolve));
}

const compare: Command = async (args) => {
  const { values, positionals } = parse(
    args,
    {
      metric: { type: 'string' },
      location: { type: 'string' },
      'as-of': { type: 'string' },
      'window-days': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      csv: { type: 'boolean' },
      'recorded-on': { type: 'string' },
    },
    ['FILE'],
  );
  if (!values.metric) throw new UsageError('--metric is required');
  if (values.from !== undefined || values.to !== undefined) return comparePeriod(positionals[0]!, values);
  const query = {
    metric: values.metric,
    location: values.location,
    as_of: claimDateOption('--as-of', values['as-of']),
    recorded_on: recordedOnOption(values['recorded-on']),
    window_days: daysOption('--window-days', values['window-days']),
  };
  return withWorkbook(
    positionals[0]!,
    async ({ api }) => {
      if (values.csv) {
        const result = await api.exportCompareCsv({ query, options: { bom: false, hxl: false }, to: 'text' });
        process.stdout.write(result.text ?? '');
      } else {
        process.stdout.write(formatCompare(await api.compare(query)));
      }
      return 0;
    },
    'read',
  );
};

/** `compare --from --to`: the figures of a period, each beside the others that count the same period. */
function comparePeriod(
  file: string,
  values: { metric?: string; location?: string; from?: string; to?: string; 'as-of'?: string; 'window-days'?: string; csv?: boolean; 'recorded-on'?: string },
) {
  if (values.from === undefined || values.to === undefined) throw new UsageError('--from and --to go together: the period to compare');
  if (values['as-of'] !== undefined) throw new UsageError('--as-of compares latest figures; --from and --to a period: give one or the other');
  if (values['window-days'] !== undefined) throw new UsageError('--window-days is for --as-of: a period compare shows every figure of the period');
  if (values.csv) throw new UsageError('--csv is for --as-of; for the figures of a period, use export with --metric, --from and --to');
  const query = {
    metric: values.metric!,
    location: values.location,
    from: claimDateOption('--from', values.from)!,
    to: claimDateOption('--to', values.to)!,
    recorded_on: recordedOnOption(values['recorded-on']),
  };
  return withWorkbook(
    file,
    async ({ api }) => {
      process.stdout.write(formatPeriod(await api.comparePeriod(query)));
      return 0;
    },
    'read',
  );
}

const history: Command = async (args) => {
  const { positionals } = parse(args, {}, ['FILE', 'FIGURE_ID']);
  const [file, id] = positionals as [string, string];
  return withWorkbook(
    file,
    async ({ api }) => {
      process.stdout.write(formatHistory(await api.history({ entity: 'figure', id })));
      return 0;
    },
    'read',
  );
};

const check: Command = async (args) => {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, ['FILE']);
  return withWorkbook(
    positionals[0]!,
    async ({ api }) => {
      const report = await api.check({});
      const warnings: WarningView[] = [];
      let list: WarningList;
      do {
        list = await api.listWarnings({ offset: warnings.length, limit: 1000 });
        warnings.push(...list.warnings);
      } while (list.warnings.length > 0 && warnings.length < list.total);
      const dismissed = list.counts.reduce((n, c) => n + c.dismissed, 0);
      if (values.json) {
        const out = { warnings: warnings.map(({ kind, figure_ids, message }) => ({ kind, figure_ids, message })), dismissed, integrity: report };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return report.ok ? 0 : 1;
      }
      process.stdout.write(`integrity_check: ${report.integrity.join('; ')}\n`);
      for (const p of report.problems) process.stdout.write(`${p.severity}: ${p.entity} ${p.id}: ${p.reason}\n`);
      for (const w of warnings) process.stdout.write(`${w.kind}: ${w.message} (figures ${w.figure_ids.join(', ')})\n`);
      const errors = report.problems.filter((p) => p.severity === 'error').length;
      const counts = list.counts.filter((c) => c.open > 0).map((c) => `${c.kind} ${c.open}`);
      process.stdout.write(
        `${report.ok ? 'ok' : 'NOT OK'}: ${errors} errors, ${report.problems.length - errors} warnings` +
          `; checks: ${warnings.length} warnings${counts.length ? ` (${counts.join(', ')})` : ''}${dismissed ? `, ${dismissed} dismissed` : ''}\n`,
      );
      // warnings never fail the check: they are for a reader to weigh, not errors
      return report.ok ? 0 : 1;
    },
    'read',
  );
};

const backup: Command = async (args) => {
  const { positionals } = parse(args, {}, ['FILE', 'OUT']);
  const [file, out] = positionals as [string, string];
  return withWorkbook(
    file,
    async ({ api }) => {
      const result = await api.backup({ to: out });
      process.stdout.write(`backed up ${file} to ${result.path} (${result.bytes} bytes)\n`);
      return 0;
    },
    'read',
  );
};

/**
 * `citation`: a citation's document. --text attaches a file's text (an HTML page's without its markup); --uncaptured
 * lists the numbers the text states that no figure of the citation holds yet, each with its line and sentence.
 */
const citation: Command = async (args) => {
  const { values, positionals } = parse(args, { text: { type: 'string' }, uncaptured: { type: 'boolean' } }, ['FILE', 'CITATION_ID']);
  const [file, citationId] = positionals as [string, string];
  const attaching = values.text !== undefined ? readDocumentFile(values.text) : null;
  return withWorkbook(
    file,
    async ({ api }) => {
      const citation = (await api.listCitations({})).find((c) => c.id === citationId);
      if (!citation) throw new WorkbenchError('not_found', `no citation with id ${citationId}`, { place: { field: 'CITATION_ID', value: citationId } });
      if (attaching) {
        const { value } = await api.attachDocument({ citation_id: citationId, ...attaching });
        process.stdout.write(`attached ${values.text} to "${citation.title ?? citation.url}": ${value.text.length} characters, sha256 ${value.sha256}\n`);
      }
      const document = await api.getDocument({ citation_id: citationId });
      if (!document) {
        process.stdout.write(`"${citation.title ?? citation.url}" holds no document; attach one with --text PATH\n`);
        return values.uncaptured ? 1 : 0;
      }
      const { findNumbers } = await import('../shared/textNumbers');
      const { coverage } = await import('../shared/capture');
      const { DEFAULT_NUMBER_FORMAT, vagueRules } = await import('../shared/cells');
      const numbers = findNumbers(document.text, DEFAULT_NUMBER_FORMAT, vagueRules(await api.listVagueRules({})));
      const figures = await api.listFigures({ citation_id: citationId, limit: 1_000_000 });
      const covered = coverage(document.text, numbers, figures.rows);
      if (values.uncaptured) process.stdout.write(formatUncaptured(document.text, numbers, covered.figures));
      process.stdout.write(`${covered.captured} of ${covered.total} numbers captured (${document.name ?? 'pasted text'}, sha256 ${document.sha256})\n`);
      return 0;
    },
    attaching ? 'write' : 'read',
  );
};

/**
 * A document's file as attachDocument takes it: a PDF (by its name or its first bytes, %PDF-) as its bytes, for the
 * core to read its text; a .txt or .html file as its text; and its name.
 */
function readDocumentFile(
  path: string,
): { text: string; media_type: 'text/plain' | 'text/html'; name: string } | { base64: string; media_type: 'application/pdf'; name: string } {
  const name = path.split(/[\\/]/).pop() ?? path;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw fileError(path, error, 'read the document');
  }
  if (/\.pdf$/i.test(name) || bytes.subarray(0, 5).toString('latin1') === '%PDF-')
    return { base64: bytes.toString('base64'), media_type: 'application/pdf', name };
  return { text: bytes.toString('utf8'), media_type: /\.html?$/i.test(name) ? 'text/html' : 'text/plain', name };
}

/** `merge INTO FROM`: every change of FROM's log that INTO lacks, applied to INTO; FROM is only read. */
const merge: Command = async (args) => {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, ['INTO', 'FROM']);
  const [into, from] = positionals as [string, string];
  return withWorkbook(into, async ({ api }) => {
    const report = await api.mergeWorkbook({ from });
    const conflicts = (await api.listConflicts({ all: true })).filter((c) => report.conflict_ids.includes(c.id));
    if (values.json) process.stdout.write(`${JSON.stringify({ ...report, conflicts }, null, 2)}\n`);
    else process.stdout.write(formatMerge(into, report, conflicts));
    return 0;
  });
};

const conflicts: Command = async (args) => {
  const { values, positionals } = parse(
    args,
    { json: { type: 'boolean' }, all: { type: 'boolean' }, resolve: { type: 'string' }, pick: { type: 'string' }, why: { type: 'string' } },
    ['FILE'],
  );
  if ((values.resolve === undefined) !== (values.pick === undefined)) throw new UsageError('--resolve ID and --pick go together');
  const picks = ['ours', 'theirs', 'a', 'b'];
  if (values.pick !== undefined && !picks.includes(values.pick)) throw new UsageError(`--pick ${values.pick}: expected one of ${picks.join(', ')}`);
  const [file] = positionals as [string];
  return withWorkbook(
    file,
    async ({ api }) => {
      if (values.resolve !== undefined) {
        const { value, txn } = await api.resolveConflict({ id: values.resolve, pick: values.pick as 'ours', why: values.why });
        if (values.json) process.stdout.write(`${JSON.stringify({ conflict: value, txn }, null, 2)}\n`);
        else process.stdout.write(`resolved conflict ${value.id}: ${value.entity} ${value.entity_id} is version ${value.resolution} (transaction ${txn})\n`);
        return 0;
      }
      const list = await api.listConflicts({ all: values.all ?? false });
      process.stdout.write(values.json ? `${JSON.stringify(list, null, 2)}\n` : formatConflicts(list));
      return 0;
    },
    values.resolve !== undefined ? 'write' : 'read',
  );
};

/** `merge-entities FILE KEEP_ID DROP_ID`: which kind of entity the ids are is looked up, not asked. */
const mergeEntitiesCommand: Command = async (args) => {
  const { values, positionals } = parse(args, { why: { type: 'string' } }, ['FILE', 'KEEP_ID', 'DROP_ID']);
  const [file, keep, drop] = positionals as [string, string, string];
  return withWorkbook(file, async ({ api }) => {
    const kinds = {
      source: () => api.listSources({}),
      citation: () => api.listCitations({}),
      metric: () => api.listMetrics({}),
      location: () => api.listLocations({}),
    } as const;
    for (const [kind, list] of Object.entries(kinds)) {
      const ids = new Set((await list()).map((e) => e.id));
      if (!ids.has(keep)) continue;
      if (!ids.has(drop))
        throw new WorkbenchError('not_found', `no ${kind} with id ${drop}: both ids must be of one kind`, { place: { field: 'DROP_ID', value: drop } });
      const input = { keep_id: keep, merge_ids: [drop], why: values.why };
      const merged =
        kind === 'source'
          ? await api.mergeSources(input)
          : kind === 'citation'
            ? await api.mergeCitations(input)
            : kind === 'metric'
              ? await api.mergeMetrics(input)
              : await api.mergeLocations(input);
      process.stdout.write(`merged ${kind} ${drop} into ${keep} (transaction ${merged.txn})\n`);
      return 0;
    }
    throw new WorkbenchError('not_found', `no source, citation, metric or location with id ${keep}`, { place: { field: 'KEEP_ID', value: keep } });
  });
};

export const COMMANDS: Record<CommandName, Command> = {
  merge,
  conflicts,
  'merge-entities': mergeEntitiesCommand,
  citation,
  init,
  import: importCommand,
  export: exportCommand,
  compare,
  history,
  check,
  backup,
  server: serverCommand,
  sync: syncCommand,
};
