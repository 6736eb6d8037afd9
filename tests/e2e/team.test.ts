/// <reference lib="dom" />
// A team's workbook in the app: another analyst's file merged through File ▸ Merge a Workbook… (the report, a
// possible duplicate merged on the analyst's word, the merged figure in the grid); a figure edited in both files,
// merged, and settled in the Conflicts view by keeping one side, undo opening it again; and File ▸ Sync… against a
// real PostgreSQL, the password typed in the dialog and never kept.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession } from '../../src/core/session';
import { postgresSkipReason } from '../support/postgres';
import { addClaim, openAnalyst, startTeam, type Team } from '../support/team';
import { cell, e2eSuite, figureId, query, status } from './support/app';

const suite = e2eSuite();
/** kept out of the repository: looked at by hand, at the largest and the smallest window */
const SHOTS = process.env.FW_TEAM_SHOTS ?? '/tmp/fw-team-screenshots';

async function shots(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const [width, height] of [
    [1280, 800],
    [900, 600],
  ] as const) {
    await page.setViewportSize({ width, height });
    // every button of a dialog is in reach without scrolling sideways
    const sideways = await page.evaluate(() => {
      const root = document.querySelector('dialog[open]') ?? document.querySelector('main.views');
      // and the top bar's, behind a dialog too
      const buttons = [...(root?.querySelectorAll('button') ?? []), ...document.querySelectorAll('header.topbar button, header.topbar summary')];
      return buttons
        .filter((b) => (b as HTMLElement).offsetParent !== null && b.closest('.conflict-table-wrap') === null)
        .filter((b) => b.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((b) => b.textContent);
    });
    expect(sideways, `${name} at ${width}×${height}: buttons past the right edge`).toEqual([]);
    await page.screenshot({ path: join(SHOTS, `${name}-${width}x${height}.png`) });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

async function search(page: Page, text: string, n: number): Promise<void> {
  await page.locator('.filter-bar input[type="search"]').fill(text);
  await expect.poll(() => page.locator('.figures-view .count').textContent()).toBe(`${n} figure${n === 1 ? '' : 's'}`);
}

describe('File ▸ Merge a Workbook…', () => {
  it("merges another analyst's file: the report, a duplicate merged when asked, the figure in the grid", async () => {
    const { page, workbook, dir } = await suite.open();
    const other = join(dir, 'bob.fwb');
    const bob = await openSession(other, { user: 'bob' });
    const bobsFigure = await addClaim(bob.api, 'bob', 777);
    // the demo's claimant under a name of the same fingerprint: offered as a duplicate, never merged by itself
    await bob.api.createSource({ name: 'Ministry of Health, Gaza', kind: 'health_authority' });
    bob.workbook.close();

    await page.getByRole('button', { name: 'Merge…' }).click();
    const dialog = page.locator('dialog[data-dialog="merge-workbook"]');
    await dialog.getByLabel('Workbook to merge from').fill(other);
    await shots(page, 'merge-dialog');
    await dialog.getByRole('button', { name: 'Merge', exact: true }).click();
    await dialog.locator('.merge-report h3').waitFor();
    expect(await dialog.locator('.merge-report h3').textContent()).toBe(`Merged from ${other}`);
    const applied = query<{ n: number }>(workbook, "SELECT count(DISTINCT txn) AS n FROM change_log WHERE by = 'bob'")[0]!.n;
    expect(applied).toBeGreaterThan(0);
    expect(await dialog.locator('[data-count="applied"]').textContent()).toMatch(new RegExp(`^${applied} transactions? applied`));
    expect(await dialog.locator('[data-count="skipped"]').textContent()).toBe('0 transactions already here (skipped)');
    expect(await dialog.locator('.report-conflicts').textContent()).toBe('No conflicts.');
    expect(await dialog.locator('.report-aliases summary').textContent()).toMatch(/taken as this one's/);
    const duplicate = dialog.locator('.duplicate[data-entity="source"]').filter({ hasText: 'Ministry of Health, Gaza' });
    expect(await duplicate.locator('.duplicate-names').textContent()).toMatch(/Gaza Ministry of Health/);
    await shots(page, 'merge-report');

    // merged only on the analyst's word, with the reason in the change log
    await duplicate.getByRole('button', { name: 'Merge these…' }).click();
    const reason = page.locator('dialog[data-dialog="reason"]');
    await reason.locator('textarea').fill('one ministry, two spellings');
    await reason.getByRole('button', { name: 'Merge' }).click();
    await status(page, /^Merged “/);
    expect(await duplicate.getByRole('button').textContent()).toBe('Merged');
    expect(query(workbook, "SELECT count(*) AS n FROM source WHERE name = 'Ministry of Health, Gaza'")).toEqual([{ n: 0 }]);
    expect(query(workbook, "SELECT why FROM change_log WHERE why = 'one ministry, two spellings' LIMIT 1")).toEqual([{ why: 'one ministry, two spellings' }]);
    await dialog.locator('.dialog-footer').getByRole('button', { name: 'Close' }).click();

    // bob's figure, under bob's id, in the grid
    await search(page, 'Report bob', 1);
    await expect.poll(() => page.locator(cell(bobsFigure, 'value')).textContent()).toBe('777');
    expect(query(workbook, 'SELECT value, created_by FROM figure WHERE id = ?', bobsFigure)).toEqual([{ value: 777, created_by: 'bob' }]);
  });

  it('refuses a file that is not a workbook, saying so, and changes nothing', async () => {
    const { page, workbook } = await suite.open();
    const before = query(workbook, 'SELECT count(*) AS n FROM change_log');
    await page.getByRole('button', { name: 'Merge…' }).click();
    const dialog = page.locator('dialog[data-dialog="merge-workbook"]');
    await dialog.getByLabel('Workbook to merge from').fill('/nonexistent/bob.fwb');
    await dialog.getByRole('button', { name: 'Merge', exact: true }).click();
    await expect.poll(() => dialog.locator('.merge-report .form-error').textContent()).toMatch(/^Not merged: .*\/nonexistent\/bob\.fwb/);
    expect(query(workbook, 'SELECT count(*) AS n FROM change_log')).toEqual(before);
  });
});

describe('the Conflicts view', () => {
  it('a figure edited in both files is a conflict after the merge; keeping B shows B in the grid, and Ctrl+Z opens it again', async () => {
    let copy = '';
    const { page, workbook, dir } = await suite.open({
      // both files start from the same history: the other analyst's is a copy of this one
      setup: async (api) => {
        copy = join((await api.getWorkbookInfo({})).path, '..', 'copy.fwb');
        await api.backup({ to: copy });
      },
    });
    expect(copy.startsWith(dir)).toBe(true);
    const id = figureId(workbook, 'killed_civilian', 'Israel Defense Forces');
    const other = await openSession(copy, { user: 'bob' });
    await other.api.updateFigure({ id, patch: { value: 22000 }, why: "bob's reading" });
    other.workbook.close();

    // here: the same figure, edited in the grid
    await search(page, 'IDF estimates', 2);
    await page.locator(cell(id, 'value')).click();
    await page.keyboard.type('21000');
    await page.keyboard.press('Enter');
    await status(page, /^Saved Value/);

    await page.getByRole('button', { name: 'Merge…' }).click();
    const dialog = page.locator('dialog[data-dialog="merge-workbook"]');
    await dialog.getByLabel('Workbook to merge from').fill(copy);
    await dialog.getByRole('button', { name: 'Merge', exact: true }).click();
    await expect.poll(() => dialog.locator('.report-conflicts').getAttribute('data-count')).toBe('1');
    expect(await dialog.locator('.report-conflicts strong').textContent()).toBe('1 conflict');
    expect(query(workbook, 'SELECT value FROM figure WHERE id = ?', id)).toEqual([{ value: 21000 }]); // ours kept until picked
    await expect.poll(() => page.locator('.tab[data-view="conflicts"] .tab-badge').textContent()).toBe('1');
    await dialog.getByRole('button', { name: 'Open Conflicts' }).click();
    await expect.poll(() => dialog.count()).toBe(0);

    const conflict = page.locator('.conflicts-view .conflict');
    await conflict.waitFor();
    expect(await conflict.locator('.conflict-title').textContent()).toBe('Figure: Civilians killed — Israel Defense Forces, 2024-05-19');
    const valueRow = conflict.locator('tr[data-field="value"]');
    const sides = await valueRow.locator('td.conflict-differs').allTextContents();
    expect(sides.sort()).toEqual(['21,000', '22,000']);
    const bSide = (await valueRow.locator('td[data-side="b"]').textContent()) === '22,000' ? 'b' : 'a';
    const heads = await conflict.locator('thead th.conflict-side').allTextContents();
    expect(heads.join(' | ')).toMatch(/analyst/);
    expect(heads.join(' | ')).toMatch(/bob/);
    await shots(page, 'conflicts-view');

    await conflict.getByRole('button', { name: `Keep ${bSide.toUpperCase()}` }).click();
    const reason = page.locator('dialog[data-dialog="reason"]');
    await reason.locator('textarea').fill("bob's reading of the article is right");
    await reason.getByRole('button', { name: 'Keep it' }).click();
    await status(page, /^Conflict settled/);
    expect(query(workbook, 'SELECT value FROM figure WHERE id = ?', id)).toEqual([{ value: 22000 }]);
    expect(query(workbook, 'SELECT resolution FROM conflict')).toEqual([{ resolution: bSide }]);
    await expect.poll(() => page.locator('.conflicts-view .conflict').count()).toBe(0);
    await expect.poll(() => page.locator('.tab[data-view="conflicts"] .tab-badge').isHidden()).toBe(true);
    await page.locator('.tab[data-view="figures"]').click();
    await expect.poll(() => page.locator(cell(id, 'value')).textContent()).toBe('22,000');

    // undo: the value this workbook had, and the conflict open again
    await page.locator('.figures-view .ag-root').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await status(page, /^Undone: settling a conflict/);
    expect(query(workbook, 'SELECT value FROM figure WHERE id = ?', id)).toEqual([{ value: 21000 }]);
    expect(query(workbook, 'SELECT resolution FROM conflict')).toEqual([{ resolution: null }]);
    await expect.poll(() => page.locator(cell(id, 'value')).textContent()).toBe('21,000');
    await expect.poll(() => page.locator('.tab[data-view="conflicts"] .tab-badge').textContent()).toBe('1');
    await page.keyboard.press('Alt+5');
    await expect.poll(() => page.locator('.conflicts-view .conflict').count()).toBe(1);
  });
});

const skip = postgresSkipReason();
if (skip) console.log(`File ▸ Sync… e2e skipped: ${skip}`);

describe.skipIf(skip !== null)('File ▸ Sync… (a real PostgreSQL)', { timeout: 120_000 }, () => {
  let team: Team;
  const saved = { PGPASSWORD: process.env.PGPASSWORD, PGPASSFILE: process.env.PGPASSFILE };
  beforeAll(async () => {
    team = await startTeam();
    // the password comes from the dialog, nowhere else
    delete process.env.PGPASSWORD;
    process.env.PGPASSFILE = '/nonexistent/pgpass';
  });
  afterAll(async () => {
    for (const [key, value] of Object.entries(saved))
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    await team?.stop();
  });

  it("syncs: the others' transactions come in by analyst, this workbook's go out, the password kept nowhere", async () => {
    const url = await team.database('e2e_sync');
    const { page, workbook, dir } = await suite.open();
    const bob = await openAnalyst(dir, 'bob');
    const bobsFigure = await addClaim(bob.api, 'bob', 555);
    const bobs = (await bob.sync(url('bob'))).pushed;
    bob.close();
    expect(bobs).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Sync…' }).click();
    const dialog = page.locator('dialog[data-dialog="sync"]');
    await expect.poll(() => dialog.locator('.sync-last').textContent()).toMatch(/^Not synced yet/);
    const withoutPassword = url('alice').replace(/:[^:@/]*@/, '@'); // postgresql://alice@host:port/e2e_sync
    expect(withoutPassword).not.toContain('alice pw');
    await dialog.getByLabel('Server').fill(withoutPassword);
    await dialog.getByLabel('Password').fill('alice pw');
    await shots(page, 'sync-dialog');
    await dialog.getByRole('button', { name: 'Sync now' }).click();
    await dialog.locator('[data-report="in"]').waitFor({ timeout: 60_000 });
    expect(await dialog.locator('.pulled-by li[data-analyst="bob"]').textContent()).toBe(`bob: ${bobs} transaction${bobs === 1 ? '' : 's'}`);
    const pushed = query<{ n: number }>(workbook, 'SELECT count(DISTINCT txn) AS n FROM change_log WHERE by <> ?', 'bob')[0]!.n;
    expect(await dialog.locator('[data-report="out"]').textContent()).toBe(`${pushed} transactions pushed.`);
    expect(await dialog.locator('.report-conflicts').textContent()).toBe('No conflicts.');
    expect(await dialog.getByLabel('Password').inputValue()).toBe('');
    await shots(page, 'sync-report');

    // kept: the server without a password; the password nowhere in the file
    const servers = query<{ url: string; last_report: string }>(workbook, 'SELECT url, last_report FROM sync_server');
    expect(servers).toHaveLength(1);
    expect(servers[0]!.url).toMatch(/^postgresql:\/\/[^@]+\/e2e_sync$/);
    expect(JSON.stringify(servers)).not.toContain('alice pw');
    await dialog.locator('.dialog-footer').getByRole('button', { name: 'Close' }).click();
    await search(page, 'Report bob', 1);
    await expect.poll(() => page.locator(cell(bobsFigure, 'value')).textContent()).toBe('555');

    // opened again: the server and the last sync shown; a wrong password refused plainly, the workbook unchanged
    await page.getByRole('button', { name: 'Sync…' }).click();
    await expect.poll(() => dialog.locator('.sync-last').textContent()).toMatch(/^Last synced .*: \d+ transactions in, \d+ transactions out, 0 conflicts\.$/);
    expect(await dialog.getByLabel('Server').inputValue()).toBe(withoutPassword);
    const changes = query(workbook, 'SELECT count(*) AS n FROM change_log');
    await dialog.getByLabel('Password').fill('wrong');
    await dialog.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => dialog.locator('.sync-report .form-error').textContent(), { timeout: 30_000 }).toMatch(/^Not synced: .*refused the password/);
    expect(await dialog.locator('.sync-report').textContent()).not.toContain('wrong');
    expect(query(workbook, 'SELECT count(*) AS n FROM change_log')).toEqual(changes);
  });

  it('tells when another analyst pushed, naming them, and Sync now brings their figure in', async () => {
    const url = await team.database('e2e_watch');
    const { page, dir } = await suite.open();
    const withoutPassword = url('alice').replace(/:[^:@/]*@/, '@');
    const syncButton = page.locator('.topbar-actions').getByRole('button', { name: 'Sync…' });
    await syncButton.click();
    const dialog = page.locator('dialog[data-dialog="sync"]');
    await dialog.getByLabel('Server').fill(withoutPassword);
    await dialog.getByLabel('Password').fill('alice pw');
    await dialog.getByRole('button', { name: 'Sync now' }).click();
    await dialog.locator('[data-report="in"]').waitFor({ timeout: 60_000 });
    await dialog.locator('.dialog-footer').getByRole('button', { name: 'Close' }).click();
    // listening with the password typed for that sync (there is none in PGPASSWORD or ~/.pgpass here)
    await expect.poll(() => syncButton.getAttribute('title'), { timeout: 30_000 }).toMatch(/listening for pushes/);
    const news = page.getByTestId('server-news');
    expect(await news.isHidden()).toBe(true);

    const bob = await openAnalyst(dir, 'bob');
    const bobsFigure = await addClaim(bob.api, 'bob-pushed', 4_321);
    const pushed = (await bob.sync(url('bob'))).pushed;
    bob.close();
    await news.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await news.locator('.server-news-text').textContent()).toBe(
      `bob (${pushed}) pushed to ${withoutPassword}: ${pushed} transactions not in this workbook yet.`,
    );
    expect(await syncButton.getAttribute('class')).toMatch(/has-news/);
    await shots(page, 'server-news');

    await news.getByRole('button', { name: 'Sync now' }).click();
    expect(await news.isHidden()).toBe(true);
    await dialog.getByLabel('Password').fill('alice pw');
    await dialog.getByRole('button', { name: 'Sync now' }).click();
    await dialog.locator('[data-report="in"]').waitFor({ timeout: 60_000 });
    expect(await dialog.locator('.pulled-by li[data-analyst="bob"]').textContent()).toBe(`bob: ${pushed} transactions`);
    await dialog.locator('.dialog-footer').getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => syncButton.getAttribute('class')).not.toMatch(/has-news/);
    await search(page, 'Report bob-pushed', 1);
    await expect.poll(() => page.locator(cell(bobsFigure, 'value')).textContent()).toBe('4,321');
  });
});
