//! The approval gate and the operator's review actions. The rules are pure functions here; the
//! stores only gather the facts and apply the result, so the CLI and the app cannot disagree.

use crate::error::{RegistryError, Result};
use crate::model::Status;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One thing that keeps a connector from being approved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Missing {
    /// The manifest on disk was rejected by the last sync (the registered version is older).
    InvalidManifest {
        problems: usize,
    },
    GatedScopeWithoutType {
        scope: String,
    },
    UnmappedMetric {
        metric: String,
    },
}

impl Missing {
    pub fn describe(&self) -> String {
        match self {
            Missing::InvalidManifest { problems } => {
                format!("the files on disk are invalid ({problems} problem(s) in manifest.yaml or service.py); the registered version is older")
            }
            Missing::GatedScopeWithoutType { scope } => {
                format!("gated scope `{scope}` has no firearm type")
            }
            Missing::UnmappedMetric { metric } => {
                format!(
                    "metric `{metric}` is neither mapped to a core KPI nor marked \"not a KPI\""
                )
            }
        }
    }

    /// Where it is fixed.
    pub fn fix(&self, slug: &str) -> String {
        match self {
            Missing::InvalidManifest { .. } => {
                format!("run `sentinel check` and fix connectors/{slug}/manifest.yaml, then `sentinel sync`")
            }
            Missing::GatedScopeWithoutType { scope } => format!(
                "give it a firearm type in the scope manager (app: Scopes; CLI: `sentinel scopes set-type --connector {slug} '{scope}' --type TYPE`)"
            ),
            Missing::UnmappedMetric { .. } => {
                "map it, or mark it \"not a KPI\", in the KPI mapper".to_string()
            }
        }
    }
}

/// The facts the gate looks at, gathered by a store.
#[derive(Debug, Clone, Default)]
pub struct GateFacts {
    pub problems: usize,
    /// Scopes gated in effect, with their firearm type if any.
    pub gated: Vec<(String, Option<String>)>,
    /// Platform metrics, and whether each is mapped or marked "not a KPI".
    pub metrics: Vec<(String, bool)>,
}

/// Everything missing for an approval, in a stable order: manifest, scopes, metrics.
pub fn missing(facts: &GateFacts) -> Vec<Missing> {
    let mut out = Vec::new();
    if facts.problems > 0 {
        out.push(Missing::InvalidManifest {
            problems: facts.problems,
        });
    }
    out.extend(
        facts
            .gated
            .iter()
            .filter(|(_, t)| t.is_none())
            .map(|(s, _)| Missing::GatedScopeWithoutType { scope: s.clone() }),
    );
    out.extend(
        facts
            .metrics
            .iter()
            .filter(|(_, ok)| !ok)
            .map(|(m, _)| Missing::UnmappedMetric { metric: m.clone() }),
    );
    out
}

/// How many items `missing` would list, from counts (the queue aggregates them in SQL): a
/// manifest with problems counts once, like its one `InvalidManifest` item.
pub fn missing_count(problem_rows: i64, untyped_gated: i64, unmapped_metrics: i64) -> i64 {
    problem_rows.min(1) + untyped_gated + unmapped_metrics
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Gate {
    pub slug: String,
    pub status: Status,
    pub manifest_hash: String,
    /// Over every hand-written file of the folder: what an approval binds.
    pub fingerprint: String,
    pub missing: Vec<Missing>,
}

impl Gate {
    pub fn passes(&self) -> bool {
        self.missing.is_empty()
    }
}

/// The review actions and the statuses they start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Approve,
    Reject,
    Revoke,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Revoke => "revoke",
        }
    }

    /// The status an action leads to, or None when it does not apply to `from`.
    pub fn transition(self, from: Status) -> Option<Status> {
        match (self, from) {
            (Action::Approve, Status::Draft | Status::Rejected) => Some(Status::Approved),
            (Action::Reject, Status::Draft) => Some(Status::Rejected),
            (Action::Revoke, Status::Approved) => Some(Status::Draft),
            _ => None,
        }
    }
}

/// A request to approve one connector, optionally pinned to the manifest hash and the
/// fingerprint of the files the operator saw.
#[derive(Debug, Clone, Default)]
pub struct ApproveRequest {
    pub slug: String,
    pub expected_hash: Option<String>,
    pub expected_fingerprint: Option<String>,
}

impl Action {
    /// The audit log's name for it.
    pub fn audit_action(self) -> &'static str {
        match self {
            Action::Approve => "operator.approved",
            Action::Reject => "operator.rejected",
            Action::Revoke => "operator.revoked",
        }
    }
}

/// An approval may go ahead: the status allows it, and the registered manifest is the one the
/// operator saw (when they pinned it). The gate itself is judged by `Gate::passes`.
pub(crate) fn check_approvable(slug: &str, gate: &Gate, r: &ApproveRequest) -> Result<()> {
    if Action::Approve.transition(gate.status).is_none() {
        return Err(RegistryError::WrongStatus {
            slug: slug.to_string(),
            action: Action::Approve.as_str(),
            status: gate.status.as_str(),
        });
    }
    if let Some(expected) = r
        .expected_hash
        .as_deref()
        .filter(|e| *e != gate.manifest_hash)
    {
        return Err(RegistryError::HashMismatch {
            slug: slug.to_string(),
            expected: expected.to_string(),
            actual: gate.manifest_hash.clone(),
        });
    }
    match r.expected_fingerprint.as_deref() {
        Some(expected) if expected != gate.fingerprint => Err(RegistryError::FilesChanged {
            slug: slug.to_string(),
            expected: expected.to_string(),
            actual: gate.fingerprint.clone(),
        }),
        _ => Ok(()),
    }
}

/// A reject or a revoke needs a reason; the reason, trimmed.
pub(crate) fn check_reason(action: Action, reason: &str) -> Result<&str> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(RegistryError::ReasonRequired {
            action: action.as_str(),
        });
    }
    Ok(reason)
}

/// The status a reject or a revoke leads to from `from` (approving goes through `approve`).
pub(crate) fn decision(slug: &str, action: Action, from: Status) -> Result<Status> {
    (action.transition(from))
        .filter(|_| action != Action::Approve)
        .ok_or(RegistryError::WrongStatus {
            slug: slug.to_string(),
            action: action.as_str(),
            status: from.as_str(),
        })
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Approval {
    pub slug: String,
    pub approved_by: String,
    pub approved_at: DateTime<Utc>,
    pub manifest_hash: String,
    /// The files approved (empty for an approval from before fingerprints).
    pub fingerprint: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub provider_slug: Option<String>,
    pub detail: Option<serde_json::Value>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_lists_everything_missing_in_order() {
        let facts = GateFacts {
            problems: 2,
            gated: vec![
                ("write".into(), None),
                ("delete".into(), Some("deletes_data".into())),
            ],
            metrics: vec![("sales".into(), true), ("visits".into(), false)],
        };
        assert_eq!(
            missing(&facts),
            [
                Missing::InvalidManifest { problems: 2 },
                Missing::GatedScopeWithoutType {
                    scope: "write".into()
                },
                Missing::UnmappedMetric {
                    metric: "visits".into()
                },
            ]
        );
        assert!(missing(&GateFacts::default()).is_empty());
        // The queue's count agrees with the list: 1 (manifest) + 1 (scope) + 1 (metric).
        assert_eq!(missing_count(1, 1, 1), missing(&facts).len() as i64);
        assert_eq!(missing_count(0, 0, 0), 0);
    }

    #[test]
    fn approving_needs_the_right_status_and_the_files_the_operator_saw() {
        let gate = |status| Gate {
            slug: "s".into(),
            status,
            manifest_hash: "h1".into(),
            fingerprint: "f1".into(),
            missing: vec![],
        };
        let req = |hash: Option<&str>, fp: Option<&str>| ApproveRequest {
            slug: "s".into(),
            expected_hash: hash.map(String::from),
            expected_fingerprint: fp.map(String::from),
        };
        assert!(check_approvable("s", &gate(Status::Draft), &req(None, None)).is_ok());
        let seen = req(Some("h1"), Some("f1"));
        assert!(check_approvable("s", &gate(Status::Rejected), &seen).is_ok());
        let wrong = check_approvable("s", &gate(Status::Approved), &req(None, None)).unwrap_err();
        assert!(matches!(
            wrong,
            RegistryError::WrongStatus {
                status: "approved",
                ..
            }
        ));
        let stale = check_approvable("s", &gate(Status::Draft), &req(Some("h0"), None));
        assert!(
            matches!(stale, Err(RegistryError::HashMismatch { ref expected, .. }) if expected == "h0")
        );
        // Same manifest, other code: the approval would not be for what was reviewed.
        let code = check_approvable("s", &gate(Status::Draft), &req(Some("h1"), Some("f0")));
        assert!(
            matches!(code, Err(RegistryError::FilesChanged { ref actual, .. }) if actual == "f1")
        );
    }

    #[test]
    fn deciding_needs_a_reason_and_never_approves() {
        assert_eq!(check_reason(Action::Reject, "  dup  ").unwrap(), "dup");
        let none = check_reason(Action::Revoke, " \n").unwrap_err();
        assert!(matches!(
            none,
            RegistryError::ReasonRequired { action: "revoke" }
        ));
        assert_eq!(
            decision("s", Action::Reject, Status::Draft).unwrap(),
            Status::Rejected
        );
        assert_eq!(
            decision("s", Action::Revoke, Status::Approved).unwrap(),
            Status::Draft
        );
        assert!(decision("s", Action::Approve, Status::Draft).is_err());
        assert!(decision("s", Action::Revoke, Status::Draft).is_err());
    }

    #[test]
    fn actions_apply_only_from_their_statuses() {
        assert_eq!(
            Action::Approve.transition(Status::Draft),
            Some(Status::Approved)
        );
        assert_eq!(Action::Approve.transition(Status::Removed), None);
        assert_eq!(Action::Approve.transition(Status::Approved), None);
        assert_eq!(Action::Reject.transition(Status::Approved), None);
        assert_eq!(
            Action::Revoke.transition(Status::Approved),
            Some(Status::Draft)
        );
        assert_eq!(Action::Revoke.transition(Status::Draft), None);
    }
}
