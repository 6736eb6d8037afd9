-- Schema 7: a citation's document may be given as a PDF, whose text the core reads off its pages (pdf.js). The
-- stored text and its sha256 follow the same rule as for a .txt or .html file: plain text, hashed as UTF-8. SQLite
-- cannot alter a CHECK, so the table is made anew with the wider list and its rows copied as they are
-- (https://www.sqlite.org/lang_altertable.html#otheralter); nothing references a document, and the runner checks
-- foreign keys before the commit.
CREATE TABLE document_new (
  id          TEXT PRIMARY KEY,
  citation_id TEXT NOT NULL UNIQUE REFERENCES citation (id),
  -- the file it was read from (its name only), null when pasted
  name        TEXT,
  -- what the analyst gave: the stored text is always plain (an HTML file's text without its markup, a PDF's text)
  media_type  TEXT NOT NULL CHECK (media_type IN ('text/plain','text/html','application/pdf')),
  text        TEXT NOT NULL,
  sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  updated_by  TEXT NOT NULL
);
INSERT INTO document_new SELECT id, citation_id, name, media_type, text, sha256, created_at, created_by, updated_at, updated_by FROM document;
DROP TABLE document;
ALTER TABLE document_new RENAME TO document;
