//! The core-KPI registry in the KPI mapper's story: add, map onto it, cannot delete while used,
//! retire (and no new mapping onto it), restore at the version seen.

use crate::{batch, item, map};
use godconfig_registry::kpis::{self, Unit};
use godconfig_registry::{CoreKpiFields, CoreKpiOp, MetricRow, Registry};
use godconfig_testkit::*;

/// Runs the steps on `reg`, whose stripe metrics are `rows`; the stripe metrics afterwards.
pub async fn story(reg: &Registry, url: &str, rows: &[MetricRow]) -> Vec<MetricRow> {
    let fields = CoreKpiFields {
        name: "Recurring revenue".into(),
        description: "Monthly recurring revenue.".into(),
        unit: Unit::Currency,
        aggregation: kpis::Aggregation::Last,
        direction: kpis::Direction::HigherIsBetter,
    };
    let mrr = reg
        .change_core_kpi(
            &CoreKpiOp::Add {
                slug: "recurring_revenue".into(),
                fields: fields.clone(),
            },
            "ana",
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mrr.version, 0);
    let dup = CoreKpiOp::Add {
        slug: "recurring_revenue".into(),
        fields,
    };
    assert_eq!(
        reg.change_core_kpi(&dup, "ana").await.unwrap_err().code(),
        "core_kpis.exists"
    );
    reg.change_mapping(
        &batch(vec![item(rows, "mrr", map("recurring_revenue"))]),
        "ana",
    )
    .await
    .unwrap();
    let del = CoreKpiOp::Delete {
        slug: "recurring_revenue".into(),
        version: 0,
    };
    let err = reg.change_core_kpi(&del, "ana").await.unwrap_err();
    assert_eq!(err.code(), "core_kpis.in_use");
    assert!(err.to_string().contains("stripe (1 metric(s))"), "{err}");
    let retired = reg
        .change_core_kpi(
            &CoreKpiOp::Retire {
                slug: "recurring_revenue".into(),
                version: 0,
            },
            "ana",
        )
        .await
        .unwrap()
        .unwrap();
    assert!(retired.retired && retired.version == 1);
    let rows = reg.metrics(Some("stripe")).await.unwrap();
    let onto_retired = batch(vec![item(&rows, "net_volume", map("recurring_revenue"))]);
    assert_eq!(
        reg.change_mapping(&onto_retired, "ana")
            .await
            .unwrap_err()
            .code(),
        "kpis.retired_kpi"
    );
    let stale_restore = CoreKpiOp::Restore {
        slug: "recurring_revenue".into(),
        version: 0,
    };
    assert_eq!(
        reg.change_core_kpi(&stale_restore, "ana")
            .await
            .unwrap_err()
            .code(),
        "registry.conflict"
    );
    reg.change_core_kpi(
        &CoreKpiOp::Restore {
            slug: "recurring_revenue".into(),
            version: 1,
        },
        "ana",
    )
    .await
    .unwrap();
    assert_eq!(audit_actions(url, "core_kpis.retired"), 1);
    rows
}
