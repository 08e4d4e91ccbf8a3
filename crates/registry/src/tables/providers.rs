//! `connector_providers`: a connector's status as review changes it.

use crate::db::{query, Conn};
use crate::error::{RegistryError as E, Result};
use crate::model::Status;
use crate::tables::audit_log;
use serde_json::json;

pub(crate) async fn set_status(
    conn: &mut Conn<'_>,
    slug: &str,
    status: Status,
    reason: Option<&str>,
) -> Result<()> {
    query(
        "UPDATE connector_providers SET status = $1, is_approved = $2, status_reason = $3 \
         WHERE slug = $4",
    )
    .bind(status.as_str())
    .bind(status == Status::Approved)
    .bind(reason)
    .bind(slug)
    .execute(conn.reborrow())
    .await
    .map_err(E::db("changing a connector's status"))?;
    Ok(())
}

/// Approved connectors whose operator data changed what approval relied on go back to draft,
/// each with its own audit entry (`action`) and `reason`. Returns them sorted.
pub(crate) async fn back_to_draft(
    conn: &mut Conn<'_>,
    actor: &str,
    mut slugs: Vec<String>,
    action: &str,
    reason: &str,
) -> Result<Vec<String>> {
    slugs.sort();
    slugs.dedup();
    for slug in &slugs {
        set_status(conn, slug, Status::Draft, Some(reason)).await?;
        let detail = json!({ "reason": reason });
        let change = (Status::Approved, Status::Draft);
        audit_log::append_status(conn, actor, action, slug, detail, change).await?;
    }
    Ok(slugs)
}
