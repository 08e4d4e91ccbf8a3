//! `sentinel firearms list|add|edit|retire|restore|delete`: the firearm type registry on the
//! command line. Thin adapters over the registry; the rules live in the registry crate.

use crate::review::Who;
use crate::scopes::TableFormat;
use crate::{open, output};
use clap::{ArgGroup, Subcommand, ValueEnum};
use godconfig_registry::{FirearmOp, FirearmType, FirearmTypeFields, Registry, RiskLevel};
use godconfig_sentinel::SentinelError;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum Risk {
    Low,
    Medium,
    High,
    Critical,
}

impl From<Risk> for RiskLevel {
    fn from(r: Risk) -> RiskLevel {
        match r {
            Risk::Low => RiskLevel::Low,
            Risk::Medium => RiskLevel::Medium,
            Risk::High => RiskLevel::High,
            Risk::Critical => RiskLevel::Critical,
        }
    }
}

#[derive(Subcommand)]
pub enum FirearmsCommand {
    /// List firearm types: risk level, retired or not, and where each is used
    List {
        #[arg(long, value_enum, default_value = "human")]
        format: TableFormat,
        /// Registry URL (see `sentinel sync --help`)
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
    },
    /// Add a firearm type (SLUG: snake_case, e.g. `moves_money`)
    Add {
        slug: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        description: String,
        #[arg(long, value_enum)]
        risk: Risk,
        #[command(flatten)]
        who: Who,
    },
    /// Change a firearm type's name, description or risk level
    #[command(group(ArgGroup::new("fields").required(true).multiple(true).args(["name", "description", "risk"])))]
    Edit {
        slug: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        description: Option<String>,
        #[arg(long, value_enum)]
        risk: Option<Risk>,
        #[command(flatten)]
        who: Who,
    },
    /// Retire a type: it stays on its scopes but cannot be given to more
    Retire {
        slug: String,
        #[command(flatten)]
        who: Who,
    },
    /// Restore a retired type
    Restore {
        slug: String,
        #[command(flatten)]
        who: Who,
    },
    /// Delete a type that no scope uses (retire a used one instead)
    Delete {
        slug: String,
        #[command(flatten)]
        who: Who,
    },
}

pub async fn run(command: FirearmsCommand) -> Result<ExitCode, SentinelError> {
    let (slug, who) = match command {
        FirearmsCommand::List { format, db } => return list(format, db).await,
        FirearmsCommand::Add {
            ref slug, ref who, ..
        }
        | FirearmsCommand::Edit {
            ref slug, ref who, ..
        }
        | FirearmsCommand::Retire { ref slug, ref who }
        | FirearmsCommand::Restore { ref slug, ref who }
        | FirearmsCommand::Delete { ref slug, ref who } => (slug.clone(), who),
    };
    let store = open(who.db.as_deref()).await?;
    let result = change(&store, &command, slug, &who.actor()).await;
    store.close().await;
    result
}

/// The type as it is now (its version is what a change is based on).
async fn current(store: &Registry, slug: &str) -> Result<FirearmType, SentinelError> {
    let types = store.firearm_types().await?;
    Ok(godconfig_registry::firearms::find_type(types, slug)?)
}

async fn change(
    store: &Registry,
    command: &FirearmsCommand,
    slug: String,
    actor: &str,
) -> Result<ExitCode, SentinelError> {
    let op = match command {
        FirearmsCommand::Add {
            name,
            description,
            risk,
            ..
        } => FirearmOp::Add {
            slug,
            fields: FirearmTypeFields {
                name: name.clone(),
                description: description.clone(),
                risk_level: (*risk).into(),
            },
        },
        FirearmsCommand::Edit {
            name,
            description,
            risk,
            ..
        } => {
            let t = current(store, &slug).await?;
            FirearmOp::Update {
                slug,
                version: t.version,
                fields: FirearmTypeFields {
                    name: name.clone().unwrap_or(t.name),
                    description: description.clone().unwrap_or(t.description),
                    risk_level: risk.map_or(t.risk_level, RiskLevel::from),
                },
            }
        }
        FirearmsCommand::Retire { .. } => {
            let version = current(store, &slug).await?.version;
            FirearmOp::Retire { slug, version }
        }
        FirearmsCommand::Restore { .. } => {
            let version = current(store, &slug).await?.version;
            FirearmOp::Restore { slug, version }
        }
        FirearmsCommand::Delete { .. } => {
            let version = current(store, &slug).await?.version;
            FirearmOp::Delete { slug, version }
        }
        FirearmsCommand::List { .. } => unreachable!("listed in run()"),
    };
    let after = store.change_firearm_type(&op, actor).await?;
    let slug = op.slug();
    match (&op, after) {
        (FirearmOp::Delete { .. }, _) | (_, None) => println!("deleted firearm type {slug}"),
        (FirearmOp::Add { .. }, Some(t)) => println!("added firearm type {}", describe(&t)),
        (FirearmOp::Update { .. }, Some(t)) => println!("updated firearm type {}", describe(&t)),
        (FirearmOp::Retire { .. }, Some(t)) => println!(
            "retired firearm type {slug}: it stays on {} scope(s) but cannot be given to more",
            t.usage.iter().map(|u| u.scopes).sum::<i64>()
        ),
        (FirearmOp::Restore { .. }, Some(_)) => println!("restored firearm type {slug}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(t: &FirearmType) -> String {
    format!("{}: {} ({} risk)", t.slug, t.name, t.risk_level.as_str())
}

async fn list(format: TableFormat, db: Option<String>) -> Result<ExitCode, SentinelError> {
    let store = open(db.as_deref()).await?;
    let types = store.firearm_types().await;
    store.close().await;
    output::firearm_types(&types?, format);
    Ok(ExitCode::SUCCESS)
}
