//! What `sentinel kpis` prints: tables for people, versioned JSON for machines.

use crate::output::{columns, json_doc};
use crate::scopes::TableFormat;
use godconfig_registry::kpis::ConnectorCoverage;
use godconfig_registry::{CoreKpi, MappingChange, MappingOp, MappingOutcome, MetricRow};
use std::collections::BTreeMap;

pub fn metrics(rows: &[MetricRow], format: TableFormat) {
    if format == TableFormat::Json {
        return json_doc("metrics", &rows);
    }
    if rows.is_empty() {
        println!("no metric matches");
        return;
    }
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            let mapping = match (&r.core_kpi, r.not_a_kpi) {
                (Some(k), _) => k.clone(),
                (None, true) => format!("not a KPI: {}", r.reason.as_deref().unwrap_or("")),
                (None, false) if r.orphaned => "-".into(),
                (None, false) => "UNMAPPED".into(),
            };
            let changed = match (&r.changed_by, &r.changed_at) {
                (Some(by), Some(at)) => format!("{by} {}", at.format("%Y-%m-%d %H:%M")),
                _ => "-".into(),
            };
            let mut note = Vec::new();
            if r.orphaned {
                note.push("orphaned: no longer in the manifest".to_string());
            }
            if let Some(s) = r.standard.as_ref().filter(|_| !r.settled()) {
                note.push(format!("suggest: {s}"));
            }
            let unit = r
                .likely
                .as_ref()
                .map_or("-".into(), |l| l.unit.as_str().to_string());
            [
                r.connector.clone(),
                r.raw.clone(),
                mapping,
                unit,
                changed,
                note.join("; "),
            ]
        })
        .collect();
    columns(
        ["CONNECTOR", "METRIC", "MAPPING", "UNIT?", "CHANGED", "NOTE"],
        &cells,
    );
    let open = rows.iter().filter(|r| !r.settled() && !r.orphaned).count();
    let orphaned = rows.iter().filter(|r| r.orphaned).count();
    println!(
        "{} metric(s): {open} unmapped (they block approval), {orphaned} orphaned",
        rows.len()
    );
}

pub fn core_kpis(kpis: &[CoreKpi], format: TableFormat) {
    if format == TableFormat::Json {
        return json_doc("core_kpis", &kpis);
    }
    let cells: Vec<[String; 6]> = kpis
        .iter()
        .map(|k| {
            let used: i64 = k.usage.iter().map(|u| u.metrics).sum();
            let state = if k.retired { "retired" } else { "" };
            [
                k.slug.clone(),
                k.name.clone(),
                format!("{} / {}", k.unit.as_str(), k.aggregation.as_str()),
                k.direction.noun().to_string(),
                format!("{used} metric(s) of {} connector(s)", k.usage.len()),
                state.into(),
            ]
        })
        .collect();
    columns(
        [
            "KPI",
            "NAME",
            "UNIT / AGGREGATION",
            "DIRECTION",
            "USED BY",
            "",
        ],
        &cells,
    );
}

pub fn kpi_coverage(cov: &[ConnectorCoverage], format: TableFormat) {
    if format == TableFormat::Json {
        return json_doc("coverage", &cov);
    }
    if cov.is_empty() {
        println!("no connector has metrics");
        return;
    }
    let cells: Vec<[String; 4]> = cov
        .iter()
        .map(|c| {
            let orphans = if c.orphaned > 0 {
                format!(" (+{} orphaned)", c.orphaned)
            } else {
                String::new()
            };
            [
                c.connector.clone(),
                c.connector_status.as_str().to_string(),
                format!("{} of {} metrics mapped{orphans}", c.settled, c.metrics),
                c.feeds.join(", "),
            ]
        })
        .collect();
    columns(["CONNECTOR", "STATUS", "COVERAGE", "FEEDS"], &cells);
    let mut by_kpi: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for c in cov {
        for k in &c.feeds {
            by_kpi.entry(k).or_default().push(&c.connector);
        }
    }
    println!();
    let cells: Vec<[String; 2]> = by_kpi
        .iter()
        .map(|(k, cs)| [k.to_string(), cs.join(", ")])
        .collect();
    columns(["CORE KPI", "FED BY"], &cells);
}

pub fn mapping_preview(change: &MappingChange) {
    for i in &change.items {
        let what = match &i.op {
            MappingOp::Map { core_kpi } => format!("map onto {core_kpi}"),
            MappingOp::Unmap => "unmap".into(),
            MappingOp::Ignore { reason } => format!("not a KPI ({})", reason.trim()),
        };
        println!("  {}/{}: {what}", i.connector, i.metric);
    }
}

pub fn mapping_outcome(action: &str, o: &MappingOutcome) {
    let unchanged = if o.unchanged > 0 {
        format!("; {} unchanged", o.unchanged)
    } else {
        String::new()
    };
    println!("{action}: {} metric(s) changed{unchanged}", o.changed);
    if !o.sent_back.is_empty() {
        println!("sent back to review: {}", o.sent_back.join(", "));
    }
}
