// Civilians and combatants killed, by source: each source's latest figure as of the compare date, side by side. A
// range is drawn as a floating bar from its low to its high.
import type { ChartConfiguration } from 'chart.js';
import type { CompareResult, CompareRow } from '../../shared/api';
import { formatNumber, formatQuantity } from '../ui/format';
import { colour } from './setup';

type Bar = number | [number, number] | null;

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
  return {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.source),
      datasets: sets.map((set) => ({
        label: set.label,
        data: rows.map((r) => bar(set.pick(r))) as never,
        backgroundColor: set.color,
        borderColor: set.color,
        borderWidth: 1,
        maxBarThickness: 56,
      })),
    },
    options: {
      scales: {
        y: { beginAtZero: true, ticks: { callback: (v) => formatNumber(Number(v)) } },
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
