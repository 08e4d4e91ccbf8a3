//! The tools an agent sees, built from the registry's served tools: named `<slug>__<operation>`,
//! with the manifest's description and input schema, annotations from the gating, and `_meta`
//! naming the connector, scope and firearm type. Blocked tools are left out.

use godconfig_registry::gateway::{tool_name, Policy};
use godconfig_registry::ServedTool;
use rmcp::model::{JsonObject, MetaObject, Tool, ToolAnnotations};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// One snapshot of what is served; swapped whole when the registry changes.
#[derive(Default)]
pub struct Catalog {
    pub tools: Vec<Tool>,
    by_name: HashMap<String, ServedTool>,
}

impl Catalog {
    pub fn build(served: Vec<ServedTool>) -> Catalog {
        let mut by_name: HashMap<String, ServedTool> = HashMap::with_capacity(served.len());
        let mut clashes = Vec::new();
        for t in served.into_iter().filter(|t| t.policy != Policy::Block) {
            let name = tool_name(&t.connector, &t.operation);
            // `a__b` + `c` and `a` + `b__c` spell the same name: serve neither.
            if by_name.insert(name.clone(), t).is_some() {
                clashes.push(name);
            }
        }
        for name in clashes {
            tracing::warn!("tool name {name} is spelled by two connectors; neither is served");
            by_name.remove(&name);
        }
        let mut names: Vec<&String> = by_name.keys().collect();
        names.sort();
        let tools = names.into_iter().map(|n| to_tool(n, &by_name[n])).collect();
        Catalog { tools, by_name }
    }

    pub fn get(&self, name: &str) -> Option<&ServedTool> {
        self.by_name.get(name)
    }

    /// What an agent would see change: names, definitions and policies that decide listing.
    pub fn same_as(&self, other: &Catalog) -> bool {
        self.tools == other.tools
    }

    /// The connectors with at least one served tool.
    pub fn connectors(&self) -> impl Iterator<Item = &str> {
        self.by_name.values().map(|t| t.connector.as_str())
    }

    /// The fingerprint a connector is served at, if it is.
    pub fn fingerprint_of(&self, slug: &str) -> Option<&str> {
        self.by_name
            .values()
            .find(|t| t.connector == slug)
            .map(|t| t.fingerprint.as_str())
    }
}

fn to_tool(name: &str, t: &ServedTool) -> Tool {
    let schema = match &t.input_schema {
        Some(Value::Object(m)) => m.clone(),
        _ => JsonObject::from_iter([("type".to_string(), json!("object"))]),
    };
    let annotations = ToolAnnotations::new()
        .read_only(godconfig_sentinel::stubs::read_only(&t.scope, t.gated))
        .destructive(t.gated);
    let meta = MetaObject(JsonObject::from_iter([
        ("godconfig/connector".to_string(), json!(t.connector)),
        ("godconfig/scope".to_string(), json!(t.scope)),
        ("godconfig/firearm_type".to_string(), json!(t.firearm_type)),
        ("godconfig/policy".to_string(), json!(t.policy)),
    ]));
    Tool::new(
        name.to_string(),
        t.description.clone().unwrap_or_default(),
        Arc::new(schema),
    )
    .with_annotations(annotations)
    .with_meta(meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served(connector: &str, operation: &str, gated: bool, policy: Policy) -> ServedTool {
        ServedTool {
            connector: connector.into(),
            operation: operation.into(),
            description: Some(format!("{operation} things")),
            input_schema: Some(json!({"type": "object", "properties": {"id": {"type": "string"}}})),
            scope: if gated { "write_things" } else { "read_things" }.into(),
            gated,
            firearm_type: gated.then(|| "send_message".to_string()),
            policy,
            policy_set: false,
            fingerprint: format!("fp-{connector}"),
        }
    }

    #[test]
    fn blocked_tools_are_absent_and_the_rest_are_named_and_annotated() {
        let c = Catalog::build(vec![
            served("shop", "list_orders", false, Policy::Allow),
            served("shop", "refund", true, Policy::Ask),
            served("shop", "wipe", true, Policy::Block),
        ]);
        let names: Vec<&str> = c.tools.iter().map(|t| t.name.as_ref()).collect();
        assert_eq!(names, ["shop__list_orders", "shop__refund"]);
        let refund = &c.tools[1];
        let a = refund.annotations.as_ref().unwrap();
        assert_eq!(a.destructive_hint, Some(true));
        assert_eq!(a.read_only_hint, Some(false));
        let meta = refund.meta.as_ref().unwrap();
        assert_eq!(
            meta.0.get("godconfig/firearm_type"),
            Some(&json!("send_message"))
        );
        assert_eq!(
            c.tools[0].annotations.as_ref().unwrap().read_only_hint,
            Some(true)
        );
        assert!(c.get("shop__wipe").is_none());
        assert_eq!(c.fingerprint_of("shop"), Some("fp-shop"));
    }

    #[test]
    fn two_connectors_spelling_one_name_serve_neither() {
        let c = Catalog::build(vec![
            served("a__b", "c", false, Policy::Allow),
            served("a", "b__c", false, Policy::Allow),
            served("a", "d", false, Policy::Allow),
        ]);
        let names: Vec<&str> = c.tools.iter().map(|t| t.name.as_ref()).collect();
        assert_eq!(names, ["a__d"]);
    }

    #[test]
    fn a_policy_change_that_unlists_a_tool_is_a_change() {
        let before = Catalog::build(vec![served("s", "x", false, Policy::Allow)]);
        let same = Catalog::build(vec![served("s", "x", false, Policy::Allow)]);
        let after = Catalog::build(vec![served("s", "x", false, Policy::Block)]);
        assert!(before.same_as(&same));
        assert!(!before.same_as(&after));
    }
}
