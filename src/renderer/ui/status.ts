// The status line at the bottom of the window: what just happened (saved, undone, refused), read out by screen
// readers, replaced by the next message. Errors stay until the next message; the rest fade after a while.
import { WorkbenchError } from '../../shared/errors';

let region: HTMLElement | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;

export function mountStatus(element: HTMLElement): void {
  region = element;
  region.setAttribute('role', 'status');
  region.setAttribute('aria-live', 'polite');
}

export type StatusKind = 'info' | 'success' | 'error';

export function showStatus(message: string, kind: StatusKind = 'info'): void {
  if (!region) return;
  clearTimeout(timer);
  region.textContent = message;
  region.dataset.kind = kind;
  if (kind !== 'error') timer = setTimeout(() => (region!.textContent = ''), 8_000);
}

/** An error as the analyst should read it: the message, with the place first when there is one. */
export function errorMessage(error: unknown): string {
  const e = WorkbenchError.from(error);
  if (e.code === 'internal') return `Something went wrong inside the app (please report it): ${e.message}`;
  const problems = e.problems ?? [];
  if (problems.length > 1)
    return `${e.message}: ${problems
      .slice(0, 3)
      .map((p) => `${p.field ?? p.column ?? ''} ${p.reason}`.trim())
      .join('; ')}${problems.length > 3 ? '; …' : ''}`;
  return e.message;
}

export function showError(error: unknown, prefix?: string): void {
  showStatus(prefix ? `${prefix}: ${errorMessage(error)}` : errorMessage(error), 'error');
}
