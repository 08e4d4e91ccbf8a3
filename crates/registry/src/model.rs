//! What the sentinel hands the store, and what the store reports back.

use crate::diff::ConnectorDiff;
use crate::files::FolderFile;
use godconfig_manifest::Manifest;
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Status {
    Draft,
    Approved,
    Rejected,
    Removed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::Removed => "removed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "draft" => Status::Draft,
            "approved" => Status::Approved,
            "rejected" => Status::Rejected,
            "removed" => Status::Removed,
            _ => return None,
        })
    }
}

/// A manifest that passed validation, ready to register.
#[derive(Debug, Clone)]
pub struct ValidConnector {
    pub manifest: Manifest,
    pub hash: String,
    /// Relative to the connectors folder, e.g. `shopify/manifest.yaml`.
    pub manifest_path: String,
    pub mcp_path: String,
    /// Every hand-written file of the folder (the manifest included), and their fingerprint.
    pub files: Vec<FolderFile>,
    pub fingerprint: String,
}

impl ValidConnector {
    pub fn slug(&self) -> &str {
        &self.manifest.provider_slug
    }
}

/// What the registry holds of a folder: a sync re-reads only folders where either differs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Known {
    pub manifest_hash: String,
    pub fingerprint: String,
}

#[derive(Debug, Clone, Default)]
pub struct SyncInput {
    /// Sorted by slug.
    pub valid: Vec<ValidConnector>,
    /// Every connector folder found, valid or not: a registered slug missing here is removed.
    pub present: BTreeSet<String>,
    /// Connectors whose manifest hash and fingerprint equal the registered ones: not parsed,
    /// counted unchanged.
    pub unparsed: Vec<(String, String)>,
    /// Folders whose manifest was rejected; their registered rows are left untouched.
    pub rejected: Vec<String>,
    /// The diagnostics of each rejected folder, kept in `manifest_problems` for the review gate.
    pub problems: Vec<(String, serde_json::Value)>,
    pub source_dir: String,
    pub actor: String,
    /// Set when only these folders were looked at (a watcher's incremental sync): registered
    /// connectors outside it are left as they are, whatever `present` says.
    pub only: Option<BTreeSet<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ChangeKind {
    Added,
    Changed,
    Removed,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConnectorChange {
    pub slug: String,
    pub kind: ChangeKind,
    pub status_before: Option<Status>,
    pub status_after: Status,
    pub diff: ConnectorDiff,
}

impl ConnectorChange {
    /// An approved connector whose risk changed goes back to review.
    pub fn sent_back_to_draft(&self) -> bool {
        self.status_before == Some(Status::Approved) && self.status_after == Status::Draft
    }

    /// The audit log's name for it: being sent back to review outranks the kind of change.
    pub fn audit_action(&self) -> &'static str {
        match (self.kind, self.sent_back_to_draft()) {
            (_, true) => "sync.back_to_draft",
            (ChangeKind::Added, _) => "sync.added",
            (ChangeKind::Changed, _) => "sync.changed",
            (ChangeKind::Removed, _) => "sync.removed",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncReport {
    /// None for a plan (`--plan`): nothing was written.
    pub run_id: Option<i64>,
    pub added: Vec<ConnectorChange>,
    pub changed: Vec<ConnectorChange>,
    pub removed: Vec<ConnectorChange>,
    pub unchanged: usize,
    pub rejected: Vec<String>,
}

impl SyncReport {
    pub fn has_changes(&self) -> bool {
        !(self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty())
    }
}

/// One line of `sentinel status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StatusRow {
    pub slug: String,
    pub display_name: String,
    pub status: String,
    pub scopes: i64,
    pub gated: i64,
    pub metrics: i64,
    pub manifest_hash: String,
    pub fingerprint: String,
}
