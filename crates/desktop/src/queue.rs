//! The review queue's two lists, sent as deltas ([`crate::delta`]): the rows, and each
//! connector's keys' health counted for its line.

use crate::delta::{Delta, Versions};
use crate::error::Result;
use crate::Workspace;
use godconfig_codes::Code;
use godconfig_registry::QueueRow;
use godconfig_sentinel::vault::{self, Health};
use godconfig_vault::Vault;
use serde::Serialize;

/// The versions handed out for the open workspace's queue.
#[derive(Default)]
pub struct QueueVersions {
    rows: Versions,
    keys: Versions,
}

/// One connector's required keys by health, for its queue line. A connector that requires no
/// key has no entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, specta::Type)]
pub struct KeyCounts {
    pub slug: String,
    pub present: u32,
    pub missing: u32,
    pub stale: u32,
    pub unknown: u32,
}

/// The queue (ordered by slug), whole or what changed since `since`. `only`: the connectors
/// that a sync just touched (the app's watcher names them); their rows alone are read when the
/// screen holds a version to patch, else the whole queue is. Another writer's change in the
/// same moment is not in `only`: the screen reloads whole soon after (`useLiveList`).
pub async fn rows(
    ws: &Workspace,
    since: Option<u32>,
    only: Option<Vec<String>>,
) -> Result<Delta<QueueRow>> {
    if let (Some(since), Some(only)) = (since, only.filter(|o| o.len() <= MAX_ONLY)) {
        let rows = ws.registry.queue_rows_of(&only).await?;
        if let Some(d) = ws.queue.rows.patch(since, &only, rows, |r| &r.slug) {
            return Ok(d);
        }
    }
    let rows = ws.registry.queue().await?;
    Ok(ws.queue.rows.delta(since, rows, |r| &r.slug))
}

/// Keys' health per connector (ordered by slug), whole or what changed since `since`; `only`
/// as for [`rows`].
pub async fn keys(
    ws: &Workspace,
    vault: &Vault,
    rotation_days: u32,
    since: Option<u32>,
    only: Option<Vec<String>>,
) -> Result<Delta<KeyCounts>> {
    if let (Some(since), Some(only)) = (since, only.filter(|o| o.len() <= MAX_ONLY)) {
        let mut counts = Vec::new();
        for slug in &only {
            match vault::status(&ws.registry, vault, Some(slug), rotation_days).await {
                Ok(r) => {
                    counts.extend(count(r.secrets.iter().map(|s| (s.slug.as_str(), s.health))))
                }
                // Not registered (a folder the sync rejected): no keys to count.
                Err(e) if e.code() == Code::ReviewNotFound => {}
                Err(e) => return Err(e.into()),
            }
        }
        if let Some(d) = ws.queue.keys.patch(since, &only, counts, |c| &c.slug) {
            return Ok(d);
        }
    }
    let report = vault::status(&ws.registry, vault, None, rotation_days).await?;
    let counts = count(report.secrets.iter().map(|s| (s.slug.as_str(), s.health)));
    Ok(ws.queue.keys.delta(since, counts, |c| &c.slug))
}

/// Past this many named connectors, one read of the whole list instead of one read per
/// connector (a bound on the per-connector reads; where the two costs cross was not measured).
const MAX_ONLY: usize = 50;

/// Counts per slug, in slug order, whatever order the secrets come in.
fn count<'a>(secrets: impl Iterator<Item = (&'a str, Health)>) -> Vec<KeyCounts> {
    let mut by_slug = std::collections::BTreeMap::<&str, KeyCounts>::new();
    for (slug, health) in secrets {
        let c = by_slug.entry(slug).or_insert_with(|| KeyCounts {
            slug: slug.to_string(),
            ..KeyCounts::default()
        });
        match health {
            Health::Present => c.present += 1,
            Health::Missing => c.missing += 1,
            Health::Stale => c.stale += 1,
            Health::Unknown => c.unknown += 1,
        }
    }
    by_slug.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_connectors_keys_by_health_in_slug_order() {
        let counts = count(
            [
                ("stripe", Health::Missing),
                ("acme", Health::Present),
                ("stripe", Health::Present),
                ("stripe", Health::Missing),
                ("acme", Health::Unknown),
            ]
            .into_iter(),
        );
        let line = |slug: &str, p, m, s, u| KeyCounts {
            slug: slug.into(),
            present: p,
            missing: m,
            stale: s,
            unknown: u,
        };
        assert_eq!(
            counts,
            vec![line("acme", 1, 0, 0, 1), line("stripe", 1, 2, 0, 0)]
        );
    }
}
