//! Which scopes a gating change names, resolved against the scopes just read: named ones, or
//! every scope a filter keeps. Any front end that lets a person pick scopes by name uses it.

use crate::scopes::{ScopeFilter, ScopeRef, ScopeRow};
use std::collections::HashSet;

/// The scopes a change names, with the versions just read (compare-and-set).
#[derive(Debug, Default)]
pub struct Selected {
    pub refs: Vec<ScopeRef>,
    /// The rows of the scopes found, in the order named.
    pub rows: Vec<ScopeRow>,
    /// A named scope does not exist: its ref has version 0, and the change refuses the whole
    /// batch with a did-you-mean (`scopes::plan`), so there is nothing to confirm.
    pub unknown: bool,
}

impl Selected {
    /// `names` of `connector` in the order given, each once; with no names, every row of `all`
    /// that `filter` keeps.
    pub fn resolve(
        all: Vec<ScopeRow>,
        connector: Option<&str>,
        names: &[String],
        filter: &ScopeFilter,
    ) -> Selected {
        if names.is_empty() {
            let rows: Vec<ScopeRow> = all.into_iter().filter(|r| filter.keeps(r)).collect();
            let refs = rows.iter().map(scope_ref).collect();
            return Selected {
                refs,
                rows,
                unknown: false,
            };
        }
        let mut out = Selected::default();
        let mut seen = HashSet::new();
        for name in names.iter().filter(|n| seen.insert(n.as_str())) {
            let found = all
                .iter()
                .find(|r| r.name == *name && connector.is_none_or(|c| r.connector == c));
            match found {
                Some(r) => {
                    out.refs.push(scope_ref(r));
                    out.rows.push(r.clone());
                }
                None => {
                    out.unknown = true;
                    out.refs.push(ScopeRef {
                        connector: connector.unwrap_or_default().to_string(),
                        scope: name.clone(),
                        version: 0,
                    });
                }
            }
        }
        out
    }
}

fn scope_ref(r: &ScopeRow) -> ScopeRef {
    ScopeRef {
        connector: r.connector.clone(),
        scope: r.name.clone(),
        version: r.version,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;
    use crate::scopes::GatingFilter;

    fn row(connector: &str, name: &str, gated: bool, version: i64) -> ScopeRow {
        ScopeRow {
            connector: connector.into(),
            connector_status: Status::Draft,
            name: name.into(),
            description: None,
            declared_gated: gated,
            gating_override: None,
            effective_gated: gated,
            firearm_type: None,
            reason: None,
            changed_by: None,
            changed_at: None,
            version,
            suggestion_dismissed: false,
            suggestion: None,
        }
    }

    fn all() -> Vec<ScopeRow> {
        vec![
            row("shop", "orders", false, 2),
            row("shop", "refunds", true, 0),
        ]
    }

    #[test]
    fn named_scopes_keep_their_order_and_version_once_each() {
        let names = ["refunds", "orders", "refunds"].map(String::from);
        let s = Selected::resolve(all(), Some("shop"), &names, &ScopeFilter::default());
        let got: Vec<_> = s
            .refs
            .iter()
            .map(|r| (r.scope.as_str(), r.version))
            .collect();
        assert_eq!(got, [("refunds", 0), ("orders", 2)]);
        assert_eq!(s.rows.len(), 2);
        assert!(!s.unknown);
    }

    #[test]
    fn an_unknown_name_is_kept_for_the_change_to_refuse() {
        let names = ["ordres".to_string()];
        let s = Selected::resolve(all(), Some("shop"), &names, &ScopeFilter::default());
        assert!(s.unknown && s.rows.is_empty());
        assert_eq!(s.refs[0].connector, "shop");
        assert_eq!(s.refs[0].version, 0);
    }

    #[test]
    fn without_names_the_filter_selects() {
        let filter = ScopeFilter {
            gating: Some(GatingFilter::Gated),
            ..Default::default()
        };
        let s = Selected::resolve(all(), None, &[], &filter);
        let names: Vec<_> = s.rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["refunds"]);
    }
}
