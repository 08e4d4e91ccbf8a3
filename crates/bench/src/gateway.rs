//! `gateway`: the MCP gateway's speed, through the real `sentinel mcp serve` and an rmcp client.
//! - tools/list with 1,000 approved connectors of ten tools each (10,000 tools);
//! - a warm call through the gateway beside the same call to the connector's `mcp.py` directly,
//!   interleaved, so the difference is the gateway's overhead;
//! - the first call of a cold connector (its server started by the gateway), beside starting
//!   the same server directly.

use crate::gateway_corpus::{approve_corpus, corpus, ECHO, ECHO2};
use crate::report::Machine;
use rmcp::model::{CallToolRequestParams, JsonObject};
use rmcp::service::{RoleClient, RunningService};
use rmcp::transport::TokioChildProcess;
use rmcp::ServiceExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub struct Options {
    pub connectors: u64,
    pub runs: usize,
    pub seed: u64,
    pub sentinel: PathBuf,
    pub python: PathBuf,
    pub work_dir: Option<PathBuf>,
    /// Leave the corpus and registry in place (for profiling) and print where.
    pub keep: bool,
    pub code: String,
}

const LIST_TARGET: Duration = Duration::from_millis(50);
const OVERHEAD_TARGET: Duration = Duration::from_millis(5);

type Client = RunningService<RoleClient, ()>;

fn err(what: &str) -> impl Fn(String) -> String + '_ {
    move |e| format!("{what}: {e}")
}

fn sentinel(o: &Options, args: &[&str]) -> Result<String, String> {
    let out = std::process::Command::new(&o.sentinel)
        .args(args)
        .env_remove("GODCONFIG_DATABASE_URL")
        .output()
        .map_err(|e| format!("running {}: {e}", o.sentinel.display()))?;
    if !out.status.success() {
        return Err(format!(
            "sentinel {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

async fn connect(cmd: tokio::process::Command) -> Result<Client, String> {
    let (transport, _) = TokioChildProcess::builder(cmd)
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    ().serve(transport).await.map_err(|e| e.to_string())
}

fn gateway_cmd(o: &Options, dir: &Path, db: &Path) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(&o.sentinel);
    cmd.args(["mcp", "serve", "--dir"])
        .arg(dir)
        .arg("--db")
        .arg(db)
        .arg("--python")
        .arg(&o.python)
        .env_remove("GODCONFIG_DATABASE_URL");
    cmd
}

fn direct_cmd(o: &Options, dir: &Path) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(&o.python);
    cmd.arg(dir.join(ECHO).join("mcp.py"))
        .current_dir(dir.join(ECHO))
        .env_clear()
        .envs(std::env::vars().filter(|(k, _)| k == "PATH" || k == "HOME"));
    cmd
}

async fn echo(client: &Client, name: &str, i: usize) -> Result<Duration, String> {
    let args: JsonObject = serde_json::from_value(serde_json::json!({"text": format!("call {i}")}))
        .map_err(|e| e.to_string())?;
    let t = Instant::now();
    let r = client
        .call_tool(CallToolRequestParams::new(name.to_string()).with_arguments(args))
        .await
        .map_err(|e| e.to_string())?;
    let took = t.elapsed();
    if r.is_error == Some(true) {
        return Err(format!("{name} failed: {:?}", r.content));
    }
    Ok(took)
}

enum Kept {
    Temp(tempfile::TempDir),
    Path(PathBuf),
}

impl Kept {
    fn path(&self) -> &Path {
        match self {
            Kept::Temp(t) => t.path(),
            Kept::Path(p) => p,
        }
    }
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// tools/list as a client sees it before parsing: from writing the request to reading the last
/// byte of the response, over the gateway's stdio, after a hand-written handshake.
fn raw_lists(o: &Options, dir: &Path, db: &Path, runs: usize) -> Result<Vec<Duration>, String> {
    use std::io::{BufRead, Write};
    let mut child = std::process::Command::new(&o.sentinel)
        .args(["mcp", "serve", "--dir"])
        .arg(dir)
        .arg("--db")
        .arg(db)
        .arg("--python")
        .arg(&o.python)
        .env_remove("GODCONFIG_DATABASE_URL")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut input = child.stdin.take().ok_or("no stdin")?;
    let mut output =
        std::io::BufReader::with_capacity(1 << 20, child.stdout.take().ok_or("no stdout")?);
    let mut line = Vec::with_capacity(8 << 20);
    let mut send = |text: &str| writeln!(input, "{text}").and_then(|_| input.flush());
    let mut read = |line: &mut Vec<u8>| {
        line.clear();
        output.read_until(b'\n', line)
    };
    let io = |e: std::io::Error| e.to_string();
    send(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}"#).map_err(io)?;
    read(&mut line).map_err(io)?;
    send(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#).map_err(io)?;
    let mut out = Vec::new();
    for i in 0..runs {
        let t = Instant::now();
        send(&format!(
            r#"{{"jsonrpc":"2.0","id":{},"method":"tools/list"}}"#,
            i + 2
        ))
        .map_err(io)?;
        read(&mut line).map_err(io)?;
        out.push(t.elapsed());
        if !line.starts_with(b"{") || line.len() < 1_000 {
            return Err(format!(
                "unexpected answer: {}",
                String::from_utf8_lossy(&line[..line.len().min(300)])
            ));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    Ok(out)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

pub fn run(o: &Options) -> Result<bool, String> {
    let tmp = match &o.work_dir {
        Some(w) => tempfile::Builder::new()
            .prefix("godconfig-gw-")
            .tempdir_in(w),
        None => tempfile::Builder::new().prefix("godconfig-gw-").tempdir(),
    }
    .map_err(|e| e.to_string())?;
    let tmp = match o.keep {
        true => {
            let kept = tmp.keep();
            eprintln!("keeping the corpus and registry in {}", kept.display());
            Kept::Path(kept)
        }
        false => Kept::Temp(tmp),
    };
    let dir = tmp.path().join("connectors");
    let db = tmp.path().join("registry.db");
    corpus(&dir, o.connectors, o.seed)?;
    let db_arg = db.display().to_string();
    let dir_arg = dir.display().to_string();
    sentinel(o, &["sync", &dir_arg, "--db", &db_arg])?;
    sentinel(
        o,
        &[
            "approve", ECHO, ECHO2, "--yes", "--db", &db_arg, "--as", "bench",
        ],
    )?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        approve_corpus(&db)
            .await
            .map_err(err("approving the corpus"))?;
        let machine = Machine::detect(tmp.path());
        println!("machine:  {}", machine.describe());
        println!("sentinel: {} ({})", o.sentinel.display(), o.code);
        println!("python:   {}", o.python.display());

        // Cold first call: the gateway starts the connector's server on its first call.
        let t = Instant::now();
        let gw = connect(gateway_cmd(o, &dir, &db))
            .await
            .map_err(err("starting the gateway"))?;
        let gw_start = t.elapsed();
        let tool = format!("{ECHO}__echo");
        let cold_gw = echo(&gw, &tool, 0).await?;
        // Another cold connector, once the gateway has settled (its Python found).
        tokio::time::sleep(Duration::from_secs(2)).await;
        let settled_gw = echo(&gw, &format!("{ECHO2}__echo"), 0).await?;
        let t = Instant::now();
        let direct = connect(direct_cmd(o, &dir))
            .await
            .map_err(err("starting mcp.py"))?;
        let direct_start = t.elapsed();
        let cold_direct = echo(&direct, "echo", 0).await?;

        // tools/list, from the gateway's catalog in memory.
        let mut lists = Vec::new();
        let (mut count, mut bytes) = (0, 0);
        let (mut encode, mut decode) = (Vec::new(), Vec::new());
        for _ in 0..o.runs.max(5) {
            let t = Instant::now();
            let l = gw.list_tools(None).await.map_err(|e| e.to_string())?;
            lists.push(t.elapsed());
            count = l.tools.len();
            // What the JSON alone costs, in this process: one side's share of the round trip.
            let t = Instant::now();
            let json = serde_json::to_vec(&l).map_err(|e| e.to_string())?;
            encode.push(t.elapsed());
            let t = Instant::now();
            let back: rmcp::model::ListToolsResult =
                serde_json::from_slice(&json).map_err(|e| e.to_string())?;
            decode.push(t.elapsed());
            bytes = json.len();
            drop(back);
        }
        // Warm calls, interleaved.
        let (mut via, mut straight) = (Vec::new(), Vec::new());
        for i in 1..=o.runs.max(5) * 10 {
            via.push(echo(&gw, &tool, i).await?);
            straight.push(echo(&direct, "echo", i).await?);
        }
        let _ = gw.cancel().await;
        let _ = direct.cancel().await;
        let mut raw = raw_lists(o, &dir, &db, o.runs.max(5))?;
        let typed = median(&mut lists);
        let list = median(&mut raw);
        let (v, s) = (median(&mut via), median(&mut straight));
        let overhead = v.saturating_sub(s);
        println!(
            "corpus:   {} approved connectors + {ECHO} and {ECHO2}, {count} tools listed ({:.1} MiB of JSON)",
            o.connectors,
            bytes as f64 / 1_048_576.0
        );
        println!();
        println!(
            "{:<44} {:>10} {:>10}  verdict",
            "measure", "median", "target"
        );
        let verdict = |ok: bool| if ok { "PASS" } else { "FAIL" };
        println!(
            "{:<44} {:>10} {:>10}  {}",
            "tools/list (request to last byte of the answer)",
            ms(list),
            ms(LIST_TARGET),
            verdict(list <= LIST_TARGET)
        );
        println!(
            "{:<44} {:>10}",
            "tools/list, with rmcp's typed decoding",
            ms(typed)
        );
        println!(
            "{:<44} {:>10}",
            "  of which JSON encoding (in-process)",
            ms(median(&mut encode))
        );
        println!(
            "{:<44} {:>10}",
            "  of which JSON decoding (in-process)",
            ms(median(&mut decode))
        );
        println!("{:<44} {:>10}", "warm call, mcp.py directly", ms(s));
        println!("{:<44} {:>10}", "warm call, through the gateway", ms(v));
        println!(
            "{:<44} {:>10} {:>10}  {}",
            "gateway overhead (difference of medians)",
            ms(overhead),
            ms(OVERHEAD_TARGET),
            verdict(overhead <= OVERHEAD_TARGET)
        );
        println!(
            "{:<44} {:>10}",
            "first call of a cold connector, gateway",
            ms(settled_gw)
        );
        println!(
            "{:<44} {:>10}",
            "  the same, right after the gateway started",
            ms(cold_gw)
        );
        println!(
            "{:<44} {:>10}",
            "start + first call of mcp.py directly",
            ms(direct_start + cold_direct)
        );
        println!(
            "{:<44} {:>10}",
            "gateway start (to initialized)",
            ms(gw_start)
        );
        println!(
            "(tools/list: {} runs; calls: {} each, interleaved)",
            lists.len(),
            via.len()
        );
        Ok(list <= LIST_TARGET && overhead <= OVERHEAD_TARGET)
    })
}
