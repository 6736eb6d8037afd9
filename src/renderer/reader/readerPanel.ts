// The reader: a citation's document beside the grid, each line in its own direction (Arabic and Hebrew right to
// left), every number it states highlighted as captured (a figure of this citation holds it) or not yet. Click a
// number, or select the words that state one, and a figure draft opens in the grid's new-figure row; the analyst
// checks it there and presses Enter. Without a document, the reader takes one: pasted, or a .txt, .html or .pdf
// file (a PDF goes to the core as its bytes: the core reads its text).
import type { ApiInput, WorkbenchApi } from '../../shared/api';
import { type Coverage, coverage } from '../../shared/capture';
import { DEFAULT_NUMBER_FORMAT } from '../../shared/cells';
import type { CitationDocument, DocumentMediaType } from '../../shared/domain';
import { type FoundNumber, findNumbers } from '../../shared/textNumbers';
import type { Catalog } from '../app/catalog';
import { citationLabel } from '../app/catalog';
import type { UndoHistory } from '../app/undo';
import { emptyState, fill, h } from '../ui/dom';
import { formatNumber, formatQuantity } from '../ui/format';
import { showError, showStatus } from '../ui/status';
import { draftFromNumber, type NumberDraft } from './draftFromNumber';

export interface ReaderDeps {
  api: WorkbenchApi;
  catalog: Catalog;
  undo: UndoHistory;
  /** a number was picked: its draft goes to the new-figure row */
  onDraft(draft: NumberDraft, number: FoundNumber): void;
  onClose(): void;
}

/** The most figures of one citation read for its coverage: a bulletin has tens, a long report hundreds. */
const COVERAGE_FIGURES = 10_000;

export class ReaderPanel {
  readonly element: HTMLElement;
  private readonly heading = h('div', { class: 'reader-heading' });
  private readonly count = h('div', { class: 'reader-count', 'aria-live': 'polite', 'data-testid': 'reader-count' });
  private readonly body = h('div', { class: 'reader-body' });
  private citationId: string | null = null;
  private document: CitationDocument | null = null;
  private numbers: FoundNumber[] = [];
  private marks: HTMLElement[] = [];
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** a drag that selected words also ends in a click: the selection was the pick */
  private pickedBySelection = false;

  constructor(private readonly deps: ReaderDeps) {
    const close = h('button', { type: 'button', class: 'small', title: 'Close the reader (the provenance panel comes back)' }, 'Close');
    close.addEventListener('click', () => deps.onClose());
    const replace = h('button', { type: 'button', class: 'small', title: "Paste or choose the document's text again" }, 'Replace text…');
    replace.addEventListener('click', () => this.renderAttach());
    this.element = h(
      'aside',
      { class: 'reader', 'aria-label': 'Document', hidden: true },
      h('div', { class: 'reader-top' }, this.heading, h('div', { class: 'reader-actions' }, replace, close)),
      this.count,
      this.body,
    );
    this.body.addEventListener('mouseup', () => this.onSelection());
    this.body.addEventListener('click', (event) => {
      const mark = (event.target as HTMLElement).closest<HTMLElement>('mark[data-number]');
      if (!mark || this.pickedBySelection) return void (this.pickedBySelection = false);
      this.pick(Number(mark.dataset.number));
    });
    this.body.addEventListener('keydown', (event) => {
      const mark = (event.target as HTMLElement).closest<HTMLElement>('mark[data-number]');
      if (mark && (event.key === 'Enter' || event.key === ' ')) {
        event.preventDefault();
        this.pick(Number(mark.dataset.number));
      }
    });
    // Every write passes through the undo history: a figure saved, undone or edited may change the coverage.
    deps.undo.onChange(() => {
      if (!this.document) return;
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => void this.refresh(), 150);
    });
  }

  get openCitation(): string | null {
    return this.element.hidden ? null : this.citationId;
  }

  async open(citationId: string): Promise<void> {
    this.citationId = citationId;
    this.element.hidden = false;
    this.showHeading();
    try {
      this.document = await this.deps.api.getDocument({ citation_id: citationId });
    } catch (error) {
      showError(error, 'Document not loaded');
      this.document = null;
    }
    if (this.citationId !== citationId) return; // another citation was opened meanwhile
    if (!this.document) return this.renderAttach();
    this.numbers = findNumbers(this.document.text, DEFAULT_NUMBER_FORMAT, this.deps.catalog.vagueRules);
    this.renderText();
    await this.refreshCoverage();
  }

  close(): void {
    this.element.hidden = true;
    this.citationId = null;
    this.document = null;
  }

  /** After a write: the text again if it changed (an undone or redone attach), else only the coverage. */
  private async refresh(): Promise<void> {
    const citationId = this.citationId;
    const shown = this.document;
    if (!citationId || !shown) return;
    let now: CitationDocument | null;
    try {
      now = await this.deps.api.getDocument({ citation_id: citationId });
    } catch (error) {
      return showError(error, 'Document not read');
    }
    if (this.citationId !== citationId || this.document !== shown) return;
    if (now?.sha256 !== shown.sha256) await this.open(citationId);
    else await this.refreshCoverage();
  }

  /** Marks each number captured or not from the figures of the citation, and counts them. */
  async refreshCoverage(): Promise<Coverage | null> {
    const document = this.document;
    if (!document) return null;
    let result: Coverage;
    try {
      const figures = await this.deps.api.listFigures({ citation_id: document.citation_id, limit: COVERAGE_FIGURES });
      if (this.document !== document) return null;
      result = coverage(document.text, this.numbers, figures.rows);
    } catch (error) {
      showError(error, 'Coverage not read');
      return null;
    }
    result.figures.forEach((figure, i) => {
      const mark = this.marks[i];
      if (!mark) return;
      mark.classList.toggle('captured', figure !== null);
      mark.classList.toggle('uncaptured', figure === null);
      const number = this.numbers[i]!;
      const read = number.quantity ? formatQuantity({ ...number.quantity, qualifier: number.quantity.qualifier ?? 'exact' }) : `not read: ${number.reason}`;
      mark.title = figure ? `${read} — captured: a figure of this citation holds it` : `${read} — not yet captured: click to draft a figure`;
    });
    this.count.textContent =
      result.total === 0
        ? 'The text states no numbers.'
        : `${formatNumber(result.captured)} of ${formatNumber(result.total)} number${result.total === 1 ? '' : 's'} captured`;
    return result;
  }

  private showHeading(): void {
    const citation = this.deps.catalog.citation(this.citationId);
    fill(
      this.heading,
      h('div', { class: 'reader-title', dir: 'auto' }, citation ? citationLabel(citation) : 'Document'),
      h('div', { class: 'muted' }, [citation?.publisher, citation?.published].filter(Boolean).join(', ')),
    );
  }

  /** The text, line by line (each line its own direction), with every number a mark to click. */
  private renderText(): void {
    const document = this.document!;
    const text = document.text;
    this.marks = [];
    const lines: HTMLElement[] = [];
    let next = 0;
    let start = 0;
    for (const line of text.split('\n')) {
      const end = start + line.length;
      if (line.trim() !== '') {
        const p = h('p', { dir: 'auto', 'data-offset': start });
        let at = start;
        while (next < this.numbers.length && this.numbers[next]!.index < end) {
          const number = this.numbers[next]!;
          const until = Math.min(end, number.index + number.length);
          if (number.index > at) p.append(text.slice(at, number.index));
          const mark = h('mark', { class: 'number', 'data-number': next, tabindex: 0, role: 'button' }, text.slice(number.index, until));
          this.marks[next] = mark;
          p.append(mark);
          at = until;
          next += 1;
        }
        if (at < end) p.append(text.slice(at, end));
        lines.push(p);
      }
      start = end + 1;
    }
    fill(
      this.body,
      h('div', { class: 'reader-text' }, ...lines),
      h(
        'p',
        { class: 'reader-sha muted', title: 'The sha256 of the text as the workbook keeps it' },
        `${document.name ?? 'pasted text'} · sha256 ${document.sha256.slice(0, 12)}…`,
      ),
    );
  }

  /** A pasted text or a chosen file, saved as the citation's document (one undoable change). */
  private renderAttach(): void {
    const citationId = this.citationId;
    if (!citationId) return;
    const area = h('textarea', {
      class: 'reader-paste',
      dir: 'auto',
      rows: 12,
      placeholder: "Paste the document's text here (an article, a bulletin; Arabic and Hebrew read right to left), or choose a file.",
      'aria-label': "The document's text",
    });
    /** a chosen file: its text (shown, editable) or a PDF's bytes (read by the core when kept) */
    let chosen: { name: string; media_type: DocumentMediaType; base64?: string } | null = null;
    const file = h('input', { type: 'file', accept: '.txt,.html,.htm,.pdf,text/plain,text/html,application/pdf', 'aria-label': 'A .txt, .html or .pdf file' });
    file.addEventListener(
      'change',
      () =>
        void this.readFile(file, area).then((read) => {
          if (read) chosen = read;
        }),
    );
    area.addEventListener('input', () => {
      // words typed after a PDF was chosen: what is kept is the words in the box
      if (chosen?.base64 !== undefined) chosen = null;
    });
    const save = h('button', { type: 'button', class: 'primary' }, 'Keep this text');
    save.addEventListener('click', () => {
      const given: Omit<ApiInput<'attachDocument'>, 'citation_id'> = chosen?.base64 !== undefined
        ? { base64: chosen.base64, media_type: 'application/pdf', name: chosen.name }
        : { text: area.value, media_type: chosen?.media_type ?? 'text/plain', name: chosen?.name ?? null };
      void this.attach(citationId, given);
    });
    const cancel = h('button', { type: 'button' }, 'Cancel');
    cancel.addEventListener('click', () => (this.document ? this.renderText() : this.deps.onClose()));
    fill(
      this.body,
      this.document
        ? null
        : emptyState(
            'No text yet',
            "Keep the document's text with its citation: its numbers can then be picked as figures, and each figure's excerpt checked against it.",
          ),
      area,
      h('div', { class: 'reader-file' }, file),
      h('div', { class: 'panel-actions' }, cancel, save),
    );
    area.focus();
  }

  /** The chosen file: a .txt or .html file's text into the box; a PDF (by name, type or first bytes) as its bytes. */
  private async readFile(input: HTMLInputElement, area: HTMLTextAreaElement): Promise<{ name: string; media_type: DocumentMediaType; base64?: string } | null> {
    const file = input.files?.[0];
    if (!file) return null;
    const lower = file.name.toLowerCase();
    const bytes = new Uint8Array(await file.arrayBuffer());
    const pdf = lower.endsWith('.pdf') || file.type === 'application/pdf' || String.fromCharCode(...bytes.subarray(0, 5)) === '%PDF-';
    if (pdf) {
      area.value = '';
      area.placeholder = `${file.name}: its text is read from the PDF when you keep it.`;
      return { name: file.name, media_type: 'application/pdf', base64: base64Of(bytes) };
    }
    const html = lower.endsWith('.html') || lower.endsWith('.htm') || file.type === 'text/html';
    area.value = new TextDecoder().decode(bytes);
    return { name: file.name, media_type: html ? 'text/html' : 'text/plain' };
  }

  private async attach(citationId: string, given: Omit<ApiInput<'attachDocument'>, 'citation_id'>): Promise<void> {
    if (given.base64 === undefined && (given.text ?? '').trim() === '') return showStatus('Paste the text first, or choose a file.', 'error');
    try {
      const result = await this.deps.api.attachDocument({ citation_id: citationId, ...given });
      const citation = this.deps.catalog.citation(citationId);
      this.deps.undo.record(result.txn, `the text of “${citation ? citationLabel(citation) : 'the document'}”`);
      showStatus('Text kept with the citation. Click a number, or select the words that state one, to draft its figure.', 'success');
      void this.deps.catalog.load(); // the citation list says which citations hold a document
      await this.open(citationId);
    } catch (error) {
      showError(error, 'Text not kept');
    }
  }

  /** Words selected in the text: the number among them, with the words as the excerpt when more than the number. */
  private onSelection(): void {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !this.document || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    const start = this.offsetOf(range.startContainer, range.startOffset);
    const end = this.offsetOf(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return;
    this.pickedBySelection = true;
    setTimeout(() => (this.pickedBySelection = false));
    const index = this.numbers.findIndex((n) => n.index < end && n.index + n.length > start);
    if (index < 0) {
      showStatus('No number in the words selected: select the words that state one, or click a highlighted number.', 'error');
      return;
    }
    const number = this.numbers[index]!;
    const words = this.document.text.slice(start, end).trim();
    // more than the number and its qualifying words: the words selected are the quote
    const from = Math.min(number.index, number.qualifierWords?.index ?? number.index);
    const to = Math.max(number.index + number.length, (number.qualifierWords?.index ?? 0) + (number.qualifierWords?.length ?? 0));
    this.pick(index, start < from || end > to + 1 ? words : undefined);
  }

  /** The offset in the document's text of a point in the rendered text. */
  private offsetOf(node: Node, offset: number): number | null {
    const element = node instanceof Element ? node : node.parentElement;
    const line = element?.closest<HTMLElement>('p[data-offset]');
    if (!line || !this.body.contains(line)) return null;
    const before = document.createRange();
    before.setStart(line, 0);
    before.setEnd(node, offset);
    return Number(line.dataset.offset) + before.toString().length;
  }

  private pick(index: number, excerpt?: string): void {
    const number = this.numbers[index];
    const document = this.document;
    const citation = this.deps.catalog.citation(document?.citation_id);
    if (!number || !document || !citation) return;
    if (!number.quantity) {
      showStatus(`“${number.written}” cannot be read as a number: ${number.reason}`, 'error');
      return;
    }
    for (const mark of this.marks) mark.classList.toggle('picked', mark === this.marks[index]);
    const draft = draftFromNumber(document.text, number, { sources: this.deps.catalog.sources, metrics: this.deps.catalog.metrics, citation }, excerpt);
    this.deps.onDraft(draft, number);
  }
}

/** A file's bytes as base64, for a call whose input is JSON (the HTTP host, IPC); in slices, as a long argument list
 * to fromCharCode overflows the stack. */
function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}
