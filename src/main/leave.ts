// Before the window closes or opens another workbook, main asks the page whether typed work would be lost: only
// the renderer knows (its new-figure row, a cell being edited), and it asks the analyst in its own dialog. Main
// just sends the question as an app event and waits for the answer on LEAVE_ANSWER_CHANNEL.
import type { AppEvent, LeaveAction } from '../shared/bridge';
import { LEAVE_ANSWER_CHANNEL } from '../shared/transport';
import type { IpcMainLike } from './ipc';

export interface LeaveQuestion {
  /** true when the window may leave: nothing unsaved, the analyst agreed to drop it, or no page to ask */
  ask(action: LeaveAction): Promise<boolean>;
  dispose(): void;
}

/**
 * `send` delivers an event to the page, and returns false when there is no page that could hold typed work (no
 * window, or one not loaded yet). One question at a time: asking again while one is open sends the same question
 * again (the page shows one dialog for it) — so a question sent before the page listened is not lost.
 */
export function registerLeave(ipcMain: IpcMainLike, send: (event: AppEvent) => boolean, isTrustedSender: (url: string) => boolean): LeaveQuestion {
  let open: { event: Extract<AppEvent, { kind: 'leave' }>; answer: Promise<boolean>; resolve: (leave: boolean) => void } | null = null;
  let counter = 0;
  ipcMain.handle(LEAVE_ANSWER_CHANNEL, async (event, request, leave) => {
    if (!isTrustedSender(event.senderFrame?.url ?? '') || !open || request !== open.event.request) return null;
    const { resolve } = open;
    open = null;
    resolve(leave === true);
    return null;
  });
  return {
    ask(action) {
      if (!open) {
        let resolve: (leave: boolean) => void = () => {};
        const answer = new Promise<boolean>((r) => (resolve = r));
        open = { event: { kind: 'leave', request: `leave-${(counter += 1)}`, action }, answer, resolve };
      }
      const question = open;
      if (!send(question.event)) {
        open = null;
        question.resolve(true);
      }
      return question.answer;
    },
    dispose: () => ipcMain.removeHandler(LEAVE_ANSWER_CHANNEL),
  };
}
