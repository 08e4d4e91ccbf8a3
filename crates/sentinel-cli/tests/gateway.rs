//! The MCP gateway (issue 19), driven by the real Python MCP client (`mcp.client.stdio`, through
//! `tests/gateway/driver.py`) against the real `sentinel mcp serve`, the real keyring and a real
//! registry (SQLite and PostgreSQL): nothing listed before approval; listed after; a call returns
//! the connector's result and its server saw only its own key; `ask` waits for a person
//! (allowed, denied, timed out); block; a code change, an edited `mcp.py` and a revocation are
//! refused (the last with `tools/list_changed`); a receipt for every call, and the chain verifies.

mod common;
use common::gateway::*;
use common::keyring::{value, Keys};
use common::*;
use serde_json::json;
use std::path::Path;
use std::process::Command as Process;
use std::time::{Duration, Instant};

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
    gate_and_approve(url, &slug);
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
