//! `sentinel vault` black-box, against the real OS keyring (gnome-keyring under `./dev test`)
//! and a real registry: set from stdin, status, list, exec with exactly one connector's keys,
//! rm, refusals, a keyring that does not answer, and no value anywhere it must not be.
//!
//! Connector slugs carry the process id, so parallel runs never share a keyring entry. The
//! failure cases (no keyring, colliding names) are in `vault_cli_failures.rs`.

mod common;
use common::keyring::*;
use common::*;
use std::path::Path;

fn health(db: &str, slug: &str) -> Vec<(String, String, String)> {
    let run = vault(db, &["status", "--connector", slug, "--format", "json"], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    doc["vault"]["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["vault_key"].as_str().unwrap().to_string(),
                s["health"].as_str().unwrap().to_string(),
                s["account"]["set_by"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn story(db: &str, tmp: &Path, tag: &str) {
    let pid = std::process::id();
    let (a, b) = (format!("vt{pid}{tag}a"), format!("vt{pid}{tag}b"));
    let (ua, ub) = (a.to_uppercase(), b.to_uppercase());
    let (a_key, a_hook, b_key) = (
        format!("PROVIDER_{ua}_API_KEY"),
        format!("PROVIDER_{ua}_WEBHOOK_SECRET"),
        format!("PROVIDER_{ub}_API_KEY"),
    );
    let _keys = Keys(vec![a_key.clone(), a_hook.clone(), b_key.clone()]);
    let dir = tmp.join("connectors");
    connector(&dir, &a, &["API_KEY", "WEBHOOK_SECRET"]);
    connector(&dir, &b, &["API_KEY"]);
    sync_cmd(&dir, db).assert().success();
    let mut outputs = String::new();

    assert_eq!(
        health(db, &a),
        [
            (a_key.clone(), "missing".into(), String::new()),
            (a_hook.clone(), "missing".into(), String::new())
        ]
    );

    // The value comes from stdin, trimmed; it is never echoed.
    let (v1, v2, v3) = (value("one"), value("two"), value("three"));
    let run = vault(
        db,
        &["set", &a_key, "--label", "test store", "--as", "ana"],
        &format!("  {v1}\n"),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains(&format!("stored {a_key} in the OS keyring (set by ana)")),
        "{}",
        run.stdout
    );
    outputs += &(run.stdout + &run.stderr);
    assert_eq!(
        lookup(&a_key).as_deref(),
        Some(v1.as_str()),
        "another process reads it back"
    );

    // An unknown name is refused with a did-you-mean, and nothing is written.
    let typo = format!("PROVIDER_{ua}_API_KEX");
    let run = vault(db, &["set", &typo], "whatever");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("error[vault.unknown_key]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("did you mean `{a_key}`")),
        "{}",
        run.stderr
    );
    assert_eq!(lookup(&typo), None);
    let run = vault(db, &["set", "not-a-key"], "whatever");
    assert!(
        run.code == 2 && run.stderr.contains("error[vault.bad_name]"),
        "{}",
        run.stderr
    );

    // A blank value is refused; a line break inside warns.
    let run = vault(db, &["set", &a_hook], " \n ");
    assert!(
        run.code == 2 && run.stderr.contains("error[vault.blank]"),
        "{}",
        run.stderr
    );
    let run = vault(
        db,
        &["set", &a_hook, "--as", "dev"],
        &format!("{v2}\nextra\n"),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("has a line break inside it"),
        "{}",
        run.stderr
    );
    outputs += &(run.stdout + &run.stderr);
    let run = vault(db, &["set", &a_hook, "--as", "bo"], &v2);
    assert!(
        run.stdout.contains(&format!("replaced {a_hook}")),
        "{}",
        run.stdout
    );
    outputs += &(run.stdout + &run.stderr);

    let h = health(db, &a);
    assert_eq!(
        h.iter()
            .map(|(k, s, by)| (k.as_str(), s.as_str(), by.as_str()))
            .collect::<Vec<_>>(),
        [
            (a_key.as_str(), "present", "ana"),
            (a_hook.as_str(), "present", "bo")
        ]
    );

    // status of everything and list: names and metadata only.
    let run = vault(db, &["status"], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains(&format!("fix: sentinel vault set {b_key}")),
        "{}",
        run.stdout
    );
    outputs += &(run.stdout + &run.stderr);
    let run = vault(db, &["list"], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(&a_key) && run.stdout.contains("test store"),
        "{}",
        run.stdout
    );
    outputs += &(run.stdout + &run.stderr);
    let run = vault(db, &["list", "--format", "json"], "");
    outputs += &(run.stdout + &run.stderr);

    // exec refuses while a key is missing, and runs nothing.
    let marker = tmp.join("ran");
    let d = dir.to_str().unwrap();
    let run = vault(
        db,
        &[
            "exec",
            "--connector",
            &b,
            "--draft",
            "--dir",
            d,
            "--",
            "touch",
            marker.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("error[vault.missing]") && run.stderr.contains(&b_key),
        "{}",
        run.stderr
    );
    assert!(!marker.exists(), "the command must not run");

    // A draft gets keys only with --draft, and the refusal is audited.
    assert_eq!(vault(db, &["set", &b_key], &v3).code, 0);
    let run = vault(
        db,
        &["exec", "--connector", &a, "--dir", d, "--", "true"],
        "",
    );
    assert!(
        run.code == 2 && run.stderr.contains("error[vault.not_approved]"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--draft"), "{}", run.stderr);
    assert_eq!(audit_actions(db, "vault.exec_refused"), 1);

    // exec passes exactly the connector's keys and a short allow-list of the caller's
    // variables: another connector's key, a PROVIDER_ variable of the caller's environment, the
    // registry's URL or a database password never reaches the child.
    let out = sentinel()
        .args([
            "vault",
            "exec",
            "--connector",
            &a,
            "--db",
            db,
            "--draft",
            "--dir",
            d,
        ])
        .args(["--", "env"])
        .env("PROVIDER_STALE_FROM_SHELL", "leak")
        .env(&b_key, "leak-b")
        .env("GODCONFIG_DATABASE_URL", db)
        .env("PGPASSWORD", "leak-pg")
        .env("LC_TIME", "C")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let env = String::from_utf8(out.stdout).unwrap();
    let provider: Vec<&str> = env.lines().filter(|l| l.starts_with("PROVIDER_")).collect();
    let mut expected = vec![format!("{a_key}={v1}"), format!("{a_hook}={v2}")];
    expected.sort();
    let mut provider: Vec<String> = provider.into_iter().map(String::from).collect();
    provider.sort();
    assert_eq!(provider, expected);
    for leak in ["GODCONFIG_DATABASE_URL", "PGPASSWORD", "leak"] {
        assert!(!env.contains(leak), "{leak} reached the child:\n{env}");
    }
    assert!(env.lines().any(|l| l.starts_with("PATH=")), "{env}");
    assert!(env.lines().any(|l| l == "LC_TIME=C"), "{env}");
    // A run is audited once its keys were read: b's, stopped on a missing key, is not.
    assert_eq!(audit_actions(db, "vault.exec_draft"), 1);

    // Approved, it runs without --draft, until its code changes on disk.
    make_ready(db, &a);
    let approve = sentinel()
        .args(["approve", &a, "--yes", "--db", db])
        .output()
        .unwrap();
    assert!(
        approve.status.success(),
        "{}",
        String::from_utf8_lossy(&approve.stderr)
    );
    let run = vault(
        db,
        &["exec", "--connector", &a, "--dir", d, "--", "true"],
        "",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(audit_actions(db, "vault.exec"), 1);
    let service = dir.join(&a).join("service.py");
    let code = std::fs::read_to_string(&service).unwrap();
    std::fs::write(
        &service,
        format!("{code}\nimport os  # edited after approval\n"),
    )
    .unwrap();
    let run = vault(
        db,
        &["exec", "--connector", &a, "--dir", d, "--", "true"],
        "",
    );
    assert!(
        run.code == 2 && run.stderr.contains("changed since the last sync"),
        "{}",
        run.stderr
    );
    std::fs::write(&service, code).unwrap();
    // The child's exit code is the command's.
    let run = vault(
        db,
        &[
            "exec",
            "--connector",
            &a,
            "--dir",
            d,
            "--",
            "sh",
            "-c",
            "exit 7",
        ],
        "",
    );
    assert_eq!(run.code, 7, "{}", run.stderr);
    let run = vault(
        db,
        &[
            "exec",
            "--connector",
            &a,
            "--dir",
            d,
            "--",
            "no-such-program-gc",
        ],
        "",
    );
    assert!(
        run.code == 2 && run.stderr.contains("error[vault.exec]"),
        "{}",
        run.stderr
    );

    // rm asks first; without a terminal it needs --yes.
    let run = vault(db, &["rm", &a_key], "");
    assert!(
        run.code == 2 && run.stderr.contains("error[sentinel.confirm]"),
        "{}",
        run.stderr
    );
    let run = vault(db, &["rm", &a_key, "--yes", "--as", "cy"], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(&format!("deleted {a_key}")));
    assert_eq!(lookup(&a_key), None);
    assert_eq!(health(db, &a)[0].1, "missing");
    let run = vault(db, &["rm", &a_key, "--yes"], "");
    assert!(run.stdout.contains("was not set"), "{}", run.stdout);

    // Every request for a's keys is in the audit log: refused, as a draft, approved, refused
    // after the edit, then the two approved runs.
    let runs: Vec<String> = rows(db, &format!("SELECT action FROM audit_log WHERE action LIKE 'vault.exec%' AND provider_slug = '{a}' ORDER BY id"))
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(
        runs,
        [
            "vault.exec_refused",
            "vault.exec_draft",
            "vault.exec",
            "vault.exec_refused",
            "vault.exec",
            "vault.exec"
        ]
    );

    // The registry holds metadata and audit entries, never a value; nor did any output.
    assert_eq!(
        rows(db, &format!("SELECT action, actor FROM audit_log WHERE action LIKE 'vault.key%' AND provider_slug = '{a}' ORDER BY id")),
        [["vault.key_set", "ana"], ["vault.key_set", "dev"], ["vault.key_rotated", "bo"], ["vault.key_deleted", "cy"]]
    );
    let stored = format!(
        "{:?}{:?}",
        rows(db, "SELECT provider_slug, key_name, COALESCE(label, ''), set_by FROM connector_dev_accounts"),
        rows(db, "SELECT CAST(detail AS TEXT), COALESCE(CAST(before_json AS TEXT), ''), COALESCE(CAST(after_json AS TEXT), '') FROM audit_log")
    );
    assert!(
        stored.contains("test store"),
        "the check reads the metadata: {stored}"
    );
    for v in [&v1, &v2, &v3] {
        assert!(!outputs.contains(v.as_str()), "a value was printed");
        assert!(!stored.contains(v.as_str()), "a value is in the registry");
    }
    if !db.starts_with("postgres") {
        for file in ["", "-wal", "-shm"] {
            let path = format!("{db}{file}");
            if let Ok(bytes) = std::fs::read(&path) {
                for v in [&v1, &v2, &v3] {
                    assert!(
                        !bytes.windows(v.len()).any(|w| w == v.as_bytes()),
                        "a value is in {path}"
                    );
                }
            }
        }
    }
}

#[test]
fn vault_cli_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("registry.db");
    story(db.to_str().unwrap(), tmp.path(), "s");
}

#[test]
fn vault_cli_on_postgres() {
    let tmp = tempfile::tempdir().unwrap();
    let pg = PgDb::new();
    story(&pg.url, tmp.path(), "p");
}
