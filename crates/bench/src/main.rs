//! `godconfig-bench`: a corpus generator and an end-to-end benchmark of the `sentinel` CLI.
//! Without a subcommand it runs the benchmark (`./dev bench`, `npm run bench`).

mod child;
mod corpus;
mod gateway;
mod gateway_corpus;
mod gating;
mod report;
mod run;
mod service_py;
mod watch;

use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

#[derive(Parser)]
#[command(
    name = "godconfig-bench",
    about = "Generates connector corpora and benchmarks the sentinel CLI (default: run)",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Subcommand)]
enum Cmd {
    /// Write N valid, deterministic connector manifests into DIR/conn_NNNNN/manifest.yaml
    GenCorpus(GenArgs),
    /// Time cold sync, re-sync and check of a generated corpus (the default)
    Run(RunArgs),
    /// Time a bulk gate of many scopes in one batch, on SQLite and PostgreSQL
    Gating(GatingArgs),
    /// Time the MCP gateway: tools/list with 10,000 tools, a warm call beside mcp.py directly,
    /// and a cold connector's first call
    Gateway(GatewayArgs),
    /// Time `sentinel watch`: a saved manifest → committed with 10,000 connectors registered,
    /// beside `sentinel sync` by hand, and a burst of 1,000 saved manifests
    Watch(WatchArgs),
}

#[derive(Args)]
struct WatchArgs {
    /// Connectors registered before the watcher starts
    #[arg(long, default_value_t = 10_000)]
    connectors: u64,
    /// Single saves measured (each waits for its sync)
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u16).range(1..))]
    saves: u16,
    /// Manifests saved at once in the burst
    #[arg(long, default_value_t = 1_000)]
    burst: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long)]
    sentinel: Option<PathBuf>,
    #[arg(long)]
    work_dir: Option<PathBuf>,
}

#[derive(Args)]
struct GatewayArgs {
    /// Approved connectors in the generated corpus (ten tools each)
    #[arg(long, default_value_t = 1_000)]
    connectors: u64,
    /// tools/list runs (the warm calls are ten times as many, of each kind)
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..))]
    runs: u16,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long)]
    sentinel: Option<PathBuf>,
    /// The Python with `mcp` [default: GODCONFIG_PYTHON, else the workspace's .venv]
    #[arg(long, env = "GODCONFIG_PYTHON")]
    python: Option<PathBuf>,
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// Keep the corpus and the registry afterwards (for profiling), and print where
    #[arg(long)]
    keep: bool,
}

#[derive(Args)]
struct GatingArgs {
    /// Connectors in the generated corpus (about ten scopes each)
    #[arg(long, default_value_t = 1_000)]
    connectors: u64,
    /// Scopes gated in each batch
    #[arg(long, default_value_t = 1_000)]
    scopes: usize,
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u16).range(1..))]
    runs: u16,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long)]
    sentinel: Option<PathBuf>,
    /// Admin URL of a PostgreSQL server for the second backend ("none" to skip it)
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    postgres: String,
    #[arg(long)]
    work_dir: Option<PathBuf>,
}

#[derive(Args)]
struct GenArgs {
    /// Folder to create (must be empty or missing)
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value_t = 10_000)]
    connectors: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Platform metrics per connector (the KPI benchmark uses 5: 50,000 for 10,000 connectors)
    #[arg(long, default_value_t = corpus::DEFAULT_METRICS, value_parser = clap::value_parser!(u8).range(1..=12))]
    metrics: u8,
}

#[derive(Args)]
struct RunArgs {
    /// Connectors in the generated corpus
    #[arg(long, default_value_t = 10_000)]
    connectors: u64,
    /// Repetitions of each measure
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..))]
    runs: u16,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The sentinel binary [default: build it with cargo, then target/release/sentinel]
    #[arg(long)]
    sentinel: Option<PathBuf>,
    /// Print the report as JSON
    #[arg(long)]
    json: bool,
    /// Where to put the temporary corpora and registries [default: the system's temp dir]
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// Exit 1 when a target is missed
    #[arg(long)]
    strict: bool,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Builds `sentinel-cli` in release mode and returns the binary's path.
fn build_sentinel() -> Result<PathBuf, String> {
    let root = workspace_root();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("building: cargo build --release -p sentinel-cli");
    let status = Command::new(&cargo)
        .args(["build", "--release", "-p", "sentinel-cli"])
        .current_dir(&root)
        .status()
        .map_err(|e| {
            format!("cannot run cargo ({e}); build it with `cargo build --release -p sentinel-cli` or pass --sentinel PATH")
        })?;
    if !status.success() {
        return Err("`cargo build --release -p sentinel-cli` failed".into());
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let bin = target.join("release").join("sentinel");
    if bin.is_file() {
        Ok(bin.canonicalize().unwrap_or(bin))
    } else {
        Err(format!("{} is missing after the build", bin.display()))
    }
}

/// The workspace's commit, and the top folders with uncommitted changes, for the report.
fn code_version() -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(workspace_root())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let Some(head) = git(&["rev-parse", "--short", "HEAD"]) else {
        return "unknown (not a git checkout)".into();
    };
    let mut dirty: Vec<String> = git(&["status", "--porcelain", "--untracked-files=no"])
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.get(3..))
        .map(|p| p.split('/').take(2).collect::<Vec<_>>().join("/"))
        .collect();
    dirty.dedup();
    if dirty.is_empty() {
        head.trim().to_string()
    } else {
        format!(
            "{} + uncommitted changes in {}",
            head.trim(),
            dirty.join(", ")
        )
    }
}

fn bench(a: RunArgs) -> Result<bool, String> {
    let sentinel = match a.sentinel {
        Some(p) if p.is_file() => p,
        Some(p) => return Err(format!("--sentinel {}: no such file", p.display())),
        None => build_sentinel()?,
    };
    let pass = run::run(&run::Options {
        connectors: a.connectors,
        runs: usize::from(a.runs),
        seed: a.seed,
        sentinel,
        json: a.json,
        work_dir: a.work_dir,
        code: code_version(),
    })?;
    if !pass {
        eprintln!(
            "some targets were missed{}",
            if a.strict { " (--strict: exit 1)" } else { "" }
        );
    }
    Ok(pass || !a.strict)
}

fn gating_bench(g: GatingArgs) -> Result<bool, String> {
    let sentinel = match g.sentinel {
        Some(p) => p,
        None => build_sentinel()?,
    };
    gating::run(&gating::Options {
        connectors: g.connectors,
        scopes: g.scopes,
        runs: usize::from(g.runs),
        seed: g.seed,
        sentinel,
        postgres: Some(g.postgres).filter(|p| p != "none"),
        work_dir: g.work_dir,
    })
}

fn gateway_bench(g: GatewayArgs) -> Result<bool, String> {
    let sentinel = match g.sentinel {
        Some(p) => p,
        None => build_sentinel()?,
    };
    let python = g
        .python
        .unwrap_or_else(|| workspace_root().join(".venv/bin/python"));
    gateway::run(&gateway::Options {
        connectors: g.connectors,
        runs: usize::from(g.runs),
        seed: g.seed,
        sentinel,
        python,
        work_dir: g.work_dir,
        keep: g.keep,
        code: code_version(),
    })
}

fn watch_bench(w: WatchArgs) -> Result<bool, String> {
    let sentinel = match w.sentinel {
        Some(p) => p,
        None => build_sentinel()?,
    };
    watch::run(&watch::Options {
        connectors: w.connectors,
        saves: usize::from(w.saves),
        burst: w.burst,
        seed: w.seed,
        sentinel,
        work_dir: w.work_dir,
        code: code_version(),
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Cmd::GenCorpus(g)) => corpus::generate_with(&g.out, g.connectors, g.seed, g.metrics)
            .map(|scopes| {
                println!(
                    "wrote {} connectors ({scopes} scopes) to {}",
                    g.connectors,
                    g.out.display()
                );
                true
            })
            .map_err(|e| format!("gen-corpus: {e}")),
        Some(Cmd::Run(a)) => bench(a),
        Some(Cmd::Gating(g)) => gating_bench(g),
        Some(Cmd::Gateway(g)) => gateway_bench(g),
        Some(Cmd::Watch(w)) => watch_bench(w),
        None => bench(cli.run),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
