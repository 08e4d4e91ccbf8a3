//! What changed since the approval, file by file and tool by tool: the files of the approved
//! fingerprint against the registered ones, read from the content-addressed store.

use crate::code_diff::{files_diff, FileDiff};
use crate::db::query;
use crate::error::{RegistryError as E, Result};
use crate::files::FileRef;
use crate::plan::effective_gated;
use crate::store::Registry;
use crate::tables::{files, gate, manifests};
use crate::tools::{tool_changes, ToolChange};
use godconfig_manifest::Manifest;
use serde::Serialize;
use sqlx::types::Json;
use std::collections::{BTreeSet, HashMap};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CodeReview {
    pub slug: String,
    pub fingerprint: String,
    /// The fingerprint approved; None when the connector was never approved, so that every
    /// file and tool shows as new.
    pub approved_fingerprint: Option<String>,
    /// Every file of either side, in path order (unchanged ones without lines).
    pub files: Vec<FileDiff>,
    /// Tools added, removed or changed since the approval.
    pub tools: Vec<ToolChange>,
}

impl CodeReview {
    /// Nothing differs from what was approved.
    pub fn is_unchanged(&self) -> bool {
        self.approved_fingerprint.as_deref() == Some(self.fingerprint.as_str())
            && self.tools.is_empty()
    }
}

#[derive(sqlx::FromRow)]
struct Approved {
    fingerprint: String,
    manifest_snapshot: Json<Manifest>,
}

impl Registry {
    /// The connector's files and tools against those of its approval, in one read transaction.
    pub async fn code_review(&self, slug: &str) -> Result<CodeReview> {
        let op = "reading what changed since the approval";
        let mut tx = self.db().begin(op).await?;
        let mut conn = tx.conn();
        let gate = gate::read(&mut conn, slug).await?;
        let (mut current, overrides) = manifests::load(&mut conn, &[slug]).await?;
        let m = current.remove(slug).ok_or_else(|| E::NotFound {
            slug: slug.to_string(),
        })?;
        let approved: Option<Approved> = query(
            "SELECT fingerprint, manifest_snapshot FROM connector_approvals \
             WHERE provider_slug = $1",
        )
        .bind(slug)
        .fetch_optional(conn.reborrow())
        .await
        .map_err(E::db(op))?;
        let now = files::of_fingerprint(&mut conn, &gate.fingerprint).await?;
        let then = match &approved {
            Some(a) => files::of_fingerprint(&mut conn, &a.fingerprint).await?,
            None => Vec::new(),
        };
        // Only the contents that differ are read.
        let hashes: BTreeSet<&str> = differing(&then, &now);
        let mut blobs: HashMap<&str, Vec<u8>> = HashMap::new();
        for h in hashes {
            if let Some(b) = files::blob(&mut conn, h).await? {
                blobs.insert(h, b);
            }
        }
        tx.rollback(op).await?;

        let overrides = overrides.get(slug).map_or(&[][..], |o| o.as_slice());
        let gated_now = effective_gated(&m, overrides);
        let empty = Manifest {
            operations: Vec::new(),
            ..m.clone()
        };
        // The admins' overrides in force now apply to both sides: their own changes are audited
        // apart, so a tool shows as newly gated only when its manifest made it so.
        let (old, gated_then) = match &approved {
            Some(a) => (
                &a.manifest_snapshot.0,
                effective_gated(&a.manifest_snapshot.0, overrides),
            ),
            None => (&empty, BTreeSet::new()),
        };
        Ok(CodeReview {
            slug: slug.to_string(),
            fingerprint: gate.fingerprint.clone(),
            approved_fingerprint: approved.as_ref().map(|a| a.fingerprint.clone()),
            files: files_diff(&then, &now, |h| blobs.get(h).map(Vec::as_slice)),
            tools: tool_changes((old, &gated_then), (&m, &gated_now)),
        })
    }
}

/// Hashes of the files that are not the same on both sides.
fn differing<'a>(then: &'a [FileRef], now: &'a [FileRef]) -> BTreeSet<&'a str> {
    let same =
        |f: &FileRef, other: &[FileRef]| other.iter().any(|o| o.path == f.path && o.hash == f.hash);
    (then.iter().filter(|f| !same(f, now)))
        .chain(now.iter().filter(|f| !same(f, then)))
        .map(|f| f.hash.as_str())
        .collect()
}
