//! A sync: what the sentinel found in the folder, applied in one write transaction. `plan.rs`
//! decides (classify, diff, status); this module reads what it needs and writes the result:
//! `sync_runs`, the connectors, removals, one audit entry per change, and manifest problems.

use crate::db::{query, Arg, Conn};
use crate::error::{RegistryError as E, Result};
use crate::model::{ChangeKind, ConnectorChange, Status, SyncInput, SyncReport, ValidConnector};
use crate::plan;
use crate::store::Registry;
use crate::tables::audit_log::NewEntry;
use crate::tables::{audit_chain, connectors, files, manifest_problems, manifests};
use serde_json::json;
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
struct Registered {
    slug: String,
    manifest_hash: String,
    fingerprint: String,
    status: String,
}

impl Registry {
    /// Registers `input` in one write transaction. With `dry_run`, computes the same report and
    /// rolls back, so a plan is exactly what a sync would do.
    pub async fn sync(&self, input: &SyncInput, dry_run: bool) -> Result<SyncReport> {
        let mut tx = self.db().begin_write().await?;
        let t = std::time::Instant::now();
        let mut report = sync_in(&mut tx.conn(), input).await?;
        tracing::debug!(elapsed = ?t.elapsed(), "sync transaction body");
        if dry_run {
            report.run_id = None;
            tx.rollback("discarding the plan").await?;
        } else {
            tx.commit("committing the sync").await?;
            tracing::debug!(elapsed = ?t.elapsed(), "committed");
        }
        Ok(report)
    }
}

async fn sync_in(conn: &mut Conn<'_>, input: &SyncInput) -> Result<SyncReport> {
    let started = chrono::Utc::now();
    let started_at = std::time::Instant::now();
    let mut q = query("SELECT slug, manifest_hash, fingerprint, status FROM connector_providers");
    if let Some(only) = &input.only {
        // An incremental sync reads only the rows it may change, not all of them.
        q.push(" WHERE slug IN ");
        q.push_tuple(only.iter().map(Arg::from));
    }
    let registered: Vec<Registered> = match input.only.as_ref().is_some_and(|o| o.is_empty()) {
        true => vec![],
        false => (q.fetch_all(conn.reborrow()).await).map_err(E::db("reading the registry"))?,
    };
    let index: HashMap<String, plan::Registered> = (registered.into_iter())
        .map(|r| {
            let status = Status::parse(&r.status).unwrap_or(Status::Draft);
            let (hash, fingerprint) = (r.manifest_hash, r.fingerprint);
            let registered = plan::Registered {
                hash,
                fingerprint,
                status,
            };
            (r.slug, registered)
        })
        .collect();
    let classified = plan::classify(input, &index);
    let changed_slugs: Vec<&str> = classified.changed.iter().map(|(c, _)| c.slug()).collect();
    let (manifests, overrides) = manifests::load(conn, &changed_slugs).await?;
    let before = plan::Before {
        manifests,
        overrides,
        files: files::of_connectors(conn, &changed_slugs).await?,
    };
    let changes = plan::changes(&classified, &before);

    let run_id: i64 = query(
        "INSERT INTO sync_runs (started_at, finished_at, actor, source_dir, scanned, added, \
         changed, removed, unchanged, rejected) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(started)
    .bind(chrono::Utc::now())
    .bind(&input.actor)
    .bind(&input.source_dir)
    .bind(input.present.len() as i64)
    .bind(classified.added.len() as i64)
    .bind(classified.changed.len() as i64)
    .bind(classified.removed.len() as i64)
    .bind(classified.unchanged as i64)
    .bind(input.rejected.len() as i64)
    .scalar_optional(conn.reborrow())
    .await
    .map_err(E::db("recording the sync run"))?
    .ok_or(E::Corrupt {
        op: "recording the sync run",
        reason: "no run id returned".into(),
    })?;

    let by_slug: HashMap<&str, &ValidConnector> =
        input.valid.iter().map(|v| (v.slug(), v)).collect();
    let rows: Vec<connectors::Row> = (changes.iter())
        .filter(|(c, _)| c.kind != ChangeKind::Removed)
        .map(|(c, reason)| (by_slug[c.slug.as_str()], c.status_after, reason.clone()))
        .collect();
    tracing::debug!(elapsed = ?started_at.elapsed(), "planned");
    // Files first: in team mode the database compares a connector's new fingerprint with its
    // approval's as soon as the connector row changes, by the files recorded under each.
    let written: Vec<&ValidConnector> = rows.iter().map(|(c, _, _)| *c).collect();
    files::write(conn, &written).await?;
    connectors::write(conn, &rows, &changed_slugs).await?;
    keep_approvals(conn, &changes, &by_slug).await?;
    tracing::debug!(elapsed = ?started_at.elapsed(), "connectors written");
    let removed = changes
        .iter()
        .filter(|(c, _)| c.kind == ChangeKind::Removed);
    for (c, reason) in removed {
        query(
            "UPDATE connector_providers SET status = 'removed', is_approved = $1, \
             status_reason = $2 WHERE slug = $3",
        )
        .bind(false)
        .bind(reason.as_deref())
        .bind(&c.slug)
        .execute(conn.reborrow())
        .await
        .map_err(E::db("marking removed connectors"))?;
    }
    write_audit(conn, (run_id, &input.actor), &changes, &by_slug).await?;
    manifest_problems::replace(conn, &input.problems, input.only.as_ref()).await?;
    tracing::debug!(elapsed = ?started_at.elapsed(), "audit written");

    let mut report = SyncReport {
        run_id: Some(run_id),
        added: vec![],
        changed: vec![],
        removed: vec![],
        unchanged: classified.unchanged,
        rejected: input.rejected.clone(),
    };
    for (c, _) in changes {
        match c.kind {
            ChangeKind::Added => report.added.push(c),
            ChangeKind::Changed => report.changed.push(c),
            ChangeKind::Removed => report.removed.push(c),
        }
    }
    Ok(report)
}

/// An approved connector that stays approved (a cosmetic change: documentation, a description)
/// keeps its approval, which moves to the new fingerprint; the audit entry records the files.
async fn keep_approvals(
    conn: &mut Conn<'_>,
    changes: &[(ConnectorChange, Option<String>)],
    by_slug: &HashMap<&str, &ValidConnector>,
) -> Result<()> {
    let kept = (changes.iter()).filter(|(c, _)| {
        c.status_before == Some(Status::Approved) && c.status_after == Status::Approved
    });
    for (c, _) in kept {
        let Some(v) = by_slug.get(c.slug.as_str()) else {
            continue;
        };
        query("UPDATE connector_approvals SET fingerprint = $1 WHERE provider_slug = $2")
            .bind(&v.fingerprint)
            .bind(&c.slug)
            .execute(conn.reborrow())
            .await
            .map_err(E::db("moving a kept approval to the new files"))?;
    }
    Ok(())
}

/// One audit entry per change, tagged with the sync run.
async fn write_audit(
    conn: &mut Conn<'_>,
    (run_id, actor): (i64, &str),
    changes: &[(ConnectorChange, Option<String>)],
    by_slug: &HashMap<&str, &ValidConnector>,
) -> Result<()> {
    let entries: Vec<NewEntry<'_>> = (changes.iter())
        .map(|(c, reason)| {
            let v = by_slug.get(c.slug.as_str());
            NewEntry {
                actor,
                action: c.audit_action(),
                slug: Some(&c.slug),
                detail: Some(json!({ "diff": c.diff, "reason": reason })),
                before: c.status_before.map(|s| json!({ "status": s })),
                after: Some(json!({
                    "status": c.status_after,
                    "manifest_hash": v.map(|v| v.hash.as_str()),
                    "fingerprint": v.map(|v| v.fingerprint.as_str()),
                })),
            }
        })
        .collect();
    audit_chain::insert(conn, Some(run_id), &entries, "writing the audit log").await
}
