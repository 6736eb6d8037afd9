-- Schema 6: a citation holds its document. The text an analyst pasted or read from a .txt or .html file is kept
-- in the workbook, so it travels with the file, with the sha256 of that text (UTF-8) to show it is the one read.
-- One document per citation; attaching another replaces its text through a logged, undoable update. Independent
-- of schemas 4 and 5: a table of its own, and change_log's list of entities gains 'document' by code
-- (src/core/store/loggedEntities.ts), from whatever list the log holds when this runs.
CREATE TABLE document (
  id          TEXT PRIMARY KEY,
  citation_id TEXT NOT NULL UNIQUE REFERENCES citation (id),
  -- the file it was read from (its name only), null when pasted
  name        TEXT,
  -- what the analyst gave: the stored text is always plain (an HTML file's text, without its markup)
  media_type  TEXT NOT NULL CHECK (media_type IN ('text/plain','text/html')),
  text        TEXT NOT NULL,
  sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  updated_by  TEXT NOT NULL
);
