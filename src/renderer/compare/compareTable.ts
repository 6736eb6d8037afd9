// The comparison as tables: one row per source (its latest figure as of the date, with the citation behind it),
// the spread across sources, and the civilian : combatant ratio each source's own figures imply.
import type { CompareResult } from '../../shared/api';
import { emptyState, h } from '../ui/dom';
import { formatNumber, formatQuantity, formatRatio, QUALIFIER_LABELS } from '../ui/format';

export function spreadCards(result: CompareResult): HTMLElement {
  const s = result.spread;
  const card = (label: string, value: string, title: string, key: string) =>
    h('div', { class: 'stat', title, 'data-stat': key }, h('span', { class: 'stat-label' }, label), h('span', { class: 'stat-value' }, value));
  return h(
    'div',
    { class: 'stats' },
    card('Sources', formatNumber(s.sources), 'Sources with a figure on or before the date', 'sources'),
    card('Lowest', s.min === null ? '—' : formatNumber(s.min), 'The lowest value (or low end of a range) across sources', 'min'),
    card('Highest', s.max === null ? '—' : formatNumber(s.max), 'The highest value (or high end of a range) across sources', 'max'),
    card(
      'Spread',
      s.spread === null ? '—' : `${formatNumber(s.spread)}${s.ratio ? ` (×${s.ratio.toFixed(2)})` : ''}`,
      'Highest minus lowest, and highest ÷ lowest',
      'spread',
    ),
  );
}

export function compareTable(result: CompareResult): HTMLElement {
  if (result.rows.length === 0) {
    return emptyState(
      'No figures to compare',
      `No source has a ${result.metric.code} figure${result.location ? ` for ${result.location}` : ''} on or before ${result.as_of}. Try a later date, another metric or all locations — or enter figures in the Figures view.`,
    );
  }
  const ratios = new Map(result.ratios.map((r) => [r.source_id, r]));
  return h(
    'table',
    { class: 'data-table compare-table', 'data-table': 'compare' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Source', 'Figure', 'Qualifier', 'As of', 'Civ : comb', 'Relayed via', 'Citation', 'Excerpt'].map((t) =>
          h('th', { class: ['Figure', 'Civ : comb'].includes(t) ? 'num' : '' }, t),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...result.rows.map((r) => {
        const ratio = ratios.get(r.source_id)?.ratio ?? null;
        return h(
          'tr',
          { 'data-source': r.source, 'data-figure-id': r.figure_id },
          h('td', { class: 'source-cell' }, h('strong', {}, r.source), h('div', { class: 'muted small' }, r.source_kind.replace(/_/g, ' '))),
          // The numbers themselves ride along as data: what the CSV export and a test compare against.
          h('td', { class: 'num quantity', 'data-value': r.value ?? '', 'data-low': r.low ?? '', 'data-high': r.high ?? '' }, formatQuantity(r)),
          h('td', { 'data-qualifier': r.qualifier }, QUALIFIER_LABELS[r.qualifier]),
          h('td', { class: 'date-cell', 'data-date': r.date }, r.date),
          h('td', { class: 'num', 'data-ratio': ratio === null ? '' : ratio.toFixed(3) }, formatRatio(ratio)),
          h('td', {}, r.relayed_via ?? ''),
          h(
            'td',
            {},
            r.url ? h('a', { href: r.url, target: '_blank', rel: 'noopener noreferrer' }, r.citation_title ?? r.url) : (r.citation_title ?? ''),
            r.publisher ? h('div', { class: 'muted small' }, r.publisher) : null,
          ),
          h('td', { title: r.excerpt ?? '' }, h('div', { class: 'excerpt-clamp' }, r.excerpt ?? '')),
        );
      }),
    ),
  );
}

export function ratioTable(result: CompareResult): HTMLElement {
  const rows = result.ratios.filter((r) => r.civilian || r.combatant);
  if (rows.length === 0) {
    return emptyState(
      'No civilian : combatant ratio',
      `No source states both civilians and combatants killed${result.location ? ` for ${result.location}` : ''} by ${result.as_of}. Enter killed_civilian and killed_combatant figures from the same source to see its ratio.`,
    );
  }
  return h(
    'table',
    { class: 'data-table ratio-table', 'data-table': 'ratios' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'Source'),
        h('th', { class: 'num' }, 'Civilians killed'),
        h('th', { class: 'num' }, 'Combatants killed'),
        h('th', { class: 'num' }, 'Civilians per combatant'),
      ),
    ),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          { 'data-source': r.source },
          h('td', {}, r.source),
          h('td', { class: 'num' }, r.civilian ? formatQuantity(r.civilian) : '—'),
          h('td', { class: 'num' }, r.combatant ? formatQuantity(r.combatant) : '—'),
          h(
            'td',
            { class: 'num', 'data-ratio': r.ratio === null ? '' : r.ratio.toFixed(3) },
            r.ratio === null ? '—' : `${formatRatio(r.ratio)}${r.ratio_from_ranges ? ' (from range midpoints)' : ''}`,
          ),
        ),
      ),
    ),
  );
}
