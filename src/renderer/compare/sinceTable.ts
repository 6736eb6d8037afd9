// A compare as recorded on a past moment, beside now: one row per source, what it claimed then, what it claims now,
// and what happened since (revised, retracted, a later claim, added). The compare tables below it are then's.
import type { CompareChange, CompareRow, RecordedCompare } from '../../shared/api';
import { h } from '../ui/dom';
import { formatNumber, formatQuantity } from '../ui/format';

const SINCE: Record<CompareChange, string> = {
  unchanged: 'unchanged',
  revised: 'revised since',
  retracted: 'retracted since',
  superseded: 'a later claim since',
  added: 'added since',
};

export function sinceSection(recorded: RecordedCompare): HTMLElement[] {
  const changed = recorded.since.filter((s) => s.change !== 'unchanged').length;
  const claim = (row: CompareRow | null) =>
    row ? h('span', {}, formatQuantity(row), h('span', { class: 'muted small' }, ` (${row.date})`)) : h('span', { class: 'muted' }, '—');
  const now = recorded.now_spread;
  return [
    h(
      'h3',
      { class: 'section-title' },
      `Then beside now: ${changed} of ${recorded.since.length} source${recorded.since.length === 1 ? '' : 's'} changed since`,
    ),
    h(
      'div',
      { class: 'card' },
      h(
        'table',
        { class: 'data-table since-table', 'data-table': 'since' },
        h('thead', {}, h('tr', {}, ...['Source', 'Then', 'Now', 'Since'].map((t) => h('th', {}, t)))),
        h(
          'tbody',
          {},
          ...recorded.since.map((s) =>
            h(
              'tr',
              { 'data-source': s.source, 'data-change': s.change },
              h('td', {}, h('strong', {}, s.source)),
              h('td', { class: 'num' }, claim(s.recorded)),
              h('td', { class: 'num' }, claim(s.now)),
              h(
                'td',
                {},
                h('span', { class: `badge since-${s.change}` }, SINCE[s.change]),
                s.fields.length ? h('span', { class: 'muted small' }, ` ${s.fields.join(', ').replace(/_/g, ' ')}`) : null,
              ),
            ),
          ),
        ),
      ),
      h(
        'p',
        { class: 'muted small' },
        now.sources
          ? `Now: ${formatNumber(now.sources)} source${now.sources === 1 ? '' : 's'}, ${formatNumber(now.min)} to ${formatNumber(now.max)}. The tables below are as recorded then.`
          : 'Now: no source has a figure here. The tables below are as recorded then.',
      ),
    ),
  ];
}
