//! `sentinel vault` black-box, against the real OS keyring (gnome-keyring under `./dev test`)
//! and a real registry: set from stdin, status, list, exec with exactly one connector's keys,
//! rm, refusals, a keyring that does not answer, and no value anywhere it must not be.
//!
//! Connector slugs carry the process id, so parallel runs never share a keyring entry.

mod common;
use common::*;
use godconfig_vault::SERVICE;
use predicates::prelude::*;
use std::path::Path;
use std::process::Command as Process;

/// A copy of the stripe example under another slug, with the given secrets.
fn connector(dir: &Path, slug: &str, secrets: &[&str]) {
    let to = dir.join(slug);
    std::fs::create_dir_all(&to).unwrap();
    let from = repo().join("connectors/stripe");
    std::fs::copy(from.join("service.py"), to.join("service.py")).unwrap();
    let list: String = secrets.iter().map(|s| format!("  - {s}\n")).collect();
    let text = std::fs::read_to_string(from.join("manifest.yaml"))
        .unwrap()
        .replacen(
            "provider_slug: stripe",
            &format!("provider_slug: {slug}"),
            1,
        )
        .replacen("secrets:\n  - API_KEY\n", &format!("secrets:\n{list}"), 1);
    std::fs::write(to.join("manifest.yaml"), text).unwrap();
}

/// Clears the named keys through `secret-tool` when dropped, whatever the test did.
struct Keys(Vec<String>);

impl Drop for Keys {
    fn drop(&mut self) {
        for k in &self.0 {
            let _ = Process::new("secret-tool")
                .args(["clear", "service", SERVICE, "username", k])
                .status();
        }
    }
}

fn lookup(key: &str) -> Option<String> {
    let out = Process::new("secret-tool")
        .args(["lookup", "service", SERVICE, "username", key])
        .output()
        .expect("secret-tool (Debian package libsecret-tools)");
    out.status
        .success()
        .then(|| String::from_utf8(out.stdout).unwrap())
}

fn value(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("sk_test_{tag}_{nanos:x}")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn vault(db: &str, args: &[&str], stdin: &str) -> Run {
    let out = sentinel()
        .arg("vault")
        // The options before the rest: after `exec … --` they would belong to the command.
        .arg(args[0])
        .args(["--db", db])
        .args(&args[1..])
        .write_stdin(stdin)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

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
    let run = vault(
        db,
        &[
            "exec",
            "--connector",
            &b,
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

    // exec passes exactly the connector's keys: another connector's key, or a PROVIDER_
    // variable of the caller's environment, never reaches the child.
    assert_eq!(vault(db, &["set", &b_key], &v3).code, 0);
    let out = sentinel()
        .args(["vault", "exec", "--connector", &a, "--db", db, "--", "env"])
        .env("PROVIDER_STALE_FROM_SHELL", "leak")
        .env(&b_key, "leak-b")
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
    // The child's exit code is the command's.
    let run = vault(
        db,
        &["exec", "--connector", &a, "--", "sh", "-c", "exit 7"],
        "",
    );
    assert_eq!(run.code, 7, "{}", run.stderr);
    let run = vault(
        db,
        &["exec", "--connector", &a, "--", "no-such-program-gc"],
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

    // The registry holds metadata and audit entries, never a value; nor did any output.
    assert_eq!(
        rows(db, &format!("SELECT action, actor FROM audit_log WHERE action LIKE 'vault.%' AND provider_slug = '{a}' ORDER BY id")),
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

/// No keyring answers: `set` fails with a coded error saying how to fix it, leaves no metadata
/// row, and `status` reports unknown health with the same error (exit 2), never "missing".
#[test]
fn a_keyring_that_does_not_answer_is_an_error_and_leaves_no_row() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("registry.db");
    let db = db.to_str().unwrap();
    let slug = format!("vt{}u", std::process::id());
    connector(&tmp.path().join("connectors"), &slug, &["API_KEY"]);
    sync_cmd(tmp.path().join("connectors"), db)
        .assert()
        .success();
    let nowhere = format!("unix:path={}", tmp.path().join("no-bus").display());
    let key = format!("PROVIDER_{}_API_KEY", slug.to_uppercase());

    sentinel()
        .env("DBUS_SESSION_BUS_ADDRESS", &nowhere)
        .args(["vault", "set", &key, "--db", db])
        .write_stdin("sk_test_never_stored")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[vault.unavailable]"))
        .stderr(predicate::str::contains(
            "hint: start or unlock your login keyring",
        ))
        .stderr(predicate::str::contains("sk_test_never_stored").not());
    assert_eq!(
        one(
            db,
            "SELECT CAST(COUNT(*) AS TEXT) FROM connector_dev_accounts"
        ),
        "0"
    );
    assert_eq!(
        one(
            db,
            "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log WHERE action LIKE 'vault.%'"
        ),
        "0"
    );

    sentinel()
        .env("DBUS_SESSION_BUS_ADDRESS", &nowhere)
        .args(["vault", "status", "--connector", &slug, "--db", db])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[vault.unavailable]"))
        .stdout(predicate::str::contains("unknown"));
}

/// `acme` + SHOP_TOKEN and `acme_shop` + TOKEN spell the same vault key: refused, never given to
/// the wrong connector (set and exec both say so).
#[test]
fn a_vault_key_two_connectors_spell_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("registry.db");
    let db = db.to_str().unwrap();
    let slug = format!("vt{}k", std::process::id());
    let dir = tmp.path().join("connectors");
    connector(&dir, &slug, &["SHOP_TOKEN"]);
    connector(&dir, &format!("{slug}_shop"), &["TOKEN"]);
    sync_cmd(&dir, db).assert().success();
    let key = format!("PROVIDER_{}_SHOP_TOKEN", slug.to_uppercase());
    let run = vault(db, &["set", &key], "sk_test_ambiguous");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("error[vault.ambiguous_key]"),
        "{}",
        run.stderr
    );
    assert_eq!(lookup(&key), None, "nothing was written");
    let run = vault(db, &["exec", "--connector", &slug, "--", "true"], "");
    assert!(
        run.code == 2 && run.stderr.contains("error[vault.ambiguous_key]"),
        "{}",
        run.stderr
    );
}
