//! The audit log's CSV export: the whole filtered log, written where the user chose.

use crate::error::{AppError, Result};
use crate::workspace::Workspace;
use godconfig_registry::audit_csv;
use std::path::Path;

/// Writes every entry (of `slug` and `action`, or all) to `path` as CSV.
pub async fn export_csv(
    ws: &Workspace,
    (slug, action): (Option<&str>, Option<&str>),
    path: &Path,
) -> Result<()> {
    let entries = ws.registry.audit_of(slug, action, i64::MAX).await?;
    std::fs::write(path, audit_csv(&entries)).map_err(|e| AppError::cannot_write(path, e))
}
