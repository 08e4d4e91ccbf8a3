//! `sentinel --version` and `sentinel doctor`, black-box: the version line names the commit and
//! the registry schema; doctor finds the real registry, keyring, Python with `mcp` and WebKitGTK
//! of this machine (CI installs them all), and names a missing one with its fix and exit 1.

mod common;
use common::*;
use predicates::prelude::*;

fn latest_migration() -> String {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("migrations/sqlite"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names.last().unwrap().split('_').next().unwrap().to_string()
}

fn head_commit() -> String {
    let out = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(repo())
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn the_version_names_the_commit_and_the_registry_schema() {
    let expected = format!(
        "sentinel {} (commit {}, registry schema {})\n",
        env!("CARGO_PKG_VERSION"),
        head_commit(),
        latest_migration()
    );
    sentinel()
        .arg("--version")
        .assert()
        .success()
        .stdout(expected);
}

#[test]
fn doctor_finds_what_is_here_and_says_how_to_fix_what_is_not() {
    on_sqlite(|url, dir| {
        copy_connectors(dir, &["notion"]);
        sync_cmd(dir, url).assert().success();
        let python = std::env::var("GODCONFIG_PYTHON")
            .expect("GODCONFIG_PYTHON: a Python with mcp (./dev test sets it)");
        let doctor = |db: &str| {
            let mut cmd = sentinel();
            cmd.args(["doctor", "--dir"]).arg(dir).args(["--db", db]);
            cmd.env("GODCONFIG_PYTHON", &python);
            cmd
        };
        doctor(url)
            .assert()
            .success()
            .stdout(predicate::str::contains(format!(
                "schema {}, 1 connector)",
                latest_migration()
            )))
            .stdout(predicate::str::is_match("(?m)^ok +keyring ").unwrap())
            .stdout(predicate::str::is_match("(?m)^ok +python .*\\(mcp \\d").unwrap())
            .stdout(predicate::str::is_match("(?m)^ok +webkitgtk ").unwrap())
            .stdout(predicate::str::contains(
                "everything God Config needs is here",
            ));

        // No keyring and no Python: two problems, each with its fix; the rest still checked.
        let nowhere = format!("unix:path={}", dir.join("no-bus").display());
        doctor(url)
            .env("DBUS_SESSION_BUS_ADDRESS", &nowhere)
            .env("GODCONFIG_PYTHON", dir.join("no-python"))
            .assert()
            .code(1)
            .stdout(predicate::str::is_match("(?m)^problem +keyring ").unwrap())
            .stdout(predicate::str::contains(
                "fix: start or unlock your login keyring",
            ))
            .stdout(predicate::str::is_match("(?m)^problem +python ").unwrap())
            .stdout(predicate::str::contains(
                "fix: the gateway runs each connector's mcp.py",
            ))
            .stdout(predicate::str::is_match("(?m)^ok +registry ").unwrap())
            .stdout(predicate::str::contains("2 problems"));

        // A registry that cannot be opened is a problem too, with the registry's own hint.
        let json = doctor("postgres://nobody@127.0.0.1:1/none")
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert_eq!(json.status.code(), Some(1));
        let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(doc["checks"][0]["name"], "registry");
        assert_eq!(doc["checks"][0]["ok"], false);
        assert!(doc["checks"][0]["fix"]
            .as_str()
            .unwrap()
            .contains("server is running"));
        assert_eq!(doc["about"]["schema"], latest_migration());
    });
}
