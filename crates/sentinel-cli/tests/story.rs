//! The sentinel's whole story, run once against a SQLite file and once against a real PostgreSQL.

mod common;
use common::*;
use predicates::prelude::*;

fn status_of(url: &str, slug: &str) -> (String, String) {
    let r = rows(url, &format!(
        "SELECT status, CASE WHEN is_approved THEN 'yes' ELSE 'no' END FROM connector_providers WHERE slug = '{slug}'"
    ));
    (r[0][0].clone(), r[0][1].clone())
}

fn count(url: &str, sql: &str) -> i64 {
    one(url, &format!("SELECT CAST(({sql}) AS TEXT)"))
        .parse()
        .unwrap()
}

fn approve(url: &str, slug: &str) {
    // Approval commands land with the desktop app; until then the test plays the operator in SQL.
    exec(url, &format!("UPDATE connector_providers SET status = 'approved', is_approved = TRUE WHERE slug = '{slug}'"));
}

fn story(url: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    copy_connectors(&dir, &["shopify", "stripe", "slack"]);
    let sync = || {
        let mut c = sentinel();
        c.arg("sync").arg(&dir).arg("--db").arg(url);
        c
    };

    // 1. Everything arrives as draft, never approved.
    sync()
        .assert()
        .success()
        .stdout(predicate::str::contains("3 added, 0 changed, 0 removed"));
    for slug in ["shopify", "stripe", "slack"] {
        assert_eq!(
            status_of(url, slug),
            ("draft".into(), "no".into()),
            "{slug}"
        );
        assert!(dir.join(slug).join("mcp.py").is_file());
    }
    let shopify_scopes = count(
        url,
        "SELECT COUNT(*) FROM connector_scopes WHERE provider_slug = 'shopify'",
    );
    assert_eq!(shopify_scopes, 17);
    assert!(
        count(url, "SELECT COUNT(*) FROM firearm_types") >= 5,
        "firearm types are seeded"
    );
    assert!(
        count(url, "SELECT COUNT(*) FROM core_kpis") >= 10,
        "core KPIs are seeded"
    );

    // 2. A cosmetic change keeps an approval.
    approve(url, "shopify");
    approve(url, "slack");
    edit(
        &dir.join("shopify/manifest.yaml"),
        "display_name: Shopify",
        "display_name: Shopify Admin",
    );
    // The registered manifest is rebuilt from its rows to diff it: only the real change shows.
    sync().assert().success().stdout(
        predicate::str::contains("~ shopify (approved)\n      fields: display_name\n")
            .and(predicate::str::contains("scopes:").not()),
    );
    assert_eq!(status_of(url, "shopify"), ("approved".into(), "yes".into()));
    assert_eq!(
        one(
            url,
            "SELECT display_name FROM connector_providers WHERE slug = 'shopify'"
        ),
        "Shopify Admin"
    );

    // 3. A risky change sends an approved connector back to draft, and the audit log says why.
    edit(&dir.join("slack/manifest.yaml"), "scopes:\n", "scopes:\n  - name: admin.users:write\n    description: Manage users\n    requires_firearm: true\n");
    sync().assert().success().stdout(predicate::str::contains(
        "back to draft: scope added: admin.users:write",
    ));
    assert_eq!(status_of(url, "slack"), ("draft".into(), "no".into()));
    let detail = one(url, "SELECT CAST(detail AS TEXT) FROM audit_log WHERE provider_slug = 'slack' AND action = 'sync.back_to_draft'");
    assert!(
        detail.contains("scope added: admin.users:write"),
        "{detail}"
    );

    // 4. An invalid manifest is reported, its registered rows stay exactly as they were, the
    //    others still register, and the exit code is 1.
    let before = rows(url, "SELECT name, description FROM connector_scopes WHERE provider_slug = 'stripe' ORDER BY name");
    let hash = one(
        url,
        "SELECT manifest_hash FROM connector_providers WHERE slug = 'stripe'",
    );
    edit(
        &dir.join("stripe/manifest.yaml"),
        "display_name:",
        "display_nam:",
    );
    edit(
        &dir.join("shopify/manifest.yaml"),
        "Shopify Admin",
        "Shopify",
    );
    sync()
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("stripe/manifest.yaml:")
                .and(predicate::str::contains("error[unknown-field]")),
        )
        .stdout(predicate::str::contains("1 changed").and(predicate::str::contains("1 rejected")));
    assert_eq!(rows(url, "SELECT name, description FROM connector_scopes WHERE provider_slug = 'stripe' ORDER BY name"), before);
    assert_eq!(
        one(
            url,
            "SELECT manifest_hash FROM connector_providers WHERE slug = 'stripe'"
        ),
        hash
    );
    assert_eq!(
        one(
            url,
            "SELECT display_name FROM connector_providers WHERE slug = 'shopify'"
        ),
        "Shopify"
    );

    // 5. A plan shows what would change and writes nothing.
    copy_connectors(&dir, &["github"]);
    let runs = count(url, "SELECT COUNT(*) FROM sync_runs");
    sync().arg("--plan").assert().code(1).stdout(
        predicate::str::contains("+ github (draft)")
            .and(predicate::str::contains("nothing was written")),
    );
    assert_eq!(
        count(
            url,
            "SELECT COUNT(*) FROM connector_providers WHERE slug = 'github'"
        ),
        0
    );
    assert_eq!(count(url, "SELECT COUNT(*) FROM sync_runs"), runs);
    assert!(!dir.join("github/mcp.py").exists());

    // 6. A connector whose folder disappears becomes removed, and is kept for audit.
    std::fs::remove_dir_all(dir.join("shopify")).unwrap();
    sync()
        .assert()
        .code(1)
        .stdout(predicate::str::contains("- shopify (removed)"));
    assert_eq!(status_of(url, "shopify"), ("removed".into(), "no".into()));
    assert_eq!(
        count(
            url,
            "SELECT COUNT(*) FROM connector_scopes WHERE provider_slug = 'shopify'"
        ),
        shopify_scopes
    );

    // 7. Status lists every connector with scope and gated counts.
    sentinel()
        .args(["status", "--db", url])
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"shopify\s+removed\s+17\s+7\s+6").unwrap())
        .stdout(predicate::str::is_match(r"slack\s+draft\s+16\s+9").unwrap());
}

#[test]
fn story_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    story(tmp.path().join("registry.db").to_str().unwrap());
}

#[test]
fn story_on_postgres() {
    let db = PgDb::new();
    story(&db.url);
}
