//! The audit log as CSV, for a spreadsheet: RFC 4180, JSON columns as compact JSON text, and no
//! cell a spreadsheet would run as a formula (OWASP's CSV injection advice).

use crate::review::AuditEntry;
use std::borrow::Cow;

/// A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to a
/// spreadsheet; a leading `'` makes it text, as OWASP recommends. The csv writer quotes the rest.
pub fn neutralize(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// The audit log as CSV (RFC 4180), JSON columns as compact JSON text.
pub fn audit_csv(entries: &[AuditEntry]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let json =
        |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
    w.write_record([
        "id",
        "at",
        "actor",
        "action",
        "connector",
        "detail",
        "before",
        "after",
    ])
    .expect("in memory");
    for e in entries {
        let cells = [
            e.id.to_string(),
            e.at.to_rfc3339(),
            e.actor.clone(),
            e.action.clone(),
            e.provider_slug.clone().unwrap_or_default(),
            json(&e.detail),
            json(&e.before),
            json(&e.after),
        ];
        w.write_record(cells.iter().map(|c| neutralize(c).into_owned()))
            .expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("CSV of UTF-8 strings")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn entry(actor: &str, action: &str) -> AuditEntry {
        AuditEntry {
            id: 1,
            at: DateTime::parse_from_rfc3339("2026-11-21T10:00:00Z")
                .unwrap()
                .to_utc(),
            actor: actor.into(),
            action: action.into(),
            provider_slug: None,
            detail: None,
            before: None,
            after: None,
        }
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let mut e = entry("ana", "operator.rejected");
        e.provider_slug = Some("shopify".into());
        e.detail = Some(serde_json::json!({"reason": "too broad, \"write\" scopes"}));
        let csv = audit_csv(&[e]);
        assert_eq!(
            csv,
            "id,at,actor,action,connector,detail,before,after\n\
             1,2026-11-21T10:00:00+00:00,ana,operator.rejected,shopify,\"{\"\"reason\"\":\"\"too broad, \\\"\"write\\\"\" scopes\"\"}\",,\n"
        );
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_text() {
        for evil in [
            "=HYPERLINK(\"http://x\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(neutralize(evil), format!("'{evil}"));
        }
        assert_eq!(neutralize("ana"), "ana");
        assert_eq!(neutralize(""), "");
        let e = entry("=cmd|' /C calc'!A0", "operator.approved");
        let csv = audit_csv(&[e]);
        let row = csv.lines().nth(1).unwrap();
        assert!(row.contains(",'=cmd|' /C calc'!A0,"), "{row}");
    }
}
