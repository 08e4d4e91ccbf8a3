//! The scope manager and the firearm type registry from the CLI, on SQLite and on PostgreSQL:
//! listing with filters, batch gating with one audit entry, regenerated mcp.py, the typed
//! refusals (nothing changed), an approved connector sent back to review, and firearm types.

#[path = "../common/mod.rs"]
mod common;
mod firearm_types;
mod refusals;

use common::*;
use predicates::prelude::*;
use std::path::Path;

/// The operator gating of a connector: `scope gated? type by version` per row.
pub(crate) fn gating(url: &str, slug: &str) -> Vec<String> {
    rows(
        url,
        &format!(
            "SELECT scope_name, \
               CASE WHEN requires_firearm IS NULL THEN '-' WHEN requires_firearm THEN 'yes' ELSE 'no' END, \
               COALESCE(firearm_type, '-'), COALESCE(changed_by, '-'), CAST(version AS TEXT) \
             FROM scope_gating WHERE provider_slug = '{slug}' ORDER BY scope_name"
        ),
    )
    .into_iter()
    .map(|r| r.join(" "))
    .collect()
}

/// The annotations argument of `tool` in `dir/<slug>/mcp.py`.
pub(crate) fn annotation(dir: &Path, slug: &str, tool: &str) -> String {
    let code = std::fs::read_to_string(dir.join(slug).join("mcp.py")).unwrap();
    let start = code.find(&format!("\"{tool}\",")).expect("tool in mcp.py");
    code[start..]
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("ToolAnnotations(") || *l == "None,")
        .unwrap()
        .to_string()
}

/// The line of `out` that mentions `needle`.
pub(crate) fn line<'a>(out: &'a str, needle: &str) -> &'a str {
    out.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{out}"))
}

pub(crate) fn stdout(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

fn scopes_story(url: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    copy_connectors(&dir, &["shopify", "notion"]);
    sync_cmd(&dir, url).assert().success();
    let cli = |args: &[&str]| {
        let mut c = sentinel();
        c.args(args).args(["--db", url]);
        c
    };
    // Gating changes regenerate DIR/<slug>/mcp.py.
    let change = |args: &[&str]| {
        let mut c = cli(args);
        c.arg("--dir").arg(&dir);
        c
    };

    // List, with filters.
    let out = stdout(&mut cli(&[
        "scopes",
        "list",
        "--connector",
        "shopify",
        "--ungated",
    ]));
    assert!(out.starts_with("CONNECTOR  SCOPE"), "{out}");
    assert!(
        line(&out, "write_inventory").ends_with("suggest: writes_data (write)"),
        "{out}"
    );
    assert!(
        line(&out, "read_orders").contains("ungated   ungated    -"),
        "{out}"
    );
    assert!(!out.contains("write_orders"), "{out}");
    assert!(
        out.ends_with(
            "10 scope(s) of 1 connector(s): 0 gated, 0 without a firearm type, 2 suggestion(s)\n"
        ),
        "{out}"
    );
    let out = stdout(&mut cli(&["scopes", "list", "--suggested"]));
    assert!(
        out.contains("shopify    write_marketing_events")
            && out.contains("2 scope(s) of 1 connector(s)"),
        "{out}"
    );
    let out = stdout(&mut cli(&[
        "scopes",
        "list",
        "--missing-type",
        "--search",
        "_CUSTOMERS",
    ]));
    assert!(
        out.contains("read_customers") && out.contains("write_customers"),
        "{out}"
    );
    assert!(out.contains("2 scope(s) of 1 connector(s): 2 gated, 2 without a firearm type"));
    let out = stdout(&mut cli(&["scopes", "list", "--format", "json"]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["version"], 1);
    let all = doc["scopes"].as_array().unwrap();
    assert_eq!(all.len(), 17 + 7, "{out}");
    let shop = all.iter().find(|s| s["connector"] == "shopify").unwrap();
    assert_eq!(shop["name"], "read_orders");
    assert_eq!(shop["declared_gated"], false);
    cli(&["scopes", "list", "--connector", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[review.not_found]"));
    cli(&["scopes", "list", "--gated", "--ungated"])
        .assert()
        .code(2);

    // Gate several scopes with a type: shown, confirmed once, one audit entry, mcp.py regenerated.
    assert_eq!(
        annotation(&dir, "shopify", "list_orders"),
        "ToolAnnotations(readOnlyHint=True),"
    );
    let gate3 = [
        "scopes",
        "gate",
        "--connector",
        "shopify",
        "read_orders",
        "read_products",
        "write_orders",
        "--type",
        "writes_data",
        "--as",
        "ana",
    ];
    change(&gate3)
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "Gate 3 scope(s) of shopify with firearm type writes_data:\n  shopify/read_orders    now ungated\n",
        ))
        .stderr(predicate::str::contains("error[sentinel.confirm]"));
    assert!(gating(url, "shopify").is_empty());
    let before = audit_count(url, "1 = 1");
    change(&gate3).arg("--yes").assert().success().stdout(
        predicate::str::contains("gated 3 scope(s) of shopify with firearm type writes_data\n")
            .and(predicate::str::contains("regenerated "))
            .and(predicate::str::contains("sent back").not()),
    );
    assert_eq!(
        gating(url, "shopify"),
        [
            "read_orders yes writes_data ana 1",
            "read_products yes writes_data ana 1",
            "write_orders yes writes_data ana 1",
        ]
    );
    assert_eq!(audit_count(url, "1 = 1"), before + 1);
    assert_eq!(
        rows(
            url,
            "SELECT action, actor, provider_slug FROM audit_log ORDER BY id DESC LIMIT 1"
        ),
        [["scopes.gated", "ana", "shopify"]]
    );
    assert_eq!(
        annotation(&dir, "shopify", "list_orders"),
        "ToolAnnotations(destructiveHint=True),"
    );
    // Again: nothing to do, no audit entry.
    change(&gate3)
        .arg("--yes")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "gated 0 scope(s) of shopify with firearm type writes_data; 3 unchanged",
        ));
    assert_eq!(audit_count(url, "1 = 1"), before + 1);
    let out = stdout(&mut cli(&["scopes", "list", "--overridden"]));
    assert!(
        line(&out, "read_orders").contains("ungated   gated*     writes_data   ana 20"),
        "{out}"
    );
    assert!(out.contains("* overridden"), "{out}");

    // Suggestions: dismiss one, gate the others of the connector.
    cli(&[
        "scopes",
        "dismiss",
        "--connector",
        "shopify",
        "write_marketing_events",
        "--yes",
    ])
    .assert()
    .success()
    .stdout(predicate::str::contains(
        "dismissed the gate suggestion of 1 scope(s) of shopify",
    ));
    change(&[
        "scopes",
        "gate",
        "--connector",
        "shopify",
        "--suggested",
        "--type",
        "writes_data",
        "--yes",
    ])
    .assert()
    .success()
    .stdout(
        predicate::str::contains(
            "  shopify/write_inventory  now ungated; suggest: writes_data (write)",
        )
        .and(predicate::str::contains("gated 1 scope(s) of shopify")),
    );
    change(&[
        "scopes",
        "gate",
        "--connector",
        "shopify",
        "--suggested",
        "--yes",
    ])
    .assert()
    .code(2)
    .stdout(predicate::str::contains("no scope matches the selection"))
    .stderr(predicate::str::contains("error[scopes.empty_selection]"));
    change(&["scopes", "gate", "--connector", "shopify", "--yes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("select scopes: name them"));

    // Refusals are typed, name what to do, and change nothing.
    refusals::story(url);

    // Ungating a scope the manifest declares gated takes a reason, kept in the audit log.
    assert_eq!(
        annotation(&dir, "shopify", "create_product"),
        "ToolAnnotations(destructiveHint=True),"
    );
    change(&[
        "scopes",
        "ungate",
        "--connector",
        "shopify",
        "write_products",
        "--reason",
        "the store owner reviews every product",
        "--as",
        "bo",
        "--yes",
    ])
    .assert()
    .success()
    .stdout(predicate::str::contains("ungated 1 scope(s) of shopify\n"));
    assert_eq!(annotation(&dir, "shopify", "create_product"), "None,");
    cli(&["audit", "--connector", "shopify", "--limit", "1"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("bo")
                .and(predicate::str::contains("scopes.ungated"))
                .and(predicate::str::contains(
                    "the store owner reviews every product",
                )),
        );
    let out = stdout(&mut cli(&["audit", "--format", "json", "--limit", "1"]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        doc["entries"][0]["detail"]["reason"],
        "the store owner reviews every product"
    );
    assert_eq!(doc["entries"][0]["after"][0]["gated"], false);

    // --all with a state filter: every gated scope still without a type; then --clear one.
    cli(&[
        "scopes",
        "set-type",
        "--connector",
        "shopify",
        "--all",
        "--missing-type",
        "--type",
        "reads_personal_data",
        "--yes",
    ])
    .assert()
    .success()
    .stdout(predicate::str::contains(
        "set the firearm type of 5 scope(s) of shopify to reads_personal_data\n",
    ));
    cli(&[
        "scopes",
        "set-type",
        "--connector",
        "shopify",
        "read_products",
        "--clear",
        "--yes",
    ])
    .assert()
    .success()
    .stdout(predicate::str::contains(
        "cleared the firearm type of 1 scope(s) of shopify",
    ));
    let out = stdout(&mut cli(&["scopes", "list", "--missing-type"]));
    assert!(
        out.contains("shopify    read_products") && out.contains("notion"),
        "{out}"
    );
    assert!(!out.contains("read_customers"), "{out}");

    // Gating a scope of an approved connector sends it back to review.
    make_ready(url, "notion");
    cli(&["approve", "notion", "--yes"]).assert().success();
    assert_eq!(status(url, "notion"), "approved");
    change(&[
        "scopes",
        "gate",
        "--connector",
        "notion",
        "insert_content",
        "--type",
        "writes_data",
        "--yes",
    ])
    .assert()
    .success()
    .stdout(
        predicate::str::contains("gated 1 scope(s) of notion")
            .and(predicate::str::contains("sent back to review: notion\n")),
    );
    assert_eq!(status(url, "notion"), "draft");
    assert_eq!(
        one(
            url,
            "SELECT status_reason FROM connector_providers WHERE slug = 'notion'"
        ),
        "back to review: scope gating changed (scopes.gated)"
    );

    // Firearm types, whose usage counts the gating above.
    firearm_types::story(url);
}

#[test]
fn scopes_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    scopes_story(tmp.path().join("r.db").to_str().unwrap());
}

#[test]
fn scopes_on_postgres() {
    let db = PgDb::new();
    scopes_story(&db.url);
}
