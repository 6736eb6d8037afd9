-- Server schema 2: a transaction too big for one row is kept in parts. A million-figure import is one workbook
-- transaction, and its entries as one JSON text would pass what a client can hold as one string and what one
-- PostgreSQL value may be (1 GB). Its entries are pushed in parts, numbered from 0, in consecutive seqs of the one
-- push that holds them all (pushes take seq one at a time, schema 1); `last` marks the part that ends it. A pull
-- puts the parts back together before it applies the transaction. Rows pushed before are parts 0, last.
ALTER TABLE workbench.changeset
  ADD COLUMN part integer NOT NULL DEFAULT 0 CHECK (part >= 0),
  ADD COLUMN last boolean NOT NULL DEFAULT true;
ALTER TABLE workbench.changeset DROP CONSTRAINT changeset_txn_key;
ALTER TABLE workbench.changeset ADD CONSTRAINT changeset_txn_part_key UNIQUE (txn, part);
GRANT INSERT (part, last) ON workbench.changeset TO workbench_editor;
