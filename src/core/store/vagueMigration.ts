// Schema 5's code step (migrations/0005_vague_quantities.sql): change_log's CHECK on its entity column learns
// vague_rule, and the default rule table is written through the change log. The CHECK is edited from the table's
// own SQL rather than restated, so that whatever entities an earlier migration added stay allowed.
import type Database from 'better-sqlite3';
import { DEFAULT_VAGUE_RULES } from '../../shared/domain';
import { ChangeWriter } from './changeWriter';
import { allowLoggedEntity } from './loggedEntities';
import { newId } from './ids';

export function addVagueRules(db: Database.Database): void {
  allowLoggedEntity(db, 'vague_rule');
  // A new file has an empty log: the workbook seeds it with its built-ins (workbook.ts), and a file made to replay
  // a log into must stay empty. A workbook in use gets the default rules here.
  if (db.prepare('SELECT count(*) FROM change_log').pluck().get() === 0) return;
  seedVagueRules(new ChangeWriter(db), 'workbench');
}

export function seedVagueRules(writer: ChangeWriter, by: string): void {
  writer.transact({ by, why: 'the default rule table of vague quantities' }, (tx) => {
    for (const rule of DEFAULT_VAGUE_RULES) tx.insert('vague_rule', { id: newId(), ...rule });
  });
}
