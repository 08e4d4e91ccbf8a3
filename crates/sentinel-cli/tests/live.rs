//! Live updates: a watcher on the registry wakes up within a second when another process (here
//! the real `sentinel` CLI) commits, on SQLite and on PostgreSQL; and stays quiet otherwise.

mod common;
use common::*;
use godconfig_registry::{DbTarget, Registry};
use std::time::{Duration, Instant};

fn live(url: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    copy_connectors(&dir, &["stripe"]);
    sync_cmd(&dir, url).assert().success();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = Registry::open(&DbTarget::parse(url).unwrap())
            .await
            .unwrap();
        let mut watcher = store.watch().await.unwrap();
        // Nothing happens: nothing is reported.
        assert!(
            tokio::time::timeout(Duration::from_millis(600), watcher.changed())
                .await
                .is_err()
        );
        // A rejection by another process is seen within a second.
        let reject = sentinel()
            .args(["reject", "stripe", "--reason", "live test", "--db", url])
            .output()
            .unwrap();
        assert!(reject.status.success());
        let started = Instant::now();
        tokio::time::timeout(Duration::from_secs(1), watcher.changed())
            .await
            .expect("no change seen within 1 s")
            .unwrap();
        eprintln!("change seen after {:?}", started.elapsed());
        // A plan writes nothing, so it wakes nobody.
        sync_cmd(&dir, url).arg("--plan").assert().success();
        assert!(
            tokio::time::timeout(Duration::from_millis(600), watcher.changed())
                .await
                .is_err()
        );
        // Told to look (the app's folder watcher committed): a look that finds nothing new
        // reports nothing; after a commit, SQLite is read at once instead of at the next poll
        // (200 ms), and the commit is reported once.
        let look = tokio::sync::Notify::new();
        look.notify_one();
        assert!(
            tokio::time::timeout(Duration::from_millis(600), watcher.changed_or(&look))
                .await
                .is_err()
        );
        sync_cmd(&dir, url).assert().success();
        look.notify_one();
        let started = Instant::now();
        tokio::time::timeout(Duration::from_secs(1), watcher.changed_or(&look))
            .await
            .expect("no change seen within 1 s")
            .unwrap();
        let seen = started.elapsed();
        eprintln!("commit seen {seen:?} after the look");
        // (PostgreSQL's NOTIFY needs no look.)
        if !url.starts_with("postgres") {
            assert!(
                seen < Duration::from_millis(150),
                "{seen:?}: the look waited for the poll"
            );
        }
        assert!(
            tokio::time::timeout(Duration::from_millis(600), watcher.changed_or(&look))
                .await
                .is_err(),
            "one commit, one report"
        );
        // Closing the store while a watcher is open must not wait for it.
        tokio::time::timeout(Duration::from_secs(5), store.close())
            .await
            .expect("close hangs on an open watcher");
        drop(watcher);
    });
}

#[test]
fn live_updates_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    live(tmp.path().join("r.db").to_str().unwrap());
}

#[test]
fn live_updates_on_postgres() {
    let db = PgDb::new();
    live(&db.url);
}
