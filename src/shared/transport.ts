// How a call's result crosses a process or network boundary: an envelope that keeps WorkbenchError's code and
// place (a thrown Error loses them over IPC), unwrapped on the other side into the same error.
import { type WorkbenchErrorData, WorkbenchError } from './errors';

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: WorkbenchErrorData };

export async function wrap<T>(work: () => Promise<T>): Promise<Envelope<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error: WorkbenchError.from(error).toData() };
  }
}

export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw WorkbenchError.fromData(envelope.error);
}

/** The IPC channel of an API call. */
export const ipcChannel = (name: string): string => `workbench:${name}`;
/** main → renderer: menu commands, progress, a workbook opened (AppEvent in bridge.ts) */
export const APP_EVENT_CHANNEL = 'workbench:event';
/** renderer → main: cancel the long task with this id */
export const CANCEL_CHANNEL = 'workbench:cancel';
/** renderer → main: a native save dialog for a file the window writes by path; answers the path, or null */
export const SAVE_PATH_CHANNEL = 'workbench:choose-save-path';
/** renderer → main: a native open dialog for another workbook file (to merge from); answers the path, or null */
export const OPEN_WORKBOOK_CHANNEL = 'workbench:choose-workbook';
/** renderer → main: the answer to a 'leave' app event (request id, may leave) */
export const LEAVE_ANSWER_CHANNEL = 'workbench:leave-answer';
