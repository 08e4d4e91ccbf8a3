//! What a person should see before a mapping change applies: the drop rules' warnings and the
//! approved connectors it sends back to review. The CLI prints it and asks; the app's drop
//! rules say the same in the UI.

use crate::kpis::{fit, CoreKpi, MappingChange, MappingItem, MappingOp, MetricRow};
use crate::model::Status;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MappingPreview {
    /// One sentence per misfit between a metric and the KPI it is mapped onto.
    pub warnings: Vec<String>,
    /// Approved connectors whose settled metric is unmapped, each once.
    pub back_to_review: Vec<String>,
}

impl MappingPreview {
    /// Nothing to confirm: no misfit and no connector going back to review.
    pub fn is_quiet(&self) -> bool {
        self.warnings.is_empty() && self.back_to_review.is_empty()
    }
}

/// The preview of `change` against the rows it names (`rows`) and the core KPIs.
pub fn preview(change: &MappingChange, rows: &[MetricRow], kpis: &[CoreKpi]) -> MappingPreview {
    let mut out = MappingPreview::default();
    for i in &change.items {
        let Some(row) = rows
            .iter()
            .find(|r| r.connector == i.connector && r.raw == i.metric)
        else {
            continue;
        };
        match &i.op {
            MappingOp::Map { core_kpi } => {
                if let Some(k) = kpis.iter().find(|k| k.slug == *core_kpi) {
                    out.warnings
                        .extend(fit(row, k).into_iter().map(|m| m.message));
                }
            }
            MappingOp::Unmap
                if row.settled()
                    && !row.orphaned
                    && row.connector_status == Status::Approved
                    && !out.back_to_review.contains(&row.connector) =>
            {
                out.back_to_review.push(row.connector.clone());
            }
            _ => {}
        }
    }
    out
}

/// A change of `connector`'s named metrics, each at its current version. An unknown name gets
/// version 0: the registry refuses the batch with a did-you-mean.
pub fn named_items(
    connector: &str,
    items: Vec<(String, MappingOp)>,
    rows: &[MetricRow],
) -> MappingChange {
    MappingChange {
        items: items
            .into_iter()
            .map(|(metric, op)| {
                let version = rows
                    .iter()
                    .find(|r| r.raw == metric)
                    .map_or(0, |r| r.version);
                MappingItem {
                    connector: connector.to_string(),
                    metric,
                    version,
                    op,
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpis::{Aggregation, Direction, Likely, Unit};

    fn row(raw: &str, status: Status, core_kpi: Option<&str>) -> MetricRow {
        MetricRow {
            connector: "shop".into(),
            connector_status: status,
            raw: raw.into(),
            description: None,
            standard: None,
            core_kpi: core_kpi.map(str::to_string),
            not_a_kpi: false,
            reason: None,
            changed_by: None,
            changed_at: None,
            version: 3,
            orphaned: false,
            likely: Some(Likely {
                unit: Unit::Count,
                aggregation: None,
                because: "the word `count` in its name".into(),
            }),
        }
    }

    fn revenue() -> CoreKpi {
        CoreKpi {
            slug: "revenue".into(),
            name: "Revenue".into(),
            description: String::new(),
            unit: Unit::Currency,
            aggregation: Aggregation::Sum,
            direction: Direction::HigherIsBetter,
            retired: false,
            version: 0,
            usage: Vec::new(),
        }
    }

    #[test]
    fn a_misfit_warns_and_an_unmapped_approved_metric_goes_back_once() {
        let rows = vec![
            row("order_count", Status::Draft, None),
            row("a", Status::Approved, Some("revenue")),
            row("b", Status::Approved, Some("revenue")),
        ];
        let change = named_items(
            "shop",
            vec![
                (
                    "order_count".into(),
                    MappingOp::Map {
                        core_kpi: "revenue".into(),
                    },
                ),
                ("a".into(), MappingOp::Unmap),
                ("b".into(), MappingOp::Unmap),
            ],
            &rows,
        );
        assert!(change.items.iter().all(|i| i.version == 3));
        let p = preview(&change, &rows, &[revenue()]);
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
        assert!(
            p.warnings[0].contains("`order_count` looks like a count"),
            "{:?}",
            p.warnings
        );
        assert_eq!(p.back_to_review, vec!["shop".to_string()]);
        assert!(!p.is_quiet());
    }

    #[test]
    fn drafts_and_unknown_names_preview_quietly() {
        let rows = vec![row("a", Status::Draft, Some("revenue"))];
        let change = named_items(
            "shop",
            vec![
                ("a".into(), MappingOp::Unmap),
                ("nope".into(), MappingOp::Unmap),
            ],
            &rows,
        );
        assert_eq!(change.items[1].version, 0);
        assert!(preview(&change, &rows, &[revenue()]).is_quiet());
    }
}
