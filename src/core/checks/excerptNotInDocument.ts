// An excerpt that is not the words of its citation's document: the citation holds the document's text, and the
// excerpt is not in it (whitespace, quote marks and direction marks normalised; an ellipsis stands for words left
// out). A citation without a document is not checked. Found in code, a page of figures at a time, each document's
// text read once: a match of normalised text is no thing SQL does.
import type Database from 'better-sqlite3';
import { excerptInDocument } from '../../shared/excerptMatch';
import type { Check } from './check';

const PAGE = 5000;

export const excerptNotInDocument: Check = {
  kind: 'excerpt_not_in_document',
  level: 'figure',
  readsMetrics: false,
  find: (db: Database.Database, candidates: string, emit) => {
    const page = db.prepare(
      `SELECT c.id, c.source_id, c.metric_id, c.citation_id, c.excerpt FROM (${candidates}) c
        WHERE c.excerpt IS NOT NULL AND c.excerpt <> '' AND c.id > ?
          AND EXISTS (SELECT 1 FROM document d WHERE d.citation_id = c.citation_id)
        ORDER BY c.id LIMIT ${PAGE}`,
    );
    const textOf = db.prepare('SELECT text FROM document WHERE citation_id = ?').pluck();
    const texts = new Map<string, string>();
    let after = '';
    for (;;) {
      const rows = page.all(after) as Array<{ id: string; source_id: string; metric_id: string; citation_id: string; excerpt: string }>;
      for (const f of rows) {
        let text = texts.get(f.citation_id);
        if (text === undefined) texts.set(f.citation_id, (text = textOf.get(f.citation_id) as string));
        if (excerptInDocument(f.excerpt, text)) continue;
        emit({
          figure_ids: JSON.stringify([f.id]),
          facts: JSON.stringify({ source_id: f.source_id, metric_id: f.metric_id, citation_id: f.citation_id }),
          valid_until: null,
        });
      }
      if (rows.length < PAGE) return;
      after = rows.at(-1)!.id;
    }
  },
  message: (f, n) => `${n.sources(f.source_id)} ${n.metric(f.metric_id)}: the excerpt is not in the text of its citation's document`,
};
