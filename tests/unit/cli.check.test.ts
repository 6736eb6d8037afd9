// `workbench check` with the warnings of the checks: printed, and as JSON; warnings alone never fail the check.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workbench } from '../support/cli';

// a running total that falls (100 → 90), and 12.5 people
const CSV = [
  'metric,value,location,as_of,source,citation_title,excerpt',
  'killed_total,100,Gaza Strip,2024-01-01,Ministry,Daily report,100 killed',
  'killed_total,90,Gaza Strip,2024-01-02,Ministry,Daily report,90 killed',
  'injured,12.5,Gaza Strip,2024-01-02,Ministry,Daily report,12.5 injured',
].join('\r\n');

describe('workbench check and the checks', () => {
  let dir: string;
  let book: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fw-cli-check-'));
    book = join(dir, 'book.fwb');
    expect((await workbench('init', book)).code).toBe(0);
    writeFileSync(join(dir, 'in.csv'), CSV);
    expect((await workbench('import', book, join(dir, 'in.csv'))).code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints each warning with its figures and exits 0 when there are only warnings', async () => {
    const run = await workbench('check', book);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^cumulative_step_down: Ministry's killed \(total\) \(Gaza Strip\) falls from 100 on 2024-01-01 to 90 on 2024-01-02/m);
    expect(run.stdout).toMatch(/^fractional_count: Ministry's injured of 12\.5 people: a count of people is a whole number \(figures [0-9a-f-]{36}\)$/m);
    expect(run.stdout).toMatch(/^ok: 0 errors, \d+ warnings; checks: 2 warnings \(cumulative_step_down 1, fractional_count 1\)$/m);
  });

  it('--json prints {"warnings":[{kind, figure_ids, message}]} and the integrity report beside them', async () => {
    const run = await workbench('check', book, '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { warnings: Array<{ kind: string; figure_ids: string[]; message: string }>; integrity: { ok: boolean } };
    expect(out.warnings.map((w) => [w.kind, w.figure_ids.length])).toEqual([
      ['cumulative_step_down', 2],
      ['fractional_count', 1],
    ]);
    expect(Object.keys(out.warnings[0]!).sort()).toEqual(['figure_ids', 'kind', 'message']);
    expect(out.integrity.ok).toBe(true);
  });

  it('still exits 1 on an integrity error, with the warnings in the JSON', async () => {
    const db = new Database(book);
    db.prepare("UPDATE figure SET note = 'changed outside the app' WHERE value = 100").run();
    db.close();
    const run = await workbench('check', book, '--json');
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as { warnings: unknown[]; integrity: { ok: boolean; problems: Array<{ severity: string; reason: string }> } };
    expect(out.integrity.ok).toBe(false);
    expect(out.integrity.problems.some((p) => p.severity === 'error' && /around the single write path/.test(p.reason))).toBe(true);
    expect(out.warnings).toHaveLength(2);
  });
});
