//! The gateway tests' helpers: the real Python MCP client driving `sentinel mcp serve`
//! (`tests/gateway/driver.py`), the test connector, and reading replies and receipts.

use super::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command as Process, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// How long one answer of the driver may take (a connector's first start included).
pub const ANSWER: Duration = Duration::from_secs(60);

/// The Python MCP client, running `sentinel mcp serve` as its server.
pub struct Agent {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
}

impl Agent {
    pub fn start(url: &str, dir: &Path, extra: &[&str]) -> Agent {
        Agent::start_with(url, dir, &python(), extra)
    }

    pub fn start_with(url: &str, dir: &Path, python: &str, extra: &[&str]) -> Agent {
        let driver = repo().join("crates/sentinel-cli/tests/gateway/driver.py");
        let mut cmd = Process::new(super::python());
        cmd.arg(driver)
            .arg(env!("CARGO_BIN_EXE_sentinel"))
            .args(["mcp", "serve", "--dir"])
            .arg(dir)
            .args(["--db", url, "--python", python])
            .args(extra)
            // What the connector's server must never see: it is all in the gateway's own
            // environment.
            .env("GODCONFIG_DATABASE_URL", url)
            .env("PGPASSWORD", "pg-password-never-passed")
            .env("PROVIDER_OTHER_API_KEY", "another-connectors-key")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = cmd.spawn().expect("the Python driver starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut agent = Agent {
            child,
            stdin,
            lines,
        };
        assert_eq!(agent.read(), json!({"ok": true}), "the MCP handshake");
        agent
    }

    pub fn read(&mut self) -> Value {
        let line = self
            .lines
            .recv_timeout(ANSWER)
            .expect("the driver answers in time");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
    }

    pub fn send(&mut self, cmd: Value) -> Value {
        writeln!(self.stdin, "{cmd}").unwrap();
        self.stdin.flush().unwrap();
        self.read()
    }

    pub fn names(&mut self) -> Vec<String> {
        let list = self.send(json!({"op": "list"}));
        list["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_string())
            .collect()
    }

    pub fn call(&mut self, name: &str, args: Value) -> Value {
        self.send(json!({"op": "call", "name": name, "args": args}))
    }

    /// Whether `tools/list_changed` arrived (since the last time this was asked) within `secs`.
    pub fn list_changed(&mut self, secs: u64) -> bool {
        self.send(json!({"op": "list_changed", "timeout": secs}))["changed"] == json!(true)
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = writeln!(self.stdin, "{}", json!({"op": "quit"}));
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
    }
}

/// The test connector under `slug`.
pub fn connector(dir: &Path, slug: &str) -> PathBuf {
    let from = repo().join("crates/sentinel-cli/tests/fixtures/gateway/gwtest");
    let to = dir.join(slug);
    std::fs::create_dir_all(&to).unwrap();
    std::fs::copy(from.join("service.py"), to.join("service.py")).unwrap();
    let manifest = std::fs::read_to_string(from.join("manifest.yaml"))
        .unwrap()
        .replacen(
            "provider_slug: gwtest",
            &format!("provider_slug: {slug}"),
            1,
        );
    std::fs::write(to.join("manifest.yaml"), manifest).unwrap();
    to
}

pub fn cli(url: &str, args: &[&str]) -> String {
    let out = sentinel().args(args).args(["--db", url]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "sentinel {args:?}: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

pub fn approve(url: &str, slug: &str) {
    cli(url, &["approve", slug, "--yes", "--as", "olga"]);
}

/// Gives the test connector's gated scope a firearm type, so its gate passes, and approves it.
pub fn gate_and_approve(url: &str, slug: &str) {
    cli(
        url,
        &[
            "scopes",
            "set-type",
            "--connector",
            slug,
            "things:send",
            "--type",
            "sends_messages",
            "--yes",
        ],
    );
    approve(url, slug);
}

/// The id of the one call waiting, once it appears (with its arguments shown).
pub fn waiting(url: &str, args: &Value) -> i64 {
    let deadline = Instant::now() + ANSWER;
    loop {
        let doc: Value =
            serde_json::from_str(&cli(url, &["mcp", "pending", "--format", "json"])).unwrap();
        if let Some(call) = doc["pending"].as_array().and_then(|a| a.first()) {
            assert_eq!(&call["arguments"], args, "the person sees the arguments");
            return call["id"].as_i64().unwrap();
        }
        assert!(Instant::now() < deadline, "no call started waiting");
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub fn text(reply: &Value) -> &str {
    reply["text"].as_str().unwrap_or_default()
}

pub fn ok(reply: &Value) -> Value {
    assert_eq!(reply["is_error"], json!(false), "{reply}");
    serde_json::from_str(text(reply)).unwrap_or_else(|_| json!(text(reply)))
}

pub fn refused(reply: &Value, because: &str) {
    assert_eq!(reply["is_error"], json!(true), "{reply}");
    assert!(text(reply).contains(because), "{reply}");
    assert!(
        text(reply).contains("fix: "),
        "a refusal says what to do: {reply}"
    );
}

/// The outcomes of the receipts, oldest first.
pub fn receipts(url: &str) -> Vec<Value> {
    rows(
        url,
        "SELECT CAST(detail AS TEXT) FROM audit_log WHERE action = 'mcp.call' ORDER BY id",
    )
    .into_iter()
    .map(|r| serde_json::from_str(&r[0]).unwrap())
    .collect()
}
