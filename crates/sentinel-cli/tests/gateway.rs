//! The MCP gateway (issue 19), driven by the real Python MCP client (`mcp.client.stdio`, through
//! `tests/gateway/driver.py`) against the real `sentinel mcp serve`, the real keyring and a real
//! registry (SQLite and PostgreSQL): nothing listed before approval; listed after; a call returns
//! the connector's result and its server saw only its own key; `ask` waits for a person
//! (allowed, denied, timed out); block; a code change, an edited `mcp.py` and a revocation are
//! refused (the last with `tools/list_changed`); a receipt for every call, and the chain verifies.

mod common;
use common::keyring::{value, Keys};
use common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command as Process, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// How long one answer of the driver may take (a connector's first start included).
const ANSWER: Duration = Duration::from_secs(60);

/// The Python MCP client, running `sentinel mcp serve` as its server.
struct Agent {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
}

impl Agent {
    fn start(url: &str, dir: &Path, extra: &[&str]) -> Agent {
        Agent::start_with(url, dir, &python(), extra)
    }

    fn start_with(url: &str, dir: &Path, python: &str, extra: &[&str]) -> Agent {
        let driver = repo().join("crates/sentinel-cli/tests/gateway/driver.py");
        let mut cmd = Process::new(common::python());
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

    fn read(&mut self) -> Value {
        let line = self
            .lines
            .recv_timeout(ANSWER)
            .expect("the driver answers in time");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
    }

    fn send(&mut self, cmd: Value) -> Value {
        writeln!(self.stdin, "{cmd}").unwrap();
        self.stdin.flush().unwrap();
        self.read()
    }

    fn names(&mut self) -> Vec<String> {
        let list = self.send(json!({"op": "list"}));
        list["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_string())
            .collect()
    }

    fn call(&mut self, name: &str, args: Value) -> Value {
        self.send(json!({"op": "call", "name": name, "args": args}))
    }

    /// Whether `tools/list_changed` arrived (since the last time this was asked) within `secs`.
    fn list_changed(&mut self, secs: u64) -> bool {
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
fn connector(dir: &Path, slug: &str) -> PathBuf {
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

fn cli(url: &str, args: &[&str]) -> String {
    let out = sentinel().args(args).args(["--db", url]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "sentinel {args:?}: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

fn approve(url: &str, slug: &str) {
    cli(url, &["approve", slug, "--yes", "--as", "olga"]);
}

/// The id of the one call waiting, once it appears (with its arguments shown).
fn waiting(url: &str, args: &Value) -> i64 {
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

fn text(reply: &Value) -> &str {
    reply["text"].as_str().unwrap_or_default()
}

fn ok(reply: &Value) -> Value {
    assert_eq!(reply["is_error"], json!(false), "{reply}");
    serde_json::from_str(text(reply)).unwrap_or_else(|_| json!(text(reply)))
}

fn refused(reply: &Value, because: &str) {
    assert_eq!(reply["is_error"], json!(true), "{reply}");
    assert!(text(reply).contains(because), "{reply}");
    assert!(
        text(reply).contains("fix: "),
        "a refusal says what to do: {reply}"
    );
}

/// The outcomes of the receipts, oldest first.
fn receipts(url: &str) -> Vec<Value> {
    rows(
        url,
        "SELECT CAST(detail AS TEXT) FROM audit_log WHERE action = 'mcp.call' ORDER BY id",
    )
    .into_iter()
    .map(|r| serde_json::from_str(&r[0]).unwrap())
    .collect()
}

fn story(url: &str, dir: &Path, tag: &str) {
    let slug = format!("gw{}{tag}", std::process::id());
    let key = format!("PROVIDER_{}_API_KEY", slug.to_uppercase());
    let _keys = Keys(vec![key.clone()]);
    let folder = connector(dir, &slug);
    sync_cmd(dir, url).assert().success();
    let secret = value("gw");
    let set = sentinel()
        .args(["vault", "set", &key, "--db", url])
        .write_stdin(secret.clone())
        .output()
        .unwrap();
    assert!(set.status.success(), "{set:?}");
    let (echo, env_tool, send) = (
        format!("{slug}__echo"),
        format!("{slug}__environment"),
        format!("{slug}__send"),
    );

    // A draft: nothing is listed, and a call is refused.
    let mut agent = Agent::start(url, dir, &[]);
    assert!(agent.names().is_empty());
    refused(
        &agent.call(&echo, json!({"text": "hi"})),
        "it is a draft, not approved",
    );

    // Approved: listed within a second of the approval, with the gating as annotations.
    cli(
        url,
        &[
            "scopes",
            "set-type",
            "--connector",
            &slug,
            "things:send",
            "--type",
            "sends_messages",
            "--yes",
        ],
    );
    approve(url, &slug);
    assert!(
        agent.list_changed(5),
        "tools/list_changed after the approval"
    );
    let list = agent.send(json!({"op": "list"}));
    let tools = list["tools"].as_array().unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, [echo.as_str(), env_tool.as_str(), send.as_str()]);
    assert_eq!(tools[2]["annotations"]["destructiveHint"], json!(true));
    assert_eq!(tools[0]["annotations"]["readOnlyHint"], json!(true));
    assert_eq!(
        tools[2]["meta"]["godconfig/firearm_type"],
        json!("sends_messages")
    );
    assert_eq!(tools[0]["input_schema"]["required"], json!(["text"]));

    // A call goes to the connector, which has its key and nothing else of value.
    let reply = ok(&agent.call(&echo, json!({"text": "hi"})));
    assert_eq!(reply["text"], json!("hi"));
    assert_eq!(reply["key_length"], json!(secret.len()));
    let seen = ok(&agent.call(&env_tool, json!({})));
    let seen: Vec<&str> = seen["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(seen.contains(&key.as_str()), "{seen:?}");
    for never in [
        "GODCONFIG_DATABASE_URL",
        "PGPASSWORD",
        "PROVIDER_OTHER_API_KEY",
        "DBUS_SESSION_BUS_ADDRESS",
    ] {
        assert!(
            !seen.contains(&never),
            "{never} reached the connector: {seen:?}"
        );
    }

    // Kept warm: the same server answers again; started again when it dies.
    let pid = reply["pid"].as_i64().unwrap();
    let again = ok(&agent.call(&echo, json!({"text": "again"})));
    assert_eq!(again["pid"].as_i64(), Some(pid), "the same server");
    Process::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap();
    // The gateway notices the end of the process's output at once; a second is generous.
    std::thread::sleep(Duration::from_secs(1));
    let reborn = ok(&agent.call(&echo, json!({"text": "reborn"})));
    assert_ne!(reborn["pid"].as_i64(), Some(pid), "a new server");

    // `ask` (the default of a gated scope): waits, a person allows it from the CLI.
    let args = json!({"to": "ana-zqx"});
    agent.send(json!({"op": "call_async", "name": send, "args": args}));
    let id = waiting(url, &args);
    let answered = cli(
        url,
        &["mcp", "answer", &id.to_string(), "allow", "--as", "ana"],
    );
    assert!(answered.contains("allowed once"), "{answered}");
    let reply = ok(&agent.send(json!({"op": "result"})));
    assert_eq!(reply["sent_to"], json!("ana-zqx"));
    // Answered once: a second answer is refused, and the arguments left the registry.
    let again = sentinel()
        .args(["mcp", "answer", &id.to_string(), "deny", "--db", url])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("mcp.call_answered"));
    assert_eq!(
        one(
            url,
            "SELECT CAST(COUNT(*) AS TEXT) FROM pending_calls WHERE arguments IS NOT NULL"
        ),
        "0"
    );

    // Denied.
    let args = json!({"to": "bob-zqx"});
    agent.send(json!({"op": "call_async", "name": send, "args": args}));
    let id = waiting(url, &args);
    cli(
        url,
        &["mcp", "answer", &id.to_string(), "deny", "--as", "ana"],
    );
    refused(&agent.send(json!({"op": "result"})), "ana denied");

    // Blocked: gone from the list, and refused as such.
    cli(
        url,
        &["mcp", "policy", &slug, "send", "block", "--as", "adam"],
    );
    assert!(
        agent.list_changed(5),
        "tools/list_changed after the policy change"
    );
    assert!(!agent.names().contains(&send));
    refused(
        &agent.call(&send, json!({"to": "carl"})),
        "blocked by policy",
    );
    cli(
        url,
        &["mcp", "policy", &slug, "send", "default", "--as", "adam"],
    );
    assert!(agent.list_changed(5));

    // Nobody answers: denied after the timeout.
    {
        let mut quick = Agent::start(url, dir, &["--ask-timeout", "1"]);
        refused(
            &quick.call(&send, json!({"to": "dan"})),
            "nobody answered within 1 s",
        );
    }

    // An edited mcp.py is not run.
    let stub = folder.join("mcp.py");
    let generated = std::fs::read_to_string(&stub).unwrap();
    std::fs::write(
        &stub,
        format!("{generated}\nimport os; os.system('true')\n"),
    )
    .unwrap();
    refused(
        &agent.call(&echo, json!({"text": "x"})),
        "not the file the sentinel generates",
    );
    std::fs::write(&stub, &generated).unwrap();
    ok(&agent.call(&echo, json!({"text": "x"})));

    // A code change: refused at once, and after the sync the connector is a draft again.
    let service = folder.join("service.py");
    let code = std::fs::read_to_string(&service).unwrap();
    std::fs::write(&service, format!("{code}\n\ndef extra():\n    return 1\n")).unwrap();
    refused(
        &agent.call(&echo, json!({"text": "x"})),
        "changed since the last sync",
    );
    sync_cmd(dir, url).assert().success();
    assert!(agent.list_changed(5), "tools/list_changed after the drift");
    assert!(agent.names().is_empty());
    refused(&agent.call(&echo, json!({"text": "x"})), "draft");
    approve(url, &slug);
    assert!(agent.list_changed(5));
    let server = ok(&agent.call(&echo, json!({"text": "back"})))["pid"]
        .as_i64()
        .unwrap();

    // Revoked: the list changes and the next call is refused.
    cli(url, &["revoke", &slug, "--reason", "test", "--as", "olga"]);
    assert!(
        agent.list_changed(5),
        "tools/list_changed after the revocation"
    );
    assert!(agent.names().is_empty());
    // Its server is stopped: gone, or a zombie waiting to be reaped.
    let deadline = Instant::now() + Duration::from_secs(10);
    let running = || {
        std::fs::read_to_string(format!("/proc/{server}/stat"))
            .is_ok_and(|s| !s.split(") ").nth(1).unwrap_or("").starts_with('Z'))
    };
    while running() {
        assert!(
            Instant::now() < deadline,
            "the revoked connector's server still runs"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    refused(&agent.call(&echo, json!({"text": "x"})), "not approved");
    drop(agent);

    // A receipt for every call, in order; no argument and no key in any of them.
    let outcomes: Vec<String> = receipts(url)
        .iter()
        .map(|r| r["outcome"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        outcomes,
        [
            "refused",
            "allowed",
            "allowed",
            "allowed",
            "allowed",
            "allowed",
            "denied",
            "refused",
            "timed_out",
            "refused",
            "allowed",
            "refused",
            "refused",
            "allowed",
            "refused",
        ]
    );
    let all = receipts(url);
    let allowed_ask = &all[5];
    assert_eq!(allowed_ask["answered_by"], json!("ana"));
    assert_eq!(allowed_ask["client"], json!("godconfig-test-client 1.0"));
    assert_eq!(allowed_ask["firearm_type"], json!("sends_messages"));
    assert_eq!(allowed_ask["arguments_sha256"].as_str().unwrap().len(), 64);
    let dump = rows(
        url,
        "SELECT COALESCE(CAST(detail AS TEXT), '') FROM audit_log",
    )
    .concat()
    .join("\n");
    assert!(!dump.contains(&secret), "a key reached the audit log");
    assert!(!dump.contains("zqx"), "arguments reached the audit log");
    sentinel()
        .args(["audit", "verify", "--db", url])
        .assert()
        .success();
}

#[test]
fn the_gateway_serves_what_was_approved_on_sqlite() {
    on_sqlite(|url, dir| story(url, dir, "s"));
}

#[test]
fn the_gateway_serves_what_was_approved_on_postgres() {
    on_postgres(|url, dir| story(url, dir, "p"));
}

/// No usable Python: the gateway still starts (the search runs in the background), and every
/// call says what was tried and how to fix it.
#[test]
fn without_python_calls_say_how_to_fix_it() {
    on_sqlite(|url, dir| {
        connector(dir, "gwnopy");
        sync_cmd(dir, url).assert().success();
        cli(
            url,
            &[
                "scopes",
                "set-type",
                "--connector",
                "gwnopy",
                "things:send",
                "--type",
                "sends_messages",
                "--yes",
            ],
        );
        cli(url, &["approve", "gwnopy", "--yes"]);
        let mut agent = Agent::start_with(url, dir, "/nonexistent/python3", &[]);
        assert_eq!(agent.names().len(), 3, "listed without starting anything");
        let reply = agent.call("gwnopy__echo", json!({"text": "hi"}));
        assert_eq!(reply["is_error"], json!(true), "{reply}");
        let text = text(&reply);
        assert!(text.contains("no Python with the `mcp` package"), "{text}");
        assert!(text.contains("/nonexistent/python3"), "{text}");
        assert!(text.contains("GODCONFIG_PYTHON"), "{text}");
        drop(agent);
        assert_eq!(receipts(url)[0]["outcome"], json!("failed"));
    });
}

/// A call the client cancels while it waits for a person is closed at once (nobody can allow it
/// any more) and receipted as cancelled.
#[test]
fn a_cancelled_call_is_closed_and_receipted() {
    on_sqlite(|url, dir| {
        let slug = format!("gwc{}", std::process::id());
        connector(dir, &slug);
        sync_cmd(dir, url).assert().success();
        cli(
            url,
            &[
                "scopes",
                "set-type",
                "--connector",
                &slug,
                "things:send",
                "--type",
                "sends_messages",
                "--yes",
            ],
        );
        cli(url, &["approve", &slug, "--yes"]);
        let mut agent = Agent::start(url, dir, &[]);
        let args = json!({"to": "eve-zqx"});
        agent.send(json!({"op": "call_async", "name": format!("{slug}__send"), "args": args}));
        let id = waiting(url, &args);
        assert_eq!(
            agent.send(json!({"op": "cancel"})),
            json!({"cancelled": true})
        );
        let deadline = Instant::now() + ANSWER;
        while receipts(url).is_empty() {
            assert!(
                Instant::now() < deadline,
                "no receipt for the cancelled call"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        assert_eq!(receipts(url)[0]["outcome"], json!("cancelled"));
        let call = cli(url, &["mcp", "pending", "--format", "json"]);
        assert!(!call.contains("eve-zqx"), "still waiting: {call}");
        let answer = sentinel()
            .args(["mcp", "answer", &id.to_string(), "allow", "--db", url])
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&answer.stderr).contains("mcp.call_answered"));
    });
}

/// A call left waiting by a gateway that stopped is not offered any more, and the next gateway
/// closes it, arguments and all.
#[test]
fn calls_left_waiting_past_their_deadline_are_closed() {
    on_sqlite(|url, dir| {
        connector(dir, "gwold");
        sync_cmd(dir, url).assert().success();
        exec(
            url,
            "INSERT INTO pending_calls (provider_slug, operation, scope_name, arguments, requested_by, \
             requested_at, deadline) VALUES ('gwold', 'send', 'things:send', '{\"to\": \"old-zqx\"}', \
             'gone', '2000-01-01T00:00:00+00:00', '2000-01-01T00:02:00+00:00')",
        );
        let listed = cli(url, &["mcp", "pending"]);
        assert!(listed.contains("no call is waiting"), "{listed}");
        drop(Agent::start(url, dir, &[]));
        assert_eq!(
            rows(
                url,
                "SELECT answer, COALESCE(arguments, 'cleared') FROM pending_calls"
            ),
            [["timeout", "cleared"]]
        );
        assert_eq!(audit_actions(url, "mcp.calls_expired"), 1);
    });
}
