//! What changed between two versions of a manifest, and whether the change raises the risk.
//! Pure functions: the store calls them inside its write transaction.

use godconfig_manifest::Manifest;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Names added, removed and changed in one list of a manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ListDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

impl ListDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// One connector's change, as `sync --plan` and the audit log report it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConnectorDiff {
    pub scopes: ListDiff,
    pub metrics: ListDiff,
    pub operations: ListDiff,
    /// Hand-written files of the connector folder (`service.py`, `README.md`, the manifest…).
    pub files: ListDiff,
    /// Other fields that changed (display_name, auth, secrets, utm_capabilities, ...).
    pub fields: Vec<String>,
    /// Why the change raises the connector's risk; empty for cosmetic changes.
    pub risk: Vec<String>,
}

pub(crate) fn diff_by<T: PartialEq>(old: &[T], new: &[T], key: impl Fn(&T) -> &str) -> ListDiff {
    let o: BTreeMap<&str, &T> = old.iter().map(|x| (key(x), x)).collect();
    let n: BTreeMap<&str, &T> = new.iter().map(|x| (key(x), x)).collect();
    ListDiff {
        added: n
            .keys()
            .filter(|k| !o.contains_key(*k))
            .map(|k| k.to_string())
            .collect(),
        removed: o
            .keys()
            .filter(|k| !n.contains_key(*k))
            .map(|k| k.to_string())
            .collect(),
        changed: n
            .iter()
            .filter(|(k, v)| o.get(*k).is_some_and(|ov| ov != *v))
            .map(|(k, _)| k.to_string())
            .collect(),
    }
}

/// Compares the registered manifest with the new one. `gated` holds the scopes that are gated
/// in effect before the change (declared, or set by an operator).
pub fn diff(old: &Manifest, new: &Manifest, gated: &BTreeSet<String>) -> ConnectorDiff {
    let scopes = diff_by(&old.scopes, &new.scopes, |s| &s.name);
    let metrics = diff_by(&old.kpis, &new.kpis, |k| &k.raw);
    let operations = diff_by(&old.operations, &new.operations, |o| &o.name);
    let mut risk = Vec::new();
    for name in &scopes.added {
        risk.push(format!("scope added: {name}"));
    }
    for name in &scopes.changed {
        let (o, n) = (
            old.scope(name).expect("changed"),
            new.scope(name).expect("changed"),
        );
        if o.requires_firearm != n.requires_firearm {
            risk.push(format!(
                "requires_firearm flipped on {name}: {} -> {}",
                o.requires_firearm, n.requires_firearm
            ));
        } else if gated.contains(name) || n.requires_firearm {
            risk.push(format!("gated scope changed: {name}"));
        }
    }
    for name in &operations.added {
        risk.push(format!("operation added: {name}"));
    }
    for name in &operations.changed {
        let scope_of = |m: &Manifest| {
            m.operations
                .iter()
                .find(|o| &o.name == name)
                .map(|o| o.scope.clone())
        };
        if scope_of(old) != scope_of(new) {
            risk.push(format!(
                "operation {name} now uses scope {}",
                scope_of(new).unwrap_or_default()
            ));
        }
    }
    for name in &metrics.added {
        risk.push(format!("metric added: {name}"));
    }
    if old.auth != new.auth {
        risk.push("auth changed".to_string());
    }
    let mut fields = Vec::new();
    let mut field = |name: &str, changed: bool| {
        if changed {
            fields.push(name.to_string());
        }
    };
    field("display_name", old.display_name != new.display_name);
    field("version", old.version != new.version);
    field("description", old.description != new.description);
    field("docs_url", old.docs_url != new.docs_url);
    field("auth", old.auth != new.auth);
    field("secrets", old.secrets != new.secrets);
    field(
        "utm_capabilities",
        old.utm_capabilities != new.utm_capabilities,
    );
    ConnectorDiff {
        scopes,
        metrics,
        operations,
        fields,
        risk,
        ..Default::default()
    }
}

/// Everything in a manifest counts as added, for a connector seen for the first time.
pub fn added(new: &Manifest) -> ConnectorDiff {
    let names = |v: Vec<&String>| ListDiff {
        added: v.into_iter().cloned().collect(),
        ..Default::default()
    };
    let mut scopes: Vec<&String> = new.scopes.iter().map(|s| &s.name).collect();
    let mut metrics: Vec<&String> = new.kpis.iter().map(|k| &k.raw).collect();
    let mut operations: Vec<&String> = new.operations.iter().map(|o| &o.name).collect();
    // Sorted like `diff` sorts them.
    scopes.sort();
    metrics.sort();
    operations.sort();
    ConnectorDiff {
        files: ListDiff::default(),
        scopes: names(scopes),
        metrics: names(metrics),
        operations: names(operations),
        fields: Vec::new(),
        risk: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use godconfig_manifest::{Kpi, Operation, Scope};

    fn base() -> Manifest {
        Manifest {
            provider_slug: "shop".into(),
            display_name: "Shop".into(),
            version: None,
            description: None,
            docs_url: None,
            auth: None,
            secrets: vec![],
            scopes: vec![
                Scope {
                    name: "read".into(),
                    description: None,
                    requires_firearm: false,
                },
                Scope {
                    name: "write".into(),
                    description: Some("w".into()),
                    requires_firearm: true,
                },
            ],
            kpis: vec![Kpi {
                raw: "sales".into(),
                standard: None,
                description: None,
            }],
            utm_capabilities: vec![],
            operations: vec![Operation {
                name: "op".into(),
                description: None,
                scope: "read".into(),
                input_schema: None,
            }],
        }
    }

    fn gated() -> BTreeSet<String> {
        ["write".to_string()].into()
    }

    #[test]
    fn cosmetic_changes_carry_no_risk() {
        let mut new = base();
        new.display_name = "Shop!".into();
        new.description = Some("new".into());
        new.scopes[0].description = Some("reads".into());
        new.scopes.remove(1);
        let d = diff(&base(), &new, &gated());
        assert!(d.risk.is_empty(), "{d:?}");
        assert_eq!(d.scopes.removed, ["write"]);
        assert_eq!(d.scopes.changed, ["read"]);
        assert_eq!(d.fields, ["display_name", "description"]);
    }

    #[test]
    fn each_risky_change_is_named() {
        let mut new = base();
        new.scopes.push(Scope {
            name: "delete".into(),
            description: None,
            requires_firearm: false,
        });
        new.scopes[0].requires_firearm = true;
        new.scopes[1].description = Some("changed".into());
        new.operations.push(Operation {
            name: "op2".into(),
            description: None,
            scope: "read".into(),
            input_schema: None,
        });
        new.operations[0].scope = "write".into();
        new.kpis.push(Kpi {
            raw: "refunds".into(),
            standard: None,
            description: None,
        });
        let d = diff(&base(), &new, &gated());
        assert_eq!(
            d.risk,
            [
                "scope added: delete",
                "requires_firearm flipped on read: false -> true",
                "gated scope changed: write",
                "operation added: op2",
                "operation op now uses scope write",
                "metric added: refunds",
            ]
        );
    }

    #[test]
    fn operator_gating_counts_as_gated() {
        let mut new = base();
        new.scopes[0].description = Some("now described".into());
        let only_read: BTreeSet<String> = ["read".to_string()].into();
        assert_eq!(
            diff(&base(), &new, &only_read).risk,
            ["gated scope changed: read"]
        );
        assert!(diff(&base(), &new, &BTreeSet::new()).risk.is_empty());
    }

    #[test]
    fn a_new_connector_lists_everything_as_added() {
        let d = added(&base());
        assert_eq!(d.scopes.added, ["read", "write"]);
        assert_eq!(d.metrics.added, ["sales"]);
        assert!(d.risk.is_empty());
    }
}
