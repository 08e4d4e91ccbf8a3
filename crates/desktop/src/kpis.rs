//! The KPI mapper's app-side steps: "accept all suggestions" reads the rows it changes in the
//! same call (so its compare-and-set versions are current), and coverage is one row per connector
//! (the webview never receives every metric).

use crate::error::Result;
use crate::workspace::Workspace;
use godconfig_registry::kpis::{ConnectorCoverage, MappingOutcome};
use godconfig_sentinel::flows;

/// Maps every open metric of `connector` to its suggested KPI in one batch (one audit entry).
/// The outcome's versions are what an undo names.
pub async fn accept_suggestions(
    ws: &Workspace,
    connector: &str,
    actor: &str,
) -> Result<MappingOutcome> {
    Ok(flows::kpis::accept_suggestions(&ws.registry, connector, actor).await?)
}

/// Every connector's coverage (metrics settled, core KPIs fed), by slug, aggregated in SQL.
pub async fn coverage(ws: &Workspace) -> Result<Vec<ConnectorCoverage>> {
    Ok(ws.registry.coverage(None).await?)
}
