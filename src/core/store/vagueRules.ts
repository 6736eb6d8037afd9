// The workbook's rule table of vague quantities ("dozens": at least 12), which the one cell reader reads value
// cells by on every path. Edited through the single write path, like every other entity.
import type Database from 'better-sqlite3';
import type { VagueRule } from '../../shared/domain';
import { WorkbenchError } from '../../shared/errors';
import { VagueRuleFields, zodProblems } from '../../shared/schemas';
import type { Row, Transaction } from './changeWriter';
import { invalid } from './figures';
import { newId } from './ids';

export function listVagueRules(db: Database.Database): VagueRule[] {
  return db.prepare('SELECT * FROM vague_rule ORDER BY value, word COLLATE NOCASE').all() as VagueRule[];
}

export function createVagueRule(tx: Transaction, input: unknown): Row {
  const parsed = VagueRuleFields.safeParse(input);
  if (!parsed.success) throw invalid(zodProblems(parsed.error));
  assertUniqueWord(tx, parsed.data.word, null);
  return tx.insert('vague_rule', { id: newId(), ...parsed.data });
}

export function updateVagueRule(tx: Transaction, id: string, patch: Row): Row {
  const { id: _, created_at: _ca, created_by: _cb, updated_at: _ua, updated_by: _ub, ...current } = tx.require('vague_rule', id);
  const merged = VagueRuleFields.safeParse({ ...current, ...patch });
  if (!merged.success) throw invalid(zodProblems(merged.error));
  assertUniqueWord(tx, merged.data.word, id);
  return tx.update('vague_rule', id, merged.data);
}

/** A rule nothing refers to: figures keep their words and numbers whatever becomes of the rule they were read by. */
export function deleteVagueRule(tx: Transaction, id: string): Row {
  return tx.delete('vague_rule', id);
}

function assertUniqueWord(tx: Transaction, word: string, selfId: string | null): void {
  const other = tx.query('SELECT id FROM vague_rule WHERE word = ? COLLATE NOCASE AND id IS NOT ?').pluck().get(word, selfId);
  if (other) throw new WorkbenchError('conflict', `a rule for "${word}" already exists`, { place: { field: 'word', value: word } });
}
