// A CSV picked in the browser arrives as text. The store parses a text source in one synchronous pass — no progress
// until the end, and a cancel cannot get in — but streams a file chunk by chunk, reporting bytes and checking the
// signal between chunks. So the host writes the text to a private temp file of the same name and imports that: the
// same bytes (same sha256), the same file name in the import batch, with progress and cancel over HTTP.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiInput, ImportReport } from '../shared/api';

type ImportInput = ApiInput<'importCsv'>;

export interface Spooled {
  input: ImportInput;
  /** the report as the caller would have had it from the text itself */
  report(report: ImportReport): ImportReport;
  dispose(): void;
}

const PLAIN_NAME = /^[^/\\\0]{1,255}$/;

export function spoolImport(input: unknown): Spooled | null {
  const request = input as ImportInput | null;
  const file = request && typeof request === 'object' ? (request.file as { name?: unknown; text?: unknown } | undefined) : undefined;
  if (!file || typeof file.text !== 'string' || typeof file.name !== 'string' || !PLAIN_NAME.test(file.name)) return null;
  if (file.name === '.' || file.name === '..') return null;
  const dir = mkdtempSync(join(tmpdir(), 'workbench-import-'));
  const path = join(dir, file.name);
  writeFileSync(path, file.text, { encoding: 'utf8', mode: 0o600 });
  return {
    input: { ...request, file: { path } } as ImportInput,
    // A partial import's rejected rows land beside the spooled file, which the browser cannot reach.
    report: (report) => (report.errors_path?.startsWith(dir) ? { ...report, errors_path: null } : report),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
