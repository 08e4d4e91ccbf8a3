//! Fault tests: PostgreSQL is stopped (`pg_ctlcluster … stop`) in the middle of a sync and in the
//! middle of an approval, then started again. The sentinel exits non-zero with a clear error,
//! nothing is half-written, and the next run succeeds. The server is a private cluster made for
//! the test (`pg_createcluster`, common/cluster.rs), so the shared one other tests use never
//! stops.

mod common;
use common::cluster::Cluster;
use common::*;
use predicates::prelude::*;
use std::process::{Command as Proc, Stdio};
use std::time::{Duration, Instant};

/// The registry's write lock (crates/registry/src/postgres.rs): holding it parks a writer
/// inside its transaction, so the server can be stopped at exactly that point.
const WRITE_LOCK: i64 = 0x0047_4f44_434f_4e46;

/// Holds the write lock on its own connection until the server goes away.
fn hold_write_lock(url: &str) -> std::thread::JoinHandle<()> {
    let url = url.to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    let t = std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async {
                use sqlx::Connection;
                let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
                sqlx::query("SELECT pg_advisory_lock($1)")
                    .bind(WRITE_LOCK)
                    .execute(&mut c)
                    .await
                    .unwrap();
                tx.send(()).unwrap();
                // Ends when the server stops under it.
                while sqlx::query("SELECT 1").execute(&mut c).await.is_ok() {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            })
    });
    rx.recv().unwrap();
    t
}

/// Waits until another session waits for the write lock (the sentinel, mid-transaction).
fn wait_for_waiter(url: &str) {
    let started = Instant::now();
    while one(
        url,
        "SELECT CAST(COUNT(*) AS TEXT) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
    ) != "1"
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the sentinel never reached the write lock"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// What a half-written change would show.
fn snapshot(url: &str) -> Vec<Vec<String>> {
    rows(
        url,
        "SELECT slug || ' ' || display_name || ' ' || status FROM connector_providers \
         UNION ALL SELECT 'audit ' || CAST(COUNT(*) AS TEXT) FROM audit_log \
         UNION ALL SELECT 'runs ' || CAST(COUNT(*) AS TEXT) FROM sync_runs \
         UNION ALL SELECT 'approvals ' || CAST(COUNT(*) AS TEXT) FROM connector_approvals \
         UNION ALL SELECT 'scopes ' || CAST(COUNT(*) AS TEXT) FROM connector_scopes ORDER BY 1",
    )
}

/// Runs `sentinel ARGS --db url` while the server is stopped under it; returns its stderr.
fn interrupted(cluster: &Cluster, url: &str, args: &[&str]) -> String {
    let holder = hold_write_lock(url);
    let child = Proc::new(assert_cmd::cargo::cargo_bin("sentinel"))
        .env_remove("GODCONFIG_DATABASE_URL")
        .args(args)
        .args(["--db", url])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_waiter(url);
    cluster.stop();
    let out = child.wait_with_output().unwrap();
    holder.join().unwrap();
    cluster.start();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "sentinel {args:?}: {stderr}");
    stderr
}

#[test]
fn postgres_stopped_during_a_sync_and_an_approval() {
    let cluster = Cluster::create();
    let url = cluster.url("registry");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    copy_connectors(&dir, &["notion", "slack"]);
    sync_cmd(&dir, &url).assert().success();
    make_ready(&url, "notion");

    // During a sync: one connector changed, one added; the server stops mid-transaction.
    let before = snapshot(&url);
    edit(
        &dir.join("slack/manifest.yaml"),
        "display_name: Slack",
        "display_name: Slack (edited)",
    );
    copy_connectors(&dir, &["github"]);
    let err = interrupted(&cluster, &url, &["sync", dir.to_str().unwrap()]);
    assert!(err.contains("error[registry.offline]"), "{err}");
    assert!(err.contains("nothing was changed"), "{err}");
    assert!(
        err.contains("hint: check that the database server is running"),
        "{err}"
    );
    assert_eq!(snapshot(&url), before, "a half-written sync");
    // The server is back: the same sync succeeds whole.
    sync_cmd(&dir, &url)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 added, 1 changed"));
    assert_eq!(status(&url, "github"), "draft");

    // During an approval: nothing approved, no audit entry; then it goes through.
    let before = snapshot(&url);
    let err = interrupted(&cluster, &url, &["approve", "notion", "--yes"]);
    assert!(err.contains("error[registry.offline]"), "{err}");
    assert_eq!(snapshot(&url), before, "a half-written approval");
    assert_eq!(status(&url, "notion"), "draft");
    sentinel()
        .args(["approve", "notion", "--yes", "--db", &url])
        .assert()
        .success();
    assert_eq!(status(&url, "notion"), "approved");
}

#[test]
fn a_stopped_server_is_a_clear_error() {
    let cluster = Cluster::create();
    let url = cluster.url("registry");
    cluster.stop();
    sentinel()
        .args(["status", "--db", &url])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[registry.connect]"))
        .stderr(predicate::str::contains(
            "hint: check that the server is running",
        ));
    cluster.start();
    sentinel().args(["status", "--db", &url]).assert().success();
}
