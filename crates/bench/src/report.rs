//! Machine description, statistics, and the text or JSON report.

use serde_json::{json, Value};
use std::path::Path;
use std::time::Duration;

pub struct Machine {
    pub nproc: usize,
    pub cpu: String,
    pub mem_total_kib: u64,
    pub kernel: String,
    pub date: String,
    /// 1, 5 and 15 minute load averages when the run started.
    pub load: String,
    /// The filesystem holding the corpus: type, device and mount options.
    pub fs: String,
}

fn proc_field(file: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    text.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn load() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `/proc/mounts` entry with the longest mount point that contains `path`.
fn filesystem(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
    mounts
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() >= 4 && path.starts_with(f[1]))
                .then(|| (f[1].len(), format!("{} on {} ({})", f[2], f[0], f[3])))
        })
        .max_by_key(|(len, _)| *len)
        .map_or_else(|| "unknown".into(), |(_, d)| d)
}

impl Machine {
    pub fn detect(work: &Path) -> Machine {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let (y, m, d) = civil(secs.div_euclid(86_400));
        Machine {
            nproc: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu: proc_field("/proc/cpuinfo", "model name").unwrap_or_else(|| "unknown".into()),
            mem_total_kib: proc_field("/proc/meminfo", "MemTotal")
                .and_then(|v| v.trim_end_matches("kB").trim().parse().ok())
                .unwrap_or(0),
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
                .map_or_else(|_| "unknown".into(), |s| s.trim().to_string()),
            date: format!("{y:04}-{m:02}-{d:02}"),
            load: load(),
            fs: filesystem(work),
        }
    }

    pub fn describe(&self) -> String {
        format!(
            "{} cores (nproc), CPU {}, {:.1} GiB RAM, Linux {}, {}, load average {}\n          filesystem {}",
            self.nproc,
            self.cpu,
            self.mem_total_kib as f64 / 1024.0 / 1024.0,
            self.kernel,
            self.date,
            self.load,
            self.fs
        )
    }
}

/// One measured command across all runs.
pub struct Measure {
    pub name: &'static str,
    pub target: Duration,
    pub walls: Vec<Duration>,
    /// User plus system CPU time of each run.
    pub cpus: Vec<Duration>,
    pub rss_kib: Vec<u64>,
}

impl Measure {
    pub fn new(name: &'static str, target: Duration) -> Measure {
        Measure {
            name,
            target,
            walls: Vec::new(),
            cpus: Vec::new(),
            rss_kib: Vec::new(),
        }
    }
    pub fn median_cpu(&self) -> Duration {
        median(&self.cpus)
    }
    pub fn min(&self) -> Duration {
        self.walls.iter().copied().min().unwrap_or_default()
    }
    pub fn max(&self) -> Duration {
        self.walls.iter().copied().max().unwrap_or_default()
    }
    pub fn median(&self) -> Duration {
        median(&self.walls)
    }
    pub fn peak_rss_kib(&self) -> u64 {
        self.rss_kib.iter().copied().max().unwrap_or(0)
    }
    /// The verdict uses the median, so one noisy run does not decide it.
    pub fn pass(&self) -> bool {
        self.median() <= self.target
    }
}

fn median(v: &[Duration]) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    match v.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2,
    }
}

pub struct Corpus {
    pub connectors: u64,
    pub scopes: usize,
    pub bytes: u64,
    pub seed: u64,
    pub gen_time: Duration,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

pub fn text(m: &Machine, c: &Corpus, runs: usize, sentinel: &str, measures: &[Measure]) -> String {
    let mut out = format!(
        "machine:  {}\nsentinel: {sentinel}\ncorpus:   {} connectors, {} scopes, {:.1} MiB of YAML (seed {}, generated in {:.0} ms)\nruns:     {runs} (each command is a separate process; wall time spawn to exit; peak RSS from wait4)\n\n",
        m.describe(),
        c.connectors,
        c.scopes,
        c.bytes as f64 / 1024.0 / 1024.0,
        c.seed,
        ms(c.gen_time)
    );
    out += &format!(
        "{:<26} {:>10} {:>10} {:>10} {:>10} {:>14} {:>9}  verdict\n",
        "measure", "min", "median", "max", "CPU (med)", "peak RSS", "target"
    );
    for x in measures {
        out += &format!(
            "{:<26} {:>7.1} ms {:>7.1} ms {:>7.1} ms {:>7.1} ms {:>10.1} MiB {:>6.0} ms  {}\n",
            x.name,
            ms(x.min()),
            ms(x.median()),
            ms(x.max()),
            ms(x.median_cpu()),
            mib(x.peak_rss_kib()),
            ms(x.target),
            if x.pass() { "PASS" } else { "FAIL" }
        );
    }
    out
}

pub fn json(m: &Machine, c: &Corpus, runs: usize, sentinel: &str, measures: &[Measure]) -> Value {
    let list: Vec<Value> = measures
        .iter()
        .map(|x| {
            json!({
                "name": x.name,
                "wall_ms": {"min": ms(x.min()), "median": ms(x.median()), "max": ms(x.max()),
                            "runs": x.walls.iter().map(|d| ms(*d)).collect::<Vec<_>>()},
                "cpu_ms": {"median": ms(x.median_cpu()),
                           "runs": x.cpus.iter().map(|d| ms(*d)).collect::<Vec<_>>()},
                "peak_rss_kib": x.peak_rss_kib(),
                "rss_kib_runs": x.rss_kib,
                "target_ms": ms(x.target),
                "pass": x.pass(),
            })
        })
        .collect();
    json!({
        "machine": {"nproc": m.nproc, "cpu": m.cpu, "mem_total_kib": m.mem_total_kib,
                    "kernel": m.kernel, "date": m.date, "load_average": m.load, "filesystem": m.fs},
        "sentinel": sentinel,
        "corpus": {"connectors": c.connectors, "scopes": c.scopes, "bytes": c.bytes,
                   "seed": c.seed, "generated_ms": ms(c.gen_time)},
        "runs": runs,
        "measures": list,
        "pass": measures.iter().all(Measure::pass),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(20_778), (2026, 11, 21));
    }

    #[test]
    fn median_of_even_and_odd_counts() {
        let mut m = Measure::new("x", Duration::from_millis(10));
        m.walls = [3, 1, 2].map(Duration::from_millis).to_vec();
        assert_eq!(m.median(), Duration::from_millis(2));
        m.walls.push(Duration::from_millis(4));
        assert_eq!(m.median(), Duration::from_micros(2500));
        assert!(m.pass());
    }
}
