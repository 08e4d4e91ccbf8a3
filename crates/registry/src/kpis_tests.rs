use super::*;

fn kpi(slug: &str, unit: Unit, aggregation: Aggregation) -> CoreKpi {
    CoreKpi {
        slug: slug.into(),
        name: slug.replace('_', " "),
        description: String::new(),
        unit,
        aggregation,
        direction: Direction::HigherIsBetter,
        retired: false,
        version: 0,
        usage: Vec::new(),
    }
}

fn metric(connector: &str, raw: &str) -> MetricRow {
    MetricRow {
        connector: connector.into(),
        connector_status: Status::Draft,
        raw: raw.into(),
        description: None,
        standard: None,
        core_kpi: None,
        not_a_kpi: false,
        reason: None,
        changed_by: None,
        changed_at: None,
        version: 0,
        orphaned: false,
        likely: None,
    }
}

fn states() -> Vec<EntryState<'static>> {
    vec![
        EntryState {
            slug: "orders",
            retired: false,
        },
        EntryState {
            slug: "gross_sales",
            retired: false,
        },
        EntryState {
            slug: "old_kpi",
            retired: true,
        },
    ]
}

fn one(r: &MetricRow, op: MappingOp) -> MappingChange {
    MappingChange {
        items: vec![MappingItem {
            connector: r.connector.clone(),
            metric: r.raw.clone(),
            version: r.version,
            op,
        }],
    }
}

fn map(k: &str) -> MappingOp {
    MappingOp::Map { core_kpi: k.into() }
}

fn code(r: Result<Vec<Planned<'_>>>) -> crate::error::Code {
    r.map(|_| ()).unwrap_err().code()
}

#[test]
fn the_suggested_kpi_gives_the_unit_before_any_word() {
    let orders = kpi("orders", Unit::Count, Aggregation::Sum);
    let l = likely("total_sales", None, Some(&orders)).unwrap();
    assert_eq!(
        (l.unit, l.aggregation),
        (Unit::Count, Some(Aggregation::Sum))
    );
    assert_eq!(l.because, "its suggested KPI `orders`");
}

#[test]
fn whole_words_of_the_name_then_the_description_give_the_unit() {
    let unit = |raw: &str, d: Option<&str>| likely(raw, d, None).map(|l| (l.unit, l.because));
    assert_eq!(
        unit("total_sales", None),
        Some((Unit::Currency, "the word `sales` in its name".into()))
    );
    assert_eq!(unit("orders.count", None).unwrap().0, Unit::Count);
    assert_eq!(unit("bounceRate", None), None, "camelCase is one word");
    assert_eq!(unit("ctr", None).unwrap().0, Unit::Ratio);
    assert_eq!(unit("avg_response_time", None).unwrap().0, Unit::Duration);
    assert_eq!(
        unit("mrr", Some("monthly recurring revenue")),
        Some((
            Unit::Currency,
            "the word `revenue` in its description".into()
        ))
    );
    assert_eq!(unit("members", Some("people who viewed")), None);
    assert_eq!(unit("timestamped", None), None, "a word, not a prefix");
}

#[test]
fn a_count_onto_a_currency_kpi_is_a_misfit_and_says_why() {
    let mut m = metric("shop", "orders_count");
    m.likely = likely(&m.raw, None, None);
    let sales = kpi("gross_sales", Unit::Currency, Aggregation::Sum);
    let w = fit(&m, &sales);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].message, "`orders_count` looks like a count (the word `count` in its name), but gross sales is a currency KPI");
    assert!(fit(&m, &kpi("orders", Unit::Count, Aggregation::Sum)).is_empty());
    m.likely = None;
    assert!(
        fit(&m, &sales).is_empty(),
        "nothing known, nothing to warn about"
    );
}

#[test]
fn an_aggregation_mismatch_is_a_misfit_too() {
    let aov = kpi("average_order_value", Unit::Currency, Aggregation::Average);
    let mut m = metric("shop", "gross");
    m.likely = likely(
        &m.raw,
        None,
        Some(&kpi("gross_sales", Unit::Currency, Aggregation::Sum)),
    );
    let w = fit(&m, &aov);
    assert_eq!(w.len(), 1);
    assert!(w[0].message.contains("aggregates by sum"), "{w:?}");
}

#[test]
fn plan_maps_unmaps_and_ignores() {
    let r = metric("shop", "total_sales");
    let p = plan(
        &one(&r, map("gross_sales")),
        &[Some(&r)],
        &states(),
        |_| vec![],
    )
    .unwrap();
    assert_eq!(p[0].after.core_kpi.as_deref(), Some("gross_sales"));
    assert!(p[0].changes());
    let p = plan(
        &one(
            &r,
            MappingOp::Ignore {
                reason: "  internal only ".into(),
            },
        ),
        &[Some(&r)],
        &states(),
        |_| vec![],
    )
    .unwrap();
    assert_eq!(
        (p[0].after.not_a_kpi, p[0].after.reason.as_deref()),
        (true, Some("internal only"))
    );
    let p = plan(
        &one(&r, MappingOp::Unmap),
        &[Some(&r)],
        &states(),
        |_| vec![],
    )
    .unwrap();
    assert!(!p[0].changes(), "already unmapped");
}

#[test]
fn plan_refuses_bad_input_with_a_code() {
    let r = metric("shop", "total_sales");
    let known = |_: &str| vec!["total_sales".to_string()];
    assert_eq!(
        code(plan(
            &MappingChange { items: vec![] },
            &[],
            &states(),
            known
        )),
        "kpis.empty_selection"
    );
    let err = plan(&one(&r, map("order")), &[Some(&r)], &states(), known)
        .map(|_| ())
        .unwrap_err();
    assert_eq!(err.code(), "kpis.unknown_kpi");
    assert!(err.to_string().contains("did you mean `orders`"), "{err}");
    assert_eq!(
        code(plan(
            &one(&r, map("old_kpi")),
            &[Some(&r)],
            &states(),
            known
        )),
        "kpis.retired_kpi"
    );
    assert_eq!(
        code(plan(
            &one(&r, MappingOp::Ignore { reason: " ".into() }),
            &[Some(&r)],
            &states(),
            known
        )),
        "kpis.reason_required"
    );
    let err = plan(
        &one(&metric("shop", "total_sale"), map("orders")),
        &[None],
        &states(),
        known,
    )
    .map(|_| ())
    .unwrap_err();
    assert_eq!(err.code(), "kpis.unknown_metric");
    assert!(
        err.to_string().contains("did you mean `total_sales`"),
        "{err}"
    );
    let mut stale = r.clone();
    stale.version = 3;
    let err = plan(&one(&r, map("orders")), &[Some(&stale)], &states(), known)
        .map(|_| ())
        .unwrap_err();
    assert_eq!(err.code(), "registry.conflict");
    assert!(err.to_string().contains("shop/total_sales"), "{err}");
}

#[test]
fn a_retired_kpi_stays_where_it_is_but_takes_no_new_metric() {
    let mut r = metric("shop", "legacy");
    r.core_kpi = Some("old_kpi".into());
    assert!(plan(&one(&r, map("old_kpi")), &[Some(&r)], &states(), |_| vec![]).is_ok());
}

#[test]
fn orphans_can_only_be_unmapped() {
    let mut r = metric("shop", "gone");
    r.orphaned = true;
    r.core_kpi = Some("orders".into());
    assert_eq!(
        code(plan(
            &one(&r, map("gross_sales")),
            &[Some(&r)],
            &states(),
            |_| vec![]
        )),
        "kpis.orphaned"
    );
    assert_eq!(
        code(plan(
            &one(&r, MappingOp::Ignore { reason: "x".into() }),
            &[Some(&r)],
            &states(),
            |_| vec![]
        )),
        "kpis.orphaned"
    );
    let p = plan(
        &one(&r, MappingOp::Unmap),
        &[Some(&r)],
        &states(),
        |_| vec![],
    )
    .unwrap();
    assert!(
        p[0].changes() && !p[0].unsettles(),
        "an orphan never blocks the gate"
    );
}

#[test]
fn unsettling_a_current_metric_is_what_sends_an_approved_connector_back() {
    let mut r = metric("shop", "total_sales");
    r.core_kpi = Some("gross_sales".into());
    let remap = plan(&one(&r, map("orders")), &[Some(&r)], &states(), |_| vec![]).unwrap();
    assert!(!remap[0].unsettles());
    let unmap = plan(
        &one(&r, MappingOp::Unmap),
        &[Some(&r)],
        &states(),
        |_| vec![],
    )
    .unwrap();
    assert!(unmap[0].unsettles());
}

#[test]
fn accept_all_maps_only_open_metrics_with_a_usable_suggestion() {
    let mut a = metric("shop", "a");
    a.standard = Some("orders".into());
    let mut b = metric("shop", "b");
    b.standard = Some("old_kpi".into());
    let mut c = metric("shop", "c");
    c.standard = Some("gross_sales".into());
    c.not_a_kpi = true;
    let d = metric("shop", "d");
    let mut e = metric("shop", "e");
    e.standard = Some("missing".into());
    let change = accept_suggestions(&[a, b, c, d, e], &states());
    let got: Vec<(&str, &MappingOp)> = change
        .items
        .iter()
        .map(|i| (i.metric.as_str(), &i.op))
        .collect();
    assert_eq!(got, [("a", &map("orders"))]);
    assert_eq!(change.audit_action(), "kpis.mapped");
}

#[test]
fn a_mixed_batch_is_one_kpis_changed_entry() {
    let r = metric("shop", "x");
    let mut change = one(&r, map("orders"));
    change.items.push(MappingItem {
        op: MappingOp::Unmap,
        ..change.items[0].clone()
    });
    assert_eq!(change.audit_action(), "kpis.changed");
}

#[test]
fn coverage_counts_settled_metrics_and_the_kpis_fed() {
    let mut rows = vec![
        metric("b", "m1"),
        metric("b", "m2"),
        metric("b", "m3"),
        metric("a", "x"),
    ];
    rows[0].core_kpi = Some("orders".into());
    rows[1].not_a_kpi = true;
    rows[2].core_kpi = Some("gross_sales".into());
    rows[2].orphaned = true;
    rows[3].core_kpi = Some("orders".into());
    let c = coverage(&rows);
    assert_eq!(
        c.iter().map(|c| c.connector.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    let b = &c[1];
    assert_eq!((b.metrics, b.settled, b.orphaned), (2, 2, 1));
    assert_eq!(b.feeds, ["orders"], "an orphan feeds nothing");
}

#[test]
fn kpi_slugs_and_fields_are_checked() {
    assert!(check_kpi_slug("gross_sales").is_ok());
    assert_eq!(
        check_kpi_slug("Gross").unwrap_err().code(),
        "core_kpis.invalid"
    );
    let f = CoreKpiFields {
        name: "  Orders ".into(),
        description: "Orders placed.".into(),
        unit: Unit::Count,
        aggregation: Aggregation::Sum,
        direction: Direction::HigherIsBetter,
    };
    assert_eq!(check_kpi_fields(&f).unwrap().name, "Orders");
    let blank = CoreKpiFields {
        description: " ".into(),
        ..f
    };
    assert_eq!(
        check_kpi_fields(&blank).unwrap_err().code(),
        "core_kpis.invalid"
    );
    assert_eq!(Unit::parse("currency"), Some(Unit::Currency));
    assert_eq!(Direction::HigherIsWorse.as_str(), "higher_is_worse");
}
