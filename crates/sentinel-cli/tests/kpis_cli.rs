//! The KPI mapper from the CLI, on SQLite and on PostgreSQL: listing with filters, mapping with
//! a misfit warning that must be confirmed, accepting every suggestion in one batch, "not a
//! KPI" with a reason, unmapping, coverage, and the typed refusals (nothing changed).

mod common;
use common::*;
use predicates::prelude::*;

/// The operator mappings of a connector: `metric kpi-or-dash not_a_kpi by version` per row.
fn mappings(url: &str, slug: &str) -> Vec<String> {
    rows(
        url,
        &format!(
            "SELECT metric_raw, COALESCE(core_kpi, '-'), CASE WHEN not_a_kpi THEN 'ignored' ELSE '-' END, \
               COALESCE(changed_by, '-'), CAST(version AS TEXT) \
             FROM kpi_mappings WHERE provider_slug = '{slug}' ORDER BY metric_raw"
        ),
    )
    .into_iter()
    .map(|r| r.join(" "))
    .collect()
}

fn stdout(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

fn kpis_story(url: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    copy_connectors(&dir, &["stripe", "notion"]);
    sync_cmd(&dir, url).assert().success();
    let cli = |args: &[&str]| {
        let mut c = sentinel();
        c.args(["kpis"])
            .args(args)
            .args(["--db", url, "--as", "ana"]);
        c
    };
    let list = |args: &[&str]| {
        let mut c = sentinel();
        c.args(["kpis"]).args(args).args(["--db", url]);
        c
    };

    // List: every metric unmapped, with its suggestion and likely unit.
    let out = stdout(&mut list(&["list", "--connector", "stripe"]));
    assert!(out.starts_with("CONNECTOR  METRIC"), "{out}");
    let gross = out.lines().find(|l| l.contains("gross_volume")).unwrap();
    assert!(
        gross.contains("UNMAPPED")
            && gross.contains("currency")
            && gross.ends_with("suggest: gross_sales"),
        "{gross}"
    );
    assert!(
        out.ends_with("6 metric(s): 6 unmapped (they block approval), 0 orphaned\n"),
        "{out}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&mut list(&[
        "list",
        "--connector",
        "notion",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["metrics"].as_array().unwrap().len(), 3);
    assert_eq!(json["metrics"][0]["likely"]["unit"], "count");
    let core = stdout(&mut list(&["list", "--core"]));
    assert!(
        core.contains("gross_sales") && core.contains("currency / sum"),
        "{core}"
    );

    // A count onto a currency KPI: warned, and without a terminal it needs --yes.
    let misfit = [
        "map",
        "--connector",
        "stripe",
        "successful_payments",
        "--to",
        "gross_sales",
    ];
    cli(&misfit)
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "warning: `successful_payments` looks like a count (its suggested KPI `orders`), but Gross sales is a currency KPI",
        ))
        .stderr(predicate::str::contains("error[sentinel.confirm]"));
    assert!(mappings(url, "stripe").is_empty(), "nothing changed");

    // Accept every suggestion: one batch, one audit entry; no misfit, so no question.
    cli(&["map", "--connector", "stripe", "--suggested"])
        .assert()
        .success()
        .stdout(predicate::str::contains("kpis.mapped: 5 metric(s) changed"));
    assert_eq!(audit_count(url, "action = 'kpis.mapped'"), 1);
    assert_eq!(
        mappings(url, "stripe"),
        [
            "gross_volume gross_sales - ana 1",
            "net_volume net_revenue - ana 1",
            "new_customers new_customers - ana 1",
            "subscriber_churn_rate churn_rate - ana 1",
            "successful_payments orders - ana 1",
        ]
    );

    // "Not a KPI" needs a reason; then the gate no longer asks about mrr.
    cli(&["ignore", "--connector", "stripe", "mrr", "--reason", " "])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[kpis.reason_required]"));
    cli(&[
        "ignore",
        "--connector",
        "stripe",
        "mrr",
        "--reason",
        "reported by the finance connector",
    ])
    .assert()
    .success()
    .stdout(predicate::str::contains(
        "kpis.ignored: 1 metric(s) changed",
    ));
    let out = stdout(&mut list(&["list", "--connector", "stripe", "--unmapped"]));
    assert_eq!(out, "no metric matches\n");

    // Typos get a did-you-mean, and nothing changes.
    cli(&[
        "map",
        "--connector",
        "stripe",
        "gross_volum",
        "--to",
        "orders",
        "--yes",
    ])
    .assert()
    .code(2)
    .stderr(
        predicate::str::contains("error[kpis.unknown_metric]")
            .and(predicate::str::contains("did you mean `gross_volume`")),
    );
    cli(&[
        "map",
        "--connector",
        "stripe",
        "net_volume",
        "--to",
        "net_revenu",
        "--yes",
    ])
    .assert()
    .code(2)
    .stderr(
        predicate::str::contains("error[kpis.unknown_kpi]")
            .and(predicate::str::contains("did you mean `net_revenue`")),
    );
    cli(&["unmap", "--connector", "strip", "mrr"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[review.not_found]"));

    // Coverage: per connector and per KPI.
    let out = stdout(&mut list(&["coverage"]));
    assert!(out.contains("stripe     draft   6 of 6 metrics mapped  churn_rate, gross_sales, net_revenue, new_customers, orders"), "{out}");
    assert!(
        out.contains("notion     draft   0 of 3 metrics mapped"),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("orders") && l.ends_with("stripe")),
        "{out}"
    );

    // Approved: unmapping asks first (it goes back to review), then does it.
    exec(url, "INSERT INTO scope_gating (provider_slug, scope_name, firearm_type) \
         SELECT provider_slug, name, 'moves_money' FROM connector_scopes WHERE provider_slug = 'stripe' AND requires_firearm");
    sentinel()
        .args(["approve", "stripe", "--yes", "--db", url])
        .assert()
        .success();
    let unmap = ["unmap", "--connector", "stripe", "mrr"];
    cli(&unmap)
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "approved, would go back to review: stripe",
        ))
        .stderr(predicate::str::contains("error[sentinel.confirm]"));
    assert_eq!(status(url, "stripe"), "approved");
    cli(&unmap).arg("--yes").assert().success().stdout(
        predicate::str::contains("kpis.unmapped: 1 metric(s) changed")
            .and(predicate::str::contains("sent back to review: stripe")),
    );
    assert_eq!(status(url, "stripe"), "draft");
    assert!(
        mappings(url, "stripe").contains(&"mrr - - ana 2".to_string()),
        "the row stays, unmapped"
    );
}

#[test]
fn kpis_cli_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("registry.db");
    kpis_story(db.to_str().unwrap());
}

#[test]
fn kpis_cli_on_postgres() {
    let pg = PgDb::new();
    kpis_story(&pg.url);
}
