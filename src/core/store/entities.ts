// Sources, citations, metrics and locations: created, edited and merged through the single write path.
import type { z } from 'zod';
import { type Entity, metricWholes } from '../../shared/domain';
import { WorkbenchError } from '../../shared/errors';
import { CitationFields, LocationFields, MetricFields, SourceFields, zodProblems } from '../../shared/schemas';
import type { Row, Transaction } from './changeWriter';
import { mergeDocuments } from './documents';
import { invalid } from './figures';
import { newId } from './ids';

export type ReferenceEntity = 'source' | 'citation' | 'metric' | 'location';

interface EntityRules {
  fields: z.ZodType;
  /** a column whose value must be unique (case-insensitively), if any */
  unique?: { column: string; label: string };
}

const RULES: Record<ReferenceEntity, EntityRules> = {
  source: { fields: SourceFields, unique: { column: 'name', label: 'a source named' } },
  citation: { fields: CitationFields },
  metric: { fields: MetricFields, unique: { column: 'code', label: 'a metric with code' } },
  location: { fields: LocationFields, unique: { column: 'name', label: 'a location named' } },
};

export function createEntity(tx: Transaction, entity: ReferenceEntity, input: unknown, id = newId()): Row {
  const parsed = RULES[entity].fields.safeParse(input);
  if (!parsed.success) throw invalid(zodProblems(parsed.error));
  const fields = parsed.data as Row;
  assertUnique(tx, entity, fields, null);
  if (entity === 'location') assertParent(tx, id, fields.parent_id as string | null);
  if (entity === 'metric') assertWholes(tx, fields);
  return tx.insert(entity, { ...fields, id });
}

export function updateEntity(tx: Transaction, entity: ReferenceEntity, id: string, patch: Row): Row {
  const current = tx.require(entity, id);
  // Validate the merged entity, so cross-field rules (a citation needs a title or a URL) hold after the edit.
  const merged = RULES[entity].fields.safeParse({ ...stripStamps(current), ...patch });
  if (!merged.success) throw invalid(zodProblems(merged.error));
  const values = merged.data as Row;
  assertUnique(tx, entity, values, id);
  if (entity === 'location') assertParent(tx, id, values.parent_id as string | null);
  if (entity === 'metric' && 'part_of' in patch) assertWholes(tx, values);
  const changed: Row = {};
  for (const key of Object.keys(patch)) changed[key] = values[key];
  return tx.update(entity, id, changed);
}

/** What names each kind of entity: the figure columns, and the other entities' (a location's parent). */
const REFERRERS: Record<ReferenceEntity, Array<{ entity: 'figure' | 'location'; column: string }>> = {
  source: [
    { entity: 'figure', column: 'source_id' },
    { entity: 'figure', column: 'relayed_via_id' },
  ],
  citation: [{ entity: 'figure', column: 'citation_id' }],
  metric: [{ entity: 'figure', column: 'metric_id' }],
  location: [
    { entity: 'figure', column: 'location_id' },
    { entity: 'location', column: 'parent_id' },
  ],
};

/**
 * Merges duplicates into the one to keep: every figure that names a merged entity (a source as claimant or relay,
 * a citation, a metric, a location) and every location inside a merged one is repointed, each repointing logged
 * (and a merged citation's document with them), then the duplicates are deleted, each leaving an alias to the one
 * kept (all logged, undoable).
 */
export function mergeEntities(tx: Transaction, entity: ReferenceEntity, keepId: string, mergeIds: string[]): Row {
  const keep = tx.require(entity, keepId);
  for (const mergeId of mergeIds) {
    if (mergeId === keepId) throw new WorkbenchError('validation', 'cannot merge an entry into itself', { place: { field: 'merge_ids', value: mergeId } });
    tx.require(entity, mergeId);
    repointReferrers(tx, entity, mergeId, keepId);
    if (entity === 'citation') mergeDocuments(tx, keepId, mergeId);
    tx.delete(entity, mergeId);
    // Another workbook that still names the merged one (it came from there, or went there) is merged later: its
    // figures and changes then land on the one kept (src/core/sync/changesets.ts reads the aliases), and the
    // aliases that named the merged one name the one kept.
    for (const aliasId of tx.query('SELECT id FROM alias WHERE target_id = ?').pluck().all(mergeId) as string[]) {
      tx.update('alias', aliasId, { target_id: keepId });
    }
    tx.insert('alias', { id: mergeId, entity, target_id: keepId, matched: `merged into ${keepId}` });
  }
  return keep;
}

/** Every figure (and location) that names `fromId` names `toId` instead, each change logged. */
export function repointReferrers(tx: Transaction, entity: ReferenceEntity, fromId: string, toId: string): void {
  for (const { entity: referrer, column } of REFERRERS[entity]) {
    const ids = tx.query(`SELECT id FROM ${referrer} WHERE ${column} = ?`).pluck().all(fromId) as string[];
    for (const referrerId of ids) {
      const row = tx.require(referrer, referrerId);
      const patch: Row = { [column]: toId };
      // A figure relayed by the source it is now claimed by would relay itself: drop the relay.
      if (column === 'relayed_via_id' && row.source_id === toId) patch[column] = null;
      if (column === 'source_id' && row.relayed_via_id === toId) patch.relayed_via_id = null;
      // the kept location inside the one merged into it would be inside itself: it keeps no parent
      if (column === 'parent_id' && referrerId === toId) patch[column] = null;
      tx.update(referrer, referrerId, patch);
    }
  }
}

/** Whether any figure (or location) names the entity. */
export function isReferred(tx: Transaction, entity: Entity, id: string): boolean {
  const referrers = REFERRERS[entity as ReferenceEntity] ?? [];
  return referrers.some(({ entity: referrer, column }) => tx.query(`SELECT 1 FROM ${referrer} WHERE ${column} = ? LIMIT 1`).get(id) !== undefined);
}

function assertUnique(tx: Transaction, entity: Entity, fields: Row, selfId: string | null): void {
  const unique = RULES[entity as ReferenceEntity]?.unique;
  if (!unique) return;
  const value = fields[unique.column];
  if (typeof value !== 'string') return;
  const other = tx.query(`SELECT id FROM ${entity} WHERE ${unique.column} = ? COLLATE NOCASE AND id IS NOT ?`).pluck().get(value, selfId) as string | undefined;
  if (other) {
    throw new WorkbenchError('conflict', `${unique.label} "${value}" already exists`, {
      place: { field: unique.column, value },
    });
  }
}

function assertParent(tx: Transaction, id: string, parentId: string | null): void {
  let cursor = parentId;
  const seen = new Set([id]);
  while (cursor !== null) {
    if (seen.has(cursor)) {
      throw new WorkbenchError('validation', 'a location cannot be inside itself', { place: { field: 'parent_id', value: parentId ?? '' } });
    }
    seen.add(cursor);
    const parent = tx.get('location', cursor);
    if (!parent) throw new WorkbenchError('not_found', `no location with id ${cursor}`, { place: { field: 'parent_id', value: cursor } });
    cursor = parent.parent_id as string | null;
  }
}

/** A metric is part of metrics that exist, and never, through them, of itself. */
function assertWholes(tx: Transaction, metric: Row): void {
  const wholesOf = (code: string): string[] => {
    if (code === metric.code) return metricWholes({ part_of: (metric.part_of as string | null) ?? null });
    const part = tx.query('SELECT part_of FROM metric WHERE code = ?').pluck().get(code) as string | null | undefined;
    return metricWholes({ part_of: part ?? null });
  };
  const place = { field: 'part_of', value: String(metric.part_of ?? '') };
  for (const whole of wholesOf(String(metric.code))) {
    if (whole !== metric.code && tx.query('SELECT 1 FROM metric WHERE code = ?').get(whole) === undefined) {
      throw new WorkbenchError('not_found', `no metric with code ${whole}`, { place });
    }
  }
  const seen = new Set<string>();
  const walk = (code: string): void => {
    for (const whole of wholesOf(code)) {
      if (whole === metric.code) throw new WorkbenchError('validation', `${metric.code} cannot be part of itself (through ${code})`, { place });
      if (seen.has(whole)) continue;
      seen.add(whole);
      walk(whole);
    }
  };
  walk(String(metric.code));
}

function stripStamps(row: Row): Row {
  const { id: _id, created_at: _ca, created_by: _cb, updated_at: _ua, updated_by: _ub, ...fields } = row;
  return fields;
}
