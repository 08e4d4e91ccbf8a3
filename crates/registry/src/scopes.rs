//! The scope manager's rules: gating overrides, firearm types and gate suggestions. Pure
//! functions; the stores gather the current rows, call `plan`, and write what it returns.

use crate::error::{RegistryError as E, Result};
use crate::model::Status;
pub use crate::slug_registry::EntryState;
use crate::slug_registry::Kind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One scope as the scope manager shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScopeRow {
    pub connector: String,
    pub connector_status: Status,
    pub name: String,
    pub description: Option<String>,
    /// As the manifest declares it.
    pub declared_gated: bool,
    /// As an admin set it, if they did; the sentinel never writes it.
    pub gating_override: Option<bool>,
    pub effective_gated: bool,
    pub firearm_type: Option<String>,
    pub reason: Option<String>,
    pub changed_by: Option<String>,
    pub changed_at: Option<DateTime<Utc>>,
    /// Compare-and-set: a change names the version it was based on.
    pub version: i64,
    pub suggestion_dismissed: bool,
    /// The open gate suggestion, as `suggestion()` computes it at load time.
    pub suggestion: Option<Suggestion>,
}

impl ScopeRow {
    /// The override disagrees with the manifest.
    pub fn disagrees(&self) -> bool {
        self.gating_override
            .is_some_and(|o| o != self.declared_gated)
    }

    /// A gate suggestion that is still open (not gated, not dismissed).
    pub fn suggestion(&self) -> Option<Suggestion> {
        if self.effective_gated || self.suggestion_dismissed {
            return None;
        }
        suggest(&self.name)
    }
}

/// "This scope looks dangerous": the word that matched, and the type it most likely needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Suggestion {
    pub keyword: &'static str,
    pub firearm_type: &'static str,
}

/// Words in a scope name that suggest a firearm, in the order they are tried.
const SUGGEST: [(&str, &str); 7] = [
    ("payment", "moves_money"),
    ("refund", "moves_money"),
    ("delete", "deletes_data"),
    ("send", "sends_messages"),
    ("admin", "full_access"),
    ("manage", "changes_permissions"),
    ("write", "writes_data"),
];

/// Matches whole words of the name, or words that start or end with the keyword (`payments`,
/// `readwrite`), so `tagmanager.readonly` is not taken for `manage`.
pub fn suggest(scope: &str) -> Option<Suggestion> {
    let lower = scope.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    SUGGEST
        .iter()
        .find(|(word, _)| {
            words
                .iter()
                .any(|w| w.starts_with(word) || w.ends_with(word))
        })
        .map(|(keyword, firearm_type)| Suggestion {
            keyword,
            firearm_type,
        })
}

/// Which scopes a filter keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum GatingFilter {
    Gated,
    Ungated,
    /// Gated without a firearm type: what blocks approval.
    MissingType,
    Suggested,
    /// Override and manifest disagree.
    Overridden,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScopeFilter {
    pub connector: Option<String>,
    pub gating: Option<GatingFilter>,
    /// Case-insensitive, in connector, scope name, description and firearm type.
    pub text: Option<String>,
}

impl ScopeFilter {
    pub fn keeps(&self, r: &ScopeRow) -> bool {
        if self.connector.as_ref().is_some_and(|c| *c != r.connector) {
            return false;
        }
        let state = match self.gating {
            None => true,
            Some(GatingFilter::Gated) => r.effective_gated,
            Some(GatingFilter::Ungated) => !r.effective_gated,
            Some(GatingFilter::MissingType) => r.effective_gated && r.firearm_type.is_none(),
            Some(GatingFilter::Suggested) => r.suggestion().is_some(),
            Some(GatingFilter::Overridden) => r.disagrees(),
        };
        let text = self.text.as_deref().map(str::trim).unwrap_or("");
        state && (text.is_empty() || contains_text(r, &text.to_lowercase()))
    }
}

fn contains_text(r: &ScopeRow, needle: &str) -> bool {
    [
        Some(r.connector.as_str()),
        Some(r.name.as_str()),
        r.description.as_deref(),
        r.firearm_type.as_deref(),
    ]
    .into_iter()
    .flatten()
    .any(|h| h.to_lowercase().contains(needle))
}

/// One scope named by a change, with the version the admin saw.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScopeRef {
    pub connector: String,
    pub scope: String,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum GatingOp {
    /// Requires a firearm; optionally sets the type at the same time.
    Gate { firearm_type: Option<String> },
    /// No firearm; clears the type. Needs a reason where the manifest declares the scope gated.
    Ungate,
    /// Sets (or with `None` clears) the firearm type of gated scopes.
    SetType { firearm_type: Option<String> },
    /// Dismisses a gate suggestion.
    Dismiss,
}

impl GatingOp {
    pub fn audit_action(&self) -> &'static str {
        match self {
            GatingOp::Gate { .. } => "scopes.gated",
            GatingOp::Ungate => "scopes.ungated",
            GatingOp::SetType {
                firearm_type: Some(_),
            } => "scopes.type_set",
            GatingOp::SetType { firearm_type: None } => "scopes.type_cleared",
            GatingOp::Dismiss => "scopes.suggestion_dismissed",
        }
    }

    fn firearm_type(&self) -> Option<&str> {
        match self {
            GatingOp::Gate { firearm_type } | GatingOp::SetType { firearm_type } => {
                firearm_type.as_deref()
            }
            _ => None,
        }
    }
}

/// A batch: one confirmation, one audit entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct GatingChange {
    pub op: GatingOp,
    pub scopes: Vec<ScopeRef>,
    pub reason: Option<String>,
}

impl GatingChange {
    /// The reason given, trimmed; none if blank.
    pub fn reason(&self) -> Option<&str> {
        (self.reason.as_deref())
            .map(str::trim)
            .filter(|r| !r.is_empty())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct GatingOutcome {
    /// Scopes whose gating actually changed (a scope already in the target state is skipped).
    pub changed: u32,
    pub unchanged: u32,
    /// Approved connectors this change sent back to review.
    pub sent_back: Vec<String>,
    /// Connectors whose effective gating changed (their `mcp.py` needs regenerating).
    pub regated: Vec<String>,
}

/// The operator-owned part of a scope's gating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GatingValue {
    pub gating_override: Option<bool>,
    pub firearm_type: Option<String>,
    pub dismissed: bool,
}

impl GatingValue {
    pub fn of(r: &ScopeRow) -> GatingValue {
        GatingValue {
            gating_override: r.gating_override,
            firearm_type: r.firearm_type.clone(),
            dismissed: r.suggestion_dismissed,
        }
    }
}

/// One scope's planned change.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned<'a> {
    pub row: &'a ScopeRow,
    pub after: GatingValue,
}

impl Planned<'_> {
    pub fn effective_after(&self) -> bool {
        self.after
            .gating_override
            .unwrap_or(self.row.declared_gated)
    }

    /// Changes what the connector may do (gating, or the type of a gated scope).
    pub fn changes_risk(&self) -> bool {
        let gated = self.effective_after();
        gated != self.row.effective_gated
            || (gated && self.after.firearm_type != self.row.firearm_type)
    }
}

/// Approved connectors whose risk a planned change alters: they go back to review.
pub fn sent_back(planned: &[Planned<'_>]) -> Vec<String> {
    (planned.iter())
        .filter(|p| p.changes_risk() && p.row.connector_status == Status::Approved)
        .map(|p| p.row.connector.clone())
        .collect()
}

/// Connectors whose effective gating a planned change alters (their `mcp.py` is regenerated),
/// sorted, once each.
pub fn regated(planned: &[Planned<'_>]) -> Vec<String> {
    let mut out: Vec<String> = (planned.iter())
        .filter(|p| p.effective_after() != p.row.effective_gated)
        .map(|p| p.row.connector.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Validates a batch against the current rows (`current[i]` is the row of `change.scopes[i]`,
/// `None` if no such scope) and the type registry, and says what to write. Errors change nothing.
pub fn plan<'a>(
    change: &GatingChange,
    current: &[Option<&'a ScopeRow>],
    types: &[EntryState<'_>],
    known_scopes: impl Fn(&str) -> Vec<String>,
) -> Result<Vec<Planned<'a>>> {
    if change.scopes.is_empty() {
        return Err(E::EmptySelection);
    }
    if let Some(t) = change.op.firearm_type() {
        let entries = types.iter().map(|s| (s.slug, s.retired));
        Kind::FirearmType.pick(t, entries, false)?;
    }
    let mut rows = Vec::with_capacity(current.len());
    let mut stale = Vec::new();
    for (r, row) in change.scopes.iter().zip(current) {
        let Some(row) = row else {
            let known = known_scopes(&r.connector);
            return Err(E::UnknownScope {
                connector: r.connector.clone(),
                scope: r.scope.clone(),
                did_you_mean: did_you_mean(&r.scope, known.iter().map(String::as_str)),
            });
        };
        if row.version != r.version {
            stale.push(format!("{}/{}", r.connector, r.scope));
        }
        rows.push(*row);
    }
    if !stale.is_empty() {
        return Err(E::Conflict { what: stale });
    }
    let reason = change.reason.as_deref().map(str::trim).unwrap_or("");
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if !seen.insert((&row.connector, &row.name)) {
            continue;
        }
        let mut after = GatingValue::of(row);
        match &change.op {
            GatingOp::Gate { firearm_type } => {
                after.gating_override = Some(true);
                if firearm_type.is_some() {
                    after.firearm_type = firearm_type.clone();
                }
            }
            GatingOp::Ungate => {
                if row.declared_gated && reason.is_empty() {
                    return Err(E::UngateReasonRequired {
                        scope: format!("{}/{}", row.connector, row.name),
                    });
                }
                after.gating_override = Some(false);
                after.firearm_type = None;
                // Ungating is a decision about this scope: its suggestion would only nag.
                after.dismissed = true;
            }
            GatingOp::SetType { firearm_type } => {
                if firearm_type.is_some() && !row.effective_gated {
                    return Err(E::NotGated {
                        scope: format!("{}/{}", row.connector, row.name),
                    });
                }
                after.firearm_type = firearm_type.clone();
            }
            GatingOp::Dismiss => after.dismissed = true,
        }
        out.push(Planned { row, after });
    }
    Ok(out)
}

fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    godconfig_manifest::diagnostic::did_you_mean(word, candidates).map(str::to_string)
}

#[cfg(test)]
#[path = "scopes_tests.rs"]
mod tests;
