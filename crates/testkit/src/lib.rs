//! Helpers shared by the tests of every crate: temp workspaces with the example connectors, a
//! fresh PostgreSQL database per test, SQL probes that bypass the code under test, and
//! registering a folder with the real sentinel. Only ever a dev-dependency.

use godconfig_registry::{DbTarget, Registry};
use sqlx::any::AnyPoolOptions;
use sqlx::Row;
use std::path::{Path, PathBuf};

/// The repository's root (this crate is `crates/testkit`).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Registers every connector of `dir` into the registry at `url` (a SQLite path or a
/// PostgreSQL URL) with the sentinel's own sync, as `sentinel sync DIR --db URL` does, on a pool
/// and a thread of its own (so an async story can call it too). Panics on any invalid manifest.
pub fn register(dir: &Path, url: &str) {
    off_thread(async {
        let reg = Registry::open(&DbTarget::parse(url).unwrap())
            .await
            .unwrap();
        let opts = godconfig_sentinel::SyncOptions {
            dry_run: false,
            actor: godconfig_sentinel::os_user(),
        };
        let out = godconfig_sentinel::sync(dir, &reg, &opts, &|_| {})
            .await
            .unwrap();
        reg.close().await;
        assert_eq!(
            out.check.invalid,
            0,
            "{} has invalid manifests: {:?}",
            dir.display(),
            out.check.diagnostics
        );
    })
}

/// Copies the named example connectors (manifest and service only) into `dir`.
pub fn copy_connectors(dir: &Path, slugs: &[&str]) {
    for slug in slugs {
        let to = dir.join(slug);
        std::fs::create_dir_all(&to).unwrap();
        for file in ["manifest.yaml", "service.py"] {
            std::fs::copy(
                repo().join("connectors").join(slug).join(file),
                to.join(file),
            )
            .unwrap();
        }
    }
}

/// The names in `dir`, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

pub fn all_examples() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(repo().join("connectors"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            p.join("manifest.yaml")
                .is_file()
                .then(|| p.file_name().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    v.sort();
    v
}

pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.contains(from),
        "{} does not contain {from:?}",
        path.display()
    );
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Runs `story(registry, connectors_dir)` on a new SQLite file in a temp folder (the connectors
/// folder is there too, not yet created).
pub fn on_sqlite(story: impl FnOnce(&str, &Path)) {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("registry.db");
    story(db.to_str().unwrap(), &tmp.path().join("connectors"));
}

/// The same on a fresh PostgreSQL database (`PgDb`), dropped afterwards.
pub fn on_postgres(story: impl FnOnce(&str, &Path)) {
    let tmp = tempfile::tempdir().unwrap();
    let pg = PgDb::new();
    story(&pg.url, &tmp.path().join("connectors"));
}

/// A fresh PostgreSQL database on the test server; dropped when the guard goes.
pub struct PgDb {
    pub url: String,
    admin: String,
    name: String,
}

pub fn pg_admin_url() -> String {
    std::env::var("GODCONFIG_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

impl Default for PgDb {
    fn default() -> Self {
        Self::new()
    }
}

impl PgDb {
    pub fn new() -> PgDb {
        let admin = pg_admin_url();
        let name = format!(
            "godconfig_test_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        );
        exec(&admin, &format!("CREATE DATABASE {name}"));
        let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
        PgDb {
            url: format!("{base}/{name}"),
            admin,
            name,
        }
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        exec(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

/// Runs `work` to completion on a runtime and a thread of its own, so the helpers work the same
/// from plain tests and from inside an async story.
fn off_thread<T: Send>(work: impl std::future::Future<Output = T> + Send) -> T {
    std::thread::scope(|s| {
        s.spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(work)
        })
        .join()
        .unwrap()
    })
}

fn any_url(url: &str) -> String {
    if url.starts_with("postgres") {
        url.to_string()
    } else {
        format!("sqlite:{url}")
    }
}

pub fn exec(url: &str, sql: &str) {
    let url = any_url(url);
    off_thread(async {
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new().max_connections(1).connect(&url).await.unwrap_or_else(|e| {
            panic!("cannot reach the test database {url}: {e}; is PostgreSQL running? (./dev setup starts one)")
        });
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    })
}

/// Runs a query whose columns are all text (cast them in SQL) and returns the rows.
pub fn rows(url: &str, sql: &str) -> Vec<Vec<String>> {
    let url = any_url(url);
    off_thread(async {
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .unwrap();
        let out = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_all(&pool)
            .await
            .unwrap()
            .iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| {
                        r.try_get::<Option<String>, _>(i)
                            .unwrap()
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect();
        pool.close().await;
        out
    })
}

pub fn one(url: &str, sql: &str) -> String {
    rows(url, sql)
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next())
        .unwrap_or_default()
}

/// `sqlite3 .dump` without the rows of the two tables allowed to hold timestamps.
pub fn dump(db: &Path) -> String {
    let out = std::process::Command::new("sqlite3")
        .arg(db)
        .arg(".dump")
        .output()
        .expect("sqlite3 CLI (apt install sqlite3)");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| {
            !l.starts_with("INSERT INTO audit_log") && !l.starts_with("INSERT INTO sync_runs")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn python() -> String {
    std::env::var("GODCONFIG_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// The registered status of one connector.
pub fn status(url: &str, slug: &str) -> String {
    one(
        url,
        &format!("SELECT status FROM connector_providers WHERE slug = '{slug}'"),
    )
}

/// Plays the admin in SQL so a connector's gate passes: every declared gated scope gets a type
/// and every metric is marked "not a KPI" (what `sentinel kpis ignore` writes).
pub fn make_ready(url: &str, slug: &str) {
    exec(url, &format!(
        "INSERT INTO scope_gating (provider_slug, scope_name, firearm_type) \
         SELECT provider_slug, name, 'writes_data' FROM connector_scopes WHERE provider_slug = '{slug}' AND requires_firearm; \
         INSERT INTO kpi_mappings (provider_slug, metric_raw, not_a_kpi, reason) \
         SELECT provider_slug, raw, TRUE, 'test' FROM platform_metrics WHERE provider_slug = '{slug}';"
    ));
}

/// Audit entries matching `filter`, an SQL condition (`1 = 1` for all of them).
pub fn audit_count(url: &str, filter: &str) -> usize {
    one(
        url,
        &format!("SELECT CAST(COUNT(*) AS TEXT) FROM audit_log WHERE {filter}"),
    )
    .parse()
    .unwrap()
}

/// Audit entries with this action.
pub fn audit_actions(url: &str, action: &str) -> usize {
    audit_count(url, &format!("action = '{action}'"))
}

/// Runs an async story on a multi-threaded runtime: it blocks on syncs that run elsewhere
/// (`register`, `sentinel sync` subprocesses), and the pool must still roll back the
/// transactions of refused changes meanwhile, or the sync waits on their locks.
pub fn block_on_story<F: std::future::Future>(story: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(story)
}
