//! `run`: generate a corpus, then time cold sync, re-sync and check of the real `sentinel` binary.

use crate::child::{measure, Sample};
use crate::corpus;
use crate::report::{self, Corpus, Machine, Measure};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub struct Options {
    pub connectors: u64,
    pub runs: usize,
    pub seed: u64,
    pub sentinel: PathBuf,
    pub json: bool,
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn expect_line(label: &str, s: &Sample, wanted: &str) -> Result<(), String> {
    if s.stdout.contains(wanted) {
        return Ok(());
    }
    Err(format!(
        "{label}: expected `{wanted}` in its output\n--- stdout (tail) ---\n{}\n--- stderr (tail) ---\n{}",
        crate::child::tail(&s.stdout),
        crate::child::tail(&s.stderr)
    ))
}

/// Counts rows with the `sqlite3` CLI when it is installed; `None` when it is not.
fn db_counts(db: &Path) -> Option<Result<String, String>> {
    let sql = "SELECT (SELECT count(*) FROM connector_providers) || ' ' || \
               (SELECT count(*) FROM connector_scopes);";
    let out = Command::new("sqlite3").arg(db).arg(sql).output().ok()?;
    Some(if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    })
}

/// Removes generated `mcp.py` files (and stray temp files) so the next sync starts cold.
fn clean_outputs(corpus: &Path) -> std::io::Result<()> {
    for dir in std::fs::read_dir(corpus)? {
        for f in std::fs::read_dir(dir?.path())? {
            let f = f?;
            if f.file_name() != "manifest.yaml" {
                std::fs::remove_file(f.path())?;
            }
        }
    }
    Ok(())
}

fn remove_db(db: &Path) {
    for ext in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(ext);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

fn sentinel(bin: &Path, args: &[&std::ffi::OsStr]) -> Command {
    let mut c = Command::new(bin);
    c.args(args)
        .env_remove("GODCONFIG_DATABASE_URL")
        .env_remove("SENTINEL_LOG");
    c
}

fn dir_bytes(corpus: &Path) -> u64 {
    let files = std::fs::read_dir(corpus).into_iter().flatten().flatten();
    files
        .filter_map(|d| std::fs::metadata(d.path().join("manifest.yaml")).ok())
        .map(|m| m.len())
        .sum()
}

/// Runs the benchmark. `Ok(true)` when every target is met.
pub fn run(o: &Options) -> Result<bool, String> {
    let n = o.connectors;
    let machine = Machine::detect();
    eprintln!("machine: {}", machine.describe());
    let tmp = tempfile::Builder::new()
        .prefix("godconfig-bench-")
        .tempdir()
        .map_err(|e| format!("temp dir: {e}"))?;
    let dir = tmp.path().join("connectors");
    let started = Instant::now();
    let scopes = corpus::generate(&dir, n, o.seed).map_err(|e| format!("generating: {e}"))?;
    let corpus = Corpus {
        connectors: n,
        scopes,
        bytes: dir_bytes(&dir),
        seed: o.seed,
        gen_time: started.elapsed(),
    };
    eprintln!(
        "corpus: {n} connectors, {scopes} scopes in {} ({:.0} ms)",
        dir.display(),
        corpus.gen_time.as_secs_f64() * 1000.0
    );

    let mut cold = Measure::new("cold sync (fresh SQLite)", Duration::from_secs(2));
    let mut resync = Measure::new("re-sync (unchanged)", Duration::from_millis(200));
    let mut check = Measure::new("check", Duration::from_secs(1));
    let s = plural(n);
    let d = dir.as_os_str();
    let mut warned = false;
    for r in 1..=o.runs {
        clean_outputs(&dir).map_err(|e| format!("cleaning mcp.py files: {e}"))?;
        let db = tmp.path().join(format!("registry-{r}.db"));
        let db_arg = db.as_os_str();
        let cmd = || sentinel(&o.sentinel, &["sync".as_ref(), d, "--db".as_ref(), db_arg]);

        let a = measure("cold sync", &mut cmd())?;
        expect_line(
            "cold sync",
            &a,
            &format!(
                "sync: {n} connector{s}: {n} added, 0 changed, 0 removed, 0 unchanged, 0 rejected"
            ),
        )?;
        expect_line("cold sync", &a, &format!("; {n} mcp.py file{s} written"))?;
        match db_counts(&db) {
            Some(Ok(c)) if c == format!("{n} {scopes}") => {}
            Some(Ok(c)) => {
                return Err(format!(
                    "registry has `{c}` (connectors scopes); expected `{n} {scopes}`"
                ))
            }
            Some(Err(e)) => return Err(format!("sqlite3 on {}: {e}", db.display())),
            None if !warned => {
                warned = true;
                eprintln!(
                    "note: no sqlite3 CLI; the registry is checked through the sync's output only"
                );
            }
            None => {}
        }

        let b = measure("re-sync", &mut cmd())?;
        expect_line(
            "re-sync",
            &b,
            &format!(
                "sync: {n} connector{s}: 0 added, 0 changed, 0 removed, {n} unchanged, 0 rejected"
            ),
        )?;
        expect_line("re-sync", &b, "; 0 mcp.py files written")?;

        let c = measure("check", &mut sentinel(&o.sentinel, &["check".as_ref(), d]))?;
        expect_line(
            "check",
            &c,
            &format!("checked {n} manifest{s}: {n} valid, 0 invalid"),
        )?;

        for (m, x) in [(&mut cold, &a), (&mut resync, &b), (&mut check, &c)] {
            m.walls.push(x.wall);
            m.rss_kib.push(x.max_rss_kib);
        }
        eprintln!(
            "run {r}/{}: cold sync {:.0} ms, re-sync {:.0} ms, check {:.0} ms",
            o.runs,
            a.wall.as_secs_f64() * 1000.0,
            b.wall.as_secs_f64() * 1000.0,
            c.wall.as_secs_f64() * 1000.0
        );
        remove_db(&db);
    }

    let measures = [cold, resync, check];
    let bin = o.sentinel.display().to_string();
    if o.json {
        let doc = report::json(&machine, &corpus, o.runs, &bin, &measures);
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).expect("serializable")
        );
    } else {
        print!(
            "{}",
            report::text(&machine, &corpus, o.runs, &bin, &measures)
        );
    }
    Ok(measures.iter().all(Measure::pass))
}
