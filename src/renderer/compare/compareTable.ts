// The comparison as tables: one row per source (its latest figure as of the date, its age and interval, the citation
// behind it), the figures older than the window apart, the spread across current claims read as intervals, and the
// civilian : combatant ratio each source's own figures imply.
import type { ComparedRow, CompareResult } from '../../shared/api';
import { describeInterval } from '../../shared/quantity';
import { emptyState, h } from '../ui/dom';
import { formatNumber, formatQuantity, formatRatio } from '../ui/format';

export function spreadCards(result: CompareResult): HTMLElement {
  const s = result.spread;
  const { claimants, relays } = result.independent;
  const card = (label: string, value: string, title: string, key: string, note?: string) =>
    h(
      'div',
      { class: 'stat', title, 'data-stat': key },
      h('span', { class: 'stat-label' }, label),
      h('span', { class: 'stat-value' }, value),
      note ? h('span', { class: 'stat-note' }, note) : null,
    );
  return h(
    'div',
    { class: 'stats' },
    card(
      'Claimants',
      formatNumber(claimants),
      'Independent claimants of current figures: a claim relayed by several outlets counts once, for the source that made it',
      'sources',
      `independent (${plural(relays, 'relay')})`,
    ),
    card('Lowest', s.min === null ? '—' : formatNumber(s.min), 'The lowest number a current claim allows', 'min'),
    card(
      'Highest',
      s.max === null ? '—' : formatNumber(s.max),
      'The highest number a current claim states; an "at least" claim reaches above it',
      'max',
      s.open_above ? 'a claim has no upper bound' : undefined,
    ),
    card(
      'Spread',
      s.spread === null ? '—' : `${formatNumber(s.spread)}${s.ratio ? ` (×${s.ratio.toFixed(2)})` : ''}`,
      'How far apart the claims are at the least: the highest lower bound minus the lowest upper bound (for plain numbers, highest minus lowest)',
      'spread',
      s.sources < 2 ? undefined : s.contested ? 'contested: they cannot all be true' : 'the claims overlap',
    ),
  );
}

/** "N independent claimants (M relays) · K older than the window, not in the spread": what the numbers count. */
export function compareSummary(result: CompareResult): HTMLElement {
  const { claimants, relays } = result.independent;
  const parts = [`${plural(claimants, 'independent claimant')} (${plural(relays, 'relay')})`];
  if (result.stale) parts.push(`${plural(result.stale, 'figure')} older than ${plural(result.window_days, 'day')} shown apart, left out of the spread`);
  if (result.spread.contested) parts.push('contested: some claims cannot both be true');
  return h('p', { class: 'compare-summary', 'data-claimants': claimants, 'data-relays': relays, 'data-stale': result.stale }, parts.join(' · '));
}

export function compareTable(result: CompareResult): HTMLElement {
  if (result.rows.length === 0) {
    return h(
      'div',
      { class: 'card' },
      emptyState(
        'No figures to compare',
        `No source has a ${result.metric.code} figure${result.location ? ` for ${result.location}` : ''} on or before ${result.as_of}. Try a later date, another metric or all locations — or enter figures in the Figures view.`,
      ),
    );
  }
  const current = result.rows.filter((r) => !r.stale);
  const stale = result.rows.filter((r) => r.stale);
  return h(
    'div',
    { class: 'compare-tables' },
    h(
      'div',
      { class: 'card' },
      current.length
        ? claimTable(result, current, 'compare')
        : emptyState('No current figures', `No source has a figure within ${plural(result.window_days, 'day')} of ${result.as_of}; the older ones are below.`),
    ),
    stale.length
      ? h(
          'section',
          { class: 'stale-claims', 'aria-label': 'Older figures' },
          h('h3', { class: 'section-title' }, `Older than ${plural(result.window_days, 'day')} before ${result.as_of} — shown apart, not in the spread`),
          h('div', { class: 'card' }, claimTable(result, stale, 'compare-stale')),
        )
      : null,
  );
}

function claimTable(result: CompareResult, rows: ComparedRow[], name: string): HTMLElement {
  const ratios = new Map(result.ratios.map((r) => [r.source_id, r]));
  return h(
    'table',
    { class: 'data-table compare-table', 'data-table': name },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Source', 'Figure', 'Interval', 'As of', 'Civ : comb', 'Relayed via', 'Citation', 'Excerpt'].map((t) =>
          h('th', { class: ['Figure', 'Interval', 'Civ : comb'].includes(t) ? 'num' : '' }, t),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...rows.map((r) => {
        const ratio = ratios.get(r.source_id)?.ratio ?? null;
        return h(
          'tr',
          { 'data-source': r.source, 'data-figure-id': r.figure_id, 'data-stale': r.stale, 'data-contested': r.contested, class: r.stale ? 'stale' : '' },
          h(
            'td',
            { class: 'source-cell' },
            h('strong', {}, r.source),
            r.contested
              ? h('span', { class: 'badge warn', title: 'Its interval overlaps none of another current claim’s: they cannot both be true' }, 'contested')
              : null,
            h('div', { class: 'muted small' }, r.source_kind.replace(/_/g, ' ')),
          ),
          // The numbers themselves ride along as data: what the CSV export and a test compare against.
          h(
            'td',
            { class: 'num quantity', 'data-value': r.value ?? '', 'data-low': r.low ?? '', 'data-high': r.high ?? '', 'data-qualifier': r.qualifier },
            formatQuantity(r),
            r.vague_words ? h('div', { class: 'muted small', 'data-vague-words': r.vague_words }, `“${r.vague_words}”`) : null,
          ),
          h(
            'td',
            { class: 'num interval', 'data-interval-low': r.interval.low, 'data-interval-high': r.interval.high ?? '' },
            describeInterval(r.interval, formatNumber),
          ),
          h(
            'td',
            { class: 'date-cell', 'data-date': r.date, 'data-age': r.age_days },
            r.date,
            h('div', { class: r.stale ? 'age stale-age' : 'age muted small' }, r.age_days === 0 ? 'that day' : `${plural(r.age_days, 'day')} before`),
          ),
          h('td', { class: 'num', 'data-ratio': ratio === null ? '' : ratio.toFixed(3) }, formatRatio(ratio)),
          h('td', { 'data-relays': r.relays.length }, r.relayed_via ?? '', relaysNote(r)),
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

/** The same claim through other citations: named under the relay, and counted once. */
function relaysNote(r: ComparedRow): HTMLElement | null {
  if (r.relays.length === 0) return null;
  const names = r.relays.map((copy) => (copy.relayed_via ? `via ${copy.relayed_via}` : `${r.source} directly`));
  return h('div', { class: 'muted small relays-note' }, `also ${names.join(', ')} — one claim, counted once`);
}

const plural = (n: number, word: string) => `${formatNumber(n)} ${word}${n === 1 ? '' : 's'}`;

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
