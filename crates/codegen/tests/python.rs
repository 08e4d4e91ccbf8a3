//! Runs the generated mcp.py under a real Python with the official `mcp`
//! package. The interpreter is `$GODCONFIG_PYTHON`, else `python3`; these
//! tests fail (never skip) when `mcp` is missing.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{evil_stub, normal_stub};
use godconfig_codegen::{render_mcp, McpStub};
use serde_json::{json, Value};

const FAKE_SERVICE: &str = r#"
CALLS = []


def __getattr__(name):
    def record(**arguments):
        CALLS.append([name, arguments])
        return {"ok": name}

    return record
"#;

/// Imports mcp.py by path, lists its tools, calls one with valid and invalid
/// arguments, and prints what happened as JSON.
const PROBE: &str = r#"
import asyncio, importlib.util, json, sys
path, name, arguments = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
spec = importlib.util.spec_from_file_location("generated_mcp", path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
import service
tools = asyncio.run(module.mcp.list_tools())
asyncio.run(module.mcp.call_tool(name, arguments))
try:
    asyncio.run(module.mcp.call_tool(name, {"surely_not_declared": [1]}))
    rejected = None
except Exception as exc:
    rejected = str(exc)
print(json.dumps({
    "server": [module.SLUG, module.DISPLAY_NAME, module.mcp.instructions],
    "tools": [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools],
    "calls": service.CALLS,
    "rejected": rejected,
}))
"#;

/// Starts mcp.py as a script from `cwd` and asks for tools/list over stdio.
const STDIO: &str = r#"
import json, subprocess, sys, threading
server = subprocess.Popen([sys.executable, sys.argv[1]], cwd=sys.argv[2], text=True,
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
watchdog = threading.Timer(60, server.kill)
watchdog.daemon = True  # a failing run must not wait for it
watchdog.start()
def send(message):
    server.stdin.write(json.dumps(message) + "\n")
    server.stdin.flush()
def answer():
    while True:
        line = server.stdout.readline()
        if not line:
            sys.exit("server closed stdout:\n" + server.stderr.read())
        message = json.loads(line)
        if "id" in message:
            return message
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18",
      "capabilities": {}, "clientInfo": {"name": "godconfig-codegen-test", "version": "0"}}})
answer()
send({"jsonrpc": "2.0", "method": "notifications/initialized"})
send({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
print(json.dumps(answer()["result"]["tools"]))
server.stdin.close()
server.wait()
watchdog.cancel()
"#;

fn python() -> String {
    std::env::var("GODCONFIG_PYTHON").unwrap_or_else(|_| "python3".into())
}

fn run_python(args: &[&str], cwd: &Path) -> String {
    let python = python();
    let output = Command::new(&python)
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{python}` (set GODCONFIG_PYTHON): {e}"));
    assert!(
        output.status.success(),
        "`{python}` failed ({})\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("python prints UTF-8")
}

fn require_mcp() {
    let python = python();
    let ok = Command::new(&python)
        .args(["-c", "import mcp.types"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "these tests need the official `mcp` package for `{python}`: run `{python} -m pip install mcp`, \
         or set GODCONFIG_PYTHON to an interpreter that has it"
    );
}

/// Writes mcp.py and a recording service.py into `<tmp>/connector`.
fn write_connector(tmp: &Path, stub: &McpStub) -> PathBuf {
    let dir = tmp.join("connector");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("mcp.py"), render_mcp(stub).unwrap()).unwrap();
    std::fs::write(dir.join("service.py"), FAKE_SERVICE).unwrap();
    let script = dir.join("mcp.py");
    run_python(&["-m", "py_compile", script.to_str().unwrap()], tmp);
    script
}

fn probe(tmp: &Path, script: &Path, name: &str, arguments: &Value) -> Value {
    let out = run_python(
        &[
            "-c",
            PROBE,
            script.to_str().unwrap(),
            name,
            &arguments.to_string(),
        ],
        tmp,
    );
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("probe printed no JSON ({e}):\n{out}"))
}

/// The listed tools must carry exactly the stub's names, schemas and hints.
fn assert_tools_match(stub: &McpStub, listed: &Value) {
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), stub.tools.len());
    for (tool, seen) in stub.tools.iter().zip(listed) {
        assert_eq!(seen["name"], json!(tool.name));
        assert_eq!(
            seen["description"],
            json!(tool.description.clone().unwrap_or_default())
        );
        assert_eq!(
            seen["inputSchema"], tool.input_schema,
            "inputSchema of {}",
            tool.name
        );
        assert_eq!(seen["_meta"]["godconfig/scope"], json!(tool.scope));
        let hint = |key: &str| seen["annotations"][key].as_bool();
        assert_eq!(
            hint("destructiveHint"),
            tool.gated.then_some(true),
            "{}",
            tool.name
        );
        assert_eq!(
            hint("readOnlyHint"),
            tool.read_only.then_some(true),
            "{}",
            tool.name
        );
    }
}

#[test]
fn normal_connector_lists_and_calls_tools() {
    require_mcp();
    let tmp = tempfile::tempdir().unwrap();
    let stub = normal_stub();
    let script = write_connector(tmp.path(), &stub);
    let arguments = json!({"order_id": "o-1", "amount": 250});
    let seen = probe(tmp.path(), &script, "refund_order", &arguments);

    assert_eq!(
        seen["server"],
        json!([stub.slug, stub.display_name, stub.description])
    );
    assert_tools_match(&stub, &seen["tools"]);
    // Valid arguments reach service.py as keywords; schema violations never do.
    assert_eq!(seen["calls"], json!([["refund_order", arguments]]));
    let rejected = seen["rejected"]
        .as_str()
        .expect("undeclared arguments are rejected");
    assert!(
        rejected.contains("invalid arguments for refund_order"),
        "{rejected}"
    );
}

#[test]
fn script_serves_stdio_from_any_working_directory() {
    require_mcp();
    let tmp = tempfile::tempdir().unwrap();
    let stub = normal_stub();
    let script = write_connector(tmp.path(), &stub);
    // From its own folder, where mcp.py could shadow the `mcp` package, and from elsewhere.
    for cwd in [script.parent().unwrap(), tmp.path()] {
        let out = run_python(
            &["-c", STDIO, script.to_str().unwrap(), cwd.to_str().unwrap()],
            tmp.path(),
        );
        let listed: Value = serde_json::from_str(&out).unwrap();
        assert_tools_match(&stub, &listed);
    }
}

#[test]
fn evil_connector_compiles_and_runs_nothing() {
    require_mcp();
    let tmp = tempfile::tempdir().unwrap();
    let marker = tmp.path().join("pwned");
    let stub = evil_stub(marker.to_str().unwrap());
    let script = write_connector(tmp.path(), &stub);
    let property = stub.tools[0].input_schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    let arguments = json!({ property: "x" });
    let seen = probe(tmp.path(), &script, "drop_tables", &arguments);

    assert!(
        !marker.exists(),
        "a manifest payload ran while importing mcp.py"
    );
    // Every payload arrives as the exact data it was, not as code.
    assert_eq!(
        seen["server"],
        json!([stub.slug, stub.display_name, stub.description])
    );
    assert_tools_match(&stub, &seen["tools"]);
    assert_eq!(seen["calls"], json!([["drop_tables", arguments]]));
    assert!(
        seen["rejected"].is_string(),
        "undeclared arguments are rejected"
    );
}
