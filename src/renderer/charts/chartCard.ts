// A chart in a card: a title, a fixed-height canvas (no layout jump when data arrives), a Save PNG button, and an
// empty state that says what would fill it.
import type { Chart, ChartConfiguration } from 'chart.js';
import { emptyState, h } from '../ui/dom';
import { destroyChart, makeChart, savePng } from './setup';

export class ChartCard {
  readonly element: HTMLElement;
  private readonly canvas = h('canvas', { role: 'img' });
  private readonly empty = h('div', { class: 'chart-empty' });
  private readonly controls = h('div', { class: 'card-controls' });
  private readonly save = h('button', { type: 'button', class: 'small', disabled: true }, 'Save PNG');
  private chart: Chart | null = null;

  constructor(
    readonly name: string,
    private readonly title: string,
    subtitle: string,
  ) {
    this.canvas.setAttribute('aria-label', title);
    this.save.addEventListener('click', () => this.chart && savePng(this.chart, this.fileName()));
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

  draw(config: ChartConfiguration): void {
    destroyChart(this.chart);
    this.empty.hidden = true;
    this.canvas.hidden = false;
    this.chart = makeChart(this.canvas, config);
    this.save.disabled = false;
  }

  showEmpty(title: string, what: string): void {
    destroyChart(this.chart);
    this.chart = null;
    this.canvas.hidden = true;
    this.empty.hidden = false;
    this.empty.replaceChildren(emptyState(title, what));
    this.save.disabled = true;
  }

  /** For the menu's "Export Chart PNG": true when there was a chart to save. */
  exportPng(): boolean {
    if (!this.chart) return false;
    savePng(this.chart, this.fileName());
    return true;
  }

  private fileName(): string {
    return `${this.title}-${new Date().toISOString().slice(0, 10)}`;
  }
}
