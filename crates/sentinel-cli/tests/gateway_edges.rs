//! The gateway's edges, with the real Python MCP client: no usable Python, a call the client
//! cancels, calls left waiting past their deadline.

mod common;
use common::gateway::*;
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

/// No usable Python: the gateway still starts (the search runs in the background), and every
/// call says what was tried and how to fix it.
#[test]
fn without_python_calls_say_how_to_fix_it() {
    on_sqlite(|url, dir| {
        connector(dir, "gwnopy");
        sync_cmd(dir, url).assert().success();
        gate_and_approve(url, "gwnopy");
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
        gate_and_approve(url, &slug);
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
