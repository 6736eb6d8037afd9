-- Server schema 1: the team's PostgreSQL server keeps every workbook transaction pushed to it, in push order, and
-- who may do what is PostgreSQL's own roles and grants. Applied by src/core/sync/server/schema.ts in one transaction,
-- after it made the schema `workbench` and its `server` table (the server's id and schema version).

-- One row per workbook transaction: its txn id (a UUIDv7, the same in every workbook), when and by whom it was made
-- and why, and its entries as the changeset primitive has them (src/core/sync/changesets.ts). json, not jsonb: the
-- text is kept as pushed, so every workbook applies the very same values. seq is the order pulls follow.
CREATE TABLE workbench.changeset (
  seq       bigserial PRIMARY KEY,
  txn       text NOT NULL UNIQUE,
  at        text NOT NULL,
  by        text NOT NULL,
  why       text,
  -- the import batch its changes came from, when they came from a file
  import_batch_id text,
  entries   json NOT NULL,
  -- the login that pushed it, set by the server (editors may not write these columns)
  pushed_by name NOT NULL DEFAULT session_user,
  pushed_at timestamptz NOT NULL DEFAULT now()
);

-- History is append-only here as in the workbook: no grant allows UPDATE or DELETE, and this refuses them to the
-- owner too.
CREATE FUNCTION workbench.changeset_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'workbench.changeset is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER changeset_no_update BEFORE UPDATE OR DELETE ON workbench.changeset
  FOR EACH ROW EXECUTE FUNCTION workbench.changeset_append_only();
CREATE TRIGGER changeset_no_truncate BEFORE TRUNCATE ON workbench.changeset
  FOR EACH STATEMENT EXECUTE FUNCTION workbench.changeset_append_only();

-- Pushes take seq values one transaction at a time, held until commit, so seq order is commit order: a pull that
-- sees seq N has seen every seq below N that will ever commit, and "seq > the last pulled" never skips a late
-- commit. (A statement trigger fires before the rows' defaults draw from the sequence.)
CREATE FUNCTION workbench.changeset_in_commit_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('workbench.changeset'));
  RETURN NULL;
END
$$;
CREATE TRIGGER changeset_one_push_at_a_time BEFORE INSERT ON workbench.changeset
  FOR EACH STATEMENT EXECUTE FUNCTION workbench.changeset_in_commit_order();

-- LISTEN workbench_changeset: told at the push's commit the highest seq it added and who pushed it.
CREATE FUNCTION workbench.changeset_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  top bigint;
BEGIN
  SELECT max(seq) INTO top FROM pushed;
  IF top IS NOT NULL THEN
    PERFORM pg_notify('workbench_changeset', json_build_object('seq', top, 'pushed_by', session_user)::text);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER changeset_pushed AFTER INSERT ON workbench.changeset
  REFERENCING NEW TABLE AS pushed FOR EACH STATEMENT EXECUTE FUNCTION workbench.changeset_notify();

-- The roles: viewers read, editors also push. Roles belong to the whole cluster, so another database's init may
-- have made them already. Logins are members of one of them (`workbench server add-user`).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'workbench_viewer') THEN
    CREATE ROLE workbench_viewer NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'workbench_editor') THEN
    CREATE ROLE workbench_editor NOLOGIN IN ROLE workbench_viewer;
  END IF;
END
$$;
REVOKE ALL ON SCHEMA workbench FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA workbench FROM PUBLIC;
GRANT USAGE ON SCHEMA workbench TO workbench_viewer;
GRANT SELECT ON workbench.server, workbench.changeset TO workbench_viewer;
GRANT INSERT (txn, at, by, why, import_batch_id, entries) ON workbench.changeset TO workbench_editor;
GRANT USAGE ON SEQUENCE workbench.changeset_seq_seq TO workbench_editor;
