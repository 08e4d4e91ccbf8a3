//! An approval binds the code (issue 18), on SQLite and on PostgreSQL: every hand-written file
//! is fingerprinted and kept once by content; a documentation change keeps the approval, a code
//! change sends the connector back to review, and `show --diff` says what changed, line by line.

mod common;
use common::*;
use predicates::prelude::*;
use std::path::Path;

fn code_story(url: &str, dir: &Path) {
    copy_connectors(dir, &["notion"]);
    std::fs::write(dir.join("notion/README.md"), "# Notion\n").unwrap();
    sync_cmd(dir, url).assert().success();
    let cli = |args: &[&str]| {
        let mut c = sentinel();
        c.args(args).args(["--db", url]);
        c
    };
    let fingerprint = || {
        one(
            url,
            "SELECT fingerprint FROM connector_providers WHERE slug = 'notion'",
        )
    };
    let fp1 = fingerprint();
    assert_eq!(fp1.len(), 64, "a sha256: {fp1}");
    // Every hand-written file, not the generated mcp.py; each content stored once.
    let files = rows(
        url,
        &format!("SELECT path FROM fingerprint_files WHERE fingerprint = '{fp1}' ORDER BY path"),
    );
    assert_eq!(files, [["README.md"], ["manifest.yaml"], ["service.py"]]);
    assert_eq!(
        one(url, "SELECT CAST(COUNT(*) AS TEXT) FROM file_blobs"),
        "3"
    );
    cli(&["status"])
        .assert()
        .success()
        .stdout(predicate::str::contains(&fp1[..12]));
    cli(&["show", "notion"]).assert().success().stdout(
        predicate::str::contains(format!("fingerprint: {fp1}"))
            .and(predicate::str::contains(
                "files: README.md, manifest.yaml, service.py",
            ))
            .and(predicate::str::contains("tool ")),
    );
    cli(&["show", "notion", "--diff"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "never approved; every file and tool is new",
        ));

    // The approval pins the files the reviewer saw.
    make_ready(url, "notion");
    cli(&["approve", "notion", "--yes", "--fingerprint", "0000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[review.hash_mismatch]"));
    cli(&["approve", "notion", "--yes", "--fingerprint", &fp1])
        .assert()
        .success();
    let approved = || {
        one(
            url,
            "SELECT fingerprint FROM connector_approvals WHERE provider_slug = 'notion'",
        )
    };
    assert_eq!(approved(), fp1);

    // Documentation alone keeps the approval, which moves to the new files; the audit names them.
    std::fs::write(dir.join("notion/README.md"), "# Notion\n\nUsage.\n").unwrap();
    sync_cmd(dir, url).assert().success();
    assert_eq!(status(url, "notion"), "approved");
    let fp2 = fingerprint();
    assert_ne!(fp2, fp1);
    assert_eq!(approved(), fp2);
    let detail = one(
        url,
        "SELECT CAST(detail AS TEXT) FROM audit_log WHERE action = 'sync.changed' ORDER BY id DESC LIMIT 1",
    );
    assert!(detail.contains("README.md"), "{detail}");
    cli(&["show", "notion", "--diff"])
        .assert()
        .success()
        .stdout(predicate::str::contains("unchanged since the approval"));

    // A code change sends it back to review, with the files named and the old code kept.
    let service = dir.join("notion/service.py");
    let old = std::fs::read_to_string(&service).unwrap();
    let old_hash = godconfig_manifest::content_hash(old.as_bytes());
    let new = old.replacen(
        "import ",
        "import subprocess  # added after approval\nimport ",
        1,
    );
    std::fs::write(&service, &new).unwrap();
    std::fs::write(dir.join("notion/helpers.py"), "X = 1\n").unwrap();
    sync_cmd(dir, url).assert().success();
    assert_eq!(status(url, "notion"), "draft");
    let reason = one(
        url,
        "SELECT status_reason FROM connector_providers WHERE slug = 'notion'",
    );
    assert!(
        reason.contains("file added: helpers.py") && reason.contains("file changed: service.py"),
        "{reason}"
    );
    assert_eq!(audit_actions(url, "sync.back_to_draft"), 1);
    assert_eq!(
        one(
            url,
            &format!("SELECT CAST(COUNT(*) AS TEXT) FROM file_blobs WHERE hash = '{old_hash}'")
        ),
        "1",
        "the approved service.py is kept"
    );
    let line = new
        .lines()
        .position(|l| l.contains("added after approval"))
        .unwrap()
        + 1;
    cli(&["show", "notion", "--diff"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("--- service.py (changed, +1 -0)")
                .and(predicate::str::contains("--- helpers.py (added, +1 -0)"))
                .and(predicate::str::contains(format!(
                    "{line:>5} +import subprocess  # added after approval"
                ))),
        );
    let out = cli(&["show", "notion", "--diff", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let files = doc["review"]["files"].as_array().unwrap();
    let service = files.iter().find(|f| f["path"] == "service.py").unwrap();
    assert_eq!(service["state"], "changed");
    assert_eq!(service["added"], 1);
    // The connector page's summary names the files too.
    let page = cli(&["show", "notion", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let page: serde_json::Value = serde_json::from_slice(&page).unwrap();
    let changes = &page["connector"]["changes_since_approval"]["files"];
    assert_eq!(changes["added"][0], "helpers.py");
    assert_eq!(changes["changed"][0], "service.py");
}

#[test]
fn code_changes_send_an_approved_connector_back_to_review_on_sqlite() {
    on_sqlite(code_story);
}

#[test]
fn code_changes_send_an_approved_connector_back_to_review_on_postgres() {
    on_postgres(code_story);
}

/// A symlink in a connector folder could change what runs without changing the fingerprint: the
/// folder is rejected with its path, and the other connectors are registered.
#[cfg(unix)]
#[test]
fn a_symlinked_file_is_refused_and_the_others_register() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    copy_connectors(&dir, &["notion", "slack"]);
    std::os::unix::fs::symlink("/etc/hostname", dir.join("slack/helper.py")).unwrap();
    let db = tmp.path().join("registry.db");
    sync_cmd(&dir, &db)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("slack rejected"))
        .stderr(predicate::str::contains(
            "slack/helper.py:1:1: error[unsupported-file]",
        ));
    let db = db.to_str().unwrap();
    assert_eq!(status(db, "notion"), "draft");
    assert_eq!(
        one(
            db,
            "SELECT CAST(COUNT(*) AS TEXT) FROM connector_providers WHERE slug = 'slack'"
        ),
        "0"
    );
}
