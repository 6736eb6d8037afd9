// `workbench compare` and `export` with --recorded-on: the workbook as the change log had it at a past moment, run as
// a user runs them (the built CLI, a real workbook file), after edits made since through the API.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession } from '../../src/core/session';
import { workbench } from '../support/cli';

const CSV = [
  'metric,value,qualifier,location,as_of,source,citation_title,publisher,url,excerpt',
  'killed_civilian,"20,000",,Gaza Strip,2024-05-19,IDF,Report A,Outlet,https://example.org/a,"putting the number of civilians killed at 20,000"',
  'killed_civilian,"24,000",,Gaza Strip,2024-05-19,Gaza MoH,Daily report,MoH,https://example.org/moh,"24,000 civilians"',
].join('\r\n');

const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('workbench compare and export --recorded-on', () => {
  let dir: string;
  let book: string;
  let moment: string;
  let exportedThen: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fw-cli-recorded-'));
    book = join(dir, 'book.fwb');
    expect((await workbench('init', book)).code).toBe(0);
    writeFileSync(join(dir, 'claims.csv'), CSV);
    expect((await workbench('import', book, join(dir, 'claims.csv'))).code).toBe(0);
    exportedThen = join(dir, 'then.csv');
    expect((await workbench('export', book, exportedThen)).code).toBe(0);
    await pause();
    moment = new Date().toISOString();
    await pause();
    // since then: IDF's figure revised, the ministry's retracted, a new claimant added
    const session = await openSession(book, { create: false, backgroundCheck: false });
    try {
      const { rows } = await session.api.listFigures({});
      const idf = rows.find((r) => r.source === 'IDF')!;
      const moh = rows.find((r) => r.source === 'Gaza MoH')!;
      await session.api.updateFigure({ id: idf.id, patch: { value: 21000 } });
      await session.api.retractFigure({ id: moh.id, reason: 'superseded by the ministry itself' });
      const un = (await session.api.createSource({ name: 'OCHA', kind: 'un_agency' })).value;
      await session.api.createFigure({
        metric_id: idf.metric_id,
        source_id: un.id,
        citation_id: idf.citation_id,
        location_id: idf.location_id,
        value: 23000,
        as_of: '2024-05-19',
      });
    } finally {
      session.workbook.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('compare --recorded-on shows the figures as recorded then, beside now: revised, retracted, added since', async () => {
    const run = await workbench('compare', book, '--metric', 'killed_civilian', '--as-of', '2024-06-01', '--recorded-on', moment);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`as recorded on ${moment} (change log entry #`);
    expect(run.stdout).toMatch(/Gaza MoH \(contested\)\s+24,000\s+24,000\s+2024-05-19/);
    expect(run.stdout).toMatch(/IDF \(contested\)\s+20,000\s+20,000\s+2024-05-19/);
    expect(run.stdout).toMatch(/Then beside now \(3 of 3 sources changed since\)/);
    expect(run.stdout).toMatch(/Gaza MoH\s+24,000 \(2024-05-19\)\s+–\s+retracted since/);
    expect(run.stdout).toMatch(/IDF\s+20,000 \(2024-05-19\)\s+21,000 \(2024-05-19\)\s+revised: value/);
    expect(run.stdout).toMatch(/OCHA\s+–\s+23,000 \(2024-05-19\)\s+added since/);
    const now = await workbench('compare', book, '--metric', 'killed_civilian', '--as-of', '2024-06-01');
    expect(now.stdout).toMatch(/IDF( \(contested\))?\s+21,000/);
    expect(now.stdout).not.toContain('Gaza MoH');
    expect(now.stdout).not.toContain('Then beside now');
  });

  it('compare --csv --recorded-on writes the table as recorded then', async () => {
    const run = await workbench('compare', book, '--metric', 'killed_civilian', '--as-of', '2024-06-01', '--csv', '--recorded-on', moment);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\r\n');
    expect(lines.slice(1).map((l) => l.split(',').slice(3, 5).join(','))).toEqual(['Gaza MoH,24000', 'IDF,20000']);
  });

  it('export --recorded-on writes the bytes an export made at that moment wrote, and a manifest that says so', async () => {
    const out = join(dir, 'recorded.csv');
    const run = await workbench('export', book, out, '--recorded-on', moment, '--manifest');
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`as recorded on ${moment}`);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(exportedThen, 'utf8'));
    const manifest = JSON.parse(readFileSync(`${out}.json`, 'utf8'));
    const db = new Database(book, { readonly: true });
    try {
      const hashOf = (id: number) => db.prepare('SELECT lower(hex(hash)) FROM change_log WHERE id = ?').pluck().get(id);
      const thenPosition = db.prepare('SELECT max(id) FROM change_log WHERE at <= ?').pluck().get(moment) as number;
      const head = db.prepare('SELECT max(id) FROM change_log').pluck().get() as number;
      expect(manifest.recorded_on).toEqual({ recorded_on: moment, log_position: thenPosition, hash: hashOf(thenPosition) });
      expect(manifest.log_position).toBe(head);
      expect(manifest.head_hash).toBe(hashOf(head));
      expect(manifest.filter.recorded_on).toBe(moment);
    } finally {
      db.close();
    }
    const plain = join(dir, 'plain.csv');
    await workbench('export', book, plain, '--manifest');
    expect(JSON.parse(readFileSync(`${plain}.json`, 'utf8')).recorded_on).toBeUndefined();
  });

  it('refuses a time without a zone, and a moment that is not one, as a usage error naming --recorded-on', async () => {
    const noZone = await workbench('compare', book, '--metric', 'killed_civilian', '--recorded-on', '2024-05-20T12:00');
    expect(noZone.code).toBe(2);
    expect(noZone.stderr).toMatch(/--recorded-on 2024-05-20T12:00: the time needs a zone: add Z for UTC/);
    const nonsense = await workbench('export', book, '-', '--recorded-on', 'yesterday');
    expect(nonsense.code).toBe(2);
    expect(nonsense.stderr).toMatch(/--recorded-on yesterday: expected a date and time/);
  });
});
