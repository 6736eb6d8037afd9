// A citation's document: its text kept in the workbook with the text's sha256, attached and replaced through the
// single write path (a logged, undoable insert or update). Whatever it was given as (pasted text, a .txt, .html or
// .pdf file), the text is read here, in the core, so the CLI and the app keep the same text for the same file, and
// the sha256 is always of that text, UTF-8.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { CitationDocument, DocumentMediaType } from '../../shared/domain';
import { htmlText, plainText } from '../../shared/documentText';
import { WorkbenchError } from '../../shared/errors';
import { LIMITS } from '../../shared/fields';
import { pdfText } from '../pdfText';
import type { Row, Transaction } from './changeWriter';
import { newId } from './ids';

/** A document as given: its text, or (a PDF) its file's bytes as base64. */
export interface GivenDocument {
  citation_id: string;
  text?: string | undefined;
  base64?: string | undefined;
  media_type: DocumentMediaType;
  name: string | null;
}

/** A document as kept: its text read. */
export interface DocumentInput {
  citation_id: string;
  text: string;
  media_type: DocumentMediaType;
  name: string | null;
}

export function getDocument(db: Database.Database, citationId: string): CitationDocument | null {
  return (db.prepare('SELECT * FROM document WHERE citation_id = ?').get(citationId) as CitationDocument | undefined) ?? null;
}

/** The text the workbook keeps of a document as given. Before the write: reading a PDF takes a while. */
export async function readDocument(given: GivenDocument): Promise<DocumentInput> {
  const { citation_id, media_type, name } = given;
  let text: string;
  if (media_type === 'application/pdf') {
    const bytes = Buffer.from(given.base64 ?? '', 'base64');
    const label = name ?? 'the PDF';
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') {
      throw new WorkbenchError('validation', `${label}: not a PDF (a PDF file starts with %PDF-)`, { place: { field: 'base64', value: name ?? '' } });
    }
    text = await pdfText(bytes, label);
  } else {
    text = media_type === 'text/html' ? htmlText(given.text ?? '') : plainText(given.text ?? '');
  }
  if (text.length > LIMITS.document) {
    throw new WorkbenchError('validation', `the document's text is longer than ${LIMITS.document} characters`, { place: { field: 'text', value: name ?? '' } });
  }
  return { citation_id, media_type, name, text };
}

/** Attaches the text to its citation, or replaces the text it holds. Returns the document as stored. */
export function attachDocument(tx: Transaction, input: DocumentInput): Row {
  tx.require('citation', input.citation_id);
  const { text } = input;
  if (text === '') {
    throw new WorkbenchError('validation', 'the document has no text to keep', { place: { field: 'text', value: text } });
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
