//! What `sentinel vault status|list` print: names, health and metadata, never a value.

use crate::output::{columns, json_doc};
use crate::scopes::TableFormat;
use godconfig_registry::DevAccount;
use godconfig_sentinel::vault::{Health, SecretHealth, VaultReport};
use serde::Serialize;
use std::collections::BTreeSet;

fn day(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d").to_string()
}

fn detail(s: &SecretHealth) -> String {
    match (&s.health, &s.account) {
        (Health::Missing, _) => format!("fix: sentinel vault set {}", s.vault_key),
        (Health::Unknown, _) => "the keyring did not answer".to_string(),
        (_, None) => "set outside God Config (age unknown)".to_string(),
        (health, Some(a)) => {
            let mut text = format!("set {} by {}", day(a.set_at), a.set_by);
            if let Some(r) = a.rotated_at {
                text += &format!(", rotated {}", day(r));
            }
            if let Some(l) = &a.label {
                text += &format!(" ({l})");
            }
            if *health == Health::Stale {
                text += &format!("; {} days old: rotate it", s.age_days.unwrap_or_default());
            }
            text
        }
    }
}

pub fn status(report: &VaultReport, format: TableFormat) {
    if let Some(problem) = &report.keyring_error {
        eprintln!("error[{}]: {}", problem.code, problem.message);
    }
    if format == TableFormat::Json {
        return json_doc("vault", report);
    }
    let rows: Vec<[String; 4]> = report
        .secrets
        .iter()
        .map(|s| {
            [
                format!("{} ({})", s.slug, s.status.as_str()),
                s.vault_key.clone(),
                s.health.as_str().to_string(),
                detail(s),
            ]
        })
        .collect();
    if rows.is_empty() {
        println!("no registered connector requires a secret");
        return;
    }
    columns(["CONNECTOR", "KEY", "HEALTH", "DETAIL"], &rows);
    println!(
        "{} keys: {} present, {} missing, {} stale{} (rotation age {} days)",
        report.secrets.len(),
        report.count(Health::Present),
        report.count(Health::Missing),
        report.count(Health::Stale),
        match report.count(Health::Unknown) {
            0 => String::new(),
            n => format!(", {n} unknown"),
        },
        report.rotation_days
    );
}

#[derive(Serialize)]
struct ListRow<'a> {
    vault_key: &'a str,
    in_keyring: bool,
    account: Option<&'a DevAccount>,
}

/// Every key in the keyring (of those the connectors require) or in the metadata, by name.
pub fn list(accounts: &[DevAccount], in_keyring: &BTreeSet<String>, format: TableFormat) {
    let mut names: Vec<&str> = in_keyring.iter().map(String::as_str).collect();
    names.extend(accounts.iter().map(|a| a.vault_key.as_str()));
    names.sort();
    names.dedup();
    let rows: Vec<ListRow> = names
        .into_iter()
        .map(|n| ListRow {
            vault_key: n,
            in_keyring: in_keyring.contains(n),
            account: accounts.iter().find(|a| a.vault_key == n),
        })
        .collect();
    if format == TableFormat::Json {
        return json_doc("keys", &rows);
    }
    if rows.is_empty() {
        println!("no keys: set one with `sentinel vault set PROVIDER_{{SLUG}}_{{KEY}}`");
        return;
    }
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            let a = r.account;
            [
                r.vault_key.to_string(),
                a.and_then(|a| a.label.clone()).unwrap_or_default(),
                a.map(|a| a.set_by.clone()).unwrap_or_else(|| "-".into()),
                a.map(|a| day(a.set_at)).unwrap_or_else(|| "-".into()),
                a.and_then(|a| a.rotated_at)
                    .map(day)
                    .unwrap_or_else(|| "-".into()),
                match (r.in_keyring, a.is_some()) {
                    (true, true) => "yes",
                    (true, false) => "yes (set outside God Config)",
                    (false, _) => "no (metadata only: set it again or rm it)",
                }
                .to_string(),
            ]
        })
        .collect();
    columns(
        [
            "KEY",
            "LABEL",
            "SET BY",
            "SET AT",
            "ROTATED AT",
            "IN KEYRING",
        ],
        &cells,
    );
}
