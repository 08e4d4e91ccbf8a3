//! A tamper-evident audit log (issue 18), on SQLite and on PostgreSQL: every entry is chained to
//! the one before it; the registry refuses to change or delete entries; `sentinel audit verify`
//! exits 0 on an intact log and 1 naming the first entry that does not match; entries written
//! before the chain existed are chained when the migration is applied.

mod common;
use common::*;
use predicates::prelude::*;
use std::path::Path;

/// Runs `sql` on either backend: Err(message) if the database refuses it.
fn try_exec(url: &str, sql: &str) -> Result<(), String> {
    let url = if url.starts_with("postgres") {
        url.to_string()
    } else {
        format!("sqlite:{url}")
    };
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            sqlx::any::install_default_drivers();
            let mut c = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
                .await
                .unwrap();
            let r = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
                .execute(&mut c)
                .await;
            r.map(|_| ()).map_err(|e| e.to_string())
        })
}

fn verify(url: &str) -> assert_cmd::assert::Assert {
    sentinel().args(["audit", "verify", "--db", url]).assert()
}

fn entry_id(url: &str, seq: i64) -> String {
    one(
        url,
        &format!("SELECT CAST(id AS TEXT) FROM audit_log WHERE seq = {seq}"),
    )
}

/// Writes a few entries the ordinary way: a sync, an approval, a revocation.
fn some_history(url: &str, dir: &Path) {
    copy_connectors(dir, &["notion", "slack"]);
    sync_cmd(dir, url).assert().success();
    make_ready(url, "notion");
    let cli = |args: &[&str]| {
        let mut c = sentinel();
        c.args(args).args(["--db", url]);
        c.assert().success();
    };
    cli(&["approve", "notion", "--yes"]);
    cli(&["revoke", "notion", "--reason", "checking the chain"]);
    edit(
        &dir.join("slack/manifest.yaml"),
        "display_name: Slack",
        "display_name: Slack (edited)",
    );
    sync_cmd(dir, url).assert().success();
}

/// `disable` and `enable` take the append-only guard off and on again, as the owner of the
/// database (or whoever holds the SQLite file) could.
fn chain_story(url: &str, dir: &Path, disable: &str, enable: &str) {
    some_history(url, dir);
    let n = audit_count(url, "1 = 1");
    assert!(n >= 5, "{n} entries");
    verify(url)
        .success()
        .stdout(predicate::str::contains(format!(
            "audit log intact: {n} entries chained; last hash "
        )));
    sentinel()
        .args(["audit", "verify", "--format", "json", "--db", url])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"first_bad\": null"));

    // Nobody changes or deletes an entry through the database's front door.
    for sql in [
        "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 2",
    ] {
        let refused = try_exec(url, sql).expect_err(sql);
        assert!(
            refused.contains("audit log entries cannot be changed or deleted"),
            "{refused}"
        );
    }

    // Around it: an entry rewritten is named, and the entries before it are intact.
    let second = entry_id(url, 2);
    exec(url, disable);
    let actor = one(url, "SELECT actor FROM audit_log WHERE seq = 2");
    exec(url, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2");
    verify(url).code(1).stdout(
        predicate::str::contains(format!("audit log broken at entry {second} ("))
            .and(predicate::str::contains(
                "its content does not match its hash: it was changed after it was written",
            ))
            .and(predicate::str::contains("The entry before it is intact.")),
    );
    // Put back, it matches again: verify recomputes every hash.
    exec(
        url,
        &format!("UPDATE audit_log SET actor = '{actor}' WHERE seq = 2"),
    );
    verify(url).success();

    // An entry removed from the middle: the one after it names the gap.
    let fourth = entry_id(url, 4);
    exec(url, "DELETE FROM audit_log WHERE seq = 3");
    exec(url, enable);
    verify(url).code(1).stdout(
        predicate::str::contains(format!("audit log broken at entry {fourth} ("))
            .and(predicate::str::contains("entries before it are missing")),
    );
}

#[test]
fn tampering_is_refused_and_found_on_sqlite() {
    on_sqlite(|url, dir| {
        chain_story(
            url,
            dir,
            "DROP TRIGGER audit_log_append_only_update; DROP TRIGGER audit_log_append_only_delete",
            "SELECT 1",
        );
    });
    // SQLite has no server to chain an entry written around the registry: it is found.
    on_sqlite(|url, dir| {
        some_history(url, dir);
        exec(
            url,
            "INSERT INTO audit_log (at, actor, action) VALUES ('2000-01-01T00:00:00Z', 'x', 'test.around')",
        );
        let id = one(
            url,
            "SELECT CAST(id AS TEXT) FROM audit_log WHERE action = 'test.around'",
        );
        verify(url).code(1).stdout(
            predicate::str::contains(format!("audit log broken at entry {id} (test.around"))
                .and(predicate::str::contains("it has no place in the chain")),
        );
    });
}

#[test]
fn tampering_is_refused_and_found_on_postgres() {
    on_postgres(|url, dir| {
        chain_story(
            url,
            dir,
            "ALTER TABLE audit_log DISABLE TRIGGER godconfig_audit_append_only",
            "ALTER TABLE audit_log ENABLE TRIGGER godconfig_audit_append_only",
        );
    });
}

#[test]
fn on_postgres_plain_sql_is_chained_with_the_servers_time() {
    on_postgres(|url, dir| {
        some_history(url, dir);
        // A backdated entry written in SQL: the server sets the time and chains it.
        exec(
            url,
            "INSERT INTO audit_log (at, actor, action, seq, hash) \
             VALUES ('2000-01-01', 'x', 'test.backdated', 1, 'forged')",
        );
        assert_eq!(
            one(
                url,
                "SELECT CAST(EXTRACT(YEAR FROM at) >= 2026 AS TEXT) FROM audit_log WHERE action = 'test.backdated'"
            ),
            "true"
        );
        verify(url).success();
    });
}

/// Undoes migration 0009 as if the registry predated it; reopening applies it again.
fn before_the_chain(url: &str, undo: &str) {
    exec(url, undo);
    exec(
        url,
        "DELETE FROM schema_migrations WHERE version = 20261204000009",
    );
    assert!(audit_count(url, "1 = 1") > 0, "entries to chain are there");
}

#[test]
fn entries_written_before_the_chain_are_chained_by_the_migration() {
    on_sqlite(|url, dir| {
        some_history(url, dir);
        before_the_chain(
            url,
            "DROP TRIGGER audit_log_append_only_update; DROP TRIGGER audit_log_append_only_delete; \
             DROP INDEX audit_log_seq; ALTER TABLE audit_log DROP COLUMN seq; \
             ALTER TABLE audit_log DROP COLUMN prev_hash; ALTER TABLE audit_log DROP COLUMN hash",
        );
        let n = audit_count(url, "1 = 1");
        verify(url)
            .success()
            .stdout(predicate::str::contains(format!(
                "audit log intact: {n} entries chained"
            )));
    });
    on_postgres(|url, dir| {
        some_history(url, dir);
        before_the_chain(
            url,
            "DROP TRIGGER godconfig_zz_audit_chain ON audit_log; \
             DROP TRIGGER godconfig_audit_append_only ON audit_log; \
             DROP TRIGGER godconfig_audit_no_truncate ON audit_log; \
             DROP FUNCTION godconfig_audit_chain(), godconfig_audit_append_only(), \
                 godconfig_audit_hash(audit_log), godconfig_audit_field(text); \
             ALTER TABLE audit_log DROP COLUMN seq, DROP COLUMN prev_hash, DROP COLUMN hash",
        );
        // The migration computes the hashes in SQL; verify recomputes them in Rust.
        let n = audit_count(url, "1 = 1");
        verify(url)
            .success()
            .stdout(predicate::str::contains(format!(
                "audit log intact: {n} entries chained"
            )));
    });
}
