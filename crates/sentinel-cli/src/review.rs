//! `sentinel approve|reject|revoke`: operator review from the command line, on the same
//! domain rules as the app.

use crate::open;
use clap::Args;
use godconfig_registry::{Action, ApproveRequest, Gate, RegistryError};
use godconfig_sentinel::flows::{self, approval::ApprovalCheck};
use godconfig_sentinel::vault::DEFAULT_ROTATION_DAYS;
use godconfig_sentinel::SentinelError;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

#[derive(Args)]
pub struct Who {
    /// Registry URL (see `sentinel sync --help`)
    #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
    pub db: Option<String>,
    /// Name recorded in the audit log [default: the OS user]
    #[arg(long = "as", value_name = "NAME")]
    pub actor: Option<String>,
}

impl Who {
    pub(crate) fn actor(&self) -> String {
        self.actor
            .clone()
            .unwrap_or_else(godconfig_sentinel::os_user)
    }
}

pub fn print_gate(g: &Gate) {
    if g.passes() {
        println!(
            "{} ({}): ready to approve (manifest {})",
            g.slug,
            g.status.as_str(),
            crate::show::short(&g.manifest_hash)
        );
        return;
    }
    println!(
        "{} ({}): {} missing",
        g.slug,
        g.status.as_str(),
        g.missing.len()
    );
    for m in &g.missing {
        println!("  - {}\n    fix: {}", m.describe(), m.fix(&g.slug));
    }
}

pub(crate) fn confirm(question: &str) -> Result<bool, SentinelError> {
    if !std::io::stdin().is_terminal() {
        return Err(SentinelError::Confirm {
            question: question.to_string(),
        });
    }
    eprint!("{question} [y/N] ");
    std::io::stderr().flush().ok();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).ok();
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

pub async fn approve(
    slugs: Vec<String>,
    (hash, fingerprint): (Option<String>, Option<String>),
    check: bool,
    yes: bool,
    who: Who,
) -> Result<ExitCode, SentinelError> {
    let store = open(who.db.as_deref()).await?;
    let result = async {
        let keyring = godconfig_vault::Vault::os();
        let found =
            flows::approval::check_approval(&store, &keyring, &slugs, DEFAULT_ROTATION_DAYS)
                .await?;
        found.gates.iter().for_each(print_gate);
        warn_missing_keys(&found);
        let refused = found.refused();
        if check {
            return Ok(if refused.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            });
        }
        if !refused.is_empty() {
            // Listed above, before any confirmation; the store would refuse the same way.
            return Err(RegistryError::GateRefused { gates: refused }.into());
        }
        let question = format!(
            "Approve {} connector(s): {}?",
            slugs.len(),
            slugs.join(", ")
        );
        if !yes && !confirm(&question)? {
            println!("nothing approved");
            return Ok(ExitCode::from(1));
        }
        let requests: Vec<ApproveRequest> = slugs
            .iter()
            .map(|s| ApproveRequest {
                slug: s.clone(),
                expected_hash: hash.clone(),
                expected_fingerprint: fingerprint.clone(),
            })
            .collect();
        for a in store.approve(&requests, &who.actor()).await? {
            println!(
                "approved {} by {} at {} (manifest {})",
                a.slug,
                a.approved_by,
                a.approved_at.to_rfc3339(),
                a.manifest_hash
            );
        }
        Ok(ExitCode::SUCCESS)
    }
    .await;
    store.close().await;
    result
}

/// Missing developer keys are a warning on approval, never a block: one line each on stderr.
fn warn_missing_keys(check: &ApprovalCheck) {
    if let Some(problem) = &check.keyring_error {
        eprintln!("warning: developer keys not checked ({})", problem.message);
    }
    for k in &check.missing_keys {
        eprintln!(
            "warning: {}: {} is not in your keyring; approval does not need it, running the connector does (sentinel vault set {})",
            k.slug, k.vault_key, k.vault_key
        );
    }
}

pub async fn decide(
    slug: String,
    action: Action,
    reason: String,
    who: Who,
) -> Result<ExitCode, SentinelError> {
    let store = open(who.db.as_deref()).await?;
    let result = store.decide(&slug, action, &who.actor(), &reason).await;
    store.close().await;
    result?;
    let done = if action == Action::Reject {
        "rejected"
    } else {
        "revoked; back to draft"
    };
    println!("{slug}: {done}");
    Ok(ExitCode::SUCCESS)
}
