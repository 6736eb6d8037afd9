// The `workbench` command, run as a user runs it: a real process, real files, exit codes and messages.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, workbench } from '../support/cli';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

const GOOD_CSV = [
  'metric,value,qualifier,location,as_of,source,citation_title,publisher,url,excerpt',
  'killed_civilian,"20,000",,Gaza Strip,2024-05-19,IDF,Report A,Outlet,https://example.org/a,"putting the number of civilians killed at 20,000"',
  'killed_combatant,some 15000,,Gaza Strip,2024-05-19,IDF,Report A,Outlet,https://example.org/a,"some 15,000 combatants"',
].join('\r\n');

describe('workbench CLI', () => {
  let dir: string;
  let book: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fw-cli-'));
    book = join(dir, 'book.fwb');
    const init = await workbench('init', book);
    expect(init).toMatchObject({ code: 0 });
    expect(init.stdout).toMatch(/created .*book\.fwb: 0 figures/);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 with the usage on unknown commands, unknown flags and missing arguments', async () => {
    for (const args of [['frobnicate'], ['import', book], ['export', book, 'x.csv', '--colour'], ['compare', book]]) {
      const run = await workbench(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/usage: workbench/);
    }
  });

  it('refuses to init over an existing file, leaving it untouched', async () => {
    const before = sha(book);
    const run = await workbench('init', book, '--demo');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/already exists; not overwritten/);
    expect(sha(book)).toBe(before);
  });

  it('refuses to work on a workbook that does not exist instead of creating one', async () => {
    const missing = join(dir, 'typo.fwb');
    const run = await workbench('compare', missing, '--metric', 'killed_total');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no such workbook/);
    expect(existsSync(missing)).toBe(false);
  });

  it('imports a CSV, creating the source and citation, and reports the counts', async () => {
    const csv = join(dir, 'good.csv');
    writeFileSync(csv, GOOD_CSV);
    const dry = await workbench('import', book, csv, '--dry-run');
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.stdout).toMatch(/dry run .*2 created.*nothing written/);
    const run = await workbench('import', book, csv);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/imported .* as batch [0-9a-f-]{36}: 2 rows, 2 figures: 2 created/);
    expect(run.stdout).toMatch(/new sources \(1\): IDF/);
    const again = await workbench('import', book, csv);
    expect(again.stdout).toMatch(/0 created, 0 updated, 2 unchanged/);
  });

  it('rejects a bad file with every problem named by row and column, exit 1, the workbook unchanged', async () => {
    const csv = join(dir, 'bad.csv');
    writeFileSync(
      csv,
      [
        'metric,value,low,high,as_of,source,citation_title',
        'killed_civilian,lots,,,2024-05-19,IDF,Report A',
        'killed_civilian,,15000,14000,2024-05-19,IDF,Report A',
        'killed_martians,5,,,2024-05-19,IDF,Report A',
        'killed_civilian,5,,,19/05/2024,IDF,Report A',
      ].join('\n'),
    );
    const before = sha(book);
    const run = await workbench('import', book, csv);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('row 2, column value, value "lots": not a number');
    expect(run.stderr).toMatch(/row 3, column low.*low \(15000\) exceeds high \(14000\)/);
    expect(run.stderr).toMatch(/row 4, column metric, value "killed_martians": unknown metric/);
    expect(run.stderr).toMatch(/row 5, column as_of, value "19\/05\/2024": expected a date YYYY-MM-DD/);
    expect(run.stderr).toMatch(/not imported \(4 problems\); the workbook is unchanged/);
    expect(sha(book)).toBe(before);
  });

  it('with --partial imports the good rows and writes the rejected ones, with reasons, to the errors file', async () => {
    const csv = join(dir, 'mixed.csv');
    const errors = join(dir, 'mixed.errors.csv');
    writeFileSync(
      csv,
      ['metric,value,as_of,source,citation_title', 'injured,"79,476",2024-05-19,Gaza MoH,Daily report', 'injured,-4,2024-05-20,Gaza MoH,Daily report'].join(
        '\n',
      ),
    );
    const run = await workbench('import', book, csv, '--partial', '--errors', errors);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/1 created.*1 rows rejected/);
    const lines = readFileSync(errors, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('metric,value,as_of,source,citation_title,error_row,error_column,error_reason');
    expect(lines[1]).toMatch(/^injured,'-4,2024-05-20,Gaza MoH,Daily report,3,value,a count cannot be negative$/);
  });

  it('exports the same bytes to a file and to stdout, with filters, BOM and HXL', async () => {
    const out = join(dir, 'out.csv');
    const file = await workbench('export', book, out, '--metric', 'killed_civilian', '--metric', 'killed_combatant', '--bom', '--hxl');
    expect(file.code).toBe(0);
    const stdout = await workbench('export', book, '-', '--metric', 'killed_civilian', '--metric', 'killed_combatant', '--bom', '--hxl');
    expect(stdout.code).toBe(0);
    const bytes = readFileSync(out, 'utf8');
    expect(stdout.stdout).toBe(bytes);
    const lines = bytes.split('\r\n');
    expect(lines[0]!.startsWith('\uFEFFid,metric,value,low,high,qualifier,location,as_of')).toBe(true);
    expect(lines[1]!.startsWith('#meta+id,#indicator+code,#indicator+num')).toBe(true);
    expect(lines.filter((l) => l.includes(',killed_')).length).toBe(2);
    expect(bytes).not.toContain('injured');
  });

  it("stops quietly with the shell's SIGPIPE status (141) when the reader of stdout goes away, as `| head` does", async () => {
    const child = spawn(process.execPath, [BIN, 'export', book, '-'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the first line is written
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(141);
  });

  it('compares sources as a table and as CSV', async () => {
    const text = await workbench('compare', book, '--metric', 'killed_civilian', '--location', 'Gaza Strip', '--as-of', '2024-06-01');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/IDF\s+20,000\s+20,000\s+2024-05-19\s+13 days/);
    expect(text.stdout).toMatch(/\n1 independent claimant \(0 relays\)\n/);
    expect(text.stdout).toMatch(/IDF\s+20,000\s+~15,000\s+1\.33 : 1/);
    const csv = await workbench('compare', book, '--metric', 'killed_civilian', '--as-of', '2024-06-01', '--csv');
    expect(csv.stdout.split('\r\n')[1]).toMatch(/^killed_civilian,Gaza Strip,2024-06-01,IDF,20000,,,exact,,20000,20000,2024-05-19,13,30,false,false,1\.333,/);
    // a narrower window: the 13-day-old figure is shown apart, and the count says so
    const narrow = await workbench('compare', book, '--metric', 'killed_civilian', '--as-of', '2024-06-01', '--window-days', '10');
    expect(narrow.stdout).toMatch(
      /No figure within 10 days of 2024-06-01\.\n\n0 independent claimants \(0 relays\)\n\nOlder than 10 days before 2024-06-01, shown apart/,
    );
    const bad = await workbench('compare', book, '--metric', 'killed_civilian', '--window-days', 'a month');
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/--window-days a month: a whole number of days/)]);
    const unknown = await workbench('compare', book, '--metric', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/field metric, value "nope": no metric "nope"/);
  });

  it('compares the figures of a period, each with its period and method, and refuses --from without --to', async () => {
    const day = await workbench('compare', book, '--metric', 'killed_civilian', '--from', '2024-05-01', '--to', '2024-05-31');
    expect(day.code).toBe(0);
    expect(day.stdout).toMatch(/^Civilians killed \(killed_civilian\), 2024-05-01 to 2024-05-31\n/);
    expect(day.stdout).toMatch(/Gaza Strip\s+as of 2024-05-19, no period stated\s+IDF\s+20,000\s+Report A — Outlet/);
    expect(day.stdout).toMatch(/never added up/);
    const half = await workbench('compare', book, '--metric', 'killed_civilian', '--from', '2024-05-01');
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/--from and --to go together/);
  });

  it('shows a figure’s history from the change log', async () => {
    const db = new Database(book, { readonly: true });
    const id = db.prepare("SELECT f.id FROM figure f JOIN metric m ON m.id = f.metric_id WHERE m.code = 'killed_civilian'").pluck().get() as string;
    db.close();
    const run = await workbench('history', book, id);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^#\d+ \S+ \S+ insert — import of good\.csv \[import batch [0-9a-f-]{36}\]/);
  });

  it('checks the workbook and backs it up to a copy that checks too', async () => {
    const check = await workbench('check', book);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/integrity_check: ok/);
    expect(check.stdout).toMatch(/^ok: 0 errors/m);
    const copy = join(dir, 'copy.fwb');
    const backup = await workbench('backup', book, copy);
    expect(backup.code).toBe(0);
    expect((await workbench('check', copy)).code).toBe(0);
    const refuse = await workbench('backup', book, copy);
    expect(refuse.code).toBe(1);
    expect(refuse.stderr).toMatch(/already there; not overwritten/);
  });
});

describe('workbench CLI at the edges', () => {
  let dir: string;
  let book: string;
  const wal = () => (existsSync(`${book}-wal`) ? sha(`${book}-wal`) : null);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fw-cli-edges-'));
    book = join(dir, 'book.fwb');
    expect((await workbench('init', book)).code).toBe(0);
    const csv = join(dir, 'good.csv');
    writeFileSync(csv, GOOD_CSV);
    expect((await workbench('import', book, csv)).code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a refused import does not print new sources, citations or locations as made; a dry run says it would make them', async () => {
    const csv = join(dir, 'refused.csv');
    writeFileSync(
      csv,
      'metric,value,as_of,source,citation_title,location\nkilled_total,5,2024-01-01,New Source,New Report,New Place\nkilled_total,lots,2024-01-01,IDF,Report A,\n',
    );
    const before = [sha(book), wal()];
    const run = await workbench('import', book, csv);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not imported \(1 problems\); the workbook is unchanged/);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/new (sources|citations|locations|metrics)/);
    expect([sha(book), wal()]).toEqual(before);
    const dry = await workbench('import', book, csv, '--dry-run');
    expect(dry.stdout).toMatch(/would make new sources \(1\): New Source/);
  });

  it('a mapping error names the bad key; a mapping saved with a BOM is read', async () => {
    const csv = join(dir, 'semicolons.csv');
    writeFileSync(
      csv,
      GOOD_CSV.replaceAll(',', ';')
        .replace('"20;000"', '20000')
        .replace('"putting the number of civilians killed at 20;000"', 'putting')
        .replace('"some 15;000 combatants"', 'some'),
    );
    const bad = join(dir, 'bad-mapping.json');
    writeFileSync(bad, JSON.stringify({ columns: { valeu: 'Count' }, measures: [{ column: 'x' }] }));
    const run = await workbench('import', book, csv, '--mapping', bad);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/field columns\.valeu: not a workbook column \(did you mean "value"\?\)/);
    expect(run.stderr).toMatch(/field measures\[0\]\.metric: required/);
    const bom = join(dir, 'bom-mapping.json');
    writeFileSync(bom, `\uFEFF${JSON.stringify({ delimiter: ';' })}`);
    const dry = await workbench('import', book, csv, '--mapping', bom, '--dry-run');
    expect(dry.stderr).toBe('');
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.stdout).toMatch(/dry run .*2 rows, 2 figures/);
  });

  it('export with an unknown metric is refused as compare refuses it', async () => {
    const out = join(dir, 'out.csv');
    const exported = await workbench('export', book, out, '--metric', 'nope');
    const compared = await workbench('compare', book, '--metric', 'nope');
    expect(exported.code).toBe(1);
    expect(exported.stderr.replace('workbench export', 'workbench compare')).toBe(compared.stderr);
    expect(existsSync(out)).toBe(false);
    const stdout = await workbench('export', book, '-', '--metric', 'nope');
    expect(stdout).toMatchObject({ code: 1, stdout: '' });
  });

  it('a folder where a file should be: a clear message naming it, nothing left beside it', async () => {
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    for (const args of [
      ['export', book, folder],
      ['import', book, folder],
      ['import', book, join(dir, 'good.csv'), '--mapping', folder],
      ['backup', book, folder],
    ]) {
      const run = await workbench(...args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr, args.join(' ')).toMatch(new RegExp(`${folder}.*is a folder`));
      expect(run.stderr).not.toMatch(/EISDIR|partial/);
    }
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('on a read-only file system (a read-only bind mount): export and check work, import is refused plainly', async (ctx) => {
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    const copy = join(ro, 'book.fwb');
    expect((await workbench('backup', book, copy)).code).toBe(0);
    expect((await workbench('check', copy)).code).toBe(0); // opened once: a WAL file now, as every workbook in use is
    expect(readFileSync(copy).subarray(18, 20)).toEqual(Buffer.from([2, 2]));
    expect(readdirSync(ro)).toEqual(['book.fwb']);
    const bind = spawnSync('mount', ['--bind', ro, ro], { encoding: 'utf8' });
    if (bind.status !== 0) return ctx.skip(`cannot bind-mount here (${bind.stderr.trim()}); the read-only open is tested in csv.edges.test.ts`);
    try {
      expect(spawnSync('mount', ['-o', 'remount,ro,bind', ro]).status).toBe(0);
      const before = sha(copy);
      const out = join(dir, 'from-ro.csv');
      const exported = await workbench('export', copy, out);
      expect(exported.stderr).toBe('');
      expect(exported.stdout).toMatch(/exported 2 figures/);
      const check = await workbench('check', copy);
      expect(check).toMatchObject({ code: 0 });
      expect(check.stdout).toMatch(/^ok: 0 errors/m);
      const compare = await workbench('compare', copy, '--metric', 'killed_civilian');
      expect(compare.code).toBe(0);
      const imported = await workbench('import', copy, join(dir, 'good.csv'));
      expect(imported.code).toBe(1);
      expect(imported.stderr).toMatch(/read-only \(a read-only disk\)/);
      expect(sha(copy)).toBe(before);
      expect(readdirSync(ro)).toEqual(['book.fwb']);
    } finally {
      spawnSync('umount', ['-l', ro]);
    }
  });
});
