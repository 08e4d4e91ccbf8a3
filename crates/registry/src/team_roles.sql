-- Team mode (`sentinel db init-roles`): the roles, grants, row-level security and triggers with
-- which PostgreSQL itself decides who may do what. Run by the owner of the registry's tables, with
-- CREATEROLE (or as a superuser). Idempotent: every run revokes and grants the same set again.
--
-- godconfig_reader     read everything, write the audit log and UTM links (every role has it)
-- godconfig_operator   approve, reject, revoke
-- godconfig_admin      gating, firearm types, core KPIs and mappings, UTM templates, team policy
-- godconfig_developer  vault metadata of their own keys
-- godconfig_sentinel   sync (what manifests declare); the CI's login role
--
-- People log in as their own role (CREATE ROLE alice LOGIN) and are granted one or more of these.

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['godconfig_reader', 'godconfig_operator', 'godconfig_admin',
                             'godconfig_developer', 'godconfig_sentinel'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END $$;

GRANT godconfig_reader TO godconfig_operator, godconfig_admin, godconfig_developer, godconfig_sentinel;

DO $$
DECLARE
    s text := current_schema();
BEGIN
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM godconfig_reader, godconfig_operator, '
                   'godconfig_admin, godconfig_developer, godconfig_sentinel', s);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO godconfig_reader', s);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO godconfig_reader', s);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO godconfig_reader', s);
END $$;

GRANT INSERT ON audit_log, utm_links TO godconfig_reader;

GRANT INSERT, UPDATE ON connector_providers, sync_runs TO godconfig_sentinel;
GRANT INSERT, UPDATE, DELETE ON connector_scopes, platform_metrics, connector_utm_capabilities,
    connector_operations, connector_secrets, manifest_problems TO godconfig_sentinel;
-- Files are content-addressed and written once: the sentinel adds, nobody rewrites.
GRANT INSERT ON file_blobs, fingerprint_files TO godconfig_sentinel;
-- A documentation-only change keeps an approval and moves it to the new fingerprint.
GRANT UPDATE (fingerprint) ON connector_approvals TO godconfig_sentinel;

-- Status changes: the approve trigger below decides who may set `approved` or `rejected`;
-- sending a connector back to draft is open to the roles whose changes can cause it.
GRANT UPDATE (status, is_approved, status_reason) ON connector_providers
    TO godconfig_operator, godconfig_admin;
-- The approval triggers below decide what an operator's write to an approval may be.
GRANT INSERT, UPDATE, DELETE ON connector_approvals TO godconfig_operator;

GRANT INSERT, UPDATE, DELETE ON scope_gating, firearm_types, core_kpis, kpi_mappings, utm_templates
    TO godconfig_admin;
GRANT UPDATE (four_eyes, approval_expiry_days, version) ON team_policy TO godconfig_admin;

GRANT INSERT, UPDATE, DELETE ON connector_dev_accounts TO godconfig_developer;

-- The MCP gateway (issue 19): admins set tool policies; whoever runs a gateway opens the calls
-- that ask, and the trigger below decides who may answer them.
GRANT INSERT, UPDATE, DELETE ON tool_policies TO godconfig_admin;
GRANT INSERT ON pending_calls TO godconfig_reader;
GRANT UPDATE (answer, answered_by, answered_at, arguments) ON pending_calls TO godconfig_reader;

-- A developer changes only the metadata of keys they set; everyone reads all of it (names and
-- dates, never a secret). The table owner (who runs migrations) is not subject to it.
ALTER TABLE connector_dev_accounts ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS dev_accounts_read ON connector_dev_accounts;
DROP POLICY IF EXISTS dev_accounts_own ON connector_dev_accounts;
CREATE POLICY dev_accounts_read ON connector_dev_accounts FOR SELECT USING (true);
CREATE POLICY dev_accounts_own ON connector_dev_accounts FOR ALL TO godconfig_developer
    USING (set_by = session_user) WITH CHECK (set_by = session_user);

-- Who did it is the database's session_user: whatever name the app or a script sends is replaced.
CREATE OR REPLACE FUNCTION godconfig_stamp_actor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], session_user::text));
    RETURN NEW;
END $$;

DO $$
DECLARE
    t text[];
BEGIN
    FOREACH t SLICE 1 IN ARRAY ARRAY[
        ['audit_log', 'actor'], ['sync_runs', 'actor'], ['connector_approvals', 'approved_by'],
        ['scope_gating', 'changed_by'], ['kpi_mappings', 'changed_by'], ['utm_templates', 'changed_by'],
        ['connector_dev_accounts', 'set_by'], ['utm_links', 'created_by'],
        ['tool_policies', 'changed_by']] LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS godconfig_actor ON %I', t[1]);
        EXECUTE format('CREATE TRIGGER godconfig_actor BEFORE INSERT OR UPDATE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION godconfig_stamp_actor(%L)', t[1], t[2]);
    END LOOP;
END $$;

-- ---------------------------------------------------------------------------------------------
-- An approval binds (issue 18): the rules below hold whoever writes, the app or plain SQL.
-- Every function runs with a fixed search_path (set at the end of this script): pg_catalog
-- first, this schema, and pg_temp last, so no object a session creates can stand in for a name.

-- A fingerprint as the sentinel computes it (crates/registry/src/files.rs): sha256 over each
-- `path NUL hash LF`, in byte order of path. NULL if no files are recorded under it.
CREATE OR REPLACE FUNCTION godconfig_fingerprint_of(fp text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(string_agg(convert_to(path, 'UTF8') || '\x00'::bytea
        || convert_to(file_hash, 'UTF8') || '\x0a'::bytea, ''::bytea ORDER BY path COLLATE "C")), 'hex')
    FROM fingerprint_files WHERE fingerprint = fp
$$;

-- Whether the code (every file but the manifest and documentation) differs between two
-- fingerprints. A fingerprint whose recorded files do not hash to it counts as changed.
CREATE OR REPLACE FUNCTION godconfig_code_changed(old_fp text, new_fp text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT old_fp IS DISTINCT FROM new_fp AND (
        godconfig_fingerprint_of(old_fp) IS DISTINCT FROM old_fp
        OR godconfig_fingerprint_of(new_fp) IS DISTINCT FROM new_fp
        OR EXISTS (
            SELECT 1
            FROM (SELECT path, file_hash FROM fingerprint_files WHERE fingerprint = old_fp) o
            FULL JOIN (SELECT path, file_hash FROM fingerprint_files WHERE fingerprint = new_fp) n
                USING (path)
            WHERE path <> 'manifest.yaml' AND lower(path) NOT LIKE '%.md'
              AND o.file_hash IS DISTINCT FROM n.file_hash))
$$;

-- A stored file is what its hash says: the reviewer sees the code that runs.
CREATE OR REPLACE FUNCTION godconfig_blob_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.hash IS DISTINCT FROM encode(sha256(NEW.content), 'hex') THEN
        RAISE EXCEPTION 'file content does not match its hash %', NEW.hash USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS godconfig_blob_check ON file_blobs;
CREATE TRIGGER godconfig_blob_check BEFORE INSERT OR UPDATE ON file_blobs
    FOR EACH ROW EXECUTE FUNCTION godconfig_blob_check();

-- The risk an approval is given for: each scope's requires_firearm, each operation's scope.
CREATE OR REPLACE FUNCTION godconfig_risk(p_slug text) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'scopes', coalesce((SELECT jsonb_object_agg(name, requires_firearm)
                            FROM connector_scopes WHERE provider_slug = p_slug), '{}'::jsonb),
        'operations', coalesce((SELECT jsonb_object_agg(name, scope_name)
                                FROM connector_operations WHERE provider_slug = p_slug), '{}'::jsonb))
$$;

-- Why a connector no longer matches its approval, or NULL if it does.
CREATE OR REPLACE FUNCTION godconfig_binding_broken(p_slug text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    fp text;
    a record;
    what text;
BEGIN
    SELECT fingerprint INTO fp FROM connector_providers WHERE slug = p_slug;
    SELECT fingerprint, approved_risk INTO a FROM connector_approvals WHERE provider_slug = p_slug;
    IF NOT FOUND THEN
        RETURN 'it has no approval record';
    END IF;
    IF godconfig_code_changed(a.fingerprint, fp) THEN
        RETURN 'its code changed since it was approved';
    END IF;
    SELECT 'scope added or requires_firearm flipped: ' || s.name INTO what FROM connector_scopes s
        WHERE s.provider_slug = p_slug
          AND (a.approved_risk -> 'scopes' -> s.name) IS DISTINCT FROM to_jsonb(s.requires_firearm)
        ORDER BY s.name LIMIT 1;
    IF what IS NULL THEN
        SELECT 'operation added or moved to another scope: ' || o.name INTO what
            FROM connector_operations o
            WHERE o.provider_slug = p_slug
              AND (a.approved_risk -> 'operations' ->> o.name) IS DISTINCT FROM o.scope_name
            ORDER BY o.name LIMIT 1;
    END IF;
    RETURN what;
END $$;

-- Sends the approved connectors among `slugs` that no longer match their approval back to
-- draft, each with an audit entry. Runs as the owner: whoever's write caused it.
CREATE OR REPLACE FUNCTION godconfig_recheck(slugs text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    s text;
    why text;
BEGIN
    FOR s IN SELECT slug FROM connector_providers
             WHERE slug = ANY (slugs) AND status = 'approved' ORDER BY slug LOOP
        why := godconfig_binding_broken(s);
        CONTINUE WHEN why IS NULL;
        UPDATE connector_providers
            SET status = 'draft', is_approved = FALSE, status_reason = 'back to review: ' || why
            WHERE slug = s;
        INSERT INTO audit_log (at, actor, action, provider_slug, detail, before_json, after_json)
            VALUES (now(), session_user, 'registry.back_to_draft', s,
                    jsonb_build_object('reason', 'back to review: ' || why, 'enforced_by', 'database'),
                    '{"status": "approved"}', '{"status": "draft"}');
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION godconfig_recheck_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'connector_providers' THEN
        PERFORM godconfig_recheck(ARRAY(SELECT slug FROM changed));
    ELSE
        PERFORM godconfig_recheck(ARRAY(SELECT DISTINCT provider_slug FROM changed));
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE
    t text;
    e text;
BEGIN
    FOREACH t IN ARRAY ARRAY['connector_providers', 'connector_scopes', 'connector_operations'] LOOP
        FOREACH e IN ARRAY ARRAY['insert', 'update'] LOOP
            EXECUTE format('DROP TRIGGER IF EXISTS godconfig_recheck_%s ON %I', e, t);
            EXECUTE format('CREATE TRIGGER godconfig_recheck_%s AFTER %s ON %I '
                           'REFERENCING NEW TABLE AS changed FOR EACH STATEMENT '
                           'EXECUTE FUNCTION godconfig_recheck_rows()', e, e, t);
        END LOOP;
    END LOOP;
END $$;

-- An approval record is written once, by an operator, for the connector as registered, with
-- the server's time and risk. The one later change: the sentinel moves it to new files when
-- only documentation (or the manifest, judged by its risk) changed.
CREATE OR REPLACE FUNCTION godconfig_approval_record() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p record;
BEGIN
    SELECT status, manifest_hash, fingerprint INTO p FROM connector_providers
        WHERE slug = NEW.provider_slug;
    IF TG_OP = 'UPDATE' AND NEW.fingerprint IS DISTINCT FROM OLD.fingerprint
       AND (NEW.provider_slug, NEW.manifest_hash, NEW.manifest_snapshot, NEW.approved_at)
           IS NOT DISTINCT FROM (OLD.provider_slug, OLD.manifest_hash, OLD.manifest_snapshot, OLD.approved_at) THEN
        IF NEW.fingerprint IS DISTINCT FROM p.fingerprint OR godconfig_code_changed(OLD.fingerprint, NEW.fingerprint) THEN
            RAISE EXCEPTION 'the approval of % cannot move to files whose code differs', NEW.provider_slug
                USING ERRCODE = '42501', HINT = 'a code change goes back to review: an operator approves it again';
        END IF;
        NEW.approved_by := OLD.approved_by;
        NEW.approved_risk := OLD.approved_risk;
        RETURN NEW;
    END IF;
    IF NOT pg_has_role(session_user, 'godconfig_operator', 'USAGE') THEN
        RAISE EXCEPTION 'role % may not approve connectors', session_user USING ERRCODE = '42501',
            HINT = 'an operator does it; an owner grants the role: GRANT godconfig_operator TO ' || session_user;
    END IF;
    IF p.status = 'approved' THEN
        RAISE EXCEPTION 'the approval of % is in force and cannot be rewritten', NEW.provider_slug
            USING ERRCODE = '42501', HINT = 'revoke it first (sentinel revoke SLUG --reason ...), then approve again';
    END IF;
    IF (NEW.manifest_hash, NEW.fingerprint) IS DISTINCT FROM (p.manifest_hash, p.fingerprint) THEN
        RAISE EXCEPTION 'an approval of % must be for its registered manifest and files', NEW.provider_slug
            USING ERRCODE = '42501', HINT = 'approve what is registered: sentinel approve SLUG';
    END IF;
    NEW.approved_at := now();
    NEW.approved_risk := godconfig_risk(NEW.provider_slug);
    RETURN NEW;
END $$;

-- An approval in force is ended by revoking (status first), never by deleting its record.
CREATE OR REPLACE FUNCTION godconfig_approval_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM connector_providers WHERE slug = OLD.provider_slug AND status = 'approved') THEN
        RAISE EXCEPTION 'the approval of % is in force: revoke it, do not delete it', OLD.provider_slug
            USING ERRCODE = '42501', HINT = 'sentinel revoke SLUG --reason ...';
    END IF;
    RETURN OLD;
END $$;

-- Approvals in force before team mode get their risk now, from what is registered.
DROP TRIGGER IF EXISTS godconfig_approval_record ON connector_approvals;
DROP TRIGGER IF EXISTS godconfig_approval_delete ON connector_approvals;
UPDATE connector_approvals SET approved_risk = godconfig_risk(provider_slug) WHERE approved_risk IS NULL;
-- Named to run after godconfig_actor (BEFORE triggers fire in name order).
CREATE TRIGGER godconfig_approval_record BEFORE INSERT OR UPDATE ON connector_approvals
    FOR EACH ROW EXECUTE FUNCTION godconfig_approval_record();
CREATE TRIGGER godconfig_approval_delete BEFORE DELETE ON connector_approvals
    FOR EACH ROW EXECUTE FUNCTION godconfig_approval_delete();

-- Gating and mapping changes: the server's time, and a line in the append-only review log.
CREATE OR REPLACE FUNCTION godconfig_stamp_time() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed_at := now();
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION godconfig_log_review() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    r jsonb := to_jsonb(CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END);
BEGIN
    INSERT INTO review_log (provider_slug, kind, item, changed_by, changed_at)
        VALUES (r ->> 'provider_slug', TG_ARGV[0], r ->> TG_ARGV[1], session_user, now());
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION godconfig_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: its entries cannot be changed or deleted', TG_TABLE_NAME
        USING ERRCODE = '42501';
END $$;

DO $$
DECLARE
    t text[];
BEGIN
    FOREACH t SLICE 1 IN ARRAY ARRAY[['scope_gating', 'gating', 'scope_name'],
                                     ['kpi_mappings', 'mapping', 'metric_raw']] LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS godconfig_changed_at ON %I', t[1]);
        EXECUTE format('CREATE TRIGGER godconfig_changed_at BEFORE INSERT OR UPDATE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION godconfig_stamp_time()', t[1]);
        EXECUTE format('DROP TRIGGER IF EXISTS godconfig_review_log ON %I', t[1]);
        EXECUTE format('CREATE TRIGGER godconfig_review_log AFTER INSERT OR UPDATE OR DELETE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION godconfig_log_review(%L, %L)', t[1], t[2], t[3]);
    END LOOP;
END $$;

DROP TRIGGER IF EXISTS godconfig_append_only ON review_log;
CREATE TRIGGER godconfig_append_only BEFORE UPDATE OR DELETE ON review_log
    FOR EACH ROW EXECUTE FUNCTION godconfig_append_only();
DROP TRIGGER IF EXISTS godconfig_append_only_truncate ON review_log;
CREATE TRIGGER godconfig_append_only_truncate BEFORE TRUNCATE ON review_log
    FOR EACH STATEMENT EXECUTE FUNCTION godconfig_append_only();

-- Approving and rejecting are an operator's. Approving needs the approval record written in
-- the same transaction (its time is the server's `now()`, the transaction's start), and obeys
-- the four-eyes rule: nobody approves a connector whose gating or mappings they changed since
-- its last approval, whoever changed them last.
CREATE OR REPLACE FUNCTION godconfig_review_gate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    IF NEW.status NOT IN ('approved', 'rejected') OR (TG_OP = 'UPDATE' AND OLD.status = NEW.status) THEN
        RETURN NEW;
    END IF;
    -- A sync's upsert proposes each row as an INSERT first: keeping a status is no decision.
    IF TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM connector_providers WHERE slug = NEW.slug AND status = NEW.status) THEN
        RETURN NEW;
    END IF;
    IF NOT pg_has_role(session_user, 'godconfig_operator', 'USAGE') THEN
        RAISE EXCEPTION 'role % may not % connectors', session_user,
            CASE NEW.status WHEN 'approved' THEN 'approve' ELSE 'reject' END
            USING ERRCODE = '42501', HINT = 'an operator does it; an owner grants the role: GRANT godconfig_operator TO ' || session_user;
    END IF;
    IF NEW.status <> 'approved' THEN
        RETURN NEW;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM connector_approvals a WHERE a.provider_slug = NEW.slug
                   AND a.approved_at = now() AND a.fingerprint = NEW.fingerprint
                   AND a.manifest_hash = NEW.manifest_hash) THEN
        RAISE EXCEPTION 'an approval of % needs its approval record, written in the same transaction', NEW.slug
            USING ERRCODE = '42501', HINT = 'approve with sentinel approve SLUG or in the app';
    END IF;
    IF (SELECT four_eyes FROM team_policy WHERE id = 1) AND EXISTS (
        SELECT 1 FROM review_log l
        WHERE l.provider_slug = NEW.slug AND l.kind IN ('gating', 'mapping') AND l.changed_by = session_user
          AND l.id > coalesce((SELECT max(id) FROM review_log
                               WHERE provider_slug = NEW.slug AND kind = 'approval'), 0)) THEN
        RAISE EXCEPTION 'four-eyes rule: % changed the gating or mappings of % since its last approval, so another operator must approve it',
            session_user, NEW.slug USING ERRCODE = 'GC4EY';
    END IF;
    INSERT INTO review_log (provider_slug, kind, item, changed_by, changed_at)
        VALUES (NEW.slug, 'approval', NULL, session_user, now());
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS godconfig_review_gate ON connector_providers;
CREATE TRIGGER godconfig_review_gate BEFORE INSERT OR UPDATE ON connector_providers
    FOR EACH ROW EXECUTE FUNCTION godconfig_review_gate();

-- A change of the team policy is audited by the database, whoever makes it.
CREATE OR REPLACE FUNCTION godconfig_policy_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_log (at, actor, action, before_json, after_json)
        VALUES (now(), session_user, 'team.policy_changed',
                jsonb_build_object('team_mode', OLD.team_mode, 'four_eyes', OLD.four_eyes,
                                   'approval_expiry_days', OLD.approval_expiry_days, 'version', OLD.version),
                jsonb_build_object('team_mode', NEW.team_mode, 'four_eyes', NEW.four_eyes,
                                   'approval_expiry_days', NEW.approval_expiry_days, 'version', NEW.version));
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS godconfig_policy_audit ON team_policy;
CREATE TRIGGER godconfig_policy_audit AFTER UPDATE ON team_policy
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION godconfig_policy_audit();

-- A tool's policy change is audited by the database, whoever makes it (the app and the CLI
-- write no entry of their own in team mode).
CREATE OR REPLACE FUNCTION godconfig_tool_policy_audit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r jsonb := to_jsonb(CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END);
BEGIN
    INSERT INTO audit_log (at, actor, action, provider_slug, detail, before_json, after_json)
        VALUES (now(), session_user, 'mcp.policy_changed', r ->> 'provider_slug',
                jsonb_build_object('operation', r ->> 'operation', 'enforced_by', 'database'),
                jsonb_build_object('policy', CASE TG_OP WHEN 'INSERT' THEN NULL ELSE OLD.policy END),
                jsonb_build_object('policy', CASE TG_OP WHEN 'DELETE' THEN NULL ELSE NEW.policy END));
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS godconfig_tool_policy_audit ON tool_policies;
CREATE TRIGGER godconfig_tool_policy_audit AFTER INSERT OR UPDATE OR DELETE ON tool_policies
    FOR EACH ROW EXECUTE FUNCTION godconfig_tool_policy_audit();

-- A call that asks (issue 19): opened by any login with the server's time and name; answered
-- once, by an operator or an admin before its deadline (the server's clock), or closed as
-- `timeout` by the gateway that opened it or by anyone once the deadline has passed. The answer
-- is stamped with session_user and now(), and the arguments leave the table with it.
CREATE OR REPLACE FUNCTION godconfig_pending_call() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.deadline := now() + least(greatest(NEW.deadline - NEW.requested_at, interval '1 second'),
                                      interval '1 day');
        NEW.requested_at := now();
        NEW.requested_by := session_user;
        NEW.answer := NULL;
        NEW.answered_by := NULL;
        NEW.answered_at := NULL;
        RETURN NEW;
    END IF;
    IF OLD.answer IS NOT NULL THEN
        RAISE EXCEPTION 'tool call #% was already answered: %', OLD.id, OLD.answer
            USING ERRCODE = '42501', HINT = 'each call is answered once';
    END IF;
    IF NEW.answer IS NULL THEN
        RAISE EXCEPTION 'a tool call can only be answered' USING ERRCODE = '42501';
    END IF;
    IF NEW.answer = 'timeout' THEN
        IF session_user <> OLD.requested_by AND now() < OLD.deadline THEN
            RAISE EXCEPTION 'tool call #% has not reached its deadline', OLD.id USING ERRCODE = '42501';
        END IF;
    ELSE
        IF NOT (pg_has_role(session_user, 'godconfig_operator', 'USAGE')
                OR pg_has_role(session_user, 'godconfig_admin', 'USAGE')) THEN
            RAISE EXCEPTION 'role % may not answer tool calls', session_user USING ERRCODE = '42501',
                HINT = 'an operator or an admin answers; an owner grants the role: GRANT godconfig_operator TO ' || session_user;
        END IF;
        IF now() >= OLD.deadline THEN
            RAISE EXCEPTION 'tool call #% was already answered: timeout', OLD.id USING ERRCODE = '42501';
        END IF;
    END IF;
    NEW.answered_by := session_user;
    NEW.answered_at := now();
    NEW.arguments := NULL;
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS godconfig_pending_call ON pending_calls;
CREATE TRIGGER godconfig_pending_call BEFORE INSERT OR UPDATE ON pending_calls
    FOR EACH ROW EXECUTE FUNCTION godconfig_pending_call();

DROP TRIGGER IF EXISTS godconfig_changed_at ON tool_policies;
CREATE TRIGGER godconfig_changed_at BEFORE INSERT OR UPDATE ON tool_policies
    FOR EACH ROW EXECUTE FUNCTION godconfig_stamp_time();

-- Every function above, and the migrations' audit chain, resolve names in pg_catalog and this
-- schema only; pg_temp is searched last, so a temporary table cannot shadow a registry table.
DO $$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['godconfig_stamp_actor()', 'godconfig_fingerprint_of(text)',
        'godconfig_code_changed(text, text)', 'godconfig_blob_check()', 'godconfig_risk(text)',
        'godconfig_binding_broken(text)', 'godconfig_recheck(text[])', 'godconfig_recheck_rows()',
        'godconfig_approval_record()', 'godconfig_approval_delete()', 'godconfig_stamp_time()',
        'godconfig_log_review()', 'godconfig_append_only()', 'godconfig_review_gate()',
        'godconfig_policy_audit()', 'godconfig_pending_call()', 'godconfig_tool_policy_audit()'] LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, %I, pg_temp', f, current_schema());
    END LOOP;
END $$;

UPDATE team_policy SET team_mode = TRUE WHERE id = 1 AND NOT team_mode;
