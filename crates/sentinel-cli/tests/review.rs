//! Operator review from the CLI, on SQLite and on PostgreSQL: the gate, approve (all or none),
//! reject and revoke with a reason, and the audit log with CSV export.

mod common;
use common::*;
use predicates::prelude::*;

fn review_story(url: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    copy_connectors(&dir, &["notion", "slack", "github"]);
    sync_cmd(&dir, url).assert().success();
    let cli = |args: &[&str]| {
        let mut c = sentinel();
        c.args(args).args(["--db", url]);
        c
    };

    // The gate refuses and lists exactly what is missing, with where to fix it; nothing changes.
    cli(&["approve", "notion", "--yes", "--as", "ana"])
        .assert()
        .code(2)
        .stdout(
            predicate::str::contains("notion (draft): 6 missing")
                .and(predicate::str::contains(
                    "gated scope `update_content` has no firearm type",
                ))
                .and(predicate::str::contains(
                    "metric `page_views` is neither mapped",
                ))
                .and(predicate::str::contains(
                    "fix: give it a firearm type in the scope manager",
                )),
        )
        .stderr(predicate::str::contains("error[review.gate_refused]"));
    assert_eq!(status(url, "notion"), "draft");

    // Without --yes and without a terminal, nothing is approved.
    make_ready(url, "notion");
    cli(&["approve", "notion"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[sentinel.confirm]"));
    // A stale hash is refused; a hash pins a single connector.
    cli(&["approve", "notion", "slack", "--hash", "0000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--fingerprint pin one connector"));
    cli(&["approve", "notion", "--yes", "--hash", "0000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[review.hash_mismatch]"));
    // A developer key missing from the keyring is a warning, never a block.
    cli(&["approve", "notion", "--check"])
        .assert()
        .success()
        .stdout(predicate::str::contains("notion (draft): ready to approve"))
        .stderr(predicate::str::contains(
            "warning: notion: PROVIDER_NOTION_ACCESS_TOKEN is not in your keyring",
        ));
    cli(&["approve", "notion", "--yes", "--as", "ana"])
        .assert()
        .success()
        .stdout(predicate::str::contains("approved notion by ana"));
    assert_eq!(status(url, "notion"), "approved");
    let hash = one(
        url,
        "SELECT manifest_hash FROM connector_providers WHERE slug = 'notion'",
    );
    assert_eq!(
        one(
            url,
            "SELECT manifest_hash FROM connector_approvals WHERE provider_slug = 'notion'"
        ),
        hash
    );
    let snapshot = one(url, "SELECT CAST(manifest_snapshot AS TEXT) FROM connector_approvals WHERE provider_slug = 'notion'");
    assert!(snapshot.contains("read_content"), "{snapshot}");

    // Back in review after a risky change, the page shows the difference with the approved version.
    edit(
        &dir.join("notion/manifest.yaml"),
        "scopes:\n",
        "scopes:\n  - name: delete_content\n    requires_firearm: true\n",
    );
    sync_cmd(&dir, url).assert().success();
    assert_eq!(status(url, "notion"), "draft");
    cli(&["show", "notion"]).assert().success().stdout(
        predicate::str::contains("reason: back to review: scope added: delete_content")
            .and(predicate::str::contains(
                "last approved (no longer in force) by ana",
            ))
            .and(predicate::str::contains(
                "changes since the approved version:\n    scopes: +delete_content",
            ))
            .and(predicate::str::contains(
                "delete_content                           gated, NO FIREARM TYPE",
            )),
    );
    let out = cli(&["show", "notion", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        doc["connector"]["changes_since_approval"]["scopes"]["added"][0],
        "delete_content"
    );
    assert_eq!(doc["connector"]["secrets"][0], "PROVIDER_NOTION_CLIENT_ID");

    // Bulk approval is all or none: github is not ready, so slack is not approved either.
    make_ready(url, "slack");
    cli(&["approve", "slack", "github", "--yes"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("github (draft):"));
    assert_eq!(status(url, "slack"), "draft");
    make_ready(url, "github");
    cli(&["approve", "slack", "github", "--yes"])
        .assert()
        .success();
    assert_eq!(
        (status(url, "slack"), status(url, "github")),
        ("approved".into(), "approved".into())
    );

    // Reject and revoke need a reason, and only apply from the right status.
    cli(&["revoke", "slack", "--reason", "  "])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[review.reason_required]"));
    cli(&["reject", "slack", "--reason", "no"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[review.wrong_status]"));
    cli(&[
        "revoke",
        "slack",
        "--reason",
        "scopes too broad",
        "--as",
        "bo",
    ])
    .assert()
    .success();
    assert_eq!(status(url, "slack"), "draft");
    cli(&["reject", "slack", "--reason", "not needed"])
        .assert()
        .success();
    assert_eq!(status(url, "slack"), "rejected");
    cli(&["approve", "nope", "--yes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[review.not_found]"));

    // An invalid manifest on disk blocks approval even though an older version is registered.
    cli(&["revoke", "github", "--reason", "re-review"])
        .assert()
        .success();
    edit(
        &dir.join("github/manifest.yaml"),
        "display_name:",
        "display_nam:",
    );
    sync_cmd(&dir, url).assert().code(1);
    cli(&["approve", "github", "--yes"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("the files on disk are invalid"));

    // The audit log: who did what, filterable, exportable as CSV.
    cli(&["audit", "--connector", "slack"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("operator.rejected")
                .and(predicate::str::contains("not needed"))
                .and(predicate::str::contains("notion").not()),
        );
    let out = cli(&["audit", "--format", "csv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let csv = String::from_utf8(out).unwrap();
    assert!(
        csv.starts_with("id,at,actor,action,connector,detail,before,after\n"),
        "{csv}"
    );
    assert!(csv.contains(",bo,operator.revoked,slack,"), "{csv}");
    assert!(csv.contains(",ana,operator.approved,notion,"), "{csv}");
}

#[test]
fn review_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    review_story(tmp.path().join("r.db").to_str().unwrap());
}

#[test]
fn review_on_postgres() {
    let db = PgDb::new();
    review_story(&db.url);
}
