//! `sentinel show SLUG`: the connector page, on the terminal.

use crate::open;
use crate::output::diff_lines;
use crate::review::print_gate;
use crate::Format;
use godconfig_registry::code_diff::{unified, FileState};
use godconfig_registry::{CodeReview, ConnectorDetail, Status};
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
    println!("  fingerprint: {}", d.fingerprint);
    let files: Vec<&str> = d.files.iter().map(|f| f.path.as_str()).collect();
    println!("  files: {}", files.join(", "));
    println!("  mcp.py: {}", d.mcp_path);
    if let Some(a) = &d.approval {
        // The record stays when a risky change sends the connector back to review.
        let label = if d.status == Status::Approved {
            "approved"
        } else {
            "last approved (no longer in force)"
        };
        println!(
            "  {label} by {} at {} (manifest {}, fingerprint {})",
            a.approved_by,
            a.approved_at.to_rfc3339(),
            a.manifest_hash,
            short(&a.fingerprint)
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
        println!(
            "  operation {} (scope {}, tool {})",
            o.name,
            o.scope,
            short(&o.hash)
        );
    }
    println!("  secrets: {}", d.secrets.join(", "));
    print_gate(&d.gate);
}

pub async fn show(
    slug: String,
    diff: bool,
    format: Format,
    db: Option<String>,
) -> Result<ExitCode, SentinelError> {
    let store = open(db.as_deref()).await?;
    if diff {
        let review = store.code_review(&slug).await;
        store.close().await;
        let review = review?;
        if format == Format::Json {
            crate::output::json_doc("review", &review);
        } else {
            print_review(&review);
        }
        return Ok(ExitCode::SUCCESS);
    }
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

/// `show --diff`: per file a unified diff with line numbers, then the tools that changed.
fn print_review(r: &CodeReview) {
    match &r.approved_fingerprint {
        None => println!("{}: never approved; every file and tool is new", r.slug),
        Some(fp) if r.is_unchanged() => {
            println!(
                "{}: unchanged since the approval (fingerprint {})",
                r.slug,
                short(fp)
            );
            return;
        }
        Some(fp) => println!(
            "{}: fingerprint {} (approved: {})",
            r.slug,
            short(&r.fingerprint),
            short(fp)
        ),
    }
    for f in r.files.iter().filter(|f| f.state != FileState::Same) {
        let state = match f.state {
            FileState::Added => "added",
            FileState::Removed => "removed",
            _ => "changed",
        };
        println!("\n--- {} ({state}, +{} -{})", f.path, f.added, f.removed);
        if f.binary {
            let size = |s: Option<u32>| s.map_or("-".to_string(), |s| format!("{s} bytes"));
            println!("    binary: {} -> {}", size(f.old_size), size(f.new_size));
        }
        for h in &f.hunks {
            println!("  @@");
            for l in &h.lines {
                let n = |v: Option<u32>| v.map_or(String::new(), |v| v.to_string());
                println!("{:>5} {:>5} {}", n(l.old_line), n(l.new_line), unified(l));
            }
        }
    }
    if !r.tools.is_empty() {
        println!("\ntools:");
        for t in &r.tools {
            let state = format!("{:?}", t.state).to_lowercase();
            println!("  {} ({state}): {}", t.name, t.what.join("; "));
        }
    }
}

/// The first 12 characters of a hash, as the app shows it; `-` when there is none yet.
pub(crate) fn short(hash: &str) -> &str {
    if hash.is_empty() {
        "-"
    } else {
        &hash[..12.min(hash.len())]
    }
}
