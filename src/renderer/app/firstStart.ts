// The app's very first start (a new user, on the demo workbook) opens the Figures view on the latest day on which
// sources compete, so that the first screen shows the point: several cited claims for one moment, side by side,
// without a search. It is the ordinary date filter (from and to that day), with a banner that says why and clears
// it; every later start opens on every figure. Kept in localStorage, as the grid's column layout is.
import type { ContestedDate } from '../../shared/api';
import type { FigureFilterInput } from '../../shared/schemas';

export const FIRST_START_KEY = 'figures-workbench:started:v1';

export function isFirstStart(): boolean {
  try {
    return localStorage.getItem(FIRST_START_KEY) === null;
  } catch {
    return false; // no storage (a locked-down profile): every start is an ordinary one
  }
}

export function markStarted(): void {
  try {
    localStorage.setItem(FIRST_START_KEY, new Date().toISOString());
  } catch {
    // nothing to remember it in: the next start shows the first screen again, which is harmless
  }
}

/** The grid's filter for a contested day: every figure dated that day. */
export function momentFilter(moment: ContestedDate): NonNullable<FigureFilterInput> {
  return { from: moment.date, to: moment.date };
}
