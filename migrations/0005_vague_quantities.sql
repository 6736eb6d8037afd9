-- Schema 5: vague quantities. A figure keeps the words its number was read from ("dozens": at least 12), and the
-- workbook keeps the rule table that reads them, so that the rules travel with the file. Independent of schema 4:
-- a column and a table of its own; the change log's list of entities gains vague_rule by code
-- (src/core/store/vagueMigration.ts), from whatever list the log holds when this runs, which also seeds the
-- default rules through the change log.
ALTER TABLE figure ADD COLUMN vague_words TEXT CHECK (vague_words IS NULL OR length(vague_words) BETWEEN 1 AND 300);

CREATE TABLE vague_rule (
  id         TEXT PRIMARY KEY,
  word       TEXT NOT NULL CHECK (length(word) BETWEEN 1 AND 100),
  value      REAL NOT NULL CHECK (value >= 0),
  qualifier  TEXT NOT NULL DEFAULT 'at_least'
             CHECK (qualifier IN ('exact','approximately','at_least','more_than','at_most','up_to','less_than')),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
-- the reader looks words up case-blind: two rules for "Dozens" and "dozens" would contradict each other
CREATE UNIQUE INDEX vague_rule_word ON vague_rule (word COLLATE NOCASE);
