//! Everything the CLI prints. Data goes to stdout; progress and errors go to stderr.

use crate::Format;
use godconfig_manifest::{CheckReport, Diagnostic};
use godconfig_registry::{
    ChangeKind, ConnectorChange, ConnectorDiff, DbTarget, ListDiff, StatusRow,
};
use godconfig_sentinel::{Progress, SentinelError, SyncOutcome};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

pub fn error(e: &SentinelError) {
    eprintln!("error[{}]: {e}\n  hint: {}", e.code(), e.hint());
}

fn diagnostics(diags: &[Diagnostic], format: Format) {
    for d in godconfig_sentinel::sorted(diags) {
        match format {
            Format::Rich => {
                let source = std::fs::read_to_string(&d.path).unwrap_or_default();
                eprintln!("{}: {:?}", d.path, d.to_report(&source));
            }
            _ => eprintln!("{}", d.render_plain()),
        }
    }
}

pub fn check(report: &CheckReport, format: Format) {
    if format == Format::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(report).expect("serializable")
        );
        return;
    }
    diagnostics(&report.diagnostics, format);
    println!(
        "checked {} manifest{}: {} valid, {} invalid",
        report.checked,
        plural(report.checked),
        report.valid,
        report.invalid
    );
}

pub fn progress(format: Format) -> ProgressBar {
    let bar = if format == Format::Json {
        ProgressBar::hidden()
    } else {
        ProgressBar::new_spinner()
    };
    bar.set_style(ProgressStyle::with_template("{spinner} {msg} {pos}/{len}").expect("template"));
    bar.set_message("scanning manifests");
    bar
}

pub fn on_progress(bar: &ProgressBar, p: Progress) {
    match p {
        Progress::Scanned { connectors } => {
            bar.set_message(format!("registering {connectors} connectors"))
        }
        Progress::Registered => bar.set_message("registered"),
        Progress::Generating { total } => {
            bar.set_length(total as u64);
            bar.set_message("generating mcp.py");
        }
        Progress::Generated { done } => bar.set_position(done as u64),
    }
}

fn list(label: &str, d: &ListDiff) -> Option<String> {
    let mut parts: Vec<String> = d.added.iter().map(|n| format!("+{n}")).collect();
    parts.extend(d.removed.iter().map(|n| format!("-{n}")));
    parts.extend(d.changed.iter().map(|n| format!("~{n}")));
    (!parts.is_empty()).then(|| format!("{label}: {}", parts.join(" ")))
}

/// A connector diff as indented lines: names added (+), removed (-), changed (~), then fields.
pub fn diff_lines(d: &ConnectorDiff, indent: &str) -> Vec<String> {
    let mut out: Vec<String> = [
        list("scopes", &d.scopes),
        list("metrics", &d.metrics),
        list("operations", &d.operations),
    ]
    .into_iter()
    .flatten()
    .map(|l| format!("{indent}{l}"))
    .collect();
    if !d.fields.is_empty() {
        out.push(format!("{indent}fields: {}", d.fields.join(", ")));
    }
    out
}

fn change_lines(c: &ConnectorChange, sign: char) -> Vec<String> {
    let d = &c.diff;
    if c.kind == ChangeKind::Added {
        let n = |l: &ListDiff| l.added.len();
        return vec![format!(
            "  + {} (draft): {} scopes, {} metrics, {} operations",
            c.slug,
            n(&d.scopes),
            n(&d.metrics),
            n(&d.operations)
        )];
    }
    let mut out = vec![format!("  {sign} {} ({})", c.slug, c.status_after.as_str())];
    out.extend(diff_lines(d, "      "));
    if c.sent_back_to_draft() {
        out.push(format!("      back to draft: {}", d.risk.join("; ")));
    }
    out
}

pub fn sync(o: &SyncOutcome, target: &DbTarget, plan: bool, format: Format) {
    let r = &o.report;
    if format == Format::Json {
        let doc = json!({
            "version": godconfig_manifest::REPORT_VERSION,
            "plan": plan,
            "registry": target.display(),
            "run_id": r.run_id,
            "added": r.added, "changed": r.changed, "removed": r.removed,
            "unchanged": r.unchanged, "rejected": r.rejected,
            "generated": o.written.len(),
            "diagnostics": o.check.diagnostics,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).expect("serializable")
        );
        return;
    }
    diagnostics(&o.check.diagnostics, format);
    let verb = if plan { "plan" } else { "sync" };
    println!(
        "{verb}: {} connector{}: {} added, {} changed, {} removed, {} unchanged, {} rejected",
        o.check.checked,
        plural(o.check.checked),
        r.added.len(),
        r.changed.len(),
        r.removed.len(),
        r.unchanged,
        r.rejected.len()
    );
    for (changes, sign) in [(&r.added, '+'), (&r.changed, '~'), (&r.removed, '-')] {
        for c in changes {
            for line in change_lines(c, sign) {
                println!("{line}");
            }
        }
    }
    for slug in &r.rejected {
        println!("  ! {slug} rejected: its registered version, if any, is kept (see the diagnostics above)");
    }
    if plan {
        println!("nothing was written (--plan) to {}", target.display());
    } else {
        println!(
            "registered in {} (run {}); {} mcp.py file{} written",
            target.display(),
            r.run_id.unwrap_or_default(),
            o.written.len(),
            plural(o.written.len())
        );
    }
}

pub fn status(rows: &[StatusRow], format: Format) {
    if format == Format::Json {
        let doc = json!({ "version": godconfig_manifest::REPORT_VERSION, "connectors": rows });
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).expect("serializable")
        );
        return;
    }
    if rows.is_empty() {
        println!("no connectors registered yet: run `sentinel sync connectors`");
        return;
    }
    let w = rows.iter().map(|r| r.slug.len()).max().unwrap_or(4).max(9);
    println!(
        "{:<w$}  {:<8}  {:>6}  {:>5}  {:>7}",
        "CONNECTOR", "STATUS", "SCOPES", "GATED", "METRICS"
    );
    for r in rows {
        println!(
            "{:<w$}  {:<8}  {:>6}  {:>5}  {:>7}",
            r.slug, r.status, r.scopes, r.gated, r.metrics
        );
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
