// Compare ▸ Aid: every figure of an aid metric for a period — trucks by claimant and by crossing — grouped by the
// period each counts, with the chart beside. A first look chooses a place and a week where claimants compete.
import type { PeriodComparison, SeriesResult, WorkbenchApi } from '../../shared/api';
import { sourceEntries } from '../charts/chartImage';
import { readClaimDate } from '../../shared/cells';
import { addDays, isIsoDate } from '../../shared/claimDate';
import type { Catalog } from '../app/catalog';
import { aidChart, aidChartHeight } from '../charts/aidChart';
import { ChartCard } from '../charts/chartCard';
import { h } from '../ui/dom';
import { today } from '../ui/format';
import { showError } from '../ui/status';
import { periodCards, periodTable } from './aidTable';

export interface PeriodQuery {
  metric: string;
  location?: string;
  from: string;
  to: string;
}

/** Where competing claims are: the crossing (or corridor) most sources speak to, and the week up to its latest figure. */
export function firstLook(series: SeriesResult, places: Set<string>): { location?: string; from: string; to: string } | null {
  const points = series.series.flatMap((s) => s.points.map((p) => ({ ...p, source: s.source_id })));
  if (points.length === 0) return null;
  const byPlace = new Map<string, { sources: Set<string>; latest: string }>();
  for (const p of points) {
    if (!p.location || !places.has(p.location)) continue;
    const entry = byPlace.get(p.location) ?? { sources: new Set(), latest: p.date };
    entry.sources.add(p.source);
    if (p.date > entry.latest) entry.latest = p.date;
    byPlace.set(p.location, entry);
  }
  const best = [...byPlace].sort(([, a], [, b]) => b.sources.size - a.sources.size || b.latest.localeCompare(a.latest))[0];
  const latest =
    best?.[1].latest ??
    points
      .map((p) => p.date)
      .sort()
      .at(-1)!;
  // a week: the span of the weekly counts, and of the daily ones beside them
  const from = isIsoDate(latest) ? addDays(latest, -6) : latest;
  return { location: best?.[0], from, to: latest };
}

export class AidCompare {
  readonly controls: HTMLElement;
  readonly results = h('div', { class: 'compare-results' });
  private readonly metric = h('select', { 'aria-label': 'Aid metric', name: 'aid_metric' });
  private readonly location = h('select', { 'aria-label': 'Aid location', name: 'aid_location' });
  private readonly from = h('input', { type: 'text', class: 'date-input', 'aria-label': 'From', name: 'from', placeholder: 'YYYY-MM-DD' });
  private readonly to = h('input', { type: 'text', class: 'date-input', 'aria-label': 'To', name: 'to', placeholder: 'YYYY-MM-DD' });
  private readonly heading = h('h2', { class: 'compare-title' });
  private readonly body = h('div', {});
  readonly chart = new ChartCard(
    'aid',
    'Aid by claimant and crossing, for the period',
    'One bar per figure, labelled with the period it counts; bars are never stacked or added.',
  );
  private result: PeriodComparison | null = null;
  private started = false;
  private touched = false;
  private sequence = 0;

  constructor(private readonly ctx: { api: WorkbenchApi; catalog: Catalog }) {
    this.to.value = today();
    this.from.value = addDays(this.to.value, -6);
    for (const control of [this.metric, this.location, this.from, this.to]) {
      control.addEventListener('input', () => (this.touched = true));
      control.addEventListener('change', () => {
        this.touched = true;
        void this.run();
      });
    }
    for (const input of [this.from, this.to]) input.addEventListener('keydown', (e) => e.key === 'Enter' && void this.run());
    const field = (label: string, ...control: HTMLElement[]) => h('label', { class: 'field inline' }, h('span', { class: 'field-label' }, label), ...control);
    this.controls = h(
      'div',
      { class: 'aid-controls' },
      field('Metric', this.metric),
      field('Location', this.location),
      field('From', this.from),
      field('To', this.to),
    );
    this.results.append(
      this.heading,
      h('p', { class: 'muted small period-rule' }, 'Each figure counts its own period: figures of different periods sit side by side, never added up.'),
      this.body,
      h('div', { class: 'charts' }, this.chart.element),
    );
    ctx.catalog.onChange(() => this.fillLists());
  }

  /** The first time Aid opens: the aid metric with the most figures, and where and when its claimants compete. */
  async open(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.fillLists();
    try {
      const aid = this.ctx.catalog.metrics.filter((m) => m.category === 'aid');
      const series = await Promise.all(aid.map((m) => this.ctx.api.series({ metric: m.code })));
      const counts = series.map((s) => s.series.reduce((n, one) => n + one.points.length, 0));
      const index = counts.indexOf(Math.max(0, ...counts));
      const places = new Set(this.ctx.catalog.locations.filter((l) => l.kind === 'crossing' || l.kind === 'corridor').map((l) => l.name));
      const look = index >= 0 && counts[index]! > 0 ? firstLook(series[index]!, places) : null;
      if (look && !this.touched) {
        this.metric.value = aid[index]!.code;
        this.location.value = look.location ?? '';
        this.from.value = look.from;
        this.to.value = look.to;
      }
    } catch {
      // keep the defaults: the last week, every location
    }
    if (!this.touched) await this.run();
  }

  private fillLists(): void {
    const metric = this.metric.value;
    const location = this.location.value;
    const metrics = [...this.ctx.catalog.metrics].sort((a, b) => Number(b.category === 'aid') - Number(a.category === 'aid'));
    this.metric.replaceChildren(...metrics.map((m) => h('option', { value: m.code }, `${m.label} (${m.code})`)));
    this.metric.value = metric || (metrics[0]?.code ?? '');
    this.location.replaceChildren(
      h('option', { value: '' }, 'All locations'),
      ...this.ctx.catalog.locations.map((l) => h('option', { value: l.name }, l.name)),
    );
    this.location.value = location;
  }

  query(): PeriodQuery | null {
    const [from, to] = [this.from, this.to].map((input) => {
      const parsed = readClaimDate(input.value);
      input.classList.toggle('invalid', !parsed.ok || !parsed.value);
      return parsed.ok ? parsed.value : null;
    });
    if (!this.metric.value || !from || !to) return null;
    return { metric: this.metric.value, location: this.location.value || undefined, from, to };
  }

  /** Sets the query (tests, links from elsewhere) and compares. */
  async set(query: PeriodQuery): Promise<void> {
    this.touched = true;
    this.metric.value = query.metric;
    this.location.value = query.location ?? '';
    this.from.value = query.from;
    this.to.value = query.to;
    await this.run();
  }

  async run(): Promise<void> {
    const query = this.query();
    if (!query) return;
    const sequence = ++this.sequence;
    try {
      const result = await this.ctx.api.comparePeriod(query);
      if (sequence !== this.sequence) return;
      this.result = result;
      this.heading.textContent = `${result.metric.label}${result.location ? `, ${result.location}` : ', all locations'} — ${result.from} to ${result.to}`;
      this.body.replaceChildren(periodCards(result), h('div', { class: 'card' }, periodTable(result)));
      const config = aidChart(result);
      const box = this.chart.element.querySelector<HTMLElement>('.chart-box');
      if (box) box.style.height = `${aidChartHeight(result)}px`;
      if (config)
        this.chart.draw(config, {
          metric: `${result.metric.label} (${result.metric.code})`,
          location: result.location ?? 'all locations',
          as_of: `${result.from} to ${result.to}`,
          sources: sourceEntries(result.groups.flatMap((g) => g.rows)),
        });
      else
        this.chart.showEmpty(
          'No aid figures for this period',
          'Enter aid_trucks figures with a crossing as their location and the period they count (a day, a week), or import them from a CSV.',
        );
    } catch (error) {
      showError(error, 'Compare failed');
    }
  }

  current(): PeriodComparison | null {
    return this.result;
  }
}
