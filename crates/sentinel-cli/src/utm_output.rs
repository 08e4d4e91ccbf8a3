//! What `sentinel utm` prints: tables for people, versioned JSON for machines.

use crate::output::{columns, json_doc};
use crate::scopes::TableFormat;
use crate::utm::LinkCheck;
use godconfig_registry::utm::StoredTemplate;

pub fn utm_templates(templates: &[StoredTemplate], format: TableFormat) {
    if format == TableFormat::Json {
        return json_doc("templates", &templates);
    }
    if templates.is_empty() {
        println!(
            "no UTM templates yet: add one in the app's UTM builder, or `sentinel utm import FILE`"
        );
        return;
    }
    let cells: Vec<[String; 4]> = templates
        .iter()
        .map(|s| {
            let t = &s.template;
            let params = t
                .params
                .iter()
                .map(|(p, v)| format!("{p}={v}"))
                .collect::<Vec<_>>()
                .join(" ");
            let r = &t.rules;
            let rules = format!(
                "required {}{}; chars {}; max {}{}",
                r.required
                    .iter()
                    .map(|p| p.key())
                    .collect::<Vec<_>>()
                    .join(","),
                if r.lowercase { "; lowercase" } else { "" },
                r.allowed_chars,
                r.max_length,
                if r.allowed_values.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; allowed values for {}",
                        r.allowed_values
                            .keys()
                            .map(|p| p.key())
                            .collect::<Vec<_>>()
                            .join(",")
                    )
                }
            );
            let by = s.changed_by.clone().unwrap_or_else(|| "-".into());
            [t.content_type.clone(), params, rules, by]
        })
        .collect();
    columns(
        ["CONTENT TYPE", "PARAMETERS", "RULES", "CHANGED BY"],
        &cells,
    );
    println!("{} template(s)", templates.len());
}

pub fn utm_checks(results: &[LinkCheck], format: TableFormat) {
    let bad = results.iter().filter(|r| !r.violations.is_empty()).count();
    if format == TableFormat::Json {
        return json_doc("links", &results);
    }
    for r in results.iter().filter(|r| !r.violations.is_empty()) {
        println!("line {}: {}", r.line, r.url);
        for v in &r.violations {
            println!(
                "  error[{}]: {}: {}\n    fix: {}",
                v.code, v.field, v.message, v.fix
            );
        }
    }
    match (results.len(), bad) {
        (0, _) => println!("no links found (one or more http(s) links per line)"),
        (n, 0) => println!("{n} link(s) checked; all follow their template's rules"),
        (n, b) => println!("{n} link(s) checked; {b} break a rule"),
    }
}
