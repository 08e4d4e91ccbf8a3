//! `sentinel db init-roles|whoami`: team mode on a shared PostgreSQL registry.

use crate::{open, output, Format};
use clap::Subcommand;
use godconfig_registry::{PolicyChange, TeamPolicy};
use godconfig_sentinel::SentinelError;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum DbCommand {
    /// Create the team roles, grants, row-level security and triggers (PostgreSQL; run as the
    /// owner of the registry's tables, with CREATEROLE); idempotent
    InitRoles {
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
    },
    /// Show the team policy, or change it (admins): the four-eyes rule and the approval expiry
    Policy {
        /// on: an operator cannot approve a connector whose gating or mappings they changed last
        #[arg(long, value_name = "on|off", value_parser = on_off)]
        four_eyes: Option<bool>,
        /// Approvals of connectors with gated scopes expire after DAYS (1-3650), or `off`
        #[arg(long, value_name = "DAYS|off", value_parser = days_or_off)]
        approval_expiry_days: Option<Expiry>,
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
        /// Name recorded in the audit log outside team mode [default: the OS user]
        #[arg(long = "as", value_name = "NAME")]
        actor: Option<String>,
    },
    /// Send expired approvals back to review now (a sync does it too)
    Expire {
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
        #[arg(long = "as", value_name = "NAME")]
        actor: Option<String>,
    },
    /// Show who the database says you are, and your roles
    Whoami {
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
}

pub async fn run(command: DbCommand) -> Result<ExitCode, SentinelError> {
    match command {
        DbCommand::InitRoles { db } => {
            let store = open(db.as_deref()).await?;
            let id = store.init_roles().await;
            store.close().await;
            let id = id?;
            println!("team mode is on: roles godconfig_operator, godconfig_admin, godconfig_developer and godconfig_sentinel are ready");
            println!("you are {} ({})", id.user, roles(&id.roles));
            println!("next: CREATE ROLE alice LOGIN; GRANT godconfig_operator TO alice;  (see docs/team-mode.md)");
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Policy {
            four_eyes,
            approval_expiry_days,
            db,
            actor,
        } => {
            let store = open(db.as_deref()).await?;
            let result = async {
                let policy = store.team_policy().await?;
                if four_eyes.is_none() && approval_expiry_days.is_none() {
                    return Ok(policy);
                }
                let change = PolicyChange {
                    version: policy.version,
                    four_eyes: four_eyes.unwrap_or(policy.four_eyes),
                    approval_expiry_days: approval_expiry_days
                        .map_or(policy.approval_expiry_days, |e| e.0),
                };
                let actor = actor.unwrap_or_else(godconfig_sentinel::os_user);
                store.set_team_policy(&change, &actor).await
            }
            .await;
            store.close().await;
            print_policy(&result?);
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Expire { db, actor } => {
            let store = open(db.as_deref()).await?;
            let actor = actor.unwrap_or_else(godconfig_sentinel::os_user);
            let expired = store.expire_approvals(chrono::Utc::now(), &actor).await;
            store.close().await;
            expired_line(&expired?, false);
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Whoami { db, format } => {
            let store = open(db.as_deref()).await?;
            let id = store.identity(&godconfig_sentinel::os_user()).await;
            store.close().await;
            let id = id?;
            if format == Format::Json {
                output::json_doc("identity", &id);
            } else if id.team_mode {
                println!("{} ({}), team mode", id.user, roles(&id.roles));
            } else {
                println!("{} (every role: not in team mode)", id.user);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_policy(p: &TeamPolicy) {
    println!(
        "team mode: {}",
        if p.team_mode { "on" } else { "off (solo)" }
    );
    println!("four-eyes: {}", if p.four_eyes { "on" } else { "off" });
    match p.approval_expiry_days {
        Some(d) => println!("approval expiry: {d} days (connectors with gated scopes)"),
        None => println!("approval expiry: off"),
    }
}

/// After a sync or `db expire`: which approvals went back to review, if any (on stderr when
/// stdout is a JSON document).
pub fn expired_line(slugs: &[String], to_stderr: bool) {
    if slugs.is_empty() {
        return;
    }
    let line = format!(
        "{} approval(s) expired, back to review: {}",
        slugs.len(),
        slugs.join(", ")
    );
    if to_stderr {
        eprintln!("{line}");
    } else {
        println!("{line}");
    }
}

fn on_off(s: &str) -> Result<bool, String> {
    match s {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err("write on or off".into()),
    }
}

/// `--approval-expiry-days`: a number of days, or None for `off`.
#[derive(Clone)]
pub struct Expiry(Option<i32>);

fn days_or_off(s: &str) -> Result<Expiry, String> {
    if s == "off" {
        return Ok(Expiry(None));
    }
    match s.parse::<i32>() {
        Ok(d) if godconfig_registry::team::EXPIRY_DAYS.contains(&d) => Ok(Expiry(Some(d))),
        _ => Err("write a number of days from 1 to 3650, or off".into()),
    }
}

fn roles(roles: &[String]) -> String {
    if roles.is_empty() {
        "no God Config role".to_string()
    } else {
        roles.join(", ")
    }
}
