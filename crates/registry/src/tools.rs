//! Each operation is one MCP tool. Its definition (name, description, input schema, scope and
//! whether the scope is gated, which decides its annotations) has a hash, and a reviewer sees
//! which of those parts changed since the approval. Pure functions.

use godconfig_manifest::{Manifest, Operation};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// Objects with their keys in order, so that equal schemas serialize to equal bytes.
pub(crate) fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let sorted: BTreeMap<&String, Value> =
                m.iter().map(|(k, v)| (k, canonical(v))).collect();
            Value::Object(sorted.into_iter().map(|(k, v)| (k.clone(), v)).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// sha256 (hex) of the tool's definition as it is published.
pub fn tool_hash(op: &Operation, gated: bool) -> String {
    let def = serde_json::json!({
        "name": op.name,
        "description": op.description,
        "scope": op.scope,
        "input_schema": op.input_schema.as_ref().map(canonical),
        "gated": gated,
    });
    hex::encode(Sha256::digest(canonical(&def).to_string().as_bytes()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ToolState {
    Added,
    Removed,
    Changed,
}

/// One tool whose definition differs from the approved one, and what differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ToolChange {
    pub name: String,
    pub state: ToolState,
    /// Readable lines: `description changed`, `scope: a -> b`, `now gated (destructive)`…
    pub what: Vec<String>,
}

/// The tools of `new` against those of `old`, by name; each side with its gated scopes.
pub fn tool_changes(
    (old, old_gated): (&Manifest, &BTreeSet<String>),
    (new, new_gated): (&Manifest, &BTreeSet<String>),
) -> Vec<ToolChange> {
    let o: BTreeMap<&str, &Operation> = old
        .operations
        .iter()
        .map(|t| (t.name.as_str(), t))
        .collect();
    let n: BTreeMap<&str, &Operation> = new
        .operations
        .iter()
        .map(|t| (t.name.as_str(), t))
        .collect();
    let mut names: BTreeSet<&str> = o.keys().copied().collect();
    names.extend(n.keys().copied());
    let mut out = Vec::new();
    for name in names {
        let change = |state, what| ToolChange {
            name: name.to_string(),
            state,
            what,
        };
        match (o.get(name), n.get(name)) {
            (None, Some(t)) => out.push(change(
                ToolState::Added,
                vec![format!("new tool on scope {}", t.scope)],
            )),
            (Some(_), None) => out.push(change(ToolState::Removed, vec!["tool removed".into()])),
            (Some(a), Some(b)) => {
                let (ga, gb) = (old_gated.contains(&a.scope), new_gated.contains(&b.scope));
                let mut what = Vec::new();
                if a.description != b.description {
                    what.push("description changed".to_string());
                }
                if a.input_schema.as_ref().map(canonical) != b.input_schema.as_ref().map(canonical)
                {
                    what.push("input schema changed".to_string());
                }
                if a.scope != b.scope {
                    what.push(format!("scope: {} -> {}", a.scope, b.scope));
                }
                if ga != gb {
                    what.push(
                        if gb {
                            "now gated (destructive)"
                        } else {
                            "no longer gated"
                        }
                        .to_string(),
                    );
                }
                if !what.is_empty() {
                    out.push(change(ToolState::Changed, what));
                }
            }
            (None, None) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn op(name: &str, desc: &str, scope: &str, schema: Value) -> Operation {
        Operation {
            name: name.into(),
            description: Some(desc.into()),
            scope: scope.into(),
            input_schema: Some(schema),
        }
    }

    #[test]
    fn the_hash_ignores_key_order_and_sees_every_part() {
        let a = op(
            "list",
            "Lists",
            "read",
            json!({"type": "object", "properties": {"a": {}}}),
        );
        let b = op(
            "list",
            "Lists",
            "read",
            json!({"properties": {"a": {}}, "type": "object"}),
        );
        assert_eq!(tool_hash(&a, false), tool_hash(&b, false));
        assert_ne!(tool_hash(&a, false), tool_hash(&a, true));
        let described = op(
            "list",
            "Lists all",
            "read",
            json!({"type": "object", "properties": {"a": {}}}),
        );
        assert_ne!(tool_hash(&a, false), tool_hash(&described, false));
    }

    #[test]
    fn changes_name_the_parts_of_each_tool() {
        let mut old = Manifest {
            provider_slug: "s".into(),
            display_name: "S".into(),
            version: None,
            description: None,
            docs_url: None,
            auth: None,
            secrets: vec![],
            scopes: vec![],
            kpis: vec![],
            utm_capabilities: vec![],
            operations: vec![
                op("list", "Lists", "read", json!({"type": "object"})),
                op("send", "Sends", "write", json!({"type": "object"})),
                op("gone", "Old", "read", json!({"type": "object"})),
            ],
        };
        let mut new = old.clone();
        new.operations = vec![
            op("list", "Lists", "read", json!({"type": "object"})),
            op(
                "send",
                "Sends money",
                "pay",
                json!({"type": "object", "required": ["x"]}),
            ),
            op("fresh", "New", "read", json!({"type": "object"})),
        ];
        let gated: BTreeSet<String> = ["pay".to_string()].into();
        let changes = tool_changes((&old, &BTreeSet::new()), (&new, &gated));
        let summary: Vec<(&str, ToolState, Vec<&str>)> = (changes.iter())
            .map(|c| {
                (
                    c.name.as_str(),
                    c.state,
                    c.what.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("fresh", ToolState::Added, vec!["new tool on scope read"]),
                ("gone", ToolState::Removed, vec!["tool removed"]),
                (
                    "send",
                    ToolState::Changed,
                    vec![
                        "description changed",
                        "input schema changed",
                        "scope: write -> pay",
                        "now gated (destructive)"
                    ]
                ),
            ]
        );
        old.operations.clear();
        assert!(tool_changes((&old, &gated), (&old, &gated)).is_empty());
    }
}
