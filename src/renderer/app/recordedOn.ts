// "As recorded on": the moment the read views (the grid, compare, its charts, export) show the workbook at, as the
// change log had it then, or null for now. One value for the window; the views read it and follow its changes.
import type { RecordedMoment } from '../../shared/api';
import { readRecordedOn } from '../../shared/recordedOn';
import { h } from '../ui/dom';
import { showStatus } from '../ui/status';

export class RecordedOn {
  private moment: string | null = null;
  private readonly listeners: Array<() => void> = [];

  /** the moment, UTC as the change log writes it; null: now */
  get value(): string | null {
    return this.moment;
  }

  set(moment: string | null): void {
    if (moment === this.moment) return;
    this.moment = moment;
    document.body.toggleAttribute('data-recorded-on', moment !== null);
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }
}

/** The moment in the analyst's own time, to the second as the control sets it: "20 May 2024, 14:30:05". */
export function describeMoment(moment: string): string {
  return new Date(moment).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** What a read as recorded on a moment says about itself: the moment and the change log entry it stands after. */
export function describeRecorded(recorded: RecordedMoment): string {
  const at = describeMoment(recorded.recorded_on);
  return recorded.log_position === 0 ? `${at}, before the first change` : `${at}, after change #${recorded.log_position}`;
}

/**
 * The top bar's control, folded into one button so the bar fits the smallest window: it opens on a date and time in
 * the analyst's zone (sent as UTC), Show, and Now to come back. While set, the button says the day it shows.
 */
export function recordedOnControl(state: RecordedOn): HTMLElement {
  const input = h('input', {
    type: 'datetime-local',
    step: '1',
    name: 'recorded_on',
    'aria-label': 'As recorded on',
  });
  const show = h('button', { type: 'button', class: 'small primary' }, 'Show');
  const now = h('button', { type: 'button', class: 'small', title: 'Back to the workbook as it is now', disabled: true }, 'Now');
  const summary = h('summary', { title: 'Show the workbook as it was recorded at a past moment (read-only): the grid, compare and its charts, export' });
  const details = h(
    'details',
    { class: 'recorded-on-control' },
    summary,
    h(
      'div',
      { class: 'menu menu-right' },
      h('span', { class: 'field-label' }, 'The workbook as it was recorded at'),
      input,
      h('div', { class: 'menu-buttons' }, show, now),
    ),
  );
  const label = () => {
    summary.textContent = state.value ? `Recorded on ${new Date(state.value).toLocaleDateString()}` : 'As recorded on…';
  };
  const apply = () => {
    if (!input.value) return state.set(null);
    // a datetime-local value has no zone: it is the analyst's local time, which Date reads it as
    const read = readRecordedOn(new Date(input.value).toISOString());
    if (!read.ok) return showStatus(read.reason, 'error');
    state.set(read.value);
    details.open = false;
  };
  show.addEventListener('click', apply);
  input.addEventListener('keydown', (event) => event.key === 'Enter' && apply());
  now.addEventListener('click', () => {
    state.set(null);
    details.open = false;
  });
  details.addEventListener('toggle', () => details.open && input.focus());
  document.addEventListener('click', (event) => {
    if (details.open && !details.contains(event.target as Node)) details.open = false;
  });
  state.onChange(() => {
    now.disabled = state.value === null;
    if (state.value === null) input.value = '';
    label();
  });
  label();
  return details;
}
