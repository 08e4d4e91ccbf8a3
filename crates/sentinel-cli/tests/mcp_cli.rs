//! `sentinel mcp install|policy|tools` black-box: a client's configuration file gets the
//! gateway's entry (the rest kept, a backup), `--print` changes nothing, a file that is not JSON
//! is refused untouched, a password never reaches it; a policy for an unknown operation gets a
//! "did you mean".

mod common;
use common::*;
use predicates::prelude::*;
use serde_json::Value;

fn install(home: &std::path::Path, args: &[&str]) -> assert_cmd::assert::Assert {
    sentinel()
        .args(["mcp", "install"])
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .assert()
}

#[test]
fn install_adds_the_entry_and_keeps_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let cursor = home.join(".cursor/mcp.json");
    std::fs::create_dir_all(cursor.parent().unwrap()).unwrap();
    std::fs::write(
        &cursor,
        r#"{"mcpServers": {"other": {"command": "x"}}, "theme": "dark"}"#,
    )
    .unwrap();

    // --print shows the entry and where it goes, and writes nothing.
    install(home, &["--client", "cursor", "--dir", "conns", "--print"])
        .success()
        .stdout(predicate::str::contains(".cursor/mcp.json"))
        .stdout(predicate::str::contains("\"godconfig\""));
    assert!(!std::fs::read_to_string(&cursor)
        .unwrap()
        .contains("godconfig"));

    install(
        home,
        &[
            "--client",
            "cursor",
            "--dir",
            "conns",
            "--db",
            "sqlite:/tmp/r.db",
        ],
    )
    .success()
    .stdout(predicate::str::contains("added the `godconfig` server"))
    .stdout(predicate::str::contains("backup of the previous file"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&cursor).unwrap()).unwrap();
    assert_eq!(doc["theme"], "dark");
    assert_eq!(doc["mcpServers"]["other"]["command"], "x");
    let args: Vec<&str> = doc["mcpServers"]["godconfig"]["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(&args[..3], ["mcp", "serve", "--dir"]);
    assert!(
        args[3].ends_with("/conns") && args[3].starts_with('/'),
        "{args:?}"
    );
    assert_eq!(&args[4..], ["--db", "sqlite:/tmp/r.db"]);
    let backups = std::fs::read_dir(cursor.parent().unwrap())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("godconfig-backup")
        })
        .count();
    assert_eq!(backups, 1);

    // Again: replaced, still one entry. VS Code: its own file and key.
    install(home, &["--client", "cursor"])
        .success()
        .stdout(predicate::str::contains("replaced"));
    install(home, &["--client", "vscode"]).success();
    let vscode: Value = serde_json::from_str(
        &std::fs::read_to_string(home.join(".config/Code/User/mcp.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(vscode["servers"]["godconfig"]["type"], "stdio");
}

#[test]
fn a_broken_file_and_a_password_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let claude = home.join(".claude.json");
    std::fs::write(&claude, "{ not json").unwrap();
    install(home, &["--client", "claude-code"])
        .code(2)
        .stderr(predicate::str::contains("error[mcp.client_config]"))
        .stderr(predicate::str::contains("not valid JSON"));
    assert_eq!(std::fs::read_to_string(&claude).unwrap(), "{ not json");
    install(
        home,
        &[
            "--client",
            "claude-desktop",
            "--db",
            "postgres://ana:s3cret@db/reg",
        ],
    )
    .code(2)
    .stderr(predicate::str::contains("error[mcp.client_config]"))
    .stderr(predicate::str::contains("s3cret").not());
    assert!(!home.join(".config/Claude").exists());
}

#[test]
fn policies_name_real_operations() {
    on_sqlite(|url, dir| {
        copy_connectors(dir, &["stripe"]);
        sync_cmd(dir, url).assert().success();
        sentinel()
            .args([
                "mcp",
                "policy",
                "stripe",
                "create_refnd",
                "block",
                "--db",
                url,
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("error[mcp.unknown_tool]"))
            .stderr(predicate::str::contains("did you mean `create_refund`"));
        sentinel()
            .args([
                "mcp",
                "policy",
                "stripe",
                "create_refund",
                "allow",
                "--db",
                url,
                "--as",
                "adam",
            ])
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "stripe__create_refund: ask -> allow",
            ));
        // Not approved yet: nothing is served.
        sentinel()
            .args(["mcp", "tools", "--db", url])
            .assert()
            .success()
            .stdout(predicate::str::contains("no tool is served"));
        assert_eq!(audit_actions(url, "mcp.policy_changed"), 1);
    });
}
