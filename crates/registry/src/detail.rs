//! Everything a reviewer looks at for one connector.

use crate::diff::ConnectorDiff;
use crate::files::FileRef;
use crate::model::Status;
use crate::review::{Approval, Gate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScopeView {
    pub name: String,
    pub description: Option<String>,
    /// As the manifest declares it.
    pub declared_gated: bool,
    /// As an operator set it, if they did.
    pub gating_override: Option<bool>,
    pub effective_gated: bool,
    pub firearm_type: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MetricView {
    pub raw: String,
    pub description: Option<String>,
    /// The core KPI the manifest suggests.
    pub standard: Option<String>,
    pub core_kpi: Option<String>,
    pub not_a_kpi: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OperationView {
    pub name: String,
    pub scope: String,
    pub description: Option<String>,
    /// sha256 of the tool's definition (`tools::tool_hash`).
    pub hash: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConnectorDetail {
    pub slug: String,
    pub display_name: String,
    pub version: Option<String>,
    pub description: Option<String>,
    pub docs_url: Option<String>,
    pub auth_method: Option<String>,
    pub status: Status,
    pub status_reason: Option<String>,
    pub manifest_hash: String,
    /// Over every hand-written file of the folder: what an approval binds.
    pub fingerprint: String,
    /// Those files, as the last sync registered them.
    pub files: Vec<FileRef>,
    pub manifest_path: String,
    pub mcp_path: String,
    pub scopes: Vec<ScopeView>,
    pub metrics: Vec<MetricView>,
    pub utm_capabilities: Vec<String>,
    pub operations: Vec<OperationView>,
    /// Vault account names of the secrets the manifest requires (`PROVIDER_{SLUG}_{KEY}`).
    pub secrets: Vec<String>,
    /// The latest approval. It stays when a risky change sends the connector back to review
    /// (the status then says draft), and goes on revoke.
    pub approval: Option<Approval>,
    /// For a connector back in review after an approval: what changed since the approved version.
    pub changes_since_approval: Option<ConnectorDiff>,
    pub gate: Gate,
    /// Why the manifest on disk was rejected by the last sync (empty when it is valid).
    pub problems: Vec<ProblemView>,
}

/// One diagnostic of a rejected manifest, as the last sync recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProblemView {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub code: String,
    pub message: String,
    pub hint: String,
}

/// One line of the review queue: enough to sort, filter and bulk-approve without opening the
/// connector.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct QueueRow {
    pub slug: String,
    pub display_name: String,
    pub status: Status,
    pub status_reason: Option<String>,
    pub manifest_hash: String,
    pub fingerprint: String,
    pub scopes: i64,
    /// Scopes gated in effect (declared or by an operator).
    pub gated: i64,
    pub metrics: i64,
    /// Metrics mapped to a core KPI or marked "not a KPI".
    pub metrics_mapped: i64,
    /// How many items the approval gate still misses (0: ready to approve).
    pub missing: i64,
}
