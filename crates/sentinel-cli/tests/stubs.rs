//! The mcp.py generated for every example connector compiles, and the real `mcp` package lists
//! one tool per operation with the manifest's schema and the right hints.

mod common;
use common::*;

const LIST: &str = r#"
import asyncio, importlib.util, json, sys
spec = importlib.util.spec_from_file_location("stub", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
tools = asyncio.run(module.mcp.list_tools())
dumped = [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools]
print(json.dumps([{
    "name": t["name"],
    "schema": t["inputSchema"],
    "destructive": t.get("annotations", {}).get("destructiveHint", False),
    "read_only": t.get("annotations", {}).get("readOnlyHint", False),
} for t in dumped]))
"#;

#[test]
fn every_example_stub_compiles_and_lists_its_tools() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    let examples = all_examples();
    let slugs: Vec<&str> = examples.iter().map(String::as_str).collect();
    copy_connectors(&dir, &slugs);
    let db = tmp.path().join("r.db");
    sync_cmd(&dir, &db).assert().success();
    let mut gated_tools = 0;
    for slug in &slugs {
        let stub = dir.join(slug).join("mcp.py");
        let compiled = std::process::Command::new(python())
            .args(["-m", "py_compile"])
            .arg(&stub)
            .status()
            .unwrap();
        assert!(compiled.success(), "{slug}/mcp.py does not compile");
        let out = std::process::Command::new(python())
            .arg("-c")
            .arg(LIST)
            .arg(&stub)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "listing {slug}'s tools failed (is the `mcp` package installed? ./dev setup installs it):\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let tools: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let text = std::fs::read_to_string(dir.join(slug).join("manifest.yaml")).unwrap();
        let manifest =
            godconfig_manifest::parse_manifest("m", text.as_bytes(), Some(slug)).unwrap();
        let tools = tools.as_array().unwrap();
        assert_eq!(tools.len(), manifest.operations.len(), "{slug}");
        for (tool, op) in tools.iter().zip(&manifest.operations) {
            assert_eq!(tool["name"], op.name.as_str());
            assert_eq!(
                &tool["schema"],
                op.input_schema.as_ref().unwrap(),
                "{slug}.{}",
                op.name
            );
            let gated = manifest.scope(&op.scope).unwrap().requires_firearm;
            assert_eq!(tool["destructive"], gated, "{slug}.{}", op.name);
            if gated {
                gated_tools += 1;
                assert_eq!(tool["read_only"], false);
            }
        }
        let header = std::fs::read_to_string(&stub).unwrap();
        let hash = one(
            db.to_str().unwrap(),
            &format!("SELECT manifest_hash FROM connector_providers WHERE slug = '{slug}'"),
        );
        assert!(
            header.lines().take(10).any(|l| l.contains(&hash)),
            "{slug}/mcp.py header does not name the manifest hash"
        );
    }
    assert!(
        gated_tools > 0,
        "the examples should include dangerous operations"
    );
}

/// Whether `tool`'s annotations in `slug/mcp.py` carry destructiveHint=True.
fn destructive_in_stub(dir: &std::path::Path, slug: &str, tool: &str) -> bool {
    let code = std::fs::read_to_string(dir.join(slug).join("mcp.py")).unwrap();
    let start = code
        .find(&format!("_tool(\n            \"{tool}\","))
        .unwrap_or_else(|| panic!("{slug}/mcp.py has no tool {tool}"));
    let rest = &code[start + 1..];
    let block = &rest[..rest.find("_tool(\n").unwrap_or(rest.len())];
    block.contains("destructiveHint=True")
}

#[test]
fn a_gating_override_alone_regenerates_that_stub_only() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    let examples = all_examples();
    let slugs: Vec<&str> = examples.iter().map(String::as_str).collect();
    copy_connectors(&dir, &slugs);
    let (slug, scope, tool) = ("notion", "insert_content", "create_page");
    let text = std::fs::read(dir.join(slug).join("manifest.yaml")).unwrap();
    let manifest = godconfig_manifest::parse_manifest("m", &text, Some(slug)).unwrap();
    assert!(!manifest.scope(scope).unwrap().requires_firearm);
    assert!(manifest
        .operations
        .iter()
        .any(|o| o.name == tool && o.scope == scope));
    let db = tmp.path().join("r.db");
    let url = db.to_str().unwrap();
    sync_cmd(&dir, &db).assert().success();
    assert!(!destructive_in_stub(&dir, slug, tool));
    let mtime = |s: &str| {
        std::fs::metadata(dir.join(s).join("mcp.py"))
            .unwrap()
            .modified()
            .unwrap()
    };
    let others: Vec<&str> = slugs.iter().copied().filter(|s| *s != slug).collect();
    let stamps: Vec<_> = others.iter().map(|s| mtime(s)).collect();
    std::thread::sleep(std::time::Duration::from_millis(20));

    exec(
        url,
        &format!(
            "INSERT INTO scope_gating (provider_slug, scope_name, requires_firearm) \
             VALUES ('{slug}', '{scope}', TRUE)"
        ),
    );
    sync_cmd(&dir, &db)
        .assert()
        .success()
        .stdout(predicates::str::contains("1 mcp.py file written"));
    assert!(destructive_in_stub(&dir, slug, tool));
    let after: Vec<_> = others.iter().map(|s| mtime(s)).collect();
    assert_eq!(after, stamps, "other connectors' stubs were rewritten");
    sync_cmd(&dir, &db)
        .assert()
        .success()
        .stdout(predicates::str::contains("0 mcp.py files written"));

    exec(
        url,
        &format!("DELETE FROM scope_gating WHERE provider_slug = '{slug}'"),
    );
    sync_cmd(&dir, &db)
        .assert()
        .success()
        .stdout(predicates::str::contains("1 mcp.py file written"));
    assert!(!destructive_in_stub(&dir, slug, tool));
    let after: Vec<_> = others.iter().map(|s| mtime(s)).collect();
    assert_eq!(after, stamps, "other connectors' stubs were rewritten");
}
