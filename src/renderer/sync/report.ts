// What a merge or a sync brought, in the dialogs' words: the conflicts (with the way to the Conflicts view), the
// entities taken as this workbook's, and the pairs that may be one thing, each merged only when the analyst says so.
import type { AliasView, DuplicateCandidate, WorkbenchApi } from '../../shared/api';
import type { Catalog } from '../app/catalog';
import type { UndoHistory } from '../app/undo';
import { askReason } from '../ui/dialog';
import { h } from '../ui/dom';
import { formatNumber, words } from '../ui/format';
import { showError, showStatus } from '../ui/status';

export interface ReportContext {
  api: WorkbenchApi;
  catalog: Catalog;
  undo: UndoHistory;
  /** closes the dialog and shows the Conflicts view */
  openConflicts(): void;
  /** after an entity merge: the views read again */
  changed(): Promise<void>;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${formatNumber(n)} ${n === 1 ? one : many}`;

/** "2 conflicts: both versions kept" with its button, or a line saying there were none. */
export function conflictsLine(ctx: ReportContext, count: number): HTMLElement {
  if (count === 0) return h('p', { class: 'report-conflicts', 'data-count': 0 }, 'No conflicts.');
  const open = h('button', { type: 'button', class: 'primary small' }, 'Open Conflicts');
  open.addEventListener('click', () => ctx.openConflicts());
  return h(
    'p',
    { class: 'report-conflicts has-conflicts', 'data-count': count },
    h('strong', {}, plural(count, 'conflict')),
    ': the same thing changed in both; this workbook keeps its version until you pick. ',
    open,
  );
}

export function aliasesList(ctx: ReportContext, aliases: AliasView[]): HTMLElement | null {
  if (aliases.length === 0) return null;
  const name = (a: AliasView) => {
    const held =
      a.entity === 'metric'
        ? ctx.catalog.metric(a.target_id)?.label
        : a.entity === 'source'
          ? ctx.catalog.source(a.target_id)?.name
          : a.entity === 'location'
            ? ctx.catalog.location(a.target_id)?.name
            : undefined;
    return `${words(a.entity)} ${held ?? a.target_id} (${a.matched})`;
  };
  return h(
    'details',
    { class: 'report-aliases' },
    h('summary', {}, `${plural(aliases.length, 'entity', 'entities')} of the other workbook taken as this one's, by a key they share`),
    h('ul', {}, ...aliases.map((a) => h('li', {}, name(a)))),
  );
}

/** The pairs that may be the same thing, each with "Merge these" (asks which to keep and why; a logged change). */
export function duplicatesList(ctx: ReportContext, duplicates: DuplicateCandidate[]): HTMLElement | null {
  if (duplicates.length === 0) return null;
  return h(
    'div',
    { class: 'report-duplicates' },
    h('p', {}, h('strong', {}, plural(duplicates.length, 'possible duplicate')), ': the same thing under two ids? Nothing is merged unless you say so.'),
    h('ul', { class: 'duplicate-list' }, ...duplicates.map((d) => duplicateItem(ctx, d))),
  );
}

function duplicateItem(ctx: ReportContext, candidate: DuplicateCandidate): HTMLElement {
  const merge = h('button', { type: 'button', class: 'small' }, 'Merge these…');
  const item = h(
    'li',
    { class: 'duplicate', 'data-entity': candidate.entity, 'data-ids': candidate.ids.join(' ') },
    h('span', { class: 'duplicate-names' }, `${words(candidate.entity)}: “${candidate.names[0]}” and “${candidate.names[1]}”`),
    h('span', { class: 'muted duplicate-reason' }, candidate.reason),
    merge,
  );
  merge.addEventListener('click', async () => {
    const why = await askReason(
      `Merge ${words(candidate.entity).toLowerCase()}s`,
      `Why are “${candidate.names[0]}” and “${candidate.names[1]}” one ${words(candidate.entity).toLowerCase()}? “${candidate.names[0]}” is kept; the other's figures move to it.`,
      'Merge',
    );
    if (!why) return;
    const input = { keep_id: candidate.ids[0], merge_ids: [candidate.ids[1]], why };
    try {
      const result =
        candidate.entity === 'source'
          ? await ctx.api.mergeSources(input)
          : candidate.entity === 'citation'
            ? await ctx.api.mergeCitations(input)
            : candidate.entity === 'metric'
              ? await ctx.api.mergeMetrics(input)
              : await ctx.api.mergeLocations(input);
      ctx.undo.record(result.txn, `merging ${candidate.names[1]} into ${candidate.names[0]}`);
      merge.disabled = true;
      merge.textContent = 'Merged';
      item.classList.add('merged');
      showStatus(`Merged “${candidate.names[1]}” into “${candidate.names[0]}”. Ctrl+Z undoes it.`, 'success');
      await ctx.changed();
    } catch (error) {
      showError(error, 'Not merged');
    }
  });
  return item;
}
