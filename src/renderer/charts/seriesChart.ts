// Each source's figures for one metric over time: a line through the stated values (a range's midpoint when only
// a range is given), and each range drawn as a band from low to high (a floating bar) in the source's colour.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { SeriesResult } from '../../shared/api';
import { formatNumber, formatQuantity } from '../ui/format';
import { colour, dateValue, withAlpha } from './setup';

export function seriesChart(result: SeriesResult): ChartConfiguration | null {
  const series = result.series.filter((s) => s.points.length > 0);
  if (series.length === 0) return null;
  const datasets: ChartDataset[] = [];
  series.forEach((s, index) => {
    const color = colour(index);
    const many = s.points.length > 60;
    datasets.push({
      type: 'line',
      label: s.source,
      data: s.points.map((p) => ({ x: dateValue(p.date), y: p.value ?? ((p.low ?? 0) + (p.high ?? 0)) / 2 })),
      borderColor: color,
      backgroundColor: color,
      borderWidth: 2,
      pointRadius: many ? 0 : 3,
      pointHoverRadius: 4,
      tension: 0,
    } as ChartDataset);
    const ranges = s.points.filter((p) => p.low !== null && p.high !== null);
    if (ranges.length > 0) {
      datasets.push({
        type: 'bar',
        label: `${s.source} (range)`,
        data: ranges.map((p) => ({ x: dateValue(p.date), y: [p.low!, p.high!] })),
        backgroundColor: withAlpha(color, 0.3),
        borderColor: color,
        borderWidth: 1,
        barThickness: 10,
      } as unknown as ChartDataset);
    }
  });
  return {
    type: 'line',
    data: { datasets },
    options: {
      parsing: undefined,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: { type: 'time', time: { tooltipFormat: 'yyyy-MM-dd', minUnit: 'day' }, grid: { display: false } },
        y: { beginAtZero: true, ticks: { callback: (v) => formatNumber(Number(v)) } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: {
          callbacks: {
            label: (item) => {
              const raw = item.raw as { y: number | [number, number] };
              if (Array.isArray(raw.y)) return `${item.dataset.label}: ${formatNumber(raw.y[0])}–${formatNumber(raw.y[1])}`;
              const s = series.find((x) => x.source === item.dataset.label);
              const point = s?.points[item.dataIndex];
              return point ? `${item.dataset.label}: ${formatQuantity(point)}` : `${item.dataset.label}: ${formatNumber(raw.y)}`;
            },
          },
        },
      },
    },
  };
}
