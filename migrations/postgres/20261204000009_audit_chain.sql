-- A tamper-evident audit log (issue 18). Each entry holds its place in the chain (seq), the hash
-- of the entry before it (prev_hash) and its own hash over both and its content, so changing,
-- removing or inserting an entry breaks the chain (`sentinel audit verify`). The server writes
-- all three, and the time: one clock and one chain whoever inserts, the app or plain SQL.
-- crates/registry/src/tables/audit_chain.rs computes the same hash to verify it.
ALTER TABLE audit_log ADD COLUMN seq BIGINT, ADD COLUMN prev_hash TEXT, ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_seq ON audit_log (seq);

-- One field of the hashed text: its length in bytes and itself, or '-' for NULL.
CREATE FUNCTION godconfig_audit_field(v text) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT coalesce(octet_length(v)::text || ':' || v, '-') $$;

CREATE FUNCTION godconfig_audit_hash(e audit_log) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(concat_ws(E'\n',
        coalesce(e.prev_hash, ''),
        e.seq::text,
        godconfig_audit_field(to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
        godconfig_audit_field(e.actor),
        godconfig_audit_field(e.action),
        godconfig_audit_field(e.provider_slug),
        godconfig_audit_field(e.sync_run_id::text),
        godconfig_audit_field(e.detail::text),
        godconfig_audit_field(e.before_json::text),
        godconfig_audit_field(e.after_json::text)), 'UTF8')), 'hex')
$$;

-- Entries written before this migration, chained in the order they were written.
DO $$
DECLARE
    r record;
    prev text;
    n bigint := 0;
BEGIN
    FOR r IN SELECT id FROM audit_log ORDER BY id LOOP
        n := n + 1;
        UPDATE audit_log SET seq = n, prev_hash = prev WHERE id = r.id;
        SELECT godconfig_audit_hash(a) INTO prev FROM audit_log a WHERE a.id = r.id;
        UPDATE audit_log SET hash = prev WHERE id = r.id;
    END LOOP;
END $$;

-- Chains each new entry under a lock (concurrent writers get consecutive places), with the
-- server's time. Named to run after every other BEFORE INSERT trigger (they fire in name
-- order): the actor stamped in team mode is part of the hash.
CREATE FUNCTION godconfig_audit_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last_seq bigint;
    last_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(2025120418);
    SELECT seq, hash INTO last_seq, last_hash FROM audit_log
        WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
    NEW.at := now();
    NEW.seq := coalesce(last_seq, 0) + 1;
    NEW.prev_hash := last_hash;
    NEW.hash := godconfig_audit_hash(NEW);
    RETURN NEW;
END $$;

CREATE TRIGGER godconfig_zz_audit_chain BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION godconfig_audit_chain();

CREATE FUNCTION godconfig_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit log entries cannot be changed or deleted'
        USING ERRCODE = '42501',
              HINT = 'the audit log is append-only; `sentinel audit verify` checks that it is intact';
END $$;

CREATE TRIGGER godconfig_audit_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION godconfig_audit_append_only();
CREATE TRIGGER godconfig_audit_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION godconfig_audit_append_only();

-- No object a session creates (a temporary table first of all) can stand in for these names.
DO $$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['godconfig_audit_field(text)', 'godconfig_audit_hash(audit_log)',
                             'godconfig_audit_chain()', 'godconfig_audit_append_only()'] LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, %I, pg_temp', f, current_schema());
    END LOOP;
END $$;
