//! `sentinel vault` when things go wrong, black-box against the real keyring: no keyring at all
//! (coded error, no metadata row left, rows put back), and vault key names two connectors spell,
//! one of them removed.

mod common;
use common::keyring::*;
use common::*;
use predicates::prelude::*;

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
    assert_eq!(audit_count(db, "action LIKE 'vault.%'"), 0);

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
    let dir = dir.to_str().unwrap();
    let args = [
        "exec",
        "--connector",
        &slug,
        "--draft",
        "--dir",
        dir,
        "--",
        "true",
    ];
    let run = vault(db, &args, "");
    assert!(
        run.code == 2 && run.stderr.contains("error[vault.ambiguous_key]"),
        "{}",
        run.stderr
    );
}

/// `a` (removed) + B_C and `a_b` + C both spell PROVIDER_A_B_C. The removed connector's key is
/// still in the keyring: it is never handed to `a_b` (exec refused, coded, before any key is
/// read) nor overwritten for it (set refused); deleting it lets `a_b` have its own.
#[test]
fn a_removed_connectors_key_is_never_given_to_a_slug_that_spells_it() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("registry.db");
    let db = db.to_str().unwrap();
    let dir = tmp.path().join("connectors");
    let a = format!("vt{}x", std::process::id());
    let a_b = format!("{a}_b");
    let key = format!("PROVIDER_{}_B_C", a.to_uppercase());
    let _keys = Keys(vec![key.clone()]);
    connector(&dir, &a, &["B_C"]);
    sync_cmd(&dir, db).assert().success();
    let removed_value = value("removed");
    let run = vault(db, &["set", &key], &removed_value);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::remove_dir_all(dir.join(&a)).unwrap();
    connector(&dir, &a_b, &["C"]);
    sync_cmd(&dir, db).assert().success();
    assert_eq!(status(db, &a), "removed");

    let dir_arg = dir.to_str().unwrap();
    let exec = [
        "exec",
        "--connector",
        &a_b,
        "--draft",
        "--dir",
        dir_arg,
        "--",
        "env",
    ];
    let run = vault(db, &exec, "");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[vault.key_of_removed]") && run.stderr.contains(&a),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains(&removed_value), "{}", run.stdout);
    let run = vault(db, &["set", &key], "sk_test_for_a_b");
    assert!(
        run.code == 2 && run.stderr.contains("error[vault.key_of_removed]"),
        "{}",
        run.stderr
    );
    assert_eq!(lookup(&key).as_deref(), Some(removed_value.as_str()));

    // The way out the hint gives: delete the removed connector's key, then set a_b's own.
    let run = vault(db, &["rm", &key, "--yes"], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let own = value("own");
    let run = vault(db, &["set", &key], &own);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = vault(db, &exec, "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!("{key}={own}")),
        "{}",
        run.stdout
    );
}

/// `rm` while the keyring does not answer: the error says how to fix it, the key stays in the
/// keyring and its metadata row is put back (a row never claims a key that is gone).
#[test]
fn rm_with_no_keyring_keeps_the_key_and_its_row() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("registry.db");
    let db = db.to_str().unwrap();
    let slug = format!("vt{}r", std::process::id());
    connector(&tmp.path().join("connectors"), &slug, &["API_KEY"]);
    sync_cmd(tmp.path().join("connectors"), db)
        .assert()
        .success();
    let key = format!("PROVIDER_{}_API_KEY", slug.to_uppercase());
    let _keys = Keys(vec![key.clone()]);
    let v = value("rm");
    let run = vault(db, &["set", &key, "--label", "kept", "--as", "ana"], &v);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let nowhere = format!("unix:path={}", tmp.path().join("no-bus").display());
    sentinel()
        .env("DBUS_SESSION_BUS_ADDRESS", &nowhere)
        .args(["vault", "rm", &key, "--yes", "--as", "bo", "--db", db])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[vault.unavailable]"));
    assert_eq!(lookup(&key).as_deref(), Some(v.as_str()));
    assert_eq!(
        rows(db, "SELECT label, set_by FROM connector_dev_accounts"),
        [["kept", "ana"]]
    );
    assert_eq!(
        rows(
            db,
            "SELECT action, actor FROM audit_log WHERE action LIKE 'vault.%' ORDER BY id"
        ),
        [
            ["vault.key_set", "ana"],
            ["vault.key_deleted", "bo"],
            ["vault.key_restored", "bo"]
        ]
    );
}
