// The Compare view, in two modes. Casualties: pick a metric, a location and an as-of date; see every source's latest
// figure side by side, the spread and the ratios, and the charts — the table exportable as CSV, each chart as PNG.
// Aid: the figures of a period, by claimant and crossing (aidCompare.ts).
import type { CompareResult, SeriesResult, WorkbenchApi } from '../../shared/api';
import type { Catalog } from '../app/catalog';
import { casualtyChart } from '../charts/casualtyChart';
import { ChartCard } from '../charts/chartCard';
import { type ChartCaption, sourceEntries } from '../charts/chartImage';
import { seriesChart } from '../charts/seriesChart';
import { readClaimDate } from '../../shared/cells';
import { DEFAULT_WINDOW_DAYS } from '../../shared/claimDate';
import { h, select } from '../ui/dom';
import { downloadText, safeFileName } from '../ui/download';
import { formatBytes, today } from '../ui/format';
import { showError, showStatus } from '../ui/status';
import { AidCompare } from './aidCompare';
import { compareSummary, compareTable, ratioTable, spreadCards } from './compareTable';
import { describeRecorded, type RecordedOn } from '../app/recordedOn';
import { sinceSection } from './sinceTable';

export type CompareMode = 'casualties' | 'aid';

/** Which metric a first look compares: the one most sources speak to, these first on a tie. */
const PREFERRED = ['killed_civilian', 'killed_total', 'killed_combatant', 'injured'];

export class CompareView {
  readonly element: HTMLElement;
  private readonly metric = h('select', { 'aria-label': 'Metric', name: 'metric' });
  private readonly location = h('select', { 'aria-label': 'Location', name: 'location' });
  private readonly asOf = h('input', { type: 'text', class: 'date-input', 'aria-label': 'As of', name: 'as_of', placeholder: 'YYYY-MM-DD' });
  private readonly window = h('input', {
    type: 'number',
    class: 'days-input',
    min: 0,
    step: 1,
    'aria-label': 'Window (days)',
    name: 'window_days',
    title: 'Figures older than this many days before the as-of date are shown apart and left out of the spread',
  });
  private readonly bom = h('input', { type: 'checkbox' });
  private readonly hxl = h('input', { type: 'checkbox' });
  private readonly heading = h('h2', { class: 'compare-title' });
  private readonly results = h('div', { class: 'compare-results' });
  private readonly casualties = new ChartCard(
    'casualties',
    'Civilians and combatants killed, by source',
    'Each source’s latest figures as of the date; a range is a bar from low to high.',
  );
  private readonly series = new ChartCard('series', 'Figures over time, by source', 'Each source’s figures up to the date; ranges drawn as bands.');
  readonly aid: AidCompare;
  private readonly modes = new Map<CompareMode, HTMLButtonElement>();
  private readonly casualtyControls: HTMLElement;
  private readonly casualtyPane: HTMLElement;
  private mode: CompareMode = 'casualties';
  private result: CompareResult | null = null;
  private started = false;
  /** the analyst changed the query: the first-look choice must not override it */
  private touched = false;
  private sequence = 0;

  constructor(private readonly ctx: { api: WorkbenchApi; catalog: Catalog; recorded?: RecordedOn }) {
    this.asOf.value = today();
    this.window.value = String(DEFAULT_WINDOW_DAYS);
    const exportButton = h('button', { type: 'button', class: 'primary' }, 'Export table CSV');
    exportButton.addEventListener('click', () => void this.exportCsv());
    const latest = h('button', { type: 'button', class: 'small', title: 'Compare as of today' }, 'Today');
    latest.addEventListener('click', () => {
      this.asOf.value = today();
      void this.run();
    });
    for (const control of [this.metric, this.location, this.asOf, this.window]) {
      control.addEventListener('input', () => (this.touched = true));
      control.addEventListener('change', () => {
        this.touched = true;
        void this.run();
      });
    }
    for (const input of [this.asOf, this.window]) input.addEventListener('keydown', (e) => e.key === 'Enter' && void this.run());
    this.aid = new AidCompare(ctx);
    const modes = h('div', { class: 'compare-modes', role: 'tablist', 'aria-label': 'Compare' });
    for (const [mode, label, title] of [
      ['casualties', 'Casualties', "Each source's latest figure as of a date"],
      ['aid', 'Aid', 'Every figure of a period, by claimant and crossing'],
    ] as const) {
      const button = h('button', { type: 'button', role: 'tab', class: 'compare-mode', 'data-mode': mode, title }, label);
      button.addEventListener('click', () => void this.showMode(mode));
      this.modes.set(mode, button);
      modes.append(button);
    }
    this.casualtyControls = h(
      'div',
      { class: 'casualty-controls' },
      h('label', { class: 'field inline' }, h('span', { class: 'field-label' }, 'Metric'), this.metric),
      h('label', { class: 'field inline' }, h('span', { class: 'field-label' }, 'Location'), this.location),
      h('label', { class: 'field inline' }, h('span', { class: 'field-label' }, 'As of'), this.asOf, latest),
      h('label', { class: 'field inline' }, h('span', { class: 'field-label' }, 'Window'), this.window, h('span', { class: 'muted small' }, 'days')),
      h('span', { class: 'spacer' }),
      h('label', { class: 'checkbox', title: 'A byte-order mark helps Excel read UTF-8' }, this.bom, 'BOM'),
      h('label', { class: 'checkbox', title: 'Add the HXL hashtag row under the header' }, this.hxl, 'HXL'),
      exportButton,
    );
    this.casualtyPane = h(
      'div',
      { class: 'compare-pane', 'data-mode': 'casualties' },
      this.heading,
      this.results,
      h('div', { class: 'charts' }, this.casualties.element, this.series.element),
    );
    this.aid.results.classList.add('compare-pane');
    this.aid.results.dataset.mode = 'aid';
    this.element = h(
      'section',
      { class: 'view compare-view', 'data-view': 'compare' },
      h('div', { class: 'compare-controls' }, modes, this.casualtyControls, this.aid.controls),
      h('div', { class: 'compare-scroll' }, this.casualtyPane, this.aid.results),
    );
    this.showPane();
    ctx.catalog.onChange(() => this.fillLists());
  }

  /** Casualties or Aid; each makes its first look the first time it is shown. */
  async showMode(mode: CompareMode): Promise<void> {
    this.mode = mode;
    this.showPane();
    await (mode === 'aid' ? this.aid.open() : this.open());
  }

  private showPane(): void {
    for (const [mode, button] of this.modes) {
      button.classList.toggle('active', mode === this.mode);
      button.setAttribute('aria-selected', String(mode === this.mode));
    }
    this.casualtyControls.hidden = this.casualtyPane.hidden = this.mode !== 'casualties';
    this.aid.controls.hidden = this.aid.results.hidden = this.mode !== 'aid';
  }

  /** The first time the view opens: choose a metric and place worth comparing, then compare. */
  async open(): Promise<void> {
    if (this.mode === 'aid') return this.aid.open();
    if (this.started) return;
    this.started = true;
    this.fillLists();
    const territory = this.ctx.catalog.locations.find((l) => l.kind === 'territory');
    if (territory && !this.touched) this.location.value = territory.name;
    const casualties = this.ctx.catalog.metrics.filter((m) => m.category === 'casualties').map((m) => m.code);
    const candidates = [...PREFERRED.filter((c) => casualties.includes(c)), ...casualties.filter((c) => !PREFERRED.includes(c))];
    // As of today, a workbook whose latest claims are months old would show every figure older than the window:
    // the first look is as of the latest day on which sources compete, as the Figures view's first screen is.
    try {
      const moment = await this.ctx.api.latestContestedDate({});
      if (moment && !this.touched) this.asOf.value = moment.date;
    } catch {
      // keep today
    }
    // The first metric, in that order, on which sources compete (claims within the window first): each comparison
    // tried is the one drawn if it wins, so the first look costs one comparison when the preferred metric has two.
    const current = (r: CompareResult) => r.rows.filter((row) => !row.stale).length;
    const better = (a: CompareResult, b: CompareResult | null) => !b || current(a) > current(b) || (current(a) === current(b) && a.rows.length > b.rows.length);
    let best: CompareResult | null = null;
    try {
      for (const metric of candidates) {
        if (this.touched) return;
        const result = await this.ctx.api.compare(this.query(metric));
        if (better(result, best)) best = result;
        if (current(best!) >= 2) break;
      }
    } catch {
      // keep the first metric
    }
    if (this.touched) return;
    if (best) this.metric.value = best.metric.code;
    await this.run(best ?? undefined);
  }

  private fillLists(): void {
    const metric = this.metric.value;
    const location = this.location.value;
    const metrics = select(
      this.ctx.catalog.metrics.map((m) => ({ value: m.code, label: `${m.label} (${m.code})` })),
      metric,
    );
    this.metric.replaceChildren(...metrics.children);
    this.metric.value = metric || (this.ctx.catalog.metrics[0]?.code ?? '');
    this.location.replaceChildren(
      h('option', { value: '' }, 'All locations'),
      ...this.ctx.catalog.locations.map((l) => h('option', { value: l.name }, l.name)),
    );
    this.location.value = location;
  }

  query(metric = this.metric.value): { metric: string; location?: string; as_of?: string; window_days?: number; recorded_on?: string } {
    const parsed = readClaimDate(this.asOf.value);
    this.asOf.classList.toggle('invalid', !parsed.ok);
    const days = this.window.value.trim();
    const window = /^\d{1,6}$/.test(days) ? Number(days) : undefined;
    this.window.classList.toggle('invalid', window === undefined);
    const recordedOn = this.ctx.recorded?.value;
    return {
      metric,
      location: this.location.value || undefined,
      as_of: parsed.ok && parsed.value ? parsed.value : undefined,
      window_days: window,
      ...(recordedOn ? { recorded_on: recordedOn } : {}),
    };
  }

  /** Sets the query (tests, links from elsewhere) and compares. */
  async set(query: { metric: string; location?: string; as_of?: string; window_days?: number }): Promise<void> {
    this.metric.value = query.metric;
    this.location.value = query.location ?? '';
    this.asOf.value = query.as_of ?? today();
    this.window.value = String(query.window_days ?? DEFAULT_WINDOW_DAYS);
    await this.run();
  }

  /** Compares the query; `compared`, when given, is its comparison already made. The tables come first, then the
   * series chart (the larger read). */
  async run(compared?: CompareResult): Promise<void> {
    if (this.mode === 'aid') return this.aid.run();
    if (!this.metric.value) return;
    const sequence = ++this.sequence;
    const query = this.query();
    try {
      const comparing = compared ? Promise.resolve(compared) : this.ctx.api.compare(query);
      const series = this.ctx.api.series({ metric: query.metric, location: query.location, to: query.as_of, recorded_on: query.recorded_on });
      series.catch(() => undefined); // awaited below, unless the comparison failed
      const result = await comparing;
      if (sequence !== this.sequence) return;
      this.result = result;
      this.heading.textContent = `${result.metric.label}${result.location ? `, ${result.location}` : ', all locations'} — as of ${result.as_of}${
        result.recorded ? `, as recorded on ${describeRecorded(result.recorded)}` : ''
      }`;
      this.results.replaceChildren(
        ...(result.recorded ? sinceSection(result.recorded) : []),
        spreadCards(result),
        compareSummary(result),
        compareTable(result),
        h('h3', { class: 'section-title' }, 'Civilians : combatants killed, per source'),
        h('div', { class: 'card' }, ratioTable(result)),
      );
      const where = result.location ?? 'all locations';
      const casualty = casualtyChart(result);
      if (casualty)
        this.casualties.draw(casualty, {
          metric: ['killed_civilian', 'killed_combatant'].map((code) => this.metricName(code)).join(', '),
          location: where,
          as_of: result.as_of,
          sources: sourceEntries(result.ratios.flatMap((r) => [r.civilian, r.combatant]).filter((row) => row !== null)),
        });
      else
        this.casualties.showEmpty(
          'Nothing to chart',
          'No source states civilians or combatants killed by this date here. Enter killed_civilian and killed_combatant figures to see them side by side.',
        );
      const points = await series;
      if (sequence !== this.sequence) return;
      const line = seriesChart(points);
      if (line) this.series.draw(line, { metric: this.metricName(result.metric.code), location: where, as_of: result.as_of, sources: seriesSources(points) });
      else
        this.series.showEmpty(
          'No figures over time',
          `No ${result.metric.code} figures up to ${result.as_of}${result.location ? ` for ${result.location}` : ''}.`,
        );
    } catch (error) {
      showError(error, 'Compare failed');
    }
  }

  /** "Killed (total) (killed_total)", as the metric list names it. */
  private metricName(code: string): string {
    const metric = this.ctx.catalog.metric(code);
    return metric ? `${metric.label} (${metric.code})` : code;
  }

  private async exportCsv(): Promise<void> {
    const query = this.query();
    try {
      const result = await this.ctx.api.exportCompareCsv({ query, options: { bom: this.bom.checked, hxl: this.hxl.checked }, to: 'text' });
      const name = safeFileName(`compare-${query.metric}-${query.location ?? 'all'}-${query.as_of ?? today()}`);
      downloadText(result.text ?? '', `${name}.csv`);
      showStatus(`Exported the comparison: ${result.rows} rows, ${formatBytes(result.bytes)}.`, 'success');
    } catch (error) {
      showError(error, 'Export failed');
    }
  }

  /** The menu's "Export Chart PNG": every chart drawn now. */
  exportCharts(): number {
    return [this.casualties, this.series, this.aid.chart].filter((card) => card.exportPng()).length;
  }

  current(): CompareResult | null {
    return this.result;
  }
}

/** A series chart's sources line: each source with the documents its points cite. */
function seriesSources(result: SeriesResult): ChartCaption['sources'] {
  return sourceEntries(result.series.flatMap((s) => s.points.map((p) => ({ source: s.source, citation_title: p.citation_title }))));
}
