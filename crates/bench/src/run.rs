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
    /// Parent of the temporary folder [default: the system's temp dir].
    pub work_dir: Option<PathBuf>,
    /// The workspace's commit (and dirty folders), for the report.
    pub code: String,
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

/// Writes run `r`'s own copy of the corpus. Every run gets fresh folders and nothing is deleted
/// before the end: on ext4 without a journal, creating files right after deleting many is far
/// slower (recently deleted inodes are skipped), which would time the benchmark, not the sentinel.
fn fresh_corpus(root: &Path, r: usize, o: &Options) -> Result<(PathBuf, usize), String> {
    let dir = root.join(format!("run-{r}")).join("connectors");
    let scopes =
        corpus::generate(&dir, o.connectors, o.seed).map_err(|e| format!("generating: {e}"))?;
    Ok((dir, scopes))
}

/// Flushes dirty pages so that writeback of earlier steps does not overlap a measure.
fn settle() {
    // SAFETY: sync(2) takes no arguments and cannot fail.
    unsafe { libc::sync() };
}

fn cold_sync(o: &Options, dir: &Path, db: &Path, scopes: usize) -> Result<Sample, String> {
    let n = o.connectors;
    let s = plural(n);
    let args = [
        "sync".as_ref(),
        dir.as_os_str(),
        "--db".as_ref(),
        db.as_os_str(),
    ];
    let a = measure("cold sync", &mut sentinel(&o.sentinel, &args))?;
    let counts = format!("sync: {n} connector{s}: {n} added, 0 changed, 0 removed, 0 unchanged");
    expect_line("cold sync", &a, &format!("{counts}, 0 rejected"))?;
    expect_line("cold sync", &a, &format!("; {n} mcp.py file{s} written"))?;
    match db_counts(db) {
        Some(Ok(c)) if c == format!("{n} {scopes}") => {}
        Some(Ok(c)) => {
            return Err(format!(
                "registry has {c} (connectors scopes), not {n} {scopes}"
            ))
        }
        Some(Err(e)) => return Err(format!("sqlite3 on {}: {e}", db.display())),
        None => {
            eprintln!("note: no sqlite3 CLI; the registry is checked through the sync's output")
        }
    }
    Ok(a)
}

fn resync(o: &Options, dir: &Path, db: &Path) -> Result<Sample, String> {
    let n = o.connectors;
    let args = [
        "sync".as_ref(),
        dir.as_os_str(),
        "--db".as_ref(),
        db.as_os_str(),
    ];
    let b = measure("re-sync", &mut sentinel(&o.sentinel, &args))?;
    let counts = format!(
        "sync: {n} connector{}: 0 added, 0 changed, 0 removed",
        plural(n)
    );
    expect_line(
        "re-sync",
        &b,
        &format!("{counts}, {n} unchanged, 0 rejected"),
    )?;
    expect_line("re-sync", &b, "; 0 mcp.py files written")?;
    Ok(b)
}

fn check(o: &Options, dir: &Path) -> Result<Sample, String> {
    let n = o.connectors;
    let c = measure(
        "check",
        &mut sentinel(&o.sentinel, &["check".as_ref(), dir.as_os_str()]),
    )?;
    let want = format!("checked {n} manifest{}: {n} valid, 0 invalid", plural(n));
    expect_line("check", &c, &want)?;
    Ok(c)
}

/// Runs the benchmark. `Ok(true)` when every target is met.
pub fn run(o: &Options) -> Result<bool, String> {
    let mut builder = tempfile::Builder::new();
    builder.prefix("godconfig-bench-");
    let tmp = match &o.work_dir {
        Some(w) => builder.tempdir_in(w),
        None => builder.tempdir(),
    }
    .map_err(|e| format!("temp dir: {e}"))?;
    let machine = Machine::detect(tmp.path());
    eprintln!("machine: {}", machine.describe());

    let mut cold = Measure::new("cold sync (fresh SQLite)", Duration::from_secs(2));
    let mut again = Measure::new("re-sync (unchanged)", Duration::from_millis(200));
    // The first re-sync finds the folders the cold sync wrote mcp.py into; the next one is what
    // every later sync of an unchanged folder costs.
    let mut steady = Measure::new("re-sync again (steady state)", Duration::from_millis(200));
    let mut checks = Measure::new("check", Duration::from_secs(1));
    let mut corpus = None;
    for r in 1..=o.runs {
        let started = Instant::now();
        let (dir, scopes) = fresh_corpus(tmp.path(), r, o)?;
        let gen_time = started.elapsed();
        let c = corpus.get_or_insert_with(|| Corpus {
            connectors: o.connectors,
            scopes,
            bytes: dir_bytes(&dir),
            seed: o.seed,
            gen_time,
        });
        if r == 1 {
            eprintln!(
                "corpus: {} connectors, {scopes} scopes in {} ({:.0} ms)",
                c.connectors,
                dir.display(),
                gen_time.as_secs_f64() * 1000.0
            );
        }
        let db = dir.with_file_name("registry.db");
        settle();
        let a = cold_sync(o, &dir, &db, scopes)?;
        settle();
        let b = resync(o, &dir, &db)?;
        settle();
        let b2 = resync(o, &dir, &db)?;
        settle();
        let c = check(o, &dir)?;
        let all = [
            (&mut cold, &a),
            (&mut again, &b),
            (&mut steady, &b2),
            (&mut checks, &c),
        ];
        for (m, x) in all {
            m.walls.push(x.wall);
            m.cpus.push(x.cpu);
            m.rss_kib.push(x.max_rss_kib);
        }
        eprintln!(
            "run {r}/{}: cold sync {:.0} ms, re-sync {:.0} ms, again {:.0} ms, check {:.0} ms",
            o.runs,
            a.wall.as_secs_f64() * 1000.0,
            b.wall.as_secs_f64() * 1000.0,
            b2.wall.as_secs_f64() * 1000.0,
            c.wall.as_secs_f64() * 1000.0
        );
    }
    let corpus = corpus.expect("at least one run");

    let measures = [cold, again, steady, checks];
    let bin = format!("{} (workspace at {})", o.sentinel.display(), o.code);
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
