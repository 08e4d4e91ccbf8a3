//! The KPI mapper's domain rules on a real SQLite file and a real PostgreSQL server: batches with
//! one audit entry, accept-all and its undo, compare-and-set, the core-KPI registry, mappings
//! surviving re-sync and kept as orphans, and approval (gate, back to draft).

mod core_kpis;

use godconfig_registry::kpis::{self, coverage, EntryState, Unit};
use godconfig_registry::{
    ApproveRequest, DbTarget, MappingChange, MappingItem, MappingOp, MetricRow, Registry, Status,
};
use godconfig_testkit::*;

pub(crate) fn item(rows: &[MetricRow], metric: &str, op: MappingOp) -> MappingItem {
    let r = rows.iter().find(|r| r.raw == metric).expect(metric);
    MappingItem {
        connector: r.connector.clone(),
        metric: r.raw.clone(),
        version: r.version,
        op,
    }
}

pub(crate) fn map(kpi: &str) -> MappingOp {
    MappingOp::Map {
        core_kpi: kpi.to_string(),
    }
}

pub(crate) fn batch(items: Vec<MappingItem>) -> MappingChange {
    MappingChange { items }
}

async fn story(url: &str, dir: &std::path::Path) {
    let reg = Registry::open(&DbTarget::parse(url).unwrap())
        .await
        .unwrap();
    let rows = reg.metrics(Some("stripe")).await.unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r.raw.as_str()).collect();
    assert_eq!(
        names,
        [
            "gross_volume",
            "net_volume",
            "successful_payments",
            "new_customers",
            "subscriber_churn_rate",
            "mrr"
        ]
    );
    assert!(rows
        .iter()
        .all(|r| !r.settled() && r.version == 0 && !r.orphaned));
    let unit = |m: &str| {
        rows.iter()
            .find(|r| r.raw == m)
            .unwrap()
            .likely
            .as_ref()
            .map(|l| l.unit)
    };
    assert_eq!(unit("gross_volume"), Some(Unit::Currency)); // its suggested KPI, gross_sales
    assert_eq!(unit("successful_payments"), Some(Unit::Count)); // orders
    assert_eq!(unit("mrr"), Some(Unit::Currency)); // "monthly recurring revenue"
    assert!(reg.metrics(None).await.unwrap().len() > rows.len());
    assert_eq!(
        reg.metrics(Some("strip")).await.unwrap_err().code(),
        "review.not_found"
    );

    // Accept all suggestions: one batch, one audit entry; its undo is one more.
    let kpis_now = reg.core_kpis().await.unwrap();
    let states: Vec<EntryState> = kpis_now
        .iter()
        .map(|k| EntryState {
            slug: &k.slug,
            retired: k.retired,
        })
        .collect();
    let accept = kpis::accept_suggestions(&rows, &states);
    assert_eq!(accept.items.len(), 5, "mrr has no suggestion");
    let out = reg.change_mapping(&accept, "ana").await.unwrap();
    assert_eq!((out.changed, out.unchanged), (5, 0));
    assert_eq!(audit_actions(url, "kpis.mapped"), 1);
    let after = reg.metrics(Some("stripe")).await.unwrap();
    let gross = after.iter().find(|r| r.raw == "gross_volume").unwrap();
    assert_eq!(gross.core_kpi.as_deref(), Some("gross_sales"));
    assert_eq!(
        (gross.version, gross.changed_by.as_deref()),
        (1, Some("ana"))
    );
    assert!(gross.changed_at.is_some());
    let undo = batch(
        out.versions
            .iter()
            .map(|v| MappingItem {
                connector: v.connector.clone(),
                metric: v.metric.clone(),
                version: v.version,
                op: MappingOp::Unmap,
            })
            .collect(),
    );
    let undone = reg.change_mapping(&undo, "ana").await.unwrap();
    assert_eq!(undone.changed, 5);
    assert_eq!(audit_actions(url, "kpis.unmapped"), 1);
    let rows = reg.metrics(Some("stripe")).await.unwrap();
    assert!(rows.iter().all(|r| !r.settled()));
    // The unmapped rows keep their version, so a change based on the old one is stale.
    assert_eq!(
        rows.iter()
            .find(|r| r.raw == "gross_volume")
            .unwrap()
            .version,
        2
    );

    // Bad input: a clear error and nothing written.
    let stale = batch(vec![MappingItem {
        version: 1,
        ..item(&rows, "gross_volume", map("gross_sales"))
    }]);
    assert_eq!(
        reg.change_mapping(&stale, "bo").await.unwrap_err().code(),
        "registry.conflict"
    );
    let typo = batch(vec![MappingItem {
        metric: "gross_volum".into(),
        ..item(&rows, "gross_volume", map("gross_sales"))
    }]);
    let err = reg.change_mapping(&typo, "bo").await.unwrap_err();
    assert_eq!(err.code(), "kpis.unknown_metric");
    assert!(
        err.to_string().contains("did you mean `gross_volume`"),
        "{err}"
    );
    let err = reg
        .change_mapping(&batch(vec![item(&rows, "mrr", map("gross_sale"))]), "bo")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "kpis.unknown_kpi");
    assert!(
        err.to_string().contains("did you mean `gross_sales`"),
        "{err}"
    );
    let blank = MappingOp::Ignore {
        reason: "  ".into(),
    };
    assert_eq!(
        reg.change_mapping(&batch(vec![item(&rows, "mrr", blank)]), "bo")
            .await
            .unwrap_err()
            .code(),
        "kpis.reason_required"
    );
    assert_eq!(
        reg.change_mapping(&batch(vec![]), "bo")
            .await
            .unwrap_err()
            .code(),
        "kpis.empty_selection"
    );
    assert_eq!(
        reg.metrics(Some("stripe")).await.unwrap(),
        rows,
        "nothing changed"
    );

    // The core-KPI registry: add, map onto it, cannot delete while used, retire, restore.
    let rows = core_kpis::story(&reg, url, &rows).await;

    // Approval: every metric settled (one "not a KPI", with its reason) and the scopes typed.
    let mut items: Vec<MappingItem> = kpis::accept_suggestions(&rows, &states).items;
    items.retain(|i| i.metric != "new_customers");
    items.push(item(
        &rows,
        "new_customers",
        MappingOp::Ignore {
            reason: "test-mode customers only".into(),
        },
    ));
    let mixed = reg.change_mapping(&batch(items), "ana").await.unwrap();
    assert_eq!(mixed.changed, 5);
    assert_eq!(audit_actions(url, "kpis.changed"), 1);
    exec(
        url,
        "INSERT INTO scope_gating (provider_slug, scope_name, firearm_type) \
                 SELECT provider_slug, name, 'moves_money' FROM connector_scopes WHERE provider_slug = 'stripe' AND requires_firearm",
    );
    let gate = reg.gate("stripe").await.unwrap();
    assert!(gate.passes(), "{:?}", gate.missing);
    reg.approve(
        &[ApproveRequest {
            slug: "stripe".into(),
            ..Default::default()
        }],
        "olu",
    )
    .await
    .unwrap();

    // Re-mapping keeps it approved; unmapping sends it back to draft with the reason.
    let rows = reg.metrics(Some("stripe")).await.unwrap();
    let out = reg
        .change_mapping(
            &batch(vec![item(&rows, "net_volume", map("gross_sales"))]),
            "ana",
        )
        .await
        .unwrap();
    assert!(out.sent_back.is_empty());
    let rows = reg.metrics(Some("stripe")).await.unwrap();
    let out = reg
        .change_mapping(
            &batch(vec![item(&rows, "net_volume", MappingOp::Unmap)]),
            "ana",
        )
        .await
        .unwrap();
    assert_eq!(out.sent_back, ["stripe"]);
    assert_eq!(
        one(
            url,
            "SELECT status FROM connector_providers WHERE slug = 'stripe'"
        ),
        "draft"
    );
    assert_eq!(audit_actions(url, "kpis.back_to_draft"), 1);
    let rows = reg.metrics(Some("stripe")).await.unwrap();
    reg.change_mapping(
        &batch(vec![item(&rows, "net_volume", map("net_revenue"))]),
        "ana",
    )
    .await
    .unwrap();
    reg.approve(
        &[ApproveRequest {
            slug: "stripe".into(),
            ..Default::default()
        }],
        "olu",
    )
    .await
    .unwrap();

    // A metric leaves the manifest: its mapping is kept, shown as orphaned, and can only be
    // removed. The others survive the re-sync.
    let manifest = dir.join("stripe/manifest.yaml");
    edit(
        &manifest,
        "  - raw: mrr\n    description: Billing analytics \"MRR\", monthly recurring revenue\n",
        "",
    );
    register(dir, url);
    let rows = reg.metrics(Some("stripe")).await.unwrap();
    let mrr = rows.iter().find(|r| r.raw == "mrr").unwrap();
    assert!(
        mrr.orphaned && mrr.core_kpi.as_deref() == Some("recurring_revenue"),
        "{mrr:?}"
    );
    assert_eq!(rows.last().unwrap().raw, "mrr", "orphans come last");
    assert_eq!(
        rows.iter().filter(|r| r.settled()).count(),
        6,
        "mappings survive the re-sync"
    );
    let with_orphan = coverage(&reg.metrics(None).await.unwrap());
    assert_eq!(
        with_orphan
            .iter()
            .find(|c| c.connector == "stripe")
            .unwrap()
            .orphaned,
        1
    );
    assert_eq!(
        reg.coverage(None).await.unwrap(),
        with_orphan,
        "SQL coverage counts orphans too"
    );
    assert_eq!(
        reg.change_mapping(&batch(vec![item(&rows, "mrr", map("gross_sales"))]), "ana")
            .await
            .unwrap_err()
            .code(),
        "kpis.orphaned"
    );
    reg.change_mapping(&batch(vec![item(&rows, "mrr", MappingOp::Unmap)]), "ana")
        .await
        .unwrap();
    let rows = reg.metrics(Some("stripe")).await.unwrap();
    assert!(
        rows.iter().all(|r| r.raw != "mrr"),
        "a removed orphan is gone"
    );
    assert!(reg.gate("stripe").await.unwrap().passes());

    // Coverage: which KPIs each connector feeds, and how many metrics are settled.
    let cov = coverage(&reg.metrics(None).await.unwrap());
    let stripe = cov.iter().find(|c| c.connector == "stripe").unwrap();
    assert_eq!((stripe.metrics, stripe.settled, stripe.orphaned), (5, 5, 0));
    assert_eq!(
        stripe.feeds,
        ["churn_rate", "gross_sales", "net_revenue", "orders"]
    );
    assert_eq!(
        reg.coverage(None).await.unwrap(),
        cov,
        "SQL coverage = the rule's coverage"
    );
    assert_eq!(reg.coverage(Some("notion")).await.unwrap().len(), 1);
    assert_eq!(
        reg.coverage(Some("notio")).await.unwrap_err().code(),
        "review.not_found",
        "an unknown connector is refused, as `metrics` refuses it"
    );
    let notion = cov.iter().find(|c| c.connector == "notion").unwrap();
    assert_eq!((notion.metrics, notion.settled), (3, 0));
    assert_eq!(stripe.connector_status, Status::Approved);

    // A metric added to an approved connector sends it back to draft, unmapped.
    edit(
        &manifest,
        "kpis:\n",
        "kpis:\n  - raw: refund_volume\n    standard: refunds\n",
    );
    register(dir, url);
    assert_eq!(
        one(
            url,
            "SELECT status FROM connector_providers WHERE slug = 'stripe'"
        ),
        "draft"
    );
    let rows = reg.metrics(Some("stripe")).await.unwrap();
    assert!(!rows
        .iter()
        .find(|r| r.raw == "refund_volume")
        .unwrap()
        .settled());
    assert_eq!(rows.iter().filter(|r| r.settled()).count(), 5);
    reg.close().await;
}

fn run_story(url: &str, dir: &std::path::Path) {
    copy_connectors(dir, &["stripe", "notion"]);
    register(dir, url);
    block_on_story(story(url, dir));
}

#[test]
fn kpi_mapper_story_on_sqlite() {
    on_sqlite(run_story);
}

#[test]
fn kpi_mapper_story_on_postgres() {
    on_postgres(run_story);
}
