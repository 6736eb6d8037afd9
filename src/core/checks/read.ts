// Reading the warnings: counts per kind, a page of them with their messages, and which figures have any open.
import type Database from 'better-sqlite3';
import type { WarningCount, WarningList, WarningQuery, WarningView } from '../../shared/api';
import { WARNING_KINDS, type WarningKind } from '../../shared/warnings';
import type { Facts, Names } from './check';
import { CHECKS } from './kinds';
import { today } from './refresh';

/** Still holding today (a date in the future stops being one), with its dismissal if any. */
const HELD = `FROM warning w LEFT JOIN dismissal d ON d.kind = w.kind AND d.figure_ids = w.figure_ids
              WHERE (w.valid_until IS NULL OR w.valid_until >= @today)`;

export function warningCounts(db: Database.Database, date = today()): WarningCount[] {
  const rows = db.prepare(`SELECT w.kind, count(*) - count(d.id) AS open, count(d.id) AS dismissed ${HELD} GROUP BY w.kind`).all({ today: date }) as Array<{
    kind: WarningKind;
    open: number;
    dismissed: number;
  }>;
  const byKind = new Map(rows.map((r) => [r.kind, r]));
  return WARNING_KINDS.map((kind) => ({ kind, open: byKind.get(kind)?.open ?? 0, dismissed: byKind.get(kind)?.dismissed ?? 0 }));
}

export function listWarnings(db: Database.Database, query: WarningQuery, date = today()): WarningList {
  const where: string[] = [];
  const params: Record<string, unknown> = { today: date, limit: query.limit, offset: query.offset };
  if (query.kind) {
    where.push('w.kind = @kind');
    params.kind = query.kind;
  }
  if (query.figure_id) {
    where.push('w.id IN (SELECT warning_id FROM warning_figure WHERE figure_id = @figure_id)');
    params.figure_id = query.figure_id;
  }
  if (!query.dismissed) where.push('d.id IS NULL');
  const filter = where.map((w) => ` AND ${w}`).join('');
  const order = `CASE w.kind ${WARNING_KINDS.map((k, i) => `WHEN '${k}' THEN ${i}`).join(' ')} END, w.id`;
  const rows = db
    .prepare(
      `SELECT w.kind, w.figure_ids, w.facts, d.id AS dismissal_id, d.reason, d.created_by, d.created_at
       ${HELD}${filter} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    )
    .all(params) as Array<{
    kind: WarningKind;
    figure_ids: string;
    facts: string;
    dismissal_id: string | null;
    reason: string | null;
    created_by: string | null;
    created_at: string | null;
  }>;
  const total = db.prepare(`SELECT count(*) ${HELD}${filter}`).pluck().get(params) as number;
  const names = nameLookup(db, date);
  const warnings: WarningView[] = rows.map((r) => ({
    kind: r.kind,
    figure_ids: JSON.parse(r.figure_ids) as string[],
    message: CHECKS[r.kind].message(JSON.parse(r.facts) as Facts, names),
    dismissal: r.dismissal_id ? { id: r.dismissal_id, reason: r.reason!, by: r.created_by!, at: r.created_at! } : null,
  }));
  return { counts: query.counts ? warningCounts(db, date) : [], total, warnings };
}

/** The open warnings' kinds of each of the given figures that has any: what a row's marker shows. */
export function figureWarnings(db: Database.Database, figureIds: string[], date = today()): Array<{ figure_id: string; kinds: WarningKind[] }> {
  if (figureIds.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT wf.figure_id, json_group_array(DISTINCT w.kind) AS kinds
         FROM json_each(@ids) j
         JOIN warning_figure wf ON wf.figure_id = j.value
         JOIN warning w ON w.id = wf.warning_id
         LEFT JOIN dismissal d ON d.kind = w.kind AND d.figure_ids = w.figure_ids
        WHERE d.id IS NULL AND (w.valid_until IS NULL OR w.valid_until >= @today)
        GROUP BY wf.figure_id`,
    )
    .all({ ids: JSON.stringify(figureIds), today: date }) as Array<{ figure_id: string; kinds: string }>;
  return rows.map((r) => ({ figure_id: r.figure_id, kinds: JSON.parse(r.kinds) as WarningKind[] }));
}

/** Names by id, read once per list: the sources, metrics and locations are few beside the figures. */
function nameLookup(db: Database.Database, date: string): Names {
  const map = (sql: string) => new Map((db.prepare(sql).all() as Array<{ id: string; name: string }>).map((r) => [r.id, r.name]));
  const sources = map('SELECT id, name FROM source');
  const metrics = map('SELECT id, label AS name FROM metric');
  const units = map('SELECT id, unit AS name FROM metric');
  const locations = map('SELECT id, name FROM location');
  const source = (id: unknown) => sources.get(String(id)) ?? 'an unknown source';
  return {
    source,
    sources: (id) => {
      const name = source(id);
      return name.endsWith('s') ? `${name}'` : `${name}'s`;
    },
    metric: (id) => metrics.get(String(id))?.toLowerCase() ?? 'an unknown metric',
    unit: (id) => units.get(String(id)) ?? '',
    location: (id) => (id === null ? 'no location' : (locations.get(String(id)) ?? 'an unknown location')),
    today: date,
  };
}
