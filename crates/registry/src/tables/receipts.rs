//! A receipt for every tool call through the gateway: one `mcp.call` entry in the hash-chained
//! audit log, whatever the outcome.

use crate::error::{RegistryError as E, Result};
use crate::gateway::Receipt;
use crate::review::AuditEntry;
use crate::store::Registry;
use crate::tables::audit_log::{self, NewEntry};

/// The audit action of a receipt.
pub const CALL_ACTION: &str = "mcp.call";

impl Registry {
    /// Appends the receipt of one call; `actor` is who ran the gateway (in team mode the
    /// database replaces it with the session's login).
    pub async fn record_call(&self, receipt: &Receipt, actor: &str) -> Result<()> {
        let op = "writing a call's receipt";
        let detail = serde_json::to_value(receipt).map_err(|e| E::Database {
            op,
            reason: e.to_string(),
        })?;
        let mut tx = self.db().begin_write().await?;
        let entry = NewEntry {
            actor,
            action: CALL_ACTION,
            slug: Some(receipt.connector.as_str()).filter(|s| !s.is_empty()),
            detail: Some(detail),
            before: None,
            after: None,
        };
        audit_log::append(&mut tx.conn(), entry).await?;
        tx.commit(op).await
    }

    /// The newest receipts, newest first.
    pub async fn recent_calls(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        self.audit_of(None, Some(CALL_ACTION), limit).await
    }
}
