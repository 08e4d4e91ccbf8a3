//! Team mode on a real PostgreSQL server: `sentinel db init-roles`, then people connecting as
//! each role. The database itself refuses what a role may not do (plain SQL, as with psql), the
//! real CLI works for what it may, the audit log names `session_user` whatever the client says,
//! and the four-eyes rule refuses an approval by the person who last changed the gating.

mod common;
use common::team::*;
use common::*;
use predicates::prelude::*;

const APPROVE_SQL: &str =
    "UPDATE connector_providers SET status = 'approved', is_approved = TRUE WHERE slug = 'notion'";

#[test]
fn roles_are_enforced_by_the_database() {
    let db = PgDb::new();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    copy_connectors(&dir, &["notion", "slack"]);
    sync_cmd(&dir, &db.url).assert().success();
    let cli = |url: &str, args: &[&str]| {
        let mut c = sentinel();
        c.args(args).args(["--db", url]);
        c
    };

    // Not in team mode yet: one person, every role.
    cli(&db.url, &["db", "whoami"])
        .assert()
        .success()
        .stdout(predicate::str::contains("every role: not in team mode"));
    // The owner sets it up; a second run changes nothing and still succeeds.
    for _ in 0..2 {
        cli(&db.url, &["db", "init-roles"])
            .assert()
            .success()
            .stdout(predicate::str::contains("team mode is on"));
    }
    let (_people, urls) = People::new(
        &db,
        &[
            ("ci", &["sentinel"]),
            ("adm", &["admin"]),
            ("op", &["operator"]),
            ("dev", &["developer"]),
            ("lead", &["admin", "operator"]),
        ],
    );
    let [ci, adm, op, dev, lead] = [0, 1, 2, 3, 4].map(|i| urls[i].as_str());
    let name = |url: &str| {
        url.split("//")
            .nth(1)
            .unwrap()
            .split('@')
            .next()
            .unwrap()
            .to_string()
    };

    cli(dev, &["db", "whoami", "--format", "json"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "\"user\": \"{}\"",
            name(dev)
        )))
        .stdout(predicate::str::contains("\"team_mode\": true"))
        .stdout(predicate::str::contains("\"developer\""))
        .stdout(predicate::str::contains("\"operator\"").not());

    // Forbidden writes, refused by PostgreSQL (GRANTs, the review trigger, row-level security).
    for who in [dev, adm, ci] {
        let m = refused(who, APPROVE_SQL);
        if who != dev {
            assert!(m.contains("may not approve"), "{m}");
        }
    }
    refused(dev, "INSERT INTO scope_gating (provider_slug, scope_name, requires_firearm) VALUES ('notion', 'update_content', FALSE)");
    refused(dev, "DELETE FROM audit_log");
    refused(dev, "INSERT INTO connector_approvals (provider_slug, approved_by, approved_at, manifest_hash, manifest_snapshot) VALUES ('notion', 'x', now(), 'h', '{}')");
    refused(op, "UPDATE scope_gating SET firearm_type = NULL");
    refused(op, "INSERT INTO firearm_types (slug, name, description, risk_level) VALUES ('x', 'X', 'x', 'low')");
    refused(op, "UPDATE connector_providers SET display_name = 'Evil'");
    refused(op, "UPDATE team_policy SET four_eyes = FALSE");
    refused(adm, "UPDATE team_policy SET team_mode = FALSE");
    refused(ci, "INSERT INTO kpi_mappings (provider_slug, metric_raw, not_a_kpi, reason) VALUES ('notion', 'page_views', TRUE, 'x')");
    refused(
        adm,
        "UPDATE connector_providers SET status = 'rejected' WHERE slug = 'slack'",
    );
    refused(adm, "INSERT INTO connector_dev_accounts (provider_slug, key_name, set_by, set_at) VALUES ('notion', 'API_KEY', 'x', now())");

    // A developer writes the metadata of their own keys only; the name is the database's.
    assert_eq!(
        try_sql(dev, "INSERT INTO connector_dev_accounts (provider_slug, key_name, set_by, set_at) VALUES ('notion', 'API_KEY', 'mallory', now())"),
        Ok(1)
    );
    assert_eq!(
        one(
            &db.url,
            "SELECT set_by FROM connector_dev_accounts WHERE key_name = 'API_KEY'"
        ),
        name(dev)
    );
    exec(&db.url, "INSERT INTO connector_dev_accounts (provider_slug, key_name, set_by, set_at) VALUES ('slack', 'BOT_TOKEN', 'someone_else', now())");
    assert_eq!(
        try_sql(
            dev,
            "DELETE FROM connector_dev_accounts WHERE key_name = 'BOT_TOKEN'"
        ),
        Ok(0)
    );
    assert_eq!(
        try_sql(
            dev,
            "UPDATE connector_dev_accounts SET label = 'mine' WHERE key_name = 'BOT_TOKEN'"
        ),
        Ok(0)
    );
    assert_eq!(
        try_sql(
            dev,
            "DELETE FROM connector_dev_accounts WHERE key_name = 'API_KEY'"
        ),
        Ok(1)
    );

    // The actor cannot be spoofed: the audit log records session_user.
    assert_eq!(
        try_sql(
            dev,
            "INSERT INTO audit_log (at, actor, action) VALUES (now(), 'mallory', 'test.spoof')"
        ),
        Ok(1)
    );
    assert_eq!(
        one(
            &db.url,
            "SELECT actor FROM audit_log WHERE action = 'test.spoof'"
        ),
        name(dev)
    );

    // What each role may do works through the real CLI.
    edit(
        &dir.join("slack/manifest.yaml"),
        "display_name: Slack",
        "display_name: Slack (edited)",
    );
    cli(ci, &["sync", dir.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("1 changed"));
    // The admin settles notion's gate in SQL, as psql would (gated scopes typed, metrics ignored).
    exec(adm, "INSERT INTO scope_gating (provider_slug, scope_name, firearm_type, changed_by, changed_at) \
        SELECT provider_slug, name, 'writes_data', 'spoofed', now() FROM connector_scopes WHERE provider_slug = 'notion' AND requires_firearm; \
        INSERT INTO kpi_mappings (provider_slug, metric_raw, not_a_kpi, reason, changed_by, changed_at) \
        SELECT provider_slug, raw, TRUE, 'not tracked', 'spoofed', now() FROM platform_metrics WHERE provider_slug = 'notion'");
    assert_eq!(
        one(&db.url, "SELECT DISTINCT changed_by FROM scope_gating"),
        name(adm)
    );
    cli(op, &["approve", "notion", "--yes", "--as", "someone_else"])
        .assert()
        .success();
    assert_eq!(status(&db.url, "notion"), "approved");
    assert_eq!(
        rows(&db.url, "SELECT actor FROM audit_log WHERE action = 'operator.approved' UNION ALL SELECT approved_by FROM connector_approvals"),
        [[name(op)], [name(op)]]
    );
    // Revoking is an operator's too; the refusal to a developer is a coded error with a way out.
    cli(dev, &["revoke", "notion", "--reason", "no"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[registry.forbidden]"))
        .stderr(predicate::str::contains("sentinel db whoami"));
    assert_eq!(status(&db.url, "notion"), "approved");
    cli(
        op,
        &["revoke", "notion", "--reason", "four-eyes check next"],
    )
    .assert()
    .success();

    // Four-eyes: the lead changes notion's gating, so the lead may not approve it; another may.
    exec(lead, "UPDATE scope_gating SET firearm_type = 'deletes_data', changed_at = now() WHERE provider_slug = 'notion' AND scope_name = 'update_content'");
    cli(lead, &["approve", "notion", "--yes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[review.four_eyes]"))
        .stderr(predicate::str::contains(format!(
            "four-eyes rule: {} changed the gating or mappings of notion since its last approval",
            name(lead)
        )));
    assert_eq!(status(&db.url, "notion"), "draft");
    cli(op, &["approve", "notion", "--yes"]).assert().success();
    assert_eq!(status(&db.url, "notion"), "approved");
}

#[test]
fn team_mode_needs_postgres() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("registry.db");
    sentinel()
        .args(["db", "init-roles", "--db", db.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[team.needs_postgres]"));
}
