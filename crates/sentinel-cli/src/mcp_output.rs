//! What `sentinel mcp tools|pending` print. A pending call's arguments are shown: the person
//! answering needs them; they leave the registry with the answer.

use crate::output::{columns, json_doc};
use crate::scopes::TableFormat;
use godconfig_registry::gateway::tool_name;
use godconfig_registry::{PendingCall, ServedTool};

pub fn tools(tools: &[ServedTool], format: TableFormat) {
    if format == TableFormat::Json {
        return json_doc("tools", &tools);
    }
    if tools.is_empty() {
        println!(
            "no tool is served: no connector is approved at its current files (`sentinel status`)"
        );
        return;
    }
    let rows: Vec<[String; 4]> = tools
        .iter()
        .map(|t| {
            [
                tool_name(&t.connector, &t.operation),
                t.scope.clone(),
                t.firearm_type
                    .clone()
                    .unwrap_or_else(|| if t.gated { "(gated)" } else { "-" }.to_string()),
                format!(
                    "{}{}",
                    t.policy.as_str(),
                    if t.policy_set { "" } else { " (default)" }
                ),
            ]
        })
        .collect();
    columns(["TOOL", "SCOPE", "FIREARM", "POLICY"], &rows);
    let blocked = tools
        .iter()
        .filter(|t| t.policy == godconfig_registry::gateway::Policy::Block)
        .count();
    println!(
        "{} tool(s), {blocked} blocked (not listed to agents)",
        tools.len()
    );
}

pub fn pending(calls: &[PendingCall], format: TableFormat) {
    if format == TableFormat::Json {
        return json_doc("pending", &calls);
    }
    if calls.is_empty() {
        println!("no call is waiting for an answer");
        return;
    }
    let now = chrono::Utc::now();
    let rows: Vec<[String; 5]> = calls
        .iter()
        .map(|c| {
            [
                format!("#{}", c.id),
                tool_name(&c.connector, &c.operation),
                c.firearm_type.clone().unwrap_or_else(|| c.scope.clone()),
                c.arguments
                    .as_ref()
                    .map(|a| a.to_string())
                    .unwrap_or_default(),
                format!("{} s", (c.deadline - now).num_seconds().max(0)),
            ]
        })
        .collect();
    columns(["ID", "TOOL", "FIREARM", "ARGUMENTS", "LEFT"], &rows);
    println!("answer with `sentinel mcp answer ID allow|deny`");
}
