// Aid for a period, by claimant and by crossing: one bar per figure, never stacked or summed, because two claimants
// counting the same crossing's trucks, or a week's count beside a day's, are competing claims and not parts of a
// total. Bars are coloured by the length of the period they count, and a projection is hatched, so that neither a
// 7-day count nor an expectation passes for a day's reported count.
import type { ChartConfiguration } from 'chart.js';
import type { PeriodComparison, PeriodGroup, PeriodRow } from '../../shared/api';
import { describePeriod } from '../../shared/claimDate';
import { formatNumber, formatQuantity } from '../ui/format';
import { colour, withAlpha } from './setup';

type Bar = number | [number, number] | null;

interface Entry {
  group: PeriodGroup;
  row: PeriodRow;
}

/** The length of the period a bar counts: its colour. */
function spanOf(group: PeriodGroup): string {
  return group.as_of ? 'As of a date, no period' : group.days === null ? 'Other period' : `${group.days}-day count`;
}

/** Its legend entry: the span, and whether it is a projection (hatched in the span's colour). */
function kindOf({ group, row }: Entry): string {
  return row.method === 'projection' ? `Projection (${spanOf(group).replace(/ count$/, '')})` : spanOf(group);
}

function bar(row: PeriodRow): Bar {
  if (row.value !== null) return row.value;
  return row.low !== null && row.high !== null ? [row.low, row.high] : null;
}

/** Diagonal stripes in the colour: the mark of a projection, also in a PNG and for a reader who cannot tell hues. */
function hatch(hex: string): CanvasPattern | string {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 8;
  const ctx = tile.getContext('2d');
  if (!ctx) return withAlpha(hex, 0.4);
  ctx.fillStyle = withAlpha(hex, 0.25);
  ctx.fillRect(0, 0, 8, 8);
  ctx.strokeStyle = hex;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(-2, 10);
  ctx.lineTo(10, -2);
  ctx.moveTo(6, 10);
  ctx.lineTo(10, 6);
  ctx.stroke();
  return ctx.createPattern(tile, 'repeat') ?? withAlpha(hex, 0.4);
}

/** The chart's height for its bars: each bar and its two-line label need room. */
export function aidChartHeight(result: PeriodComparison): number {
  return Math.max(300, 90 + 42 * result.figures);
}

export function aidChart(result: PeriodComparison): ChartConfiguration | null {
  const entries: Entry[] = result.groups.flatMap((group) => group.rows.map((row) => ({ group, row })));
  if (entries.length === 0) return null;
  const kinds = [...new Set(entries.map(kindOf))];
  // the same span keeps its colour from one period to the next: shortest first, as-of counts last
  const order = (g: PeriodGroup) => (g.as_of ? Number.MAX_SAFE_INTEGER : (g.days ?? Number.MAX_SAFE_INTEGER - 1));
  const spans = [...new Set([...entries].sort((a, b) => order(a.group) - order(b.group)).map((e) => spanOf(e.group)))];
  const hue = new Map<string, string>();
  for (const e of entries) hue.set(kindOf(e), colour(spans.indexOf(spanOf(e.group)) + 3));
  return {
    type: 'bar',
    data: {
      labels: entries.map(({ group, row }) => [row.source, `${result.location ? '' : `${group.location ?? 'No location'} · `}${describePeriod(group)}`]),
      datasets: kinds.map((kind) => ({
        label: kind,
        data: entries.map((e) => (kindOf(e) === kind ? bar(e.row) : null)) as never,
        backgroundColor: kind.startsWith('Projection') ? hatch(hue.get(kind)!) : hue.get(kind)!,
        borderColor: hue.get(kind)!,
        borderWidth: 1,
        skipNull: true,
        maxBarThickness: 28,
      })),
    },
    options: {
      indexAxis: 'y',
      scales: {
        x: {
          beginAtZero: true,
          ticks: { callback: (v) => formatNumber(Number(v)) },
          title: { display: true, text: `${result.metric.unit}, each in the period its figure counts` },
        },
        // every bar keeps its label: a reader must see whose claim and which period each one is
        y: { grid: { display: false }, ticks: { autoSkip: false } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: {
          callbacks: {
            label: (item) => {
              const { group, row } = entries[item.dataIndex]!;
              const via = row.relayed_via ? `, via ${row.relayed_via}` : '';
              return `${formatQuantity(row)} ${result.metric.unit} (${describePeriod(group)}${row.method === 'projection' ? ', projection' : ''}${via})`;
            },
          },
        },
      },
    },
  };
}
