//! Everything the CLI prints. Data goes to stdout; progress and errors go to stderr.

use crate::scopes::TableFormat;
use crate::Format;
use godconfig_manifest::{CheckReport, Diagnostic};
use godconfig_registry::{
    ChangeKind, ConnectorChange, ConnectorDiff, DbTarget, FirearmType, GatingOutcome, ListDiff,
    ScopeRow, StatusRow,
};
use godconfig_sentinel::{Progress, SentinelError, SyncOutcome};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use std::collections::HashSet;

pub fn error(e: &SentinelError) {
    eprintln!("error[{}]: {e}\n  hint: {}", e.code(), e.hint());
}

pub fn diagnostics(diags: &[Diagnostic], format: Format) {
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
        "{:<w$}  {:<8}  {:>6}  {:>5}  {:>7}  FINGERPRINT",
        "CONNECTOR", "STATUS", "SCOPES", "GATED", "METRICS"
    );
    for r in rows {
        println!(
            "{:<w$}  {:<8}  {:>6}  {:>5}  {:>7}  {}",
            r.slug,
            r.status,
            r.scopes,
            r.gated,
            r.metrics,
            crate::show::short(&r.fingerprint)
        );
    }
}

/// A versioned JSON document holding `value` under `key`.
pub fn json_doc(key: &str, value: &impl serde::Serialize) {
    let mut doc = json!({ "version": godconfig_manifest::REPORT_VERSION });
    doc[key] = serde_json::to_value(value).expect("serializable");
    println!(
        "{}",
        serde_json::to_string_pretty(&doc).expect("serializable")
    );
}

/// Left-aligned columns, two spaces apart, trailing blanks trimmed.
pub(crate) fn columns<const N: usize>(header: [&str; N], cells: &[[String; N]]) {
    let mut w = header.map(|h| h.chars().count());
    for row in cells {
        for (w, c) in w.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cols: [&str; N]| {
        let text: Vec<String> = cols
            .iter()
            .zip(w)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", text.join("  ").trim_end());
    };
    line(header);
    for row in cells {
        line(row.each_ref().map(String::as_str));
    }
}

fn gating(gated: bool) -> &'static str {
    if gated {
        "gated"
    } else {
        "ungated"
    }
}

pub fn scopes(rows: &[ScopeRow], format: TableFormat) {
    if format == TableFormat::Json {
        return json_doc("scopes", &rows);
    }
    if rows.is_empty() {
        println!("no scope matches");
        return;
    }
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|r| {
            let mark = if r.disagrees() { "*" } else { "" };
            let firearm = match (&r.firearm_type, r.effective_gated) {
                (Some(t), _) => t.clone(),
                (None, true) => "MISSING".to_string(),
                (None, false) => "-".to_string(),
            };
            let changed = match (&r.changed_by, &r.changed_at) {
                (Some(by), Some(at)) => format!("{by} {}", at.format("%Y-%m-%d %H:%M")),
                (Some(by), None) => by.clone(),
                _ => "-".to_string(),
            };
            let note = r
                .suggestion
                .as_ref()
                .map(|s| format!("suggest: {} ({})", s.firearm_type, s.keyword))
                .unwrap_or_default();
            [
                r.connector.clone(),
                r.name.clone(),
                gating(r.declared_gated).to_string(),
                format!("{}{mark}", gating(r.effective_gated)),
                firearm,
                changed,
                note,
            ]
        })
        .collect();
    let header = [
        "CONNECTOR",
        "SCOPE",
        "DECLARED",
        "EFFECTIVE",
        "FIREARM TYPE",
        "CHANGED",
        "NOTE",
    ];
    columns(header, &cells);
    let connectors: HashSet<&str> = rows.iter().map(|r| r.connector.as_str()).collect();
    let gated = rows.iter().filter(|r| r.effective_gated).count();
    let missing = rows
        .iter()
        .filter(|r| r.effective_gated && r.firearm_type.is_none())
        .count();
    let suggested = rows.iter().filter(|r| r.suggestion.is_some()).count();
    println!(
        "{} scope(s) of {} connector(s): {gated} gated, {missing} without a firearm type, {suggested} suggestion(s)",
        rows.len(),
        connectors.len()
    );
    if rows.iter().any(ScopeRow::disagrees) {
        println!("* overridden: an operator's gating differs from the manifest's");
    }
}

/// One line of the preview: the scope as it is now.
fn now(r: &ScopeRow) -> String {
    let mut s = match (r.effective_gated, &r.firearm_type) {
        (true, Some(t)) => format!("gated, {t}"),
        (true, None) => "gated, no firearm type".to_string(),
        (false, _) => "ungated".to_string(),
    };
    if r.disagrees() {
        s.push_str(&format!(" (manifest: {})", gating(r.declared_gated)));
    }
    if let Some(sug) = &r.suggestion {
        s.push_str(&format!(
            "; suggest: {} ({})",
            sug.firearm_type, sug.keyword
        ));
    }
    s
}

/// The selected scopes of a gating change, as they are now.
pub fn scope_preview(rows: &[ScopeRow]) {
    let w = rows
        .iter()
        .map(|r| r.connector.len() + r.name.len() + 1)
        .max()
        .unwrap_or(0);
    for r in rows {
        println!(
            "  {:<w$}  now {}",
            format!("{}/{}", r.connector, r.name),
            now(r)
        );
    }
}

pub fn gating_outcome(done: &str, of: &str, to: &str, o: &GatingOutcome) {
    let unchanged = if o.unchanged > 0 {
        format!("; {} unchanged", o.unchanged)
    } else {
        String::new()
    };
    println!("{done} {} scope(s) of {of}{to}{unchanged}", o.changed);
    if !o.sent_back.is_empty() {
        println!("sent back to review: {}", o.sent_back.join(", "));
    }
}

fn usage(t: &FirearmType) -> String {
    if t.usage.is_empty() {
        return "unused".to_string();
    }
    let list: Vec<String> = t
        .usage
        .iter()
        .map(|u| format!("{} ({})", u.connector, u.scopes))
        .collect();
    format!("used by {}", list.join(", "))
}

pub fn firearm_types(types: &[FirearmType], format: TableFormat) {
    if format == TableFormat::Json {
        return json_doc("firearm_types", &types);
    }
    if types.is_empty() {
        println!("no firearm types: add one with `sentinel firearms add`");
        return;
    }
    let cells: Vec<[String; 5]> = types
        .iter()
        .map(|t| {
            let retired = if t.retired { "retired" } else { "-" };
            [
                t.slug.clone(),
                t.name.clone(),
                t.risk_level.as_str().to_string(),
                retired.to_string(),
                usage(t),
            ]
        })
        .collect();
    columns(["SLUG", "NAME", "RISK", "RETIRED", "USAGE"], &cells);
    let retired = types.iter().filter(|t| t.retired).count();
    println!("{} firearm type(s), {retired} retired", types.len());
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

pub use crate::kpis_output::*;
pub use crate::utm_output::*;
