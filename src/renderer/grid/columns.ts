// The figures grid's columns: how each cell reads, sorts and is edited, derived from the field registry's grid part.
import type { ColDef, ICellRendererParams, ValueGetterParams } from 'ag-grid-community';
import type { Citation, FigureView, Location, Metric, Source } from '../../shared/domain';
import { type EditField, GRID_COLUMN, GRID_COLUMNS, type GridColumn, nameColumnsOf, type RefEntity } from '../../shared/fields';
import type { Catalog, Option } from '../app/catalog';
import { citationLabel } from '../app/catalog';
import { h } from '../ui/dom';
import { formatNumber, formatRange, formatTime, QUALIFIER_LABELS, words } from '../ui/format';
import { ChoiceEditor, type ChoiceEditorParams, TextEditor, type TextEditorParams } from './editors';
import { COLUMN_FIELDS, type ColumnId, type FigureValues, type GridRow, hasErrors, isDirty } from './rows';

export type CreateKind = RefEntity;
export type CreateHandler = (kind: CreateKind, text: string, row: GridRow, column: ColumnId) => void;

interface Spec {
  tip: string;
  width: number;
  /** shown as typed; sorted by sortValue. `saved` is the figure as loaded (null on the new-figure row). */
  display: (v: FigureValues, saved: FigureView | null) => string;
  /** the cell's tooltip, when it says more than the cell */
  hover?: (v: FigureValues) => string;
  sortValue?: (v: FigureValues) => string | number | null;
  numeric?: boolean;
  hide?: boolean;
  choice?: { options: () => Option[]; field: keyof FigureValues; allowEmpty: boolean; create?: CreateKind };
  text?: { edit: (v: FigureValues) => string; placeholder?: string; multiline?: boolean; inputMode?: 'numeric' | 'text' };
}

export function columnHeader(id: ColumnId): string {
  return GRID_COLUMN[id].header;
}

const enumOptions = (values: readonly string[], label: (v: string) => string = words): Option[] => values.map((v) => ({ value: v, label: label(v) }));
const enumLabel = (field: string) => (field === 'qualifier' ? (q: string) => QUALIFIER_LABELS[q as keyof typeof QUALIFIER_LABELS] : words);

/** What the grid shows for each kind of reference: its name in the catalog, and the list to pick from. */
function references(
  catalog: Catalog,
): Record<RefEntity, { find: (id: string) => unknown; show: (found: never) => string; hover?: (found: never) => string; options: () => Option[] }> {
  return {
    // A metric reads as its label ("Civilians killed"); its code, what a CSV and the CLI name it by, on hover.
    metric: {
      find: (id) => catalog.metric(id),
      show: (m: Metric) => m.label,
      hover: (m: Metric) => `${m.label} — code ${m.code}`,
      options: () => catalog.metricOptions(),
    },
    source: { find: (id) => catalog.source(id), show: (s: Source) => s.name, options: () => catalog.sourceOptions() },
    citation: { find: (id) => catalog.citation(id), show: (c: Citation) => citationLabel(c), options: () => catalog.citationOptions() },
    location: { find: (id) => catalog.location(id), show: (l: Location) => l.name, options: () => catalog.locationOptions() },
  };
}

/** The name a figure was loaded with for a reference: the first CSV column naming it (a citation: title, else URL). */
function loadedName(field: EditField): (saved: FigureView) => string | null {
  if (field === 'citation_id') return (f) => citationLabel({ title: f.citation_title, url: f.url });
  if (field === 'metric_id') return (f) => f.metric_label ?? f.metric;
  const column = nameColumnsOf(field)[0] as keyof FigureView;
  return (f) => (f[column] as string | null) ?? null;
}

/** Each grid column's spec, from the field registry: how its kind shows, sorts and edits. */
function specs(catalog: Catalog): Record<ColumnId, Spec> {
  const refs = references(catalog);
  const spec = (column: GridColumn): Spec => {
    const f = column.spec;
    const field = f.name as EditField;
    const base = { tip: column.tip, width: column.width, hide: column.hide };
    const get = (v: FigureValues) => v[field] as string | number | null;
    switch (f.kind) {
      case 'ref': {
        // A cell holding an id shows the catalog's name for it. The first rows are drawn before the catalog arrives:
        // until then a cell still holding the id the figure was loaded with shows the name it was loaded with.
        const ref = refs[f.entity];
        const loaded = loadedName(field);
        const display = (v: FigureValues, saved: FigureView | null) => {
          const id = v[field] as string | null;
          if (!id) return '';
          const found = ref.find(id);
          if (found) return ref.show(found as never);
          return saved && saved[field] === id ? (loaded(saved) ?? '') : '';
        };
        const hover = ref.hover
          ? (v: FigureValues) => {
              const found = v[field] ? ref.find(v[field] as string) : undefined;
              return found ? ref.hover!(found as never) : '';
            }
          : undefined;
        return { ...base, display, hover, choice: { options: ref.options, field, allowEmpty: !f.required, create: f.entity } };
      }
      case 'enum': {
        const label = enumLabel(f.name);
        // retracting needs a reason: Retract…, not a pick from the list
        const values = f.name === 'status' ? f.values.filter((v) => v !== 'retracted') : f.values;
        return {
          ...base,
          display: (v) => (get(v) ? label(String(get(v))) : ''),
          choice: { options: () => enumOptions(values, label), field, allowEmpty: !f.required },
        };
      }
      case 'count':
        if (column.fields.includes('low')) {
          return {
            ...base,
            numeric: true,
            display: (v) => formatRange(v.low, v.high),
            sortValue: (v) => v.low,
            text: { edit: (v) => (v.low === null && v.high === null ? '' : `${v.low ?? ''}–${v.high ?? ''}`), placeholder: column.placeholder },
          };
        }
        // the Value column also holds the words a vague value was read from: shown beside the number, edited as typed
        return {
          ...base,
          numeric: true,
          display: (v) => {
            const number = formatNumber(get(v) as number | null);
            return v.vague_words ? `${number} · “${v.vague_words}”` : number;
          },
          sortValue: get,
          text: { edit: (v) => v.vague_words ?? (get(v) === null ? '' : String(get(v))), placeholder: column.placeholder, inputMode: 'numeric' },
        };
      case 'date':
        return { ...base, display: (v) => String(get(v) ?? ''), text: { edit: (v) => String(get(v) ?? ''), placeholder: column.placeholder } };
      default:
        return { ...base, display: (v) => String(get(v) ?? ''), text: { edit: (v) => String(get(v) ?? ''), placeholder: column.placeholder, multiline: true } };
    }
  };
  return Object.fromEntries(GRID_COLUMNS.map((c) => [c.id, spec(c)])) as Record<ColumnId, Spec>;
}

/** A cell with a problem: the text as typed, a mark, and the problem in its tooltip. */
function errorCell(params: ICellRendererParams<GridRow>): HTMLElement {
  const id = params.colDef?.colId as ColumnId;
  const message = params.data?.errors[id] ?? '';
  return h(
    'span',
    { class: 'cell-error', title: message },
    h('span', { class: 'cell-error-mark', 'aria-hidden': 'true' }, '!'),
    String(params.valueFormatted ?? params.value ?? ''),
  );
}

function rowState(row: GridRow): { mark: string; title: string; kind: string } {
  if (!row.saved) return { mark: '+', title: 'New figure: type into this row; Enter saves it', kind: 'draft' };
  if (row.saving) return { mark: '…', title: 'Saving', kind: 'saving' };
  if (hasErrors(row)) return { mark: '!', title: 'Not saved: a cell has a problem (Esc discards the edits)', kind: 'error' };
  if (isDirty(row)) return { mark: '●', title: 'Edited, not saved yet', kind: 'dirty' };
  if (row.saved.status === 'retracted') return { mark: '⊘', title: `Retracted: ${row.saved.retracted_reason ?? ''}`, kind: 'retracted' };
  return { mark: '', title: '', kind: 'saved' };
}

/**
 * `readOnly`: while it says so (the workbook shown as recorded on a past moment), no cell is edited.
 * `hasWarning`: whether the checks warn about a figure; its state cell is marked (a class on that one cell, so a
 * mark that changes while another cell of the row is being edited redraws only the mark).
 */
export function columnDefs(
  catalog: Catalog,
  onCreate: CreateHandler,
  readOnly: () => boolean = () => false,
  hasWarning: (id: string) => boolean = () => false,
): ColDef<GridRow>[] {
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
    tooltipValueGetter: (p) => {
      if (!p.data) return '';
      const { title } = rowState(p.data);
      const warned = p.data.saved && hasWarning(p.data.key) ? 'The checks warn about this figure: see Checks in its provenance' : '';
      return [title, warned].filter(Boolean).join(' · ');
    },
    cellClass: (p) => {
      if (!p.data) return 'row-state';
      const classes = ['row-state', `row-state-${rowState(p.data).kind}`];
      if (p.data.saved && hasWarning(p.data.key)) classes.push('row-state-warning');
      return classes;
    },
  };
  const editable = (p: { data?: GridRow }) => !readOnly() && !!p.data && !p.data.saving && p.data.saved?.status !== 'retracted';
  const defs = (Object.entries(all) as Array<[ColumnId, Spec]>).map(([id, spec]): ColDef<GridRow> => {
    const def: ColDef<GridRow> = {
      colId: id,
      headerName: columnHeader(id),
      headerTooltip: spec.tip,
      width: spec.width,
      hide: spec.hide ?? false,
      editable,
      valueGetter: (p: ValueGetterParams<GridRow>) =>
        p.data ? (spec.sortValue ? spec.sortValue(p.data.values) : spec.display(p.data.values, p.data.saved)) : null,
      valueFormatter: (p) => (p.data ? (p.data.raw[id]?.text ?? spec.display(p.data.values, p.data.saved)) : ''),
      cellRendererSelector: (p) => (p.data?.errors[id] ? { component: errorCell } : undefined),
      // a cell with a problem has the problem as its title instead
      tooltipValueGetter: spec.hover ? (p) => (p.data && !p.data.errors[id] ? spec.hover!(p.data.values) : undefined) : undefined,
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
