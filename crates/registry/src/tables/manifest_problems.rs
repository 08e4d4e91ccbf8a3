//! `manifest_problems`: the diagnostics of each folder the last sync rejected, for the gate.

use crate::db::{query, Arg, Conn, BATCH};
use crate::error::{RegistryError as E, Result};
use std::collections::BTreeSet;

/// The last sync's rejections replace the previous ones (of the folders it looked at, `only`
/// for an incremental sync); valid folders have none.
pub(crate) async fn replace(
    conn: &mut Conn<'_>,
    problems: &[(String, serde_json::Value)],
    only: Option<&BTreeSet<String>>,
) -> Result<()> {
    let mut q = query("DELETE FROM manifest_problems");
    if let Some(only) = only {
        if only.is_empty() {
            return Ok(());
        }
        q.push(" WHERE provider_slug IN ");
        q.push_tuple(only.iter().map(Arg::from));
    }
    q.execute(conn.reborrow())
        .await
        .map_err(E::db("clearing manifest problems"))?;
    for chunk in problems.chunks(BATCH) {
        let mut q = query("INSERT INTO manifest_problems (provider_slug, diagnostics) VALUES ");
        for (i, (slug, diagnostics)) in chunk.iter().enumerate() {
            q.push(if i == 0 { "(" } else { ", (" });
            q.push_bind(slug)
                .push(", ")
                .push_bind(diagnostics.clone())
                .push(")");
        }
        q.execute(conn.reborrow())
            .await
            .map_err(E::db("recording manifest problems"))?;
    }
    Ok(())
}
