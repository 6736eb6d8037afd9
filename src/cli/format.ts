// Plain-text tables for the terminal: numbers with thousands separators, every figure with its citation.
import type { CompareChange, CompareResult, CompareRow, ConflictView, MergeReport, PeriodComparison } from '../shared/api';
import { describePeriod } from '../shared/claimDate';
import { describeInterval, describeQuantity, type Quantity } from '../shared/quantity';
import type { ChangeLogEntry } from '../shared/domain';
import { type FoundNumber, spanText } from '../shared/textNumbers';

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function formatQuantity(row: Quantity): string {
  return describeQuantity(row, (n) => number.format(n));
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return `${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`;
}

export function formatCompare(result: CompareResult): string {
  const recorded = result.recorded ? `, as recorded on ${result.recorded.recorded_on} (change log entry #${result.recorded.log_position})` : '';
  const title = `${result.metric.label} (${result.metric.code})${result.location ? `, ${result.location}` : ''}, as of ${result.as_of}${recorded}\n\n`;
  if (result.rows.length === 0) return `${title}No figures on or before this date.\n${result.recorded ? formatSince(result) : ''}`;
  const header = ['Source', 'Figure', 'Interval', 'As of', 'Age', 'Relayed', 'Citation'];
  const rowsOf = (rows: CompareResult['rows']) =>
    rows.flatMap((r) => [
      [
        `${r.source}${r.contested ? ' (contested)' : ''}`,
        `${formatQuantity(r)}${r.vague_words ? ` “${r.vague_words}”` : ''}`,
        describeInterval(r.interval, (n) => number.format(n)),
        r.date,
        `${r.age_days} day${r.age_days === 1 ? '' : 's'}`,
        r.relayed_via ? `via ${r.relayed_via}` : '',
        citationOf(r),
      ],
      ...r.relays.map((copy) => [`  same claim`, formatQuantity(copy), '', '', '', copy.relayed_via ? `via ${copy.relayed_via}` : 'direct', citationOf(copy)]),
    ]);
  const current = result.rows.filter((r) => !r.stale);
  const stale = result.rows.filter((r) => r.stale);
  let text = title;
  text += current.length ? table(header, rowsOf(current)) : `No figure within ${result.window_days} days of ${result.as_of}.\n`;
  const { claimants, relays } = result.independent;
  text += `\n${claimants} independent claimant${claimants === 1 ? '' : 's'} (${relays} relay${relays === 1 ? '' : 's'})`;
  const spread = result.spread;
  if (spread.sources > 1 && spread.min !== null && spread.max !== null) {
    const reach = spread.open_above
      ? `${number.format(spread.min)} to over ${number.format(spread.max)}`
      : `${number.format(spread.min)} to ${number.format(spread.max)}`;
    text += `; ${reach}, apart by at least ${number.format(spread.spread ?? 0)}${spread.ratio ? ` (×${spread.ratio.toFixed(2)})` : ''}`;
    text += spread.contested ? ': contested, the claims cannot all be true' : ': the claims overlap';
  }
  text += '\n';
  if (stale.length) {
    text += `\nOlder than ${result.window_days} days before ${result.as_of}, shown apart and left out of the spread:\n${table(header, rowsOf(stale))}`;
  }
  const ratios = result.ratios.filter((r) => r.ratio !== null);
  if (ratios.length) {
    text += '\nCivilians : combatants killed, per source\n';
    text += table(
      ['Source', 'Civilians', 'Combatants', 'Ratio'],
      ratios.map((r) => [
        r.source,
        formatQuantity(r.civilian!),
        formatQuantity(r.combatant!),
        `${r.ratio!.toFixed(2)} : 1${r.ratio_from_ranges ? ' (from range midpoints)' : ''}`,
      ]),
    );
  }
  return result.recorded ? text + formatSince(result) : text;
}

const SINCE: Record<CompareChange, string> = {
  unchanged: 'unchanged',
  revised: 'revised',
  retracted: 'retracted since',
  superseded: 'a later claim since',
  added: 'added since',
};

/** As recorded then, beside now: one line per source. */
function formatSince(result: CompareResult): string {
  const recorded = result.recorded!;
  const quantity = (row: CompareRow | null) => (row ? `${formatQuantity(row)} (${row.date})` : '–');
  const rows = recorded.since.map((s) => [
    s.source,
    quantity(s.recorded),
    quantity(s.now),
    `${SINCE[s.change]}${s.fields.length ? `: ${s.fields.join(', ')}` : ''}`,
  ]);
  const changed = recorded.since.filter((s) => s.change !== 'unchanged').length;
  return `\nThen beside now (${changed} of ${recorded.since.length} sources changed since)\n${table(['Source', 'Then', 'Now', 'Since'], rows)}`;
}

function citationOf(r: { citation_title: string | null; publisher: string | null; url: string | null }): string {
  return [r.citation_title, r.publisher].filter(Boolean).join(' — ') || (r.url ?? '');
}

export function formatPeriod(result: PeriodComparison): string {
  const title = `${result.metric.label} (${result.metric.code})${result.location ? `, ${result.location}` : ''}, ${result.from} to ${result.to}\n\n`;
  if (result.figures === 0) return `${title}No figures for this period.\n`;
  const rows = result.groups.flatMap((group) =>
    group.rows.map((r) => [
      result.location ? '' : (group.location ?? 'no location'),
      describePeriod(group),
      r.source,
      formatQuantity(r),
      (r.method ?? '').replace(/_/g, ' '),
      r.relayed_via ? `via ${r.relayed_via}` : '',
      [r.citation_title, r.publisher].filter(Boolean).join(' — ') || (r.url ?? ''),
    ]),
  );
  const header = ['Location', 'Period', 'Source', 'Figure', 'Method', 'Relayed', 'Citation'];
  const keep = result.location ? header.map((_, i) => i > 0) : header.map(() => true);
  const pick = (cells: string[]) => cells.filter((_, i) => keep[i]);
  return `${title + table(pick(header), rows.map(pick))}\nEach figure counts its own period: figures of different periods are shown side by side, never added up.\n`;
}

export function formatHistory(entries: ChangeLogEntry[]): string {
  const lines = entries.map((e) => {
    const head = `#${e.id} ${e.at} ${e.by} ${e.op}${e.undoes ? ` (undoes #${e.undoes})` : ''}${e.why ? ` — ${e.why}` : ''}${e.import_batch_id ? ` [import batch ${e.import_batch_id}]` : ''}`;
    const changes = Object.keys({ ...e.before, ...e.after })
      .filter((k) => !['updated_at', 'updated_by', 'created_at', 'created_by'].includes(k))
      .filter((k) => JSON.stringify(e.before?.[k] ?? null) !== JSON.stringify(e.after?.[k] ?? null))
      .map((k) => `    ${k}: ${JSON.stringify(e.before?.[k] ?? null)} → ${JSON.stringify(e.after?.[k] ?? null)}`);
    return [head, ...(e.op === 'insert' ? [] : changes)].join('\n');
  });
  return `${lines.join('\n')}\n`;
}

/** The numbers no figure captures yet, one a line: where (line:column), as written, as read, and its sentence. */
export function formatUncaptured(text: string, numbers: readonly FoundNumber[], capturedBy: ReadonlyArray<unknown | null>): string {
  const lines: string[] = [];
  numbers.forEach((number, i) => {
    if (capturedBy[i]) return;
    const before = text.slice(0, number.index);
    const line = before.split('\n').length;
    const column = number.index - before.lastIndexOf('\n');
    const q = number.quantity;
    const read = q ? formatQuantity({ ...q, qualifier: q.qualifier ?? 'exact' }) : `not read: ${number.reason}`;
    const sentence = spanText(text, number.sentence).replace(/\s+/g, ' ');
    lines.push(`${line}:${column}\t${number.written}\t${read}\t${sentence}\n`);
  });
  return lines.join('');
}

/** What a merge did, a line each: counts, then each conflict and each possible duplicate to look at. */
export function formatMerge(into: string, report: MergeReport, conflicts: ConflictView[]): string {
  const lines = [
    `merged ${report.from} into ${into}: ${report.applied} transaction${report.applied === 1 ? '' : 's'} applied (${report.changes} changes), ` +
      `${report.skipped} already here, ${report.unchanged} with nothing to apply; ${report.conflicts} conflict${report.conflicts === 1 ? '' : 's'}`,
  ];
  const matched = new Map<string, string[]>();
  for (const alias of report.aliases) matched.set(alias.entity, [...(matched.get(alias.entity) ?? []), alias.matched]);
  for (const [entity, keys] of matched) {
    lines.push(
      `matched ${keys.length} ${entity}${keys.length === 1 ? '' : 's'} of ${report.from} to this workbook's by a unique key (${keys.slice(0, 5).join('; ')}${keys.length > 5 ? '; …' : ''})`,
    );
  }
  for (const conflict of conflicts) {
    lines.push(
      `conflict ${conflict.id}: ${conflict.entity} ${conflict.entity_id} changed on both sides (${conflict.fields.join(', ') || 'deleted on one'}); both versions kept`,
    );
  }
  if (conflicts.length) lines.push(`  pick or combine them: workbench conflicts ${into}`);
  for (const d of report.duplicates) {
    lines.push(`possible duplicate ${d.entity}: "${d.names[0]}" (${d.ids[0]}) and "${d.names[1]}" (${d.ids[1]}): ${d.reason}`);
  }
  if (report.duplicates.length) lines.push(`  merge one into the other: workbench merge-entities ${into} KEEP_ID DROP_ID`);
  return `${lines.join('\n')}\n`;
}

/** Each conflict with its two versions, the fields they differ in, and which one the workbook holds. */
export function formatConflicts(conflicts: ConflictView[]): string {
  const lines: string[] = [];
  for (const c of conflicts) {
    const state = c.resolution ? `resolved (${c.resolution}, transaction ${c.resolved_by_txn})` : 'open';
    lines.push(`${c.id}  ${c.entity} ${c.entity_id}  ${c.at}  ${state}`);
    for (const side of ['a', 'b'] as const) {
      const version = c[side];
      const held = c.ours === side ? ', held here (ours)' : c.ours ? ' (theirs)' : '';
      const fields = version.state ? c.fields.map((f) => `${f}=${JSON.stringify(version.state![f] ?? null)}`).join(', ') : 'deleted';
      lines.push(`  ${side}: transaction ${version.txn}${held}: ${fields}`);
    }
  }
  const open = conflicts.filter((c) => !c.resolution).length;
  lines.push(`${open} open conflict${open === 1 ? '' : 's'}${conflicts.length > open ? `, ${conflicts.length - open} resolved` : ''}`);
  return `${lines.join('\n')}\n`;
}
