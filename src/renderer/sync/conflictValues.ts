// How a conflict reads to an analyst: what it is about, each field's name, and a field's value in words (a
// figure's metric, source, citation and location by name, not by id).
import type { ConflictView } from '../../shared/api';
import { FIGURE_FIELD, type FigureFieldName, type FigureFieldSpec } from '../../shared/fields';
import type { Catalog } from '../app/catalog';
import { formatNumber, words } from '../ui/format';

type State = Record<string, unknown> | null;

const figureField = (field: string): FigureFieldSpec | undefined =>
  field in FIGURE_FIELD ? (FIGURE_FIELD[field as FigureFieldName] as FigureFieldSpec) : undefined;

/** A field's label: a figure field's grid header (Low and High named apart), else the column in words. */
export function fieldLabel(entity: ConflictView['entity'], field: string): string {
  const spec = entity === 'figure' ? figureField(field) : undefined;
  if (spec?.grid && 'header' in spec.grid && spec.grid.column === field.replace(/_id$/, '')) return spec.grid.header;
  return words(field.replace(/_id$/, ''));
}

/** A value as text; a reference by the name the catalog has for it ('' for none). */
export function valueText(catalog: Catalog, entity: ConflictView['entity'], field: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  const spec = entity === 'figure' ? figureField(field) : undefined;
  if (spec?.kind === 'ref' && typeof value === 'string') {
    const name =
      spec.entity === 'metric'
        ? catalog.metric(value)?.label
        : spec.entity === 'source'
          ? catalog.source(value)?.name
          : spec.entity === 'citation'
            ? catalog.citation(value)?.title
            : catalog.location(value)?.name;
    return name ?? value;
  }
  if (typeof value === 'number') return formatNumber(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** What the conflict is about, in a line: a figure by metric, claimant and date; anything else by its name. */
export function conflictTitle(catalog: Catalog, conflict: ConflictView): string {
  const state: State = conflict.a.state ?? conflict.b.state ?? conflict.base;
  if (!state) return `${words(conflict.entity)} ${conflict.entity_id}`;
  if (conflict.entity === 'figure') {
    const metric = valueText(catalog, 'figure', 'metric_id', state.metric_id);
    const source = valueText(catalog, 'figure', 'source_id', state.source_id);
    const when = state.as_of ?? state.period_start ?? '';
    return `Figure: ${metric} — ${source}${when ? `, ${when}` : ''}`;
  }
  const name = state.name ?? state.title ?? state.label ?? state.code ?? state.word ?? conflict.entity_id;
  return `${words(conflict.entity)}: ${String(name)}`;
}
