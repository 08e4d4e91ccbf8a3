//! The scope manager's one app-side step beyond the registry: a gating change that moves what
//! a connector may do regenerates its `mcp.py` at once, so the stub never lags the registry.

use crate::error::{AppError, ErrorCode, Result};
use crate::workspace::Workspace;
use godconfig_registry::{GatingChange, GatingOutcome};
use godconfig_sentinel::flows;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct GatingResult {
    pub outcome: GatingOutcome,
    /// `mcp.py` files rewritten to match the new gating.
    pub stubs_refreshed: u32,
    /// The change is committed, but a stub could not be rewritten (the next sync retries).
    pub stub_warning: Option<ErrorCode>,
}

pub async fn change_gating(
    ws: &Workspace,
    change: &GatingChange,
    actor: &str,
) -> Result<GatingResult> {
    let dir = Some(ws.connectors_dir.as_path());
    let gated = flows::change_gating(dir, &ws.registry, change, actor).await?;
    let (mut stubs_refreshed, mut stub_warning) = (0, None);
    match gated.stubs {
        Ok(written) => stubs_refreshed = written.len() as u32,
        Err(e) => {
            let e = AppError::from(e);
            tracing::warn!(code = %e.code(), "gating committed, stub not refreshed: {e}");
            stub_warning = Some(e.to_ipc());
        }
    }
    Ok(GatingResult {
        outcome: gated.outcome,
        stubs_refreshed,
        stub_warning,
    })
}
