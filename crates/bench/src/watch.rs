//! `watch`: `sentinel watch` with 10,000 connectors registered, through the real binary.
//! - a saved `manifest.yaml` → the registry committed (the watcher prints its `synced` line
//!   after the commit), over many saves, beside `sentinel sync` run by hand after the same save;
//! - a burst of 1,000 saved manifests (a checkout) → committed, and how many syncs it took.

use crate::report::Machine;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

pub struct Options {
    pub connectors: u64,
    pub saves: usize,
    pub burst: u64,
    pub seed: u64,
    pub sentinel: PathBuf,
    pub work_dir: Option<PathBuf>,
    pub code: String,
}

const SAVE_TARGET: Duration = Duration::from_millis(100);

/// `sentinel watch --format json`, its lines with the moment each was read.
struct Watcher {
    child: Child,
    lines: Receiver<(Instant, serde_json::Value)>,
}

impl Watcher {
    fn start(o: &Options, dir: &Path, db: &Path) -> Result<Watcher, String> {
        let mut child = Command::new(&o.sentinel)
            .args(["watch", "--format", "json", "--db"])
            .arg(db)
            .arg(dir)
            .env_remove("GODCONFIG_DATABASE_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting sentinel watch: {e}"))?;
        let out = child.stdout.take().ok_or("no stdout")?;
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let at = Instant::now();
                let Ok(v) = serde_json::from_str(&line) else {
                    continue;
                };
                if tx.send((at, v)).is_err() {
                    break;
                }
            }
        });
        let mut w = Watcher { child, lines };
        w.until("the first full sync", Duration::from_secs(120), |_| true)?;
        Ok(w)
    }

    /// Waits for a `synced` event that `accept`s; returns when it was read.
    fn until(
        &mut self,
        what: &str,
        within: Duration,
        accept: impl Fn(&serde_json::Value) -> bool,
    ) -> Result<(Instant, serde_json::Value), String> {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let (at, v) = (self.lines.recv_timeout(left))
                .map_err(|_| format!("no sync for {what} within {within:?}"))?;
            match v["event"].as_str() {
                Some("synced") if accept(&v) => return Ok((at, v)),
                Some("sync_failed") => return Err(format!("sync failed: {v}")),
                _ => {}
            }
        }
    }

    /// Events that arrive within `quiet`.
    fn drain(&mut self, quiet: Duration) -> Vec<serde_json::Value> {
        let mut out = Vec::new();
        while let Ok((_, v)) = self.lines.recv_timeout(quiet) {
            out.push(v);
        }
        out
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The corpus numbers its connectors from 1.
fn slug(i: u64) -> String {
    format!("conn_{i:05}")
}

/// Saves a manifest with a new display name (a real change, always valid).
fn save(dir: &Path, i: u64, round: usize) -> Result<(), String> {
    let path = dir.join(slug(i)).join("manifest.yaml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let changed: String = (text.lines())
        .map(|l| match l.strip_prefix("display_name: ") {
            Some(_) => format!("display_name: Saved {i} round {round}\n"),
            None => format!("{l}\n"),
        })
        .collect();
    std::fs::write(&path, changed).map_err(|e| e.to_string())
}

fn sentinel(o: &Options, args: &[&str]) -> Result<(), String> {
    let out = Command::new(&o.sentinel)
        .args(args)
        .env_remove("GODCONFIG_DATABASE_URL")
        .output()
        .map_err(|e| e.to_string())?;
    match out.status.success() {
        true => Ok(()),
        false => Err(format!(
            "sentinel {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        )),
    }
}

fn pct(v: &[Duration], p: f64) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    let i = ((v.len() as f64 * p).ceil() as usize).clamp(1, v.len().max(1)) - 1;
    v.get(i).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn line(name: &str, v: &[Duration], target: Option<Duration>) {
    let verdict = match target {
        Some(t) if pct(v, 0.95) <= t => format!("  target p95 ≤ {} ✓", ms(t)),
        Some(t) => format!("  target p95 ≤ {} ✗ MISSED", ms(t)),
        None => String::new(),
    };
    println!(
        "{name:<44} n={:<3} p50 {:>9}  p95 {:>9}  max {:>9}{verdict}",
        v.len(),
        ms(pct(v, 0.5)),
        ms(pct(v, 0.95)),
        ms(pct(v, 1.0))
    );
}

pub fn run(o: &Options) -> Result<bool, String> {
    let tmp = match &o.work_dir {
        Some(w) => tempfile::Builder::new()
            .prefix("godconfig-watch-")
            .tempdir_in(w),
        None => tempfile::Builder::new()
            .prefix("godconfig-watch-")
            .tempdir(),
    }
    .map_err(|e| e.to_string())?;
    let dir = tmp.path().join("connectors");
    let db = tmp.path().join("registry.db");
    crate::corpus::generate(&dir, o.connectors, o.seed).map_err(|e| e.to_string())?;
    let (dir_arg, db_arg) = (dir.display().to_string(), db.display().to_string());
    sentinel(o, &["sync", &dir_arg, "--db", &db_arg])?;
    let machine = Machine::detect(tmp.path());
    println!("machine:  {}", machine.describe());
    println!("sentinel: {} ({})", o.sentinel.display(), o.code);
    println!(
        "corpus:   {} connectors registered (seed {}), SQLite",
        o.connectors, o.seed
    );

    // A saved manifest → committed, by the watcher.
    let mut w = Watcher::start(o, &dir, &db)?;
    w.drain(Duration::from_millis(300));
    let mut watched = Vec::new();
    for round in 0..o.saves {
        let i = 1 + (round as u64 * 7_919) % o.connectors;
        let t = Instant::now();
        save(&dir, i, round)?;
        let want = slug(i);
        let (at, _) = w.until(&want, Duration::from_secs(10), |v| {
            v["changed"]
                .as_array()
                .is_some_and(|c| c.iter().any(|s| *s == want))
        })?;
        watched.push(at - t);
        w.drain(Duration::from_millis(100));
    }

    // A burst: 1,000 manifests saved at once → committed; and how many syncs it took.
    let t = Instant::now();
    for i in 1..=o.burst.min(o.connectors) {
        save(&dir, i, o.saves)?;
    }
    let written = t.elapsed();
    let (at, first) = w.until("the burst", Duration::from_secs(60), |_| true)?;
    let burst = at - t;
    let more = (w.drain(Duration::from_millis(1_500)).into_iter())
        .filter(|v| v["event"] == "synced")
        .count();
    let changed = first["changed"].as_array().map_or(0, Vec::len);
    drop(w);

    // Beside it: `sentinel sync` by hand after one save (process start included).
    let mut by_hand = Vec::new();
    for round in 0..o.saves.min(10) {
        save(
            &dir,
            1 + (round as u64 * 104_729) % o.connectors,
            o.saves + 1 + round,
        )?;
        let t = Instant::now();
        sentinel(o, &["sync", &dir_arg, "--db", &db_arg])?;
        by_hand.push(t.elapsed());
    }

    println!();
    line(
        "saved manifest.yaml → committed (watch)",
        &watched,
        Some(SAVE_TARGET),
    );
    line(
        "saved manifest.yaml → `sentinel sync` by hand",
        &by_hand,
        None,
    );
    println!(
        "burst of {} saved manifests → committed (watch): {} (writing them took {}); {} connectors in the first sync, {} more sync(s) after it",
        o.burst.min(o.connectors),
        ms(burst),
        ms(written),
        changed,
        more
    );
    Ok(pct(&watched, 0.95) <= SAVE_TARGET)
}
