//! The KPI mapper's rules: the core-KPI registry, mappings of platform metrics onto core KPIs,
//! the fit between a metric and a KPI, and coverage. Pure functions; the stores gather the
//! current rows, call `plan`, and write what it returns.

use crate::error::{RegistryError as E, Result};
use crate::model::Status;
pub use crate::slug_registry::EntryState;
use crate::slug_registry::Kind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::kpi_fit::{fit, likely, Likely, Misfit};
pub use crate::kpi_preview::{named_items, preview, MappingPreview};
pub use crate::kpi_registry::{
    check_kpi_fields, check_kpi_slug, Aggregation, CoreKpi, CoreKpiFields, CoreKpiOp, Direction,
    KpiUsage, Unit,
};

/// One platform metric as the KPI mapper shows it, or a mapping whose metric left the manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MetricRow {
    pub connector: String,
    pub connector_status: Status,
    /// The metric's name in the manifest (`kpis[].raw`).
    pub raw: String,
    pub description: Option<String>,
    /// The core KPI the manifest suggests (`kpis[].standard`).
    pub standard: Option<String>,
    pub core_kpi: Option<String>,
    pub not_a_kpi: bool,
    pub reason: Option<String>,
    pub changed_by: Option<String>,
    pub changed_at: Option<DateTime<Utc>>,
    /// Compare-and-set: a change names the version it was based on.
    pub version: i64,
    /// The manifest no longer declares this metric: its mapping is kept and shown.
    pub orphaned: bool,
    /// What the metric most likely measures, for the fit warnings.
    pub likely: Option<Likely>,
}

impl MetricRow {
    /// Mapped to a core KPI or marked "not a KPI": what the approval gate asks.
    pub fn settled(&self) -> bool {
        self.core_kpi.is_some() || self.not_a_kpi
    }
}

/// What one change does to one metric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum MappingOp {
    Map {
        core_kpi: String,
    },
    Unmap,
    /// Marks the metric "not a KPI"; a reason is required.
    Ignore {
        reason: String,
    },
}

impl MappingOp {
    fn audit_kind(&self) -> &'static str {
        match self {
            MappingOp::Map { .. } => "kpis.mapped",
            MappingOp::Unmap => "kpis.unmapped",
            MappingOp::Ignore { .. } => "kpis.ignored",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MappingItem {
    pub connector: String,
    pub metric: String,
    /// The version the change was based on (compare-and-set).
    pub version: i64,
    pub op: MappingOp,
}

/// A batch (one drop, "accept all suggestions", or its undo): one transaction, one audit entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MappingChange {
    pub items: Vec<MappingItem>,
}

impl MappingChange {
    /// One action for the audit log: the ops' own, or `kpis.changed` for a mix.
    pub fn audit_action(&self) -> &'static str {
        let mut kinds = self.items.iter().map(|i| i.op.audit_kind());
        let first = kinds.next().unwrap_or("kpis.changed");
        if kinds.all(|k| k == first) {
            first
        } else {
            "kpis.changed"
        }
    }
}

/// A metric and its version after a change: what an undo names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MetricVersion {
    pub connector: String,
    pub metric: String,
    pub version: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MappingOutcome {
    pub changed: u32,
    pub unchanged: u32,
    /// Approved connectors sent back to draft (a metric of theirs became unmapped).
    pub sent_back: Vec<String>,
    /// The changed metrics' new versions.
    pub versions: Vec<MetricVersion>,
}

/// A metric's operator-owned value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingValue {
    pub core_kpi: Option<String>,
    pub not_a_kpi: bool,
    pub reason: Option<String>,
}

impl MappingValue {
    pub fn of(r: &MetricRow) -> MappingValue {
        MappingValue {
            core_kpi: r.core_kpi.clone(),
            not_a_kpi: r.not_a_kpi,
            reason: r.reason.clone(),
        }
    }

    pub fn settled(&self) -> bool {
        self.core_kpi.is_some() || self.not_a_kpi
    }
}

#[derive(Debug)]
pub struct Planned<'a> {
    pub row: &'a MetricRow,
    pub after: MappingValue,
}

impl Planned<'_> {
    pub fn changes(&self) -> bool {
        self.after != MappingValue::of(self.row)
    }

    /// A metric of an approved connector that stops being settled: the gate would refuse it.
    pub fn unsettles(&self) -> bool {
        !self.row.orphaned && self.row.settled() && !self.after.settled()
    }
}

/// Approved connectors with a metric a planned change unsettles: they go back to review.
pub fn sent_back(planned: &[Planned<'_>]) -> Vec<String> {
    (planned.iter())
        .filter(|p| p.unsettles() && p.row.connector_status == Status::Approved)
        .map(|p| p.row.connector.clone())
        .collect()
}

impl<'a> From<&'a CoreKpi> for EntryState<'a> {
    fn from(k: &'a CoreKpi) -> Self {
        EntryState {
            slug: &k.slug,
            retired: k.retired,
        }
    }
}

/// Checks a batch against the current rows (`current[i]` is item i's row, if the metric exists)
/// and the KPI registry. Any problem refuses the whole batch.
pub fn plan<'a>(
    change: &MappingChange,
    current: &[Option<&'a MetricRow>],
    kpis: &[EntryState],
    known_metrics: impl Fn(&str) -> Vec<String>,
) -> Result<Vec<Planned<'a>>> {
    if change.items.is_empty() {
        return Err(E::NoMetricSelected);
    }
    let mut stale = Vec::new();
    let mut out = Vec::with_capacity(change.items.len());
    for (item, row) in change.items.iter().zip(current) {
        let Some(row) = row else {
            let names = known_metrics(&item.connector);
            return Err(E::UnknownMetric {
                connector: item.connector.clone(),
                metric: item.metric.clone(),
                did_you_mean: godconfig_manifest::diagnostic::did_you_mean(
                    &item.metric,
                    names.iter().map(String::as_str),
                )
                .map(str::to_string),
            });
        };
        if row.version != item.version {
            stale.push(format!("{}/{}", row.connector, row.raw));
        }
        let after = match &item.op {
            MappingOp::Map { core_kpi } => {
                if row.orphaned {
                    return Err(E::OrphanedMetric {
                        connector: row.connector.clone(),
                        metric: row.raw.clone(),
                    });
                }
                let entries = kpis.iter().map(|k| (k.slug, k.retired));
                let kept = row.core_kpi.as_deref() == Some(core_kpi.as_str());
                Kind::CoreKpi.pick(core_kpi, entries, kept)?;
                MappingValue {
                    core_kpi: Some(core_kpi.clone()),
                    not_a_kpi: false,
                    reason: None,
                }
            }
            MappingOp::Unmap => MappingValue {
                core_kpi: None,
                not_a_kpi: false,
                reason: None,
            },
            MappingOp::Ignore { reason } => {
                if row.orphaned {
                    return Err(E::OrphanedMetric {
                        connector: row.connector.clone(),
                        metric: row.raw.clone(),
                    });
                }
                let reason = reason.trim();
                if reason.is_empty() {
                    return Err(E::NotAKpiReasonRequired {
                        metric: row.raw.clone(),
                    });
                }
                MappingValue {
                    core_kpi: None,
                    not_a_kpi: true,
                    reason: Some(reason.to_string()),
                }
            }
        };
        out.push(Planned { row, after });
    }
    if !stale.is_empty() {
        return Err(E::Conflict { what: stale });
    }
    Ok(out)
}

/// Every unsettled metric whose suggested KPI exists and is not retired, mapped to it: "accept
/// all suggestions" for the given rows.
pub fn accept_suggestions(rows: &[MetricRow], kpis: &[EntryState]) -> MappingChange {
    let usable = |s: &str| kpis.iter().any(|k| k.slug == s && !k.retired);
    MappingChange {
        items: rows
            .iter()
            .filter(|r| !r.orphaned && !r.settled())
            .filter_map(|r| {
                let s = r.standard.as_deref().filter(|s| usable(s))?;
                Some(MappingItem {
                    connector: r.connector.clone(),
                    metric: r.raw.clone(),
                    version: r.version,
                    op: MappingOp::Map {
                        core_kpi: s.to_string(),
                    },
                })
            })
            .collect(),
    }
}

/// Per connector: its metrics, how many are settled, and which core KPIs it feeds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConnectorCoverage {
    pub connector: String,
    pub connector_status: Status,
    pub metrics: u32,
    /// Mapped or marked "not a KPI".
    pub settled: u32,
    pub orphaned: u32,
    /// Core KPI slugs this connector feeds, sorted.
    pub feeds: Vec<String>,
}

/// Coverage of every connector present in `rows` (grouped by connector, as the stores return
/// them), by connector slug.
pub fn coverage(rows: &[MetricRow]) -> Vec<ConnectorCoverage> {
    let mut out: Vec<ConnectorCoverage> = Vec::new();
    for r in rows {
        if out.last().is_none_or(|c| c.connector != r.connector) {
            out.push(ConnectorCoverage {
                connector: r.connector.clone(),
                connector_status: r.connector_status,
                metrics: 0,
                settled: 0,
                orphaned: 0,
                feeds: Vec::new(),
            });
        }
        let c = out.last_mut().expect("pushed above");
        if r.orphaned {
            c.orphaned += 1;
        } else {
            c.metrics += 1;
            c.settled += u32::from(r.settled());
        }
        if let Some(k) = r.core_kpi.as_ref().filter(|_| !r.orphaned) {
            if !c.feeds.contains(k) {
                c.feeds.push(k.clone());
            }
        }
    }
    for c in &mut out {
        c.feeds.sort();
    }
    out.sort_by(|a, b| a.connector.cmp(&b.connector));
    out
}

#[cfg(test)]
#[path = "kpis_tests.rs"]
mod tests;
