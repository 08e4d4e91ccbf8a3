//! `sentinel audit` (the log, newest first) and `sentinel audit verify` (its hash chain).

use crate::open;
use clap::{Args, Subcommand, ValueEnum};
use godconfig_registry::{audit_csv, ChainReport};
use godconfig_sentinel::SentinelError;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum AuditFormat {
    Human,
    Json,
    Csv,
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AuditArgs {
    #[command(subcommand)]
    command: Option<AuditCommand>,
    /// Only this connector's entries
    #[arg(long)]
    connector: Option<String>,
    #[arg(long, default_value_t = 200)]
    limit: i64,
    #[arg(long, value_enum, default_value = "human")]
    format: AuditFormat,
    /// Registry URL (see `sentinel sync --help`)
    #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
    db: Option<String>,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain from the first entry: exit 0 if intact, 1 naming the first entry
    /// that does not match
    Verify {
        #[arg(long, value_enum, default_value = "human")]
        format: VerifyFormat,
        /// Registry URL (see `sentinel sync --help`)
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum VerifyFormat {
    Human,
    Json,
}

pub async fn run(args: AuditArgs) -> Result<ExitCode, SentinelError> {
    match args.command {
        Some(AuditCommand::Verify { format, db }) => verify(format, db).await,
        None => show(args.connector, args.limit, args.format, args.db).await,
    }
}

async fn verify(format: VerifyFormat, db: Option<String>) -> Result<ExitCode, SentinelError> {
    let store = open(db.as_deref()).await?;
    let report = store.verify_audit().await;
    store.close().await;
    let report = report?;
    match format {
        VerifyFormat::Json => {
            let doc = serde_json::json!({ "version": godconfig_manifest::REPORT_VERSION, "verify": report });
            println!(
                "{}",
                serde_json::to_string_pretty(&doc).expect("serializable")
            );
        }
        VerifyFormat::Human => print_verify(&report),
    }
    Ok(crate::exit(report.first_bad.is_none()))
}

fn print_verify(r: &ChainReport) {
    let Some(bad) = &r.first_bad else {
        match &r.head {
            Some(head) => println!(
                "audit log intact: {} entries chained; last hash {head}\n\
                 (keep that hash elsewhere: a later verify that does not reach it means entries were cut from the end)",
                r.checked
            ),
            None => println!("audit log intact: it is empty"),
        }
        return;
    };
    let what = match &bad.provider_slug {
        Some(slug) => format!("{} {slug}", bad.action),
        None => bad.action.clone(),
    };
    println!(
        "audit log broken at entry {} ({what}, {}): {}",
        bad.id,
        bad.at,
        bad.problem.explain()
    );
    let before = match r.checked {
        0 => "No entry comes before it.".to_string(),
        1 => "The entry before it is intact.".to_string(),
        n => format!("The {n} entries before it are intact."),
    };
    println!(
        "{before} The registry refuses to change or delete entries, so this was done to the database directly: restore the registry from a backup taken before {}, and find out who could write to it.",
        bad.at
    );
}

async fn show(
    connector: Option<String>,
    limit: i64,
    format: AuditFormat,
    db: Option<String>,
) -> Result<ExitCode, SentinelError> {
    let store = open(db.as_deref()).await?;
    let entries = store.audit(connector.as_deref(), limit).await;
    store.close().await;
    let entries = entries?;
    match format {
        AuditFormat::Csv => print!("{}", audit_csv(&entries)),
        AuditFormat::Json => {
            let doc = serde_json::json!({ "version": godconfig_manifest::REPORT_VERSION, "entries": entries });
            println!(
                "{}",
                serde_json::to_string_pretty(&doc).expect("serializable")
            );
        }
        AuditFormat::Human if entries.is_empty() => println!("the audit log is empty"),
        AuditFormat::Human => {
            for e in &entries {
                let detail = e
                    .detail
                    .as_ref()
                    .and_then(|d| d.get("reason"))
                    .and_then(|r| r.as_str())
                    .unwrap_or("");
                println!(
                    "{:>6}  {}  {:<12}  {:<22}  {:<14}  {detail}",
                    e.id,
                    e.at.format("%Y-%m-%d %H:%M:%S"),
                    e.actor,
                    e.action,
                    e.provider_slug.as_deref().unwrap_or("-")
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
