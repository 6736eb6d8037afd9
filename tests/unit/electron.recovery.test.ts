// A workbook that will not open: the app offers its latest sound backup, puts it in place, keeps the damaged file.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../src/shared/transport';
import { ipcChannel } from '../../src/shared/transport';
import { openSession } from '../../src/core/session';
import { backupNow } from '../../src/core/store/backups';
import { fake, stopCores, untilWindow } from '../support/fakeElectron';

const userData = mkdtempSync(join(tmpdir(), 'fw-electron-recovery-'));
const workbookPath = join(userData, 'mine.fwb');
fake.userData = userData;
vi.mock('electron', async () => (await import('../support/fakeElectron')).electronModule);

describe('opening a damaged workbook', () => {
  let figures = 0;

  beforeAll(async () => {
    const session = await openSession(workbookPath, { user: 'test', demo: true });
    figures = (await session.api.getWorkbookInfo({})).counts.figures;
    await backupNow(session.workbook);
    session.workbook.close();
    const bytes = readFileSync(workbookPath);
    bytes.write('this is not SQLite', 0); // the header: the file no longer says what it is
    writeFileSync(workbookPath, bytes);
    writeFileSync(join(userData, 'settings.json'), JSON.stringify({ recent: [workbookPath] }));
    fake.messageBoxAnswer = 0; // "Open the latest backup"
    await import('../../src/main/index');
    await untilWindow();
  }, 60_000);
  afterAll(() => {
    stopCores();
    rmSync(userData, { recursive: true, force: true });
  });

  it('offers the latest backup, naming the file and the backup', () => {
    expect(fake.messageBoxes).toHaveLength(1);
    expect(fake.messageBoxes[0]!.message).toBe('mine.fwb is damaged.');
    expect(fake.messageBoxes[0]!.detail).toMatch(/not an SQLite file[\s\S]*latest sound backup is from \d{4}-\d\d-\d\dT/);
    expect(fake.errorBoxes).toEqual([]);
  });

  it('opens the backup in its place, with every figure, and keeps the damaged file beside it', async () => {
    expect(fake.windows[0]!.title).toBe('mine.fwb — Figures Workbench');
    const call = fake.ipc.get(ipcChannel('getWorkbookInfo')) as (event: unknown, input: unknown) => Promise<Envelope<{ counts: { figures: number } }>>;
    const result = await call({ senderFrame: { url: `file://${join(process.cwd(), 'src/renderer/index.html')}` }, sender: { send() {} } }, {});
    expect(result).toMatchObject({ ok: true, value: { counts: { figures } } });
    expect(readdirSync(userData).filter((name) => name.startsWith('mine.fwb.damaged-'))).toHaveLength(1);
  });
});
