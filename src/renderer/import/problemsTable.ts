// An import's problems as a table: row, column, value, reason — what to fix in the file.
import type { Problem } from '../../shared/errors';
import { h } from '../ui/dom';

export function problemsTable(problems: Problem[], more: number): HTMLElement {
  return h(
    'div',
    { class: 'problems' },
    h(
      'table',
      { class: 'data-table problems-table', 'data-table': 'problems' },
      h('thead', {}, h('tr', {}, h('th', { class: 'num' }, 'Row'), h('th', {}, 'Column'), h('th', {}, 'Value'), h('th', {}, 'Reason'))),
      h(
        'tbody',
        {},
        ...problems.map((p) =>
          h(
            'tr',
            {},
            h('td', { class: 'num' }, p.row ?? ''),
            h('td', {}, p.column ?? p.field ?? ''),
            h('td', { class: 'value-cell', title: p.value ?? '' }, p.value ?? ''),
            h('td', {}, p.reason),
          ),
        ),
      ),
    ),
    more > 0 ? h('p', { class: 'muted' }, `… and ${more} more problems not listed.`) : null,
  );
}
