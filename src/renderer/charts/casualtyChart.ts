// Civilians and combatants killed, by source: each source's latest figure as of the compare date, side by side. A
// range alone is drawn as a floating bar from its low to its high; a value with a range, as a bar with an error bar.
import type { ChartConfiguration } from 'chart.js';
import type { CompareResult, CompareRow } from '../../shared/api';
import { formatNumber, formatQuantity } from '../ui/format';
import { colour, type ErrorBars } from './setup';

type Bar = number | [number, number] | null;

/** The range drawn over a bar that shows a value. */
function errorBar(row: CompareRow | null): [number, number] | null {
  return row && row.value !== null && row.low !== null && row.high !== null ? [row.low, row.high] : null;
}

function bar(row: CompareRow | null): Bar {
  if (!row) return null;
  if (row.value !== null) return row.value;
  return row.low !== null && row.high !== null ? [row.low, row.high] : null;
}

export function casualtyChart(result: CompareResult): ChartConfiguration | null {
  const rows = result.ratios.filter((r) => r.civilian || r.combatant);
  if (rows.length === 0) return null;
  const sets = [
    { label: 'Civilians killed', pick: (r: (typeof rows)[number]) => r.civilian, color: colour(0) },
    { label: 'Combatants killed', pick: (r: (typeof rows)[number]) => r.combatant, color: colour(1) },
  ];
  const highs = rows.flatMap((r) => sets.map((set) => errorBar(set.pick(r))?.[1] ?? 0));
  return {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.source),
      datasets: sets.map((set) => ({
        label: set.label,
        data: rows.map((r) => bar(set.pick(r))) as never,
        errorBars: rows.map((r) => errorBar(set.pick(r))),
        backgroundColor: set.color,
        borderColor: set.color,
        borderWidth: 1,
        maxBarThickness: 56,
      })) satisfies ErrorBars[],
    },
    options: {
      scales: {
        // the axis reaches the top of every error bar, which the bars' own values may not
        y: { beginAtZero: true, suggestedMax: Math.max(0, ...highs), ticks: { callback: (v) => formatNumber(Number(v)) } },
        x: { grid: { display: false } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: {
          callbacks: {
            label: (item) => {
              const row = sets[item.datasetIndex]!.pick(rows[item.dataIndex]!);
              return row ? `${sets[item.datasetIndex]!.label}: ${formatQuantity(row)} (as of ${row.date})` : '';
            },
          },
        },
      },
    },
  };
}
