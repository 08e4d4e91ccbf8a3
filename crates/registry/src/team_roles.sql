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
GRANT INSERT, UPDATE, DELETE ON connector_approvals TO godconfig_operator;

GRANT INSERT, UPDATE, DELETE ON scope_gating, firearm_types, core_kpis, kpi_mappings, utm_templates
    TO godconfig_admin;
GRANT UPDATE (four_eyes, approval_expiry_days, version) ON team_policy TO godconfig_admin;

GRANT INSERT, UPDATE, DELETE ON connector_dev_accounts TO godconfig_developer;

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
        ['connector_dev_accounts', 'set_by'], ['utm_links', 'created_by']] LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS godconfig_actor ON %I', t[1]);
        EXECUTE format('CREATE TRIGGER godconfig_actor BEFORE INSERT OR UPDATE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION godconfig_stamp_actor(%L)', t[1], t[2]);
    END LOOP;
END $$;

-- Approving and rejecting are an operator's; approving also obeys the four-eyes rule: not by the
-- person who made the last change to the connector's gating or mappings.
CREATE OR REPLACE FUNCTION godconfig_review_gate() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last_by text;
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
    IF NEW.status = 'approved' AND (SELECT four_eyes FROM team_policy WHERE id = 1) THEN
        SELECT c.changed_by INTO last_by FROM (
            SELECT changed_by, changed_at FROM scope_gating WHERE provider_slug = NEW.slug AND changed_at IS NOT NULL
            UNION ALL
            SELECT changed_by, changed_at FROM kpi_mappings WHERE provider_slug = NEW.slug AND changed_at IS NOT NULL
        ) c ORDER BY c.changed_at DESC LIMIT 1;
        IF last_by = session_user THEN
            RAISE EXCEPTION 'four-eyes rule: % made the last change to the gating or mappings of %, so another operator must approve it',
                session_user, NEW.slug USING ERRCODE = 'GC4EY';
        END IF;
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS godconfig_review_gate ON connector_providers;
CREATE TRIGGER godconfig_review_gate BEFORE INSERT OR UPDATE ON connector_providers
    FOR EACH ROW EXECUTE FUNCTION godconfig_review_gate();

UPDATE team_policy SET team_mode = TRUE WHERE id = 1 AND NOT team_mode;
