// The figures grid's columns: how each cell reads, sorts and is edited. One spec per column of COLUMN_IDS.
import type { ColDef, ICellRendererParams, ValueGetterParams } from 'ag-grid-community';
import { CONFIDENCES, type FigureView, METHODS, QUALIFIERS, STATUSES } from '../../shared/domain';
import type { Catalog, Option } from '../app/catalog';
import { citationLabel } from '../app/catalog';
import { h } from '../ui/dom';
import { formatNumber, formatRange, formatTime, QUALIFIER_LABELS, words } from '../ui/format';
import { ChoiceEditor, type ChoiceEditorParams, TextEditor, type TextEditorParams } from './editors';
import { COLUMN_FIELDS, type ColumnId, type FigureValues, type GridRow, hasErrors, isDirty } from './rows';

export type CreateKind = 'metric' | 'source' | 'citation' | 'location';
export type CreateHandler = (kind: CreateKind, text: string, row: GridRow, column: ColumnId) => void;

interface Spec {
  tip: string;
  width: number;
  /** shown as typed; sorted by sortValue. `saved` is the figure as loaded (null on the new-figure row). */
  display: (v: FigureValues, saved: FigureView | null) => string;
  sortValue?: (v: FigureValues) => string | number | null;
  numeric?: boolean;
  hide?: boolean;
  choice?: { options: () => Option[]; field: keyof FigureValues; allowEmpty: boolean; create?: CreateKind };
  text?: { edit: (v: FigureValues) => string; placeholder?: string; multiline?: boolean; inputMode?: 'numeric' | 'text' };
}

export function columnHeader(id: ColumnId): string {
  return HEADERS[id];
}

const HEADERS: Record<ColumnId, string> = {
  metric: 'Metric',
  value: 'Value',
  range: 'Range',
  qualifier: 'Qualifier',
  as_of: 'As of',
  location: 'Location',
  source: 'Source',
  relayed_via: 'Relayed via',
  citation: 'Citation',
  excerpt: 'Excerpt',
  period_start: 'Period start',
  period_end: 'Period end',
  method: 'Method',
  confidence: 'Confidence',
  status: 'Status',
  note: 'Note',
};

const enumOptions = (values: readonly string[], label: (v: string) => string = words): Option[] => values.map((v) => ({ value: v, label: label(v) }));

function specs(catalog: Catalog): Record<ColumnId, Spec> {
  // A cell holding an id shows the catalog's name for it. The first rows are drawn before the catalog arrives:
  // until then a cell still holding the id the figure was loaded with shows the name it was loaded with.
  const name =
    <T,>(find: (id: string) => T | undefined, show: (t: T) => string, field: keyof FigureValues, loadedName: (saved: FigureView) => string | null) =>
    (v: FigureValues, saved: FigureView | null) => {
      const id = v[field] as string | null;
      if (!id) return '';
      const found = find(id);
      if (found) return show(found);
      return saved && saved[field] === id ? (loadedName(saved) ?? '') : '';
    };
  const metric = name((id) => catalog.metric(id), (m) => m.code, 'metric_id', (f) => f.metric);
  const source = name((id) => catalog.source(id), (s) => s.name, 'source_id', (f) => f.source);
  const relayedVia = name((id) => catalog.source(id), (s) => s.name, 'relayed_via_id', (f) => f.relayed_via);
  const citation = name((id) => catalog.citation(id), citationLabel, 'citation_id', (f) => citationLabel({ title: f.citation_title, url: f.url }));
  const location = name((id) => catalog.location(id), (l) => l.name, 'location_id', (f) => f.location);
  return {
    metric: {
      tip: 'What is counted (killed_civilian, aid_trucks…). Type to search; "New metric" adds one.',
      width: 170,
      display: metric,
      choice: { options: () => catalog.metricOptions(), field: 'metric_id', allowEmpty: false, create: 'metric' },
    },
    value: {
      tip: 'The number as stated. Thousands separators are fine; "at least 2" or "~20,000" also sets the qualifier.',
      width: 110,
      numeric: true,
      display: (v) => formatNumber(v.value),
      sortValue: (v) => v.value,
      text: { edit: (v) => (v.value === null ? '' : String(v.value)), placeholder: '20,000', inputMode: 'numeric' },
    },
    range: {
      tip: 'Low–high when the source gives a range (14,000–15,000). Empty when it gives one number.',
      width: 130,
      numeric: true,
      display: (v) => formatRange(v.low, v.high),
      sortValue: (v) => v.low,
      text: { edit: (v) => (v.low === null && v.high === null ? '' : `${v.low ?? ''}–${v.high ?? ''}`), placeholder: '14,000–15,000' },
    },
    qualifier: {
      tip: 'How the source words it: exact, approximately, at least, up to…',
      width: 120,
      display: (v) => (v.qualifier ? QUALIFIER_LABELS[v.qualifier] : ''),
      choice: { options: () => enumOptions(QUALIFIERS, (q) => QUALIFIER_LABELS[q as keyof typeof QUALIFIER_LABELS]), field: 'qualifier', allowEmpty: false },
    },
    as_of: {
      tip: 'The date the figure speaks for: YYYY-MM-DD, or YYYY-MM / YYYY when only that is known.',
      width: 110,
      display: (v) => v.as_of ?? '',
      text: { edit: (v) => v.as_of ?? '', placeholder: 'YYYY-MM-DD' },
    },
    location: {
      tip: 'Where: the Gaza Strip, a city, a crossing…',
      width: 150,
      display: location,
      choice: { options: () => catalog.locationOptions(), field: 'location_id', allowEmpty: true, create: 'location' },
    },
    source: {
      tip: 'Who makes the claim (the claimant), not who relays it.',
      width: 190,
      display: source,
      choice: { options: () => catalog.sourceOptions(), field: 'source_id', allowEmpty: false, create: 'source' },
    },
    relayed_via: {
      tip: 'Who passed the claim on (a newspaper quoting the army): one claim, not two.',
      width: 160,
      display: relayedVia,
      choice: { options: () => catalog.sourceOptions(), field: 'relayed_via_id', allowEmpty: true, create: 'source' },
    },
    citation: {
      tip: 'The document where the claim was published.',
      width: 240,
      display: citation,
      choice: { options: () => catalog.citationOptions(), field: 'citation_id', allowEmpty: false, create: 'citation' },
    },
    excerpt: {
      tip: 'The exact words of the citation that state this figure.',
      width: 320,
      display: (v) => v.excerpt ?? '',
      text: { edit: (v) => v.excerpt ?? '', placeholder: 'Paste the sentence that states the figure', multiline: true },
    },
    period_start: {
      tip: 'For flows (trucks per day, per week): the first day counted.',
      width: 110,
      hide: true,
      display: (v) => v.period_start ?? '',
      text: { edit: (v) => v.period_start ?? '', placeholder: 'YYYY-MM-DD' },
    },
    period_end: {
      tip: 'For flows: the last day counted.',
      width: 110,
      hide: true,
      display: (v) => v.period_end ?? '',
      text: { edit: (v) => v.period_end ?? '', placeholder: 'YYYY-MM-DD' },
    },
    method: {
      tip: 'Reported count, estimate or projection.',
      width: 130,
      display: (v) => words(v.method),
      choice: { options: () => enumOptions(METHODS), field: 'method', allowEmpty: true },
    },
    confidence: {
      tip: 'Your confidence in the figure: high, medium, low.',
      width: 110,
      hide: true,
      display: (v) => v.confidence ?? '',
      choice: { options: () => enumOptions(CONFIDENCES), field: 'confidence', allowEmpty: true },
    },
    status: {
      tip: 'draft, checked or disputed. Retracting needs a reason: use Retract….',
      width: 100,
      display: (v) => v.status ?? '',
      choice: { options: () => enumOptions(STATUSES.filter((s) => s !== 'retracted')), field: 'status', allowEmpty: false },
    },
    note: {
      tip: 'Your note on the figure (not part of the claim).',
      width: 220,
      display: (v) => v.note ?? '',
      text: { edit: (v) => v.note ?? '', multiline: true },
    },
  };
}

/** A cell with a problem: the text as typed, a mark, and the problem in its tooltip. */
function errorCell(params: ICellRendererParams<GridRow>): HTMLElement {
  const id = params.colDef?.colId as ColumnId;
  const message = params.data?.errors[id] ?? '';
  return h('span', { class: 'cell-error', title: message }, h('span', { class: 'cell-error-mark', 'aria-hidden': 'true' }, '!'), String(params.valueFormatted ?? params.value ?? ''));
}

function rowState(row: GridRow): { mark: string; title: string; kind: string } {
  if (!row.saved) return { mark: '+', title: 'New figure: type into this row; Enter saves it', kind: 'draft' };
  if (row.saving) return { mark: '…', title: 'Saving', kind: 'saving' };
  if (hasErrors(row)) return { mark: '!', title: 'Not saved: a cell has a problem (Esc discards the edits)', kind: 'error' };
  if (isDirty(row)) return { mark: '●', title: 'Edited, not saved yet', kind: 'dirty' };
  if (row.saved.status === 'retracted') return { mark: '⊘', title: `Retracted: ${row.saved.retracted_reason ?? ''}`, kind: 'retracted' };
  return { mark: '', title: '', kind: 'saved' };
}

export function columnDefs(catalog: Catalog, onCreate: CreateHandler): ColDef<GridRow>[] {
  const all = specs(catalog);
  const state: ColDef<GridRow> = {
    colId: 'state',
    headerName: '',
    width: 38,
    pinned: 'left',
    lockPinned: true,
    lockPosition: 'left',
    sortable: false,
    resizable: false,
    editable: false,
    suppressMovable: true,
    // Text and classes only, no element per cell: this column is drawn for every row that scrolls into view.
    valueGetter: (p) => (p.data ? rowState(p.data).mark : ''),
    tooltipValueGetter: (p) => (p.data ? rowState(p.data).title : ''),
    cellClass: (p) => (p.data ? ['row-state', `row-state-${rowState(p.data).kind}`] : 'row-state'),
  };
  const editable = (p: { data?: GridRow }) => !!p.data && !p.data.saving && p.data.saved?.status !== 'retracted';
  const defs = (Object.entries(all) as Array<[ColumnId, Spec]>).map(([id, spec]): ColDef<GridRow> => {
    const def: ColDef<GridRow> = {
      colId: id,
      headerName: HEADERS[id],
      headerTooltip: spec.tip,
      width: spec.width,
      hide: spec.hide ?? false,
      editable,
      valueGetter: (p: ValueGetterParams<GridRow>) => (p.data ? (spec.sortValue ? spec.sortValue(p.data.values) : spec.display(p.data.values, p.data.saved)) : null),
      valueFormatter: (p) => (p.data ? (p.data.raw[id]?.text ?? spec.display(p.data.values, p.data.saved)) : ''),
      cellRendererSelector: (p) => (p.data?.errors[id] ? { component: errorCell } : undefined),
      cellClassRules: {
        'cell-invalid': (p) => !!p.data?.errors[id],
        'cell-pending': (p) => !!p.data?.saved && isPending(p.data, id),
        num: () => spec.numeric === true,
      },
      headerClass: spec.numeric ? 'ag-right-aligned-header' : undefined,
    };
    if (spec.choice) {
      const choice = spec.choice;
      const params: ChoiceEditorParams = {
        options: choice.options,
        current: (row) => (row.values[choice.field] as string | null) ?? null,
        allowEmpty: choice.allowEmpty,
        create: choice.create ? { noun: choice.create, run: (text, row) => onCreate(choice.create!, text, row, id) } : undefined,
      };
      def.cellEditor = ChoiceEditor;
      def.cellEditorParams = params;
      def.cellEditorPopup = true;
    } else if (spec.text) {
      const text = spec.text;
      const params: TextEditorParams = {
        text: (row) => row.raw[id]?.text ?? text.edit(row.values),
        placeholder: text.placeholder,
        multiline: text.multiline,
        inputMode: text.inputMode,
      };
      def.cellEditor = TextEditor;
      def.cellEditorParams = params;
      def.cellEditorPopup = text.multiline === true;
    }
    return def;
  });
  const updated: ColDef<GridRow> = {
    colId: 'updated',
    headerName: 'Updated',
    headerTooltip: 'When the figure last changed, and by whom (its full history is in the provenance panel).',
    width: 170,
    editable: false,
    valueGetter: (p) => p.data?.saved?.updated_at ?? '',
    valueFormatter: (p) => (p.data?.saved ? `${formatTime(p.data.saved.updated_at)} · ${p.data.saved.updated_by}` : ''),
  };
  return [state, ...defs, updated];
}

function isPending(row: GridRow, id: ColumnId): boolean {
  if (row.raw[id] !== undefined) return true;
  const saved = row.saved as unknown as Record<string, unknown>;
  const values = row.values as unknown as Record<string, unknown>;
  return COLUMN_FIELDS[id].some((f) => (values[f] ?? null) !== (saved[f] ?? null));
}
