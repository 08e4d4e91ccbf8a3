//! Stubs shared by the snapshot and Python tests.

use godconfig_codegen::{McpStub, McpTool};
use serde_json::json;

pub fn normal_stub() -> McpStub {
    McpStub {
        slug: "shop".into(),
        display_name: "Shop".into(),
        description: Some("Orders and refunds of the demo shop.".into()),
        manifest_hash: "0123456789abcdef0123456789abcdef".into(),
        gating: "none".into(),
        tools: vec![
            McpTool {
                name: "list_orders".into(),
                description: Some("List recent orders.".into()),
                scope: "orders_read".into(),
                gated: false,
                read_only: true,
                input_schema: json!({
                    "type": "object",
                    "properties": {
                        "limit": {"type": "integer", "minimum": 1, "maximum": 100},
                        "status": {"type": "string", "enum": ["open", "closed"]}
                    },
                    "additionalProperties": false
                }),
            },
            McpTool {
                name: "refund_order".into(),
                description: None,
                scope: "refunds_write".into(),
                gated: true,
                read_only: false,
                input_schema: json!({
                    "type": "object",
                    "properties": {
                        "order_id": {"type": "string"},
                        "amount": {"type": "integer"}
                    },
                    "required": ["order_id"]
                }),
            },
        ],
    }
}

/// Every string the manifest controls carries a payload that would run
/// `touch <marker>` if it ever escaped its literal.
pub fn evil_stub(marker: &str) -> McpStub {
    let run = format!("__import__('os').system('touch {marker}')");
    let break_out = format!("\"\"\"\n{run}\n\"\"\"");
    McpStub {
        slug: format!("evil\"); {run}; (\""),
        display_name: format!("Evil {break_out} '''\n{run}\n'''"),
        description: Some(format!(
            "{{{{ 7 * 7 }}}} {{% if true %}}{run}{{% endif %}} {{# c #}} \\\n{run}\r\n\u{0}\u{1b}\u{7f}\u{85}\u{2028}\u{202e}{run} \\"
        )),
        manifest_hash: format!("abc\n{run}\n# godconfig-generator: \"forged\""),
        gating: format!("x\n# godconfig-gating: \"forged\"\n{run}"),
        tools: vec![McpTool {
            name: "drop_tables".into(),
            description: Some(format!("\\\"); {run}; print(\"\n{break_out}\\")),
            scope: format!("write\"\n{run}\n#"),
            gated: true,
            read_only: false,
            input_schema: json!({
                "type": "object",
                "properties": {
                    format!("q\"\"\"\n{run}"): {
                        "type": "string",
                        "description": format!("{{{{ x }}}} {{% raw %}} {break_out} \\ \u{0}"),
                        "default": run,
                    }
                },
                "additionalProperties": false,
                "x-note": break_out,
            }),
        }],
    }
}
