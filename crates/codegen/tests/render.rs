//! Snapshots of the generated code plus the properties the sentinel relies on.

mod common;

use common::{evil_stub, normal_stub};
use godconfig_codegen::{
    generator_fingerprint, read_header, render_mcp, CodegenError, McpStub, StubHeader,
};
use serde_json::json;

#[test]
fn normal_connector_snapshot() {
    insta::assert_snapshot!(render_mcp(&normal_stub()).unwrap());
}

#[test]
fn evil_connector_snapshot() {
    insta::assert_snapshot!(render_mcp(&evil_stub("/tmp/godconfig-pwned")).unwrap());
}

#[test]
fn rendering_is_byte_identical_and_ends_with_one_newline() {
    let first = render_mcp(&normal_stub()).unwrap();
    assert_eq!(first, render_mcp(&normal_stub()).unwrap());
    assert!(first.ends_with("\n    mcp.run()\n"));
    assert!(!first.ends_with("\n\n"));
}

#[test]
fn schema_key_order_does_not_change_output() {
    let mut reordered = normal_stub();
    reordered.tools[1].input_schema = json!({
        "required": ["order_id"],
        "properties": {"amount": {"type": "integer"}, "order_id": {"type": "string"}},
        "type": "object"
    });
    assert_eq!(
        render_mcp(&normal_stub()).unwrap(),
        render_mcp(&reordered).unwrap()
    );
}

#[test]
fn header_round_trips() {
    for stub in [normal_stub(), evil_stub("/tmp/godconfig-pwned")] {
        let code = render_mcp(&stub).unwrap();
        let header = read_header(&code).expect("generated file has a header");
        assert_eq!(
            header,
            StubHeader {
                manifest_hash: stub.manifest_hash.clone(),
                generator: generator_fingerprint().to_owned(),
                gating: stub.gating.clone(),
            }
        );
    }
    assert_eq!(read_header("import os\n"), None);
    assert_eq!(read_header(""), None);
}

#[test]
fn header_says_generated_and_how_to_regenerate() {
    let code = render_mcp(&normal_stub()).unwrap();
    let first = code.lines().next().unwrap();
    assert!(
        first.contains("DO NOT EDIT") && first.contains("sentinel sync"),
        "{first}"
    );
}

#[test]
fn fingerprint_is_stable_hex() {
    let fingerprint = generator_fingerprint();
    assert_eq!(fingerprint.len(), 16);
    assert!(fingerprint.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(fingerprint, generator_fingerprint());
}

#[test]
fn refuses_what_cannot_be_a_tool() {
    type Break = fn(&mut McpStub);
    let cases: [(Break, &str); 3] = [
        (
            |s| s.tools[0].name = "list orders".into(),
            "not a Python identifier",
        ),
        (|s| s.tools[1].name = "list_orders".into(), "appears twice"),
        (
            |s| s.tools[0].input_schema = json!(["type", "object"]),
            "not a JSON object",
        ),
    ];
    for (break_it, expected) in cases {
        let mut stub = normal_stub();
        break_it(&mut stub);
        match render_mcp(&stub) {
            Err(CodegenError::Refused { what }) => assert!(what.contains(expected), "{what}"),
            other => panic!("expected refusal containing {expected:?}, got {other:?}"),
        }
    }
}
