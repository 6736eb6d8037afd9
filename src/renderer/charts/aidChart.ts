// Aid volumes by crossing over time: one source's aid_trucks figures, stacked by location per date. One source at a
// time, because two sources counting the same crossing's trucks would otherwise be added together.
import type { ChartConfiguration } from 'chart.js';
import type { SeriesResult } from '../../shared/api';
import { formatNumber } from '../ui/format';
import { colour } from './setup';

/** The sources that have aid figures, the one with the most first. */
export function aidSources(result: SeriesResult): Array<{ id: string; name: string; points: number }> {
  return result.series
    .map((s) => ({ id: s.source_id, name: s.source, points: s.points.length }))
    .filter((s) => s.points > 0)
    .sort((a, b) => b.points - a.points);
}

export function aidChart(result: SeriesResult, sourceId: string): ChartConfiguration | null {
  const series = result.series.find((s) => s.source_id === sourceId);
  if (!series || series.points.length === 0) return null;
  const dates = [...new Set(series.points.map((p) => p.date))].sort();
  const locations = [...new Set(series.points.map((p) => p.location ?? 'No location'))].sort();
  const totals = new Map<string, number>();
  for (const p of series.points) {
    const key = `${p.location ?? 'No location'}|${p.date}`;
    totals.set(key, (totals.get(key) ?? 0) + (p.value ?? ((p.low ?? 0) + (p.high ?? 0)) / 2));
  }
  return {
    type: 'bar',
    data: {
      labels: dates,
      datasets: locations.map((location, index) => ({
        label: location,
        data: dates.map((d) => totals.get(`${location}|${d}`) ?? 0),
        backgroundColor: colour(index + 3),
        maxBarThickness: 40,
      })),
    },
    options: {
      scales: {
        x: { stacked: true, grid: { display: false } },
        y: { stacked: true, beginAtZero: true, ticks: { callback: (v) => formatNumber(Number(v)) } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatNumber(Number(item.raw))} ${result.metric.unit}` } },
      },
    },
  };
}
