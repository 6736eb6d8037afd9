// The Conflicts view: each entity a merge or a sync found changed on both sides, the two versions side by side with
// the fields they differ in marked, who changed each and when. The analyst keeps A, keeps B, or combines them field
// by field (each field's value picked from a side, or typed), with a reason: a logged change that undo takes back,
// opening the conflict again.
import type { ConflictView, WorkbenchApi } from '../../shared/api';
import type { Catalog } from '../app/catalog';
import type { UndoHistory } from '../app/undo';
import { askReason } from '../ui/dialog';
import { emptyState, fill, h } from '../ui/dom';
import { formatTime } from '../ui/format';
import { showError, showStatus } from '../ui/status';
import { conflictTitle, fieldLabel, valueText } from './conflictValues';

export interface ConflictsDeps {
  api: WorkbenchApi;
  catalog: Catalog;
  undo: UndoHistory;
  /** after a conflict is settled: the views read the entity again */
  changed(conflict: ConflictView): Promise<void>;
  /** the number of open conflicts, for the tab's badge */
  counted(open: number): void;
}

type Side = 'a' | 'b';

export class ConflictsView {
  readonly element: HTMLElement;
  private readonly list = h('div', { class: 'conflict-list', 'aria-label': 'Conflicts' });
  private readonly summary = h('p', { class: 'conflict-summary', 'aria-live': 'polite' });
  private sequence = 0;
  private stale = true;

  constructor(private readonly deps: ConflictsDeps) {
    this.element = h(
      'section',
      { class: 'view conflicts-view', 'data-view': 'conflicts', hidden: true },
      h('div', { class: 'toolbar' }, h('h2', { class: 'view-title' }, 'Conflicts'), this.summary),
      this.list,
    );
    deps.undo.onChange(() => {
      if (this.element.hidden) {
        this.stale = true;
        void this.count();
      } else void this.load();
    });
  }

  open(): Promise<void> {
    if (!this.stale) return Promise.resolve();
    return this.load();
  }

  /** Read again (after a merge or a sync), whether shown or not. */
  refresh(): Promise<void> {
    if (this.element.hidden) {
      this.stale = true;
      return this.count();
    }
    return this.load();
  }

  /** Only the count, for the badge. */
  async count(): Promise<void> {
    try {
      this.deps.counted((await this.deps.api.listConflicts({})).length);
    } catch {
      // the badge keeps its last count; the view says what went wrong when opened
    }
  }

  async load(): Promise<void> {
    const sequence = ++this.sequence;
    try {
      const conflicts = await this.deps.api.listConflicts({});
      if (sequence !== this.sequence) return;
      this.stale = false;
      this.deps.counted(conflicts.length);
      this.summary.textContent =
        conflicts.length === 0 ? '' : `${conflicts.length} open conflict${conflicts.length === 1 ? '' : 's'}: this workbook keeps its version until you pick.`;
      if (conflicts.length === 0) {
        fill(
          this.list,
          emptyState(
            'No open conflicts',
            'When a merge or a sync finds the same thing changed here and in the other workbook, both versions are kept and listed here.',
          ),
        );
        return;
      }
      fill(this.list, ...conflicts.map((conflict) => this.card(conflict)));
    } catch (error) {
      if (sequence === this.sequence) showError(error, 'Conflicts not read');
    }
  }

  private card(conflict: ConflictView): HTMLElement {
    const { catalog } = this.deps;
    const text = (field: string, value: unknown) => valueText(catalog, conflict.entity, field, value);
    const differing = new Set(conflict.fields);
    // the fields shown: those that differ first, then the rest the versions hold (stamps and ids left out)
    const all = [...new Set([...Object.keys(conflict.a.state ?? {}), ...Object.keys(conflict.b.state ?? {})])].filter(
      (f) => f !== 'id' && !/^(created|updated)_(at|by)$/.test(f),
    );
    const fields = [...conflict.fields, ...all.filter((f) => !differing.has(f))];
    const choice = new Map<string, { side: Side | 'typed'; input: HTMLInputElement }>();
    const head = (side: Side) => {
      const s = conflict[side];
      const held = conflict.ours === side ? ' · held here' : '';
      return h(
        'th',
        { scope: 'col', class: 'conflict-side' },
        h('span', { class: 'conflict-side-name' }, `Version ${side.toUpperCase()}${held}`),
        h('span', { class: 'muted conflict-side-who' }, `${s.by ?? 'unknown'}${s.at ? `, ${formatTime(s.at)}` : ''}`),
      );
    };
    const rows = fields.map((field) => {
      const a = conflict.a.state?.[field] ?? null;
      const b = conflict.b.state?.[field] ?? null;
      const differs = differing.has(field);
      const cells: HTMLElement[] = [h('th', { scope: 'row' }, fieldLabel(conflict.entity, field))];
      for (const [side, value] of [
        ['a', a],
        ['b', b],
      ] as const) {
        cells.push(h('td', { class: differs ? 'conflict-differs' : null, 'data-side': side }, text(field, value) || h('span', { class: 'muted' }, '(empty)')));
      }
      if (differs) {
        // combining: per field, A's value, B's, or one typed
        const held: Side = conflict.ours ?? 'a';
        const input = h('input', { type: 'text', 'aria-label': `Combined ${fieldLabel(conflict.entity, field)}`, value: text(field, held === 'a' ? a : b) });
        const pick = h(
          'select',
          { 'aria-label': `${fieldLabel(conflict.entity, field)} from` },
          h('option', { value: 'a' }, 'A'),
          h('option', { value: 'b' }, 'B'),
          h('option', { value: 'typed' }, 'Typed'),
        );
        pick.value = held;
        choice.set(field, { side: held, input });
        pick.addEventListener('change', () => {
          const side = pick.value as Side | 'typed';
          choice.set(field, { side, input });
          if (side !== 'typed') input.value = text(field, side === 'a' ? a : b);
        });
        input.addEventListener('input', () => {
          pick.value = 'typed';
          choice.set(field, { side: 'typed', input });
        });
        cells.push(h('td', { class: 'conflict-combine' }, pick, input));
      } else cells.push(h('td', {}));
      return h('tr', { class: differs ? 'differs' : null, 'data-field': field }, ...cells);
    });
    const combined = (): Record<string, string | number | null> => {
      const out: Record<string, string | number | null> = {};
      for (const [field, { side, input }] of choice) {
        if (side !== 'typed') {
          out[field] = (conflict[side].state?.[field] ?? null) as string | number | null;
          continue;
        }
        const typed = input.value.trim();
        const like = conflict.a.state?.[field] ?? conflict.b.state?.[field];
        // a number stays a number (the store's check refuses text where a count belongs, with its reason)
        out[field] =
          typed === '' ? null : typeof like === 'number' && Number.isFinite(Number(typed.replace(/[,\s]/g, ''))) ? Number(typed.replace(/[,\s]/g, '')) : typed;
      }
      return out;
    };
    const title = conflictTitle(catalog, conflict);
    const button = (label: string, pick: 'a' | 'b' | 'combined') => {
      const element = h('button', { type: 'button', class: pick === 'combined' ? null : 'primary', 'data-pick': pick }, label);
      element.addEventListener('click', () => void this.settle(conflict, title, pick, pick === 'combined' ? combined() : undefined));
      return element;
    };
    return h(
      'article',
      { class: 'conflict', 'data-conflict': conflict.id, 'data-entity': conflict.entity, 'data-entity-id': conflict.entity_id },
      h('h3', { class: 'conflict-title' }, title),
      h('p', { class: 'muted' }, `Differs in: ${conflict.fields.map((f) => fieldLabel(conflict.entity, f)).join(', ') || 'nothing but its stamps'}.`),
      h(
        'div',
        { class: 'conflict-table-wrap' },
        h(
          'table',
          { class: 'conflict-table' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'), head('a'), head('b'), h('th', { scope: 'col' }, 'Combined'))),
          h('tbody', {}, ...rows),
        ),
      ),
      h('div', { class: 'conflict-actions' }, button('Keep A', 'a'), button('Keep B', 'b'), button('Combine…', 'combined')),
    );
  }

  private async settle(conflict: ConflictView, title: string, pick: 'a' | 'b' | 'combined', fields?: Record<string, string | number | null>): Promise<void> {
    const what = pick === 'combined' ? 'the combined version' : `version ${pick.toUpperCase()}`;
    const why = await askReason(`Keep ${what}`, `Why is ${what} right? (${title})`, 'Keep it');
    if (!why) return;
    try {
      const result = await this.deps.api.resolveConflict({ id: conflict.id, pick, ...(fields ? { fields } : {}), why });
      this.deps.undo.record(result.txn, `settling a conflict (${title})`);
      showStatus(`Conflict settled: ${what} kept. Ctrl+Z opens it again.`, 'success');
      await this.deps.changed(conflict);
    } catch (error) {
      showError(error, 'Not settled');
    }
  }
}
