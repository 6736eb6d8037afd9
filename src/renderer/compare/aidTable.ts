// The figures of a period as a table: one block per location and period, the competing claims of that block side by
// side, each with how it was arrived at (a projection says so), who relayed it, the citation and its words. No row
// adds up or spreads figures: a week's count and a day's count sit in different blocks, each with its days.
import type { PeriodComparison, PeriodGroup, PeriodRow } from '../../shared/api';
import { describePeriod } from '../../shared/claimDate';
import { emptyState, h } from '../ui/dom';
import { formatNumber, formatQuantity, words } from '../ui/format';

const COLUMNS = ['Source', 'Figure', 'Method', 'Relayed via', 'Citation', 'Excerpt', 'Note'];

export function periodCards(result: PeriodComparison): HTMLElement {
  const rows = result.groups.flatMap((g) => g.rows);
  const card = (label: string, value: number, title: string, key: string) =>
    h('div', { class: 'stat', title, 'data-stat': key }, h('span', { class: 'stat-label' }, label), h('span', { class: 'stat-value' }, formatNumber(value)));
  return h(
    'div',
    { class: 'stats' },
    card('Figures', rows.length, 'Figures whose period (or as-of date) falls in or overlaps the period', 'figures'),
    card('Sources', new Set(rows.map((r) => r.source_id)).size, 'Claimants with a figure for the period', 'sources'),
    card('Periods', result.groups.length, 'Blocks of figures that count the same period at the same location', 'periods'),
    card('Projections', rows.filter((r) => r.method === 'projection').length, 'Figures that expect rather than count', 'projections'),
  );
}

function methodCell(row: PeriodRow): HTMLElement {
  if (!row.method) return h('td', { 'data-method': '' }, h('span', { class: 'muted' }, '—'));
  const projection = row.method === 'projection';
  return h(
    'td',
    { 'data-method': row.method },
    h('span', { class: `badge${projection ? ' warn' : ''}`, title: projection ? 'Expected, not counted' : '' }, words(row.method)),
  );
}

function figureRow(group: PeriodGroup, row: PeriodRow): HTMLElement {
  return h(
    'tr',
    {
      'data-source': row.source,
      'data-figure-id': row.figure_id,
      'data-location': group.location ?? '',
      'data-period-start': group.period_start ?? '',
      'data-period-end': group.period_end ?? '',
      'data-as-of': group.as_of ?? '',
      'data-days': group.days ?? '',
    },
    h('td', { class: 'source-cell' }, h('strong', {}, row.source), h('div', { class: 'muted small' }, words(row.source_kind))),
    h(
      'td',
      { class: 'num quantity', 'data-value': row.value ?? '', 'data-low': row.low ?? '', 'data-high': row.high ?? '', 'data-qualifier': row.qualifier },
      formatQuantity(row),
    ),
    methodCell(row),
    h('td', { 'data-relayed-via': row.relayed_via ?? '' }, row.relayed_via ? `via ${row.relayed_via}` : ''),
    h(
      'td',
      {},
      row.url ? h('a', { href: row.url, target: '_blank', rel: 'noopener noreferrer' }, row.citation_title ?? row.url) : (row.citation_title ?? ''),
      row.publisher ? h('div', { class: 'muted small' }, row.publisher) : null,
    ),
    h('td', { title: row.excerpt ?? '' }, h('div', { class: 'excerpt-clamp' }, row.excerpt ?? '')),
    h('td', { title: row.note ?? '' }, h('div', { class: 'excerpt-clamp' }, row.note ?? '')),
  );
}

export function periodTable(result: PeriodComparison): HTMLElement {
  if (result.figures === 0) {
    return emptyState(
      'No figures for this period',
      `No source has a ${result.metric.code} figure${result.location ? ` for ${result.location}` : ''} from ${result.from} to ${result.to}. Try a longer period, all locations, or another metric.`,
    );
  }
  return h(
    'table',
    { class: 'data-table compare-table period-table', 'data-table': 'period' },
    h('thead', {}, h('tr', {}, ...COLUMNS.map((t) => h('th', { class: t === 'Figure' ? 'num' : '' }, t)))),
    ...result.groups.map((group) =>
      h(
        'tbody',
        { 'data-group': `${group.location ?? ''}|${describePeriod(group)}` },
        h(
          'tr',
          { class: 'period-head' },
          h(
            'th',
            { colspan: COLUMNS.length },
            `${group.location ?? 'No location'} — ${describePeriod(group)}`,
            h('span', { class: 'muted' }, ` · ${group.rows.length} figure${group.rows.length === 1 ? '' : 's'}`),
          ),
        ),
        ...group.rows.map((row) => figureRow(group, row)),
      ),
    ),
  );
}
