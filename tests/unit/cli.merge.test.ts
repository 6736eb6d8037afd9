// `workbench merge`, `workbench conflicts` and `workbench merge-entities`, run as a user runs them, on real files
// set up through the API: a workbook and a copy of it, each then changed by its own analyst.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConflictView, MergeReport } from '../../src/shared/api';
import { openSession } from '../../src/core/session';
import { workbench } from '../support/cli';
import { seedBasics, sha256File, tempDir } from '../support/tempWorkbook';

let dir: string;
let cleanup: () => void;
let a: string;
let b: string;
let figureId: string;
let source: { ours: string; theirs: string; claim: string };

/** Runs `work` on a workbook file opened as `user`, and closes it. */
async function withApi<T>(path: string, user: string, work: (api: Awaited<ReturnType<typeof openSession>>['api']) => Promise<T>): Promise<T> {
  const session = await openSession(path, { user });
  try {
    return await work(session.api);
  } finally {
    session.workbook.close();
  }
}

beforeEach(async () => {
  ({ dir, cleanup } = tempDir('fw-cli-merge-'));
  a = join(dir, 'a.fwb');
  b = join(dir, 'b.fwb');
  const fields = await withApi(a, 'alice', async (api) => {
    const basics = await seedBasics(api);
    const input = { metric_id: basics.metric('killed_total'), source_id: basics.sourceA.id, citation_id: basics.citation.id, value: 100, as_of: '2024-01-01' };
    figureId = (await api.createFigure(input)).value.id;
    await api.backup({ to: b });
    await api.updateFigure({ id: figureId, patch: { value: 110 }, why: 'our reading' });
    const ours = (await api.createSource({ name: 'Ministry of Health, Gaza', short_name: 'Gaza MoH' })).value.id;
    return { input, ours };
  });
  source = await withApi(b, 'bob', async (api) => {
    await api.updateFigure({ id: figureId, patch: { value: 120 }, why: 'their reading' });
    const theirs = (await api.createSource({ name: 'Gaza MoH' })).value.id;
    const claim = (await api.createFigure({ ...fields.input, source_id: theirs, value: 35_456, as_of: '2024-05-19' })).value.id;
    return { ours: fields.ours, theirs, claim };
  });
});
afterEach(() => cleanup());

describe('workbench merge', () => {
  it('prints what it applied, the conflict and the possible duplicate; again, nothing; check passes on both', async () => {
    const run = await workbench('merge', a, b);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^merged .*b\.fwb into .*a\.fwb: 2 transactions applied \(2 changes\), \d+ already here, 1 with nothing to apply; 1 conflict$/m);
    expect(run.stdout).toContain(`figure ${figureId} changed on both sides (value); both versions kept`);
    expect(run.stdout).toMatch(/^possible duplicate source: "(Ministry of Health, Gaza|Gaza MoH)" .* the same name or short name/m);
    expect(run.stdout).toContain(`workbench merge-entities ${a} KEEP_ID DROP_ID`);

    const again = await workbench('merge', a, b, '--json');
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout) as MergeReport & { conflicts: ConflictView[] };
    expect(report).toMatchObject({ applied: 0, changes: 0 });

    expect((await workbench('merge', b, a)).code).toBe(0);
    for (const file of [a, b]) {
      const check = await workbench('check', file);
      expect(check.code, check.stdout).toBe(0);
      expect(check.stdout).toMatch(/^ok: 0 errors/m);
    }
  });

  it('refuses the workbook itself, a file that is not a workbook, and a missing one, leaving INTO as it was', async () => {
    const before = sha256File(a);
    const self = await workbench('merge', a, join(dir, '.', 'a.fwb'));
    expect(self.code).toBe(1);
    expect(self.stderr).toMatch(/^workbench merge: .*a\.fwb: it is the workbook merged into; give another workbook to merge from$/m);
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'hello\n');
    const text = await workbench('merge', a, notes);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('notes.txt');
    const missing = await workbench('merge', a, join(dir, 'missing.fwb'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('missing.fwb: no such workbook file');
    expect((await workbench('merge', a)).code).toBe(2);
    expect(sha256File(a)).toBe(before);
  });
});

describe('workbench conflicts', () => {
  it('lists both versions, resolves one as a logged change, and then lists none open', async () => {
    await workbench('merge', a, b);
    const listed = await workbench('conflicts', a);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/value=110/);
    expect(listed.stdout).toMatch(/value=120/);
    expect(listed.stdout).toMatch(/held here \(ours\): value=110/);
    expect(listed.stdout).toMatch(/^1 open conflict$/m);

    const [conflict] = JSON.parse((await workbench('conflicts', a, '--json')).stdout) as ConflictView[];
    const resolved = await workbench('conflicts', a, '--resolve', conflict!.id, '--pick', 'theirs', '--why', 'the newer report');
    expect(resolved.stderr).toBe('');
    expect(resolved.stdout).toMatch(new RegExp(`^resolved conflict ${conflict!.id}: figure ${figureId} is version [ab] \\(transaction [0-9a-f-]{36}\\)$`, 'm'));
    const history = await workbench('history', a, figureId);
    expect(history.stdout).toContain('the newer report');
    expect((await withApi(a, 'alice', (api) => api.getFigure({ id: figureId }))).value).toBe(120);
    expect((await workbench('conflicts', a)).stdout).toMatch(/^0 open conflicts$/m);
    expect((await workbench('conflicts', a, '--all')).stdout).toMatch(/^0 open conflicts, 1 resolved$/m);

    const twice = await workbench('conflicts', a, '--resolve', conflict!.id, '--pick', 'ours');
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('is resolved already');
    expect((await workbench('conflicts', a, '--resolve', conflict!.id)).code).toBe(2);
    expect((await workbench('conflicts', a, '--resolve', conflict!.id, '--pick', 'mine')).code).toBe(2);
    expect((await workbench('check', a)).code).toBe(0);
  });
});

describe('workbench merge-entities', () => {
  it('repoints the figures of the one dropped to the one kept, in one logged transaction', async () => {
    await workbench('merge', a, b);
    const run = await workbench('merge-entities', a, source.ours, source.theirs);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^merged source ${source.theirs} into ${source.ours} \\(transaction [0-9a-f-]{36}\\)$`, 'm'));
    const after = await withApi(a, 'alice', async (api) => ({
      claim: await api.getFigure({ id: source.claim }),
      sources: (await api.listSources({})).map((s) => s.id),
      duplicates: await api.listDuplicates({}),
    }));
    expect(after.claim.source_id).toBe(source.ours);
    expect(after.sources).not.toContain(source.theirs);
    expect(after.duplicates).toEqual([]);
    expect((await workbench('check', a)).code).toBe(0);

    const unknown = await workbench('merge-entities', a, source.ours, figureId);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`no source with id ${figureId}`);
  });
});
