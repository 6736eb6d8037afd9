// A citation's document: its text kept in the workbook with the text's sha256, attached and replaced through the
// single write path (a logged, undoable insert or update).
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { CitationDocument, DocumentMediaType } from '../../shared/domain';
import { htmlText, plainText } from '../../shared/documentText';
import { WorkbenchError } from '../../shared/errors';
import type { Row, Transaction } from './changeWriter';
import { newId } from './ids';

export interface DocumentInput {
  citation_id: string;
  text: string;
  media_type: DocumentMediaType;
  name: string | null;
}

export function getDocument(db: Database.Database, citationId: string): CitationDocument | null {
  return (db.prepare('SELECT * FROM document WHERE citation_id = ?').get(citationId) as CitationDocument | undefined) ?? null;
}

/** Attaches the text to its citation, or replaces the text it holds. Returns the document as stored. */
export function attachDocument(tx: Transaction, input: DocumentInput): Row {
  tx.require('citation', input.citation_id);
  const text = input.media_type === 'text/html' ? htmlText(input.text) : plainText(input.text);
  if (text === '') {
    throw new WorkbenchError('validation', 'the document has no text to keep', { place: { field: 'text', value: input.text.slice(0, 80) } });
  }
  const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
  const fields = { name: input.name, media_type: input.media_type, text, sha256 };
  const existing = tx.query('SELECT id FROM document WHERE citation_id = ?').pluck().get(input.citation_id) as string | undefined;
  if (existing) return tx.update('document', existing, fields);
  return tx.insert('document', { id: newId(), citation_id: input.citation_id, ...fields });
}

/**
 * A merge of citations keeps one document: the kept citation's, else the first merged one's, repointed. Two
 * different texts are refused rather than one dropped: the analyst decides which document is the citation's.
 */
export function mergeDocuments(tx: Transaction, keepId: string, mergeId: string): void {
  const merged = tx.query('SELECT id, sha256 FROM document WHERE citation_id = ?').get(mergeId) as { id: string; sha256: string } | undefined;
  if (!merged) return;
  const kept = tx.query('SELECT id, sha256 FROM document WHERE citation_id = ?').get(keepId) as { id: string; sha256: string } | undefined;
  if (!kept) {
    tx.update('document', merged.id, { citation_id: keepId });
  } else if (kept.sha256 === merged.sha256) {
    tx.delete('document', merged.id);
  } else {
    throw new WorkbenchError('conflict', `both citations hold a document, and the texts differ: attach the right text to citation ${keepId}, then merge`, {
      place: { field: 'merge_ids', value: mergeId },
    });
  }
}
