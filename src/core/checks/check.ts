// What one kind of check is: the figures it reads (its level), and how it finds its warnings and words them.
import type Database from 'better-sqlite3';
import type { WarningKind } from '../../shared/warnings';

/**
 * Which figures a change to one figure can bring into a warning of a kind, or take out of one:
 * figure — only itself; series — its claimant's figures of the metric at the location (a running total);
 * day — its claimant's figures at the location on its date, of any metric (parts and wholes);
 * claim — its claimant's figures of the metric at the location on its date.
 */
export type Level = 'figure' | 'series' | 'day' | 'claim';

/** A warning as a check finds it: its figures (a JSON array of ids, sorted), what it found, and how long it holds. */
export interface Found {
  figure_ids: string;
  facts: string;
  /** the last day the warning holds, for one bound to today's date; null: until the figures change */
  valid_until: string | null;
}

/** The names a message uses, looked up by id. */
export interface Names {
  source(id: unknown): string;
  /** the source's name as a possessive: Gaza Ministry of Health's, Israel Defense Forces' */
  sources(id: unknown): string;
  metric(id: unknown): string;
  unit(id: unknown): string;
  location(id: unknown): string;
  today: string;
}

export type Facts = Record<string, unknown>;

export interface Check {
  kind: WarningKind;
  level: Level;
  /** reads what metrics say (kind, part_of, unit, jump_factor): found again everywhere when a metric changes */
  readsMetrics: boolean;
  /**
   * SQL over `candidates` (the figures in scope, not retracted, with their bounds lo and hi) giving rows of
   * (figure_ids, facts, valid_until); @today is today's date. Or, for a check SQL cannot make, `find`.
   */
  sql?: string;
  find?: (db: Database.Database, candidates: string, emit: (found: Found) => void) => void;
  message(facts: Facts, names: Names): string;
}

/** A count as people read it: 35,456; 12.5. */
export function formatCount(n: unknown): string {
  return typeof n === 'number' ? n.toLocaleString('en-US', { maximumFractionDigits: 3 }) : String(n);
}
