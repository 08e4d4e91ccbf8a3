//! `gating`: times one bulk gate of 1,000 scopes (one transaction, one audit entry) through the
//! registry library, on a SQLite file and on PostgreSQL, after a real sentinel sync of a corpus.

use crate::corpus;
use crate::report::{Machine, Measure};
use godconfig_registry::{DbTarget, GatingChange, GatingOp, Registry, ScopeRef, ScopeRow};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub struct Options {
    pub connectors: u64,
    pub scopes: usize,
    pub runs: usize,
    pub seed: u64,
    pub sentinel: PathBuf,
    /// An admin URL of a PostgreSQL server; a scratch database is created and dropped there.
    pub postgres: Option<String>,
    pub work_dir: Option<PathBuf>,
}

const TARGET: Duration = Duration::from_millis(200);

fn sync(sentinel: &Path, dir: &Path, db: &str) -> Result<(), String> {
    let out = Command::new(sentinel)
        .arg("sync")
        .arg(dir)
        .args(["--db", db])
        .env_remove("GODCONFIG_DATABASE_URL")
        .output()
        .map_err(|e| format!("running {}: {e}", sentinel.display()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "sentinel sync failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn refs(rows: &[&ScopeRow]) -> Vec<ScopeRef> {
    rows.iter()
        .map(|r| ScopeRef {
            connector: r.connector.clone(),
            scope: r.name.clone(),
            version: r.version,
        })
        .collect()
}

/// The same `n` ungated scopes, re-read so their versions are current.
async fn pick(reg: &Registry, names: &[(String, String)]) -> Result<Vec<ScopeRow>, String> {
    let all = reg.scopes(None).await.map_err(|e| e.to_string())?;
    Ok(all
        .into_iter()
        .filter(|r| names.iter().any(|(c, s)| *c == r.connector && *s == r.name))
        .collect())
}

async fn measure(reg: &Registry, o: &Options, label: &'static str) -> Result<Measure, String> {
    let all = reg.scopes(None).await.map_err(|e| e.to_string())?;
    let names: Vec<(String, String)> = all
        .iter()
        .filter(|r| !r.effective_gated)
        .take(o.scopes)
        .map(|r| (r.connector.clone(), r.name.clone()))
        .collect();
    if names.len() < o.scopes {
        return Err(format!(
            "the corpus has only {} ungated scopes; raise --connectors",
            names.len()
        ));
    }
    let mut m = Measure::new(label, TARGET);
    for _ in 0..o.runs {
        let rows = pick(reg, &names).await?;
        let gate = GatingChange {
            op: GatingOp::Gate {
                firearm_type: Some("writes_data".into()),
            },
            scopes: refs(&rows.iter().collect::<Vec<_>>()),
            reason: None,
        };
        let t = Instant::now();
        let out = reg
            .change_gating(&gate, "bench")
            .await
            .map_err(|e| e.to_string())?;
        m.walls.push(t.elapsed());
        if out.changed as usize != o.scopes {
            return Err(format!("gated {} scopes, not {}", out.changed, o.scopes));
        }
        // Untimed: put them back so every run gates the same scopes.
        let rows = pick(reg, &names).await?;
        let ungate = GatingChange {
            op: GatingOp::Ungate,
            scopes: refs(&rows.iter().collect::<Vec<_>>()),
            reason: Some("benchmark reset".into()),
        };
        reg.change_gating(&ungate, "bench")
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(m)
}

async fn backend(db: &str, o: &Options, label: &'static str) -> Result<Measure, String> {
    let reg = Registry::open(&DbTarget::parse(db).map_err(|e| e.to_string())?)
        .await
        .map_err(|e| e.to_string())?;
    let m = measure(&reg, o, label).await;
    reg.close().await;
    m
}

async fn scratch_pg(admin: &str, create: bool, name: &str) -> Result<(), String> {
    use sqlx::Connection;
    let mut c = sqlx::PgConnection::connect(admin)
        .await
        .map_err(|e| format!("cannot reach PostgreSQL at {admin}: {e}"))?;
    let sql = if create {
        format!("CREATE DATABASE {name}")
    } else {
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    };
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut c)
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

pub fn run(o: &Options) -> Result<bool, String> {
    let tmp = match &o.work_dir {
        Some(d) => tempfile::tempdir_in(d),
        None => tempfile::tempdir(),
    }
    .map_err(|e| format!("temp dir: {e}"))?;
    let dir = tmp.path().join("connectors");
    let total = corpus::generate(&dir, o.connectors, o.seed).map_err(|e| e.to_string())?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let db = tmp.path().join("registry.db");
    sync(&o.sentinel, &dir, db.to_str().unwrap_or_default())?;
    let mut measures = vec![rt.block_on(backend(
        db.to_str().unwrap_or_default(),
        o,
        "bulk gate (SQLite)",
    ))?];
    if let Some(admin) = &o.postgres {
        let name = format!("godconfig_bench_{}", std::process::id());
        rt.block_on(scratch_pg(admin, true, &name))?;
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        let url = format!("{base}/{name}");
        let m = sync(&o.sentinel, &dir, &url)
            .and_then(|_| rt.block_on(backend(&url, o, "bulk gate (PostgreSQL)")));
        rt.block_on(scratch_pg(admin, false, &name))?;
        measures.push(m?);
    }
    println!(
        "machine: {}\ncorpus:  {} connectors, {total} scopes (seed {}); {} scopes gated per run, with a type, in one batch\nruns:    {}\n",
        Machine::detect(tmp.path()).describe(),
        o.connectors,
        o.seed,
        o.scopes,
        o.runs
    );
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    for m in &measures {
        println!(
            "{:<26} min {:>7.1} ms  median {:>7.1} ms  max {:>7.1} ms  target {:>4.0} ms  {}",
            m.name,
            ms(m.min()),
            ms(m.median()),
            ms(m.max()),
            ms(m.target),
            if m.pass() { "PASS" } else { "FAIL" }
        );
    }
    Ok(measures.iter().all(Measure::pass))
}
