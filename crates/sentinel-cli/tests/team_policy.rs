//! The team policy from the CLI, on SQLite and on PostgreSQL: show it, change it (one audit
//! entry), and the approval expiry, which sends old approvals of connectors with gated scopes
//! back to review at the next sync, with the reason.

mod common;
use common::*;
use predicates::prelude::*;

fn policy_story(url: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    copy_connectors(&dir, &["notion", "slack"]);
    sync_cmd(&dir, url).assert().success();
    let cli = |args: &[&str]| {
        let mut c = sentinel();
        c.args(args).args(["--db", url]);
        c
    };

    cli(&["db", "policy"])
        .assert()
        .success()
        .stdout("team mode: off (solo)\nfour-eyes: on\napproval expiry: off\n");
    for bad in ["0", "3651", "soon"] {
        cli(&["db", "policy", "--approval-expiry-days", bad])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("from 1 to 3650, or off"));
    }
    cli(&[
        "db",
        "policy",
        "--approval-expiry-days",
        "30",
        "--as",
        "ana",
    ])
    .assert()
    .success()
    .stdout(predicate::str::contains("approval expiry: 30 days"));
    assert_eq!(
        rows(
            url,
            "SELECT actor, action FROM audit_log WHERE action LIKE 'team.%'"
        ),
        [["ana", "team.policy_changed"]]
    );

    // notion keeps gated scopes; every slack scope is ungated, so its approval never expires.
    make_ready(url, "notion");
    exec(url, "INSERT INTO scope_gating (provider_slug, scope_name, requires_firearm, reason) \
        SELECT provider_slug, name, FALSE, 'test' FROM connector_scopes WHERE provider_slug = 'slack'; \
        INSERT INTO kpi_mappings (provider_slug, metric_raw, not_a_kpi, reason) \
        SELECT provider_slug, raw, TRUE, 'test' FROM platform_metrics WHERE provider_slug = 'slack'");
    cli(&["approve", "notion", "slack", "--yes", "--as", "bo"])
        .assert()
        .success();
    // A fresh approval does not expire.
    cli(&["db", "expire"]).assert().success().stdout("");
    exec(
        url,
        "UPDATE connector_approvals SET approved_at = '2020-01-01T00:00:00+00:00'",
    );

    sync_cmd(&dir, url)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "1 approval(s) expired, back to review: notion\n",
        ));
    assert_eq!(status(url, "notion"), "draft");
    assert_eq!(status(url, "slack"), "approved");
    assert_eq!(
        one(
            url,
            "SELECT status_reason FROM connector_providers WHERE slug = 'notion'"
        ),
        "approval expired: older than 30 days (team policy); review it again"
    );
    assert_eq!(
        rows(
            url,
            "SELECT provider_slug FROM audit_log WHERE action = 'review.expired'"
        ),
        [["notion"]]
    );
    // Done once: the next sync and `db expire` find nothing more.
    sync_cmd(&dir, url)
        .assert()
        .success()
        .stdout(predicate::str::contains("expired").not());
    cli(&["db", "expire"]).assert().success().stdout("");

    cli(&[
        "db",
        "policy",
        "--approval-expiry-days",
        "off",
        "--four-eyes",
        "off",
    ])
    .assert()
    .success()
    .stdout("team mode: off (solo)\nfour-eyes: off\napproval expiry: off\n");
}

#[test]
fn policy_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    policy_story(tmp.path().join("r.db").to_str().unwrap());
}

#[test]
fn policy_on_postgres() {
    let db = PgDb::new();
    policy_story(&db.url);
}
