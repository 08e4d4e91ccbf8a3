//! `sentinel show SLUG`: the connector page, on the terminal.

use crate::open;
use crate::output::diff_lines;
use crate::review::print_gate;
use crate::Format;
use godconfig_registry::{ConnectorDetail, Status};
use godconfig_sentinel::SentinelError;
use std::process::ExitCode;

fn print(d: &ConnectorDetail) {
    println!("{} ({}): {}", d.slug, d.status.as_str(), d.display_name);
    if let Some(r) = &d.status_reason {
        println!("  reason: {r}");
    }
    println!(
        "  manifest: {} (sha256 {})",
        d.manifest_path, d.manifest_hash
    );
    println!("  mcp.py: {}", d.mcp_path);
    if let Some(a) = &d.approval {
        // The record stays when a risky change sends the connector back to review.
        let label = if d.status == Status::Approved {
            "approved"
        } else {
            "last approved (no longer in force)"
        };
        println!(
            "  {label} by {} at {} (manifest {})",
            a.approved_by,
            a.approved_at.to_rfc3339(),
            a.manifest_hash
        );
    }
    if let Some(c) = &d.changes_since_approval {
        println!("  changes since the approved version:");
        diff_lines(c, "    ").iter().for_each(|l| println!("{l}"));
    }
    let gated = d.scopes.iter().filter(|s| s.effective_gated).count();
    println!("  scopes ({}, {gated} gated):", d.scopes.len());
    for s in &d.scopes {
        let mark = if s.gating_override.is_some_and(|o| o != s.declared_gated) {
            " (overridden)"
        } else {
            ""
        };
        let gating = match (s.effective_gated, &s.firearm_type) {
            (false, _) => "-".to_string(),
            (true, Some(t)) => format!("gated, {t}"),
            (true, None) => "gated, NO FIREARM TYPE".to_string(),
        };
        println!("    {:<40} {gating}{mark}", s.name);
    }
    println!("  metrics ({}):", d.metrics.len());
    for m in &d.metrics {
        let mapping = match (&m.core_kpi, m.not_a_kpi) {
            (Some(k), _) => format!("-> {k}"),
            (None, true) => "not a KPI".to_string(),
            (None, false) => "NOT MAPPED".to_string(),
        };
        let suggested = m
            .standard
            .as_deref()
            .map(|s| format!(" (suggested: {s})"))
            .unwrap_or_default();
        println!("    {:<40} {mapping}{suggested}", m.raw);
    }
    println!("  utm capabilities: {}", d.utm_capabilities.join(", "));
    for o in &d.operations {
        println!("  operation {} (scope {})", o.name, o.scope);
    }
    println!("  secrets: {}", d.secrets.join(", "));
    print_gate(&d.gate);
}

pub async fn show(
    slug: String,
    format: Format,
    db: Option<String>,
) -> Result<ExitCode, SentinelError> {
    let store = open(db.as_deref()).await?;
    let detail = store.detail(&slug).await;
    store.close().await;
    let detail = detail?;
    if format == Format::Json {
        let doc = serde_json::json!({ "version": godconfig_manifest::REPORT_VERSION, "connector": detail });
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).expect("serializable")
        );
    } else {
        print(&detail);
    }
    Ok(ExitCode::SUCCESS)
}
