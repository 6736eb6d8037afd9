// A chart in a card: a title, a fixed-height canvas (no layout jump when data arrives), a Save PNG button, and an
// empty state that says what would fill it. The PNG carries the chart's caption (chartImage.ts) and is named for
// the chart and its as-of date.
import type { Chart, ChartConfiguration } from 'chart.js';
import { downloadBlob, safeFileName } from '../ui/download';
import { emptyState, h } from '../ui/dom';
import { showError } from '../ui/status';
import { type ChartCaption, captionedPng } from './chartImage';
import { destroyChart, makeChart } from './setup';

export class ChartCard {
  readonly element: HTMLElement;
  private readonly canvas = h('canvas', { role: 'img' });
  private readonly empty = h('div', { class: 'chart-empty' });
  private readonly controls = h('div', { class: 'card-controls' });
  private readonly save = h('button', { type: 'button', class: 'small', disabled: true }, 'Save PNG');
  private chart: Chart | null = null;
  private caption: ChartCaption | null = null;

  constructor(
    readonly name: string,
    private readonly title: string,
    subtitle: string,
  ) {
    this.canvas.setAttribute('aria-label', title);
    this.save.addEventListener('click', () => this.exportPng());
    this.element = h(
      'figure',
      { class: 'card chart-card', 'data-chart': name },
      h('header', { class: 'card-header' }, h('div', {}, h('h3', {}, title), h('small', { class: 'muted' }, subtitle)), this.controls, this.save),
      h('div', { class: 'chart-box' }, this.canvas, this.empty),
    );
  }

  /** Controls shown in the card's header (e.g. which source the aid chart shows). */
  setControls(...controls: HTMLElement[]): void {
    this.controls.replaceChildren(...controls);
  }

  draw(config: ChartConfiguration, caption: ChartCaption): void {
    destroyChart(this.chart);
    this.caption = caption;
    this.empty.hidden = true;
    this.canvas.hidden = false;
    this.chart = makeChart(this.canvas, config);
    this.save.disabled = false;
  }

  showEmpty(title: string, what: string): void {
    destroyChart(this.chart);
    this.chart = null;
    this.caption = null;
    this.canvas.hidden = true;
    this.empty.hidden = false;
    this.empty.replaceChildren(emptyState(title, what));
    this.save.disabled = true;
  }

  /** For the menu's "Export Chart PNG": true when there was a chart to save. */
  exportPng(): boolean {
    if (!this.chart || !this.caption) return false;
    const name = `${safeFileName(`${this.title}-as-of-${this.caption.as_of}`)}.png`;
    captionedPng(this.chart, this.title, this.caption).then(
      (blob) => blob && downloadBlob(blob, name),
      (error) => showError(error, 'The chart was not saved'),
    );
    return true;
  }
}
