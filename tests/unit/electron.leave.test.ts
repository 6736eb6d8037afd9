// Main asks the page before the window leaves its workbook — closing, File ▸ Open, File ▸ New — and goes on only
// when the page answers that nothing typed would be lost (or that the analyst agreed to drop it). With a fake
// `electron`; the page is played by the test, answering on the leave channel.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppEvent } from '../../src/shared/bridge';
import { LEAVE_ANSWER_CHANNEL } from '../../src/shared/transport';
import { fake, type FakeWindow, stopCores, untilWindow } from '../support/fakeElectron';

const userData = mkdtempSync(join(tmpdir(), 'fw-electron-leave-'));
fake.userData = userData;
vi.mock('electron', async () => (await import('../support/fakeElectron')).electronModule);

const APP_PAGE = `file://${join(process.cwd(), 'src/renderer/index.html')}`;
type Listener = (event: unknown, ...args: unknown[]) => Promise<unknown>;

let window: FakeWindow;
const questions = () => window.sent.filter((e): e is Extract<AppEvent, { kind: 'leave' }> => (e as AppEvent).kind === 'leave');
/** The page's answer to main's question. */
const answer = (request: string, leave: boolean, url = APP_PAGE) =>
  (fake.ipc.get(LEAVE_ANSWER_CHANNEL) as Listener)({ senderFrame: { url }, sender: { send: () => {} } }, request, leave);
const menuItem = (label: string) =>
  fake.menu!.flatMap((m) => (m.submenu ?? []) as Array<{ label?: string; click?: () => void }>).find((i) => i.label?.replace('&', '').startsWith(label))!;
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
/** The window's close button: Electron emits close, which main may prevent. */
const pressClose = () => window.close();

describe('leaving the workbook with typed work', () => {
  beforeAll(async () => {
    await import('../../src/main/index');
    await untilWindow();
    window = fake.windows[0]!;
  }, 60_000);
  afterAll(() => {
    stopCores();
    rmSync(userData, { recursive: true, force: true });
  });

  it('File ▸ Open asks the page first, and shows no file picker when the page says to stay', async () => {
    window.handlers.get('did-finish-load')!();
    menuItem('Open Workbook').click!();
    await tick();
    const [question] = questions();
    expect(question).toMatchObject({ kind: 'leave', action: 'open' });
    await answer(question!.request, false);
    await tick();
    expect(fake.openDialogs).toBe(0);

    menuItem('Open Workbook').click!();
    await tick();
    const again = questions().at(-1)!;
    expect(again.request).not.toBe(question!.request);
    await answer(again.request, true);
    await tick();
    expect(fake.openDialogs).toBe(1);
  });

  it('File ▸ New asks too', async () => {
    const before = questions().length;
    menuItem('New Workbook').click!();
    await tick();
    expect(questions().slice(before)).toEqual([expect.objectContaining({ action: 'new' })]);
    await answer(questions().at(-1)!.request, false);
    await tick();
    expect(fake.saveDialogs).toEqual([]);
  });

  it('closes the window only once the page agrees; a second click asks the same question again; other pages are not heard', async () => {
    const before = questions().length;
    pressClose();
    await tick();
    expect(window.closed).toBe(false);
    const question = questions().at(-1)!;
    expect(questions().length).toBe(before + 1);
    expect(question.action).toBe('close');

    await answer(question.request, true, 'https://example.org/');
    await tick();
    expect(window.closed).toBe(false);

    pressClose(); // the page may not have been listening the first time: the same question, once more
    await tick();
    expect(questions().at(-1)).toEqual(question);
    await answer(question.request, false);
    await tick();
    expect(window.closed).toBe(false);

    pressClose();
    await tick();
    await answer(questions().at(-1)!.request, true);
    await tick();
    expect(window.closed).toBe(true);
  });
});
