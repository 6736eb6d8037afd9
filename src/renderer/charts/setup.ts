// chart.js, set up once: only the parts we draw with, the date adapter for time axes, our colours, a plugin that
// paints the background so an exported PNG is not transparent, and one that draws a bar's range as an error bar.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  type Plugin,
  PointElement,
  TimeScale,
  Tooltip,
} from 'chart.js';
import 'chartjs-adapter-date-fns';

const background: Plugin = {
  id: 'background',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = cssVar('--surface', '#ffffff');
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** A bar dataset's low–high ranges, one per bar (null: none), drawn as error bars over the bars. */
export interface ErrorBars {
  errorBars?: Array<[number, number] | null>;
}

/** A figure with both a value and a range: the bar shows the value, a whisker with caps shows the range. chart.js 4
 * has no error bars of its own; this is the whole of what we need from the chartjs-chart-error-bars plugin. */
const errorBars: Plugin = {
  id: 'errorBars',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    chart.data.datasets.forEach((dataset, index) => {
      const ranges = (dataset as ErrorBars).errorBars;
      const meta = chart.getDatasetMeta(index);
      if (!ranges || meta.hidden || meta.type !== 'bar') return;
      const y = chart.scales[meta.yAxisID ?? 'y']!;
      ctx.save();
      ctx.strokeStyle = cssVar('--text', '#222');
      // 2 px on whole pixels: crisp at any bar position, never a blur of two half-covered columns
      ctx.lineWidth = 2;
      meta.data.forEach((bar, i) => {
        const range = ranges[i];
        if (!range) return;
        const props = bar.getProps(['x', 'width'], true) as { x: number; width: number };
        const x = Math.round(props.x);
        const [top, bottom] = [Math.round(y.getPixelForValue(range[1])), Math.round(y.getPixelForValue(range[0]))];
        const cap = Math.round(Math.min(10, props.width / 3));
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, bottom);
        ctx.moveTo(x - cap, top);
        ctx.lineTo(x + cap, top);
        ctx.moveTo(x - cap, bottom);
        ctx.lineTo(x + cap, bottom);
        ctx.stroke();
      });
      ctx.restore();
    });
  },
};

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  TimeScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
  Filler,
  background,
  errorBars,
);

/** Colour-blind-safe, distinct in light and dark (Tableau 10). */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function colour(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Text and grid-line colours of the current theme. */
export function themeDefaults(): void {
  Chart.defaults.color = cssVar('--text-muted', '#555');
  Chart.defaults.borderColor = cssVar('--border', '#ddd');
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  // Charts appear at once: no animation to wait for, nothing moving under the reader (or a screenshot).
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
}

const charts = new Set<Chart>();

let followingScheme = false;

export function makeChart(canvas: HTMLCanvasElement, config: ChartConfiguration): Chart {
  if (!followingScheme) {
    followColorScheme();
    followingScheme = true;
  }
  themeDefaults();
  const chart = new Chart(canvas, config);
  charts.add(chart);
  return chart;
}

export function destroyChart(chart: Chart | null): void {
  if (!chart) return;
  charts.delete(chart);
  chart.destroy();
}

/** Redraws every chart in the new theme's colours when the system switches light/dark. */
function followColorScheme(): void {
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    themeDefaults();
    for (const chart of charts) {
      for (const scale of Object.values(chart.options.scales ?? {})) {
        if (scale?.ticks) scale.ticks.color = Chart.defaults.color as string;
        if (scale?.grid) scale.grid.color = Chart.defaults.borderColor as string;
      }
      chart.update();
    }
  });
}

/** A date of a claim (2024, 2024-05, 2024-05-19) as a time-axis point: its first day, UTC. */
export function dateValue(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y!, (m ?? 1) - 1, d ?? 1);
}
