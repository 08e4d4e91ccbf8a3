//! Black-box tests of the `sentinel` binary in temp dirs: output, exit codes, database state.

mod common;
use common::*;
use predicates::prelude::*;
use std::path::Path;

#[test]
fn check_accepts_every_example_connector() {
    sentinel()
        .arg("check")
        .arg(repo().join("connectors"))
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "{} valid, 0 invalid",
            all_examples().len()
        )));
}

#[test]
fn check_defaults_to_the_connectors_folder() {
    let tmp = tempfile::tempdir().unwrap();
    copy_connectors(&tmp.path().join("connectors"), &["notion"]);
    sentinel()
        .current_dir(tmp.path())
        .arg("check")
        .assert()
        .success()
        .stdout("checked 1 manifest: 1 valid, 0 invalid\n");
}

fn broken_workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    copy_connectors(&dir, &["github", "notion", "slack"]);
    edit(
        &dir.join("notion/manifest.yaml"),
        "display_name:",
        "dispaly_name:",
    );
    edit(
        &dir.join("slack/manifest.yaml"),
        "provider_slug: slack",
        "provider_slug: slak",
    );
    std::fs::create_dir_all(dir.join("empty_folder")).unwrap();
    tmp
}

#[test]
fn check_reports_each_problem_with_location_code_and_hint() {
    let tmp = broken_workspace();
    let out = sentinel()
        .current_dir(tmp.path())
        .args(["check", "connectors"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    insta::assert_snapshot!(stderr);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "checked 3 manifests: 1 valid, 2 invalid\n"
    );
}

#[test]
fn check_json_is_a_versioned_document() {
    let tmp = broken_workspace();
    let out = sentinel()
        .current_dir(tmp.path())
        .args(["check", "connectors", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    insta::assert_json_snapshot!(doc);
}

#[test]
fn rich_format_shows_the_source() {
    let tmp = broken_workspace();
    sentinel()
        .current_dir(tmp.path())
        .args(["check", "connectors", "--format", "rich"])
        .env("NO_COLOR", "1")
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("dispaly_name: Notion")
                .and(predicate::str::contains("did you mean `display_name`?")),
        );
}

#[test]
fn a_missing_folder_is_a_clear_error() {
    sentinel()
        .args(["check", "/nonexistent/connectors"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(
                "error[sentinel.dir]: cannot read the connectors folder /nonexistent/connectors",
            )
            .and(predicate::str::contains("hint:")),
        );
}

#[test]
fn bad_database_urls_fail_clearly_without_leaking_passwords() {
    let tmp = tempfile::tempdir().unwrap();
    sentinel()
        .args(["status", "--db", "mysql://admin:hunter2@db/x"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("error[registry.bad_url]")
                .and(predicate::str::contains("hunter2").not()),
        );
    sentinel()
        .args([
            "sync",
            tmp.path().to_str().unwrap(),
            "--db",
            "postgres://admin:hunter2@127.0.0.1:1/x",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("error[registry.connect]")
                .and(predicate::str::contains("hunter2").not()),
        );
}

#[test]
fn database_url_comes_from_the_environment_then_the_data_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    copy_connectors(&dir, &["notion"]);
    let env_db = tmp.path().join("from-env.db");
    sentinel()
        .env("GODCONFIG_DATABASE_URL", &env_db)
        .arg("sync")
        .arg(&dir)
        .assert()
        .success();
    assert_eq!(
        one(
            env_db.to_str().unwrap(),
            "SELECT slug FROM connector_providers"
        ),
        "notion"
    );

    let data = tmp.path().join("xdg");
    sentinel()
        .env("XDG_DATA_HOME", &data)
        .arg("sync")
        .arg(&dir)
        .assert()
        .success();
    let default_db = data.join("godconfig/registry.db");
    assert!(
        default_db.is_file(),
        "expected the default registry at {}",
        default_db.display()
    );
    sentinel()
        .env("XDG_DATA_HOME", &data)
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::contains("notion"));
}

#[test]
fn status_of_an_empty_registry_says_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    sentinel()
        .args(["status", "--db", tmp.path().join("r.db").to_str().unwrap()])
        .assert()
        .success()
        .stdout("no connectors registered yet: run `sentinel sync connectors`\n");
}

#[test]
fn status_json_lists_connectors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    copy_connectors(&dir, &["stripe"]);
    let db = tmp.path().join("r.db");
    sync_cmd(&dir, &db).assert().success();
    let out = sentinel()
        .args(["status", "--format", "json", "--db"])
        .arg(&db)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["connectors"][0]["slug"], "stripe");
    assert_eq!(doc["connectors"][0]["status"], "draft");
    assert_eq!(doc["connectors"][0]["gated"], 7);
}

#[test]
fn schema_prints_the_committed_schema() {
    let committed =
        std::fs::read_to_string(repo().join("schemas/manifest-v1.schema.json")).unwrap();
    sentinel()
        .arg("schema")
        .assert()
        .success()
        .stdout(committed);
}

fn sync_all(dir: &Path, db: &Path) {
    sync_cmd(dir, db).assert().success();
}

#[test]
fn two_fresh_registries_from_the_same_folder_dump_identically() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let examples = all_examples();
    let slugs: Vec<&str> = examples.iter().map(String::as_str).collect();
    copy_connectors(&a, &slugs);
    copy_connectors(&b, &slugs);
    sync_all(&a, &tmp.path().join("a.db"));
    sync_all(&b, &tmp.path().join("b.db"));
    let (da, db) = (
        dump(&tmp.path().join("a.db")),
        dump(&tmp.path().join("b.db")),
    );
    assert!(da.contains("INSERT INTO connector_scopes"));
    assert_eq!(da, db);
    for slug in &slugs {
        let (fa, fb) = (
            std::fs::read(a.join(slug).join("mcp.py")).unwrap(),
            std::fs::read(b.join(slug).join("mcp.py")).unwrap(),
        );
        assert_eq!(fa, fb, "{slug}/mcp.py differs between runs");
    }
}

#[test]
fn resyncing_an_unchanged_folder_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    copy_connectors(&dir, &["shopify", "hubspot"]);
    let db = tmp.path().join("r.db");
    sync_all(&dir, &db);
    let before = dump(&db);
    let mtime = |s: &str| {
        std::fs::metadata(dir.join(s).join("mcp.py"))
            .unwrap()
            .modified()
            .unwrap()
    };
    let stamps = (mtime("shopify"), mtime("hubspot"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    sync_cmd(&dir, &db).assert().success().stdout(
        predicate::str::contains("2 unchanged")
            .and(predicate::str::contains("0 mcp.py files written")),
    );
    assert_eq!(dump(&db), before);
    assert_eq!((mtime("shopify"), mtime("hubspot")), stamps);
    assert_eq!(audit_count(db.to_str().unwrap(), "1 = 1"), 2);

    // A deleted stub is regenerated, and only that one.
    std::fs::remove_file(dir.join("shopify/mcp.py")).unwrap();
    sync_cmd(&dir, &db)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 mcp.py file written"));
    assert_eq!(mtime("hubspot"), stamps.1);
}
