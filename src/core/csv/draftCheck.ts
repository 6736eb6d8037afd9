// A draft's figure checked by the shared schema (FigureFields) before its names are found or made: the reading
// thread checks every field but the references, standing in for the ids it cannot know; the writing thread puts
// the real ids in. The same schema, the same problems, in the same order: ids stand in only for ids that pass it.
import type { Problem } from '../../shared/errors';
import { csvColumnOfField } from '../../shared/fields';
import { FigureFields, referenceId } from '../../shared/schemas';
import type { ColumnPlan } from './columnPlan';
import { columnOfDraft, type FigureDraft } from './rowReader';

type Row = Record<string, unknown>;

export interface FigureRefs {
  metric_id: string;
  source_id: string;
  relayed_via_id: string | null;
  citation_id: string;
  location_id: string | null;
}

/**
 * What the reading thread found: 'as-drafted' when the schema's output is the draft's own fields (the usual case;
 * nothing more to send), the fields it gave otherwise, or the problems.
 */
export type DraftCheck = { fields: 'as-drafted' | Row } | { problems: Problem[] };

/** Stand-ins for the ids of what a draft names: null where it names nothing, as the real ids will be. */
function standInRefs(d: FigureDraft): FigureRefs {
  return {
    metric_id: STAND_IN,
    source_id: STAND_IN,
    relayed_via_id: d.relayed_via || d.relayed_via_id ? STAND_IN : null,
    citation_id: STAND_IN,
    location_id: d.location ? STAND_IN : null,
  };
}
const STAND_IN = 'x';

/** The figure a draft states, with these references, as FigureFields takes it. */
export function figureInput(d: FigureDraft, refs: FigureRefs): Row {
  // written out, not spread: a spread before literal properties is a slow path in V8 (a new shape per call)
  return {
    metric_id: refs.metric_id,
    source_id: refs.source_id,
    relayed_via_id: refs.relayed_via_id,
    citation_id: refs.citation_id,
    location_id: refs.location_id,
    value: d.quantity.value,
    low: d.quantity.low,
    high: d.quantity.high,
    qualifier: d.quantity.qualifier ?? 'exact',
    vague_words: d.quantity.words ?? d.vague_words,
    as_of: d.as_of,
    period_start: d.period_start,
    period_end: d.period_end,
    excerpt: d.excerpt,
    method: d.method,
    confidence: d.confidence,
    status: d.status ?? 'draft',
    retracted_reason: d.retracted_reason,
    note: d.note,
  };
}

/** FigureFields on the figure a draft states with `refs`: its fields, or its problems named by CSV column. */
export function checkFigure(plan: ColumnPlan, d: FigureDraft, refs: FigureRefs): { fields: Row } | { problems: Problem[] } {
  const input = figureInput(d, refs);
  const parsed = FigureFields.safeParse(input);
  if (parsed.success) return { fields: parsed.data as unknown as Row };
  const problems: Problem[] = [];
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'value');
    const column = csvColumnOfField(field) ?? field;
    const value = input[field] === null || input[field] === undefined ? '' : String(input[field]);
    problems.push({ row: d.row, column: columnOfDraft(plan, d.measure, column as never), value, reason: issue.message });
  }
  return { problems };
}

/** The reading thread's check of a draft, with stand-in ids. */
export function checkDraft(plan: ColumnPlan, d: FigureDraft): DraftCheck {
  const refs = standInRefs(d);
  const checked = checkFigure(plan, d, refs);
  if ('problems' in checked) return checked;
  const input = figureInput(d, refs);
  const same = Object.keys(checked.fields).length === Object.keys(input).length && Object.keys(input).every((k) => checked.fields[k] === input[k]);
  return { fields: same ? 'as-drafted' : checked.fields };
}

/**
 * The writing thread's figure: the reading thread's check with the real ids put in, when each id is one the schema
 * takes as it is (so the stand-ins said what the ids would); otherwise the schema run again here, on the real ids.
 */
export function figureWithRefs(plan: ColumnPlan, d: FigureDraft, check: DraftCheck | undefined, refs: FigureRefs, plain: (id: string) => boolean) {
  const idsAsTheyAre =
    plain(refs.metric_id) &&
    plain(refs.source_id) &&
    plain(refs.citation_id) &&
    (refs.relayed_via_id === null || plain(refs.relayed_via_id)) &&
    (refs.location_id === null || plain(refs.location_id));
  if (!check || !idsAsTheyAre) return checkFigure(plan, d, refs);
  if ('problems' in check) return check;
  return { fields: check.fields === 'as-drafted' ? figureInput(d, refs) : Object.assign({}, check.fields, refs) };
}

/** Remembers the ids that referenceId takes unchanged: a million figures name a few thousand. */
export function plainIds(): (id: string) => boolean {
  const known = new Set<string>();
  return (id) => {
    if (known.has(id)) return true;
    const parsed = referenceId.safeParse(id);
    if (!parsed.success || parsed.data !== id) return false;
    known.add(id);
    return true;
  };
}
