//! The KPI mapper: platform metrics with their mappings, mapping changes, coverage, and the
//! core-KPI registry.

use super::AppState;
use crate::error::{ipc, registry, CmdResult};
use godconfig_registry::kpis::ConnectorCoverage;
use godconfig_registry::{CoreKpi, CoreKpiOp, MappingChange, MappingOutcome, MetricRow};

/// Every metric of one connector, or of all of them, with its mapping.
#[tauri::command]
#[specta::specta]
pub async fn kpi_metrics(
    app: AppState<'_>,
    connector: Option<String>,
) -> CmdResult<Vec<MetricRow>> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry
        .metrics(connector.as_deref())
        .await
        .map_err(registry)
}

/// One drop, one undo or one "not a KPI": one transaction and one audit entry.
#[tauri::command]
#[specta::specta]
pub async fn change_mapping(app: AppState<'_>, change: MappingChange) -> CmdResult<MappingOutcome> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry
        .change_mapping(&change, &app.reviewer())
        .await
        .map_err(registry)
}

/// Maps every open metric of a connector to its suggested KPI; the versions returned undo it.
#[tauri::command]
#[specta::specta]
pub async fn accept_suggestions(app: AppState<'_>, connector: String) -> CmdResult<MappingOutcome> {
    let ws = app.workspace().await.map_err(ipc)?;
    godconfig_desktop::kpis::accept_suggestions(&ws, &connector, &app.reviewer())
        .await
        .map_err(ipc)
}

/// One row per connector: metrics settled and the core KPIs it feeds.
#[tauri::command]
#[specta::specta]
pub async fn kpi_coverage(app: AppState<'_>) -> CmdResult<Vec<ConnectorCoverage>> {
    let ws = app.workspace().await.map_err(ipc)?;
    godconfig_desktop::kpis::coverage(&ws).await.map_err(ipc)
}

#[tauri::command]
#[specta::specta]
pub async fn core_kpis(app: AppState<'_>) -> CmdResult<Vec<CoreKpi>> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry.core_kpis().await.map_err(registry)
}

/// Add, edit, retire, restore or delete a core KPI; returns it as it is now (None once deleted).
#[tauri::command]
#[specta::specta]
pub async fn change_core_kpi(app: AppState<'_>, op: CoreKpiOp) -> CmdResult<Option<CoreKpi>> {
    let ws = app.workspace().await.map_err(ipc)?;
    ws.registry
        .change_core_kpi(&op, &app.reviewer())
        .await
        .map_err(registry)
}
