//! `sentinel vault status|list|set|rm|exec`: developer keys in the OS keyring. A value is read
//! from a no-echo prompt or standard input, never from an argument, and never printed.

use crate::review::{confirm, Who};
use crate::scopes::TableFormat;
use crate::{open, vault_output};
use clap::Subcommand;
use godconfig_registry::run::RunMode;
use godconfig_sentinel::vault::{self, DEFAULT_ROTATION_DAYS};
use godconfig_sentinel::SentinelError;
use godconfig_vault::{Secret, Vault};
use std::io::IsTerminal;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum VaultCommand {
    /// Secret health: each key the manifests require, present, missing or stale
    Status {
        /// Only this connector
        #[arg(long, value_name = "SLUG")]
        connector: Option<String>,
        /// A key last written longer ago than this is stale
        #[arg(long, value_name = "DAYS", env = "GODCONFIG_ROTATION_DAYS", default_value_t = DEFAULT_ROTATION_DAYS, value_parser = clap::value_parser!(u32).range(1..=3650))]
        rotation_days: u32,
        #[arg(long, value_enum, default_value = "human")]
        format: TableFormat,
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
    },
    /// The keys in the keyring and who set them when: names and metadata, never values
    List {
        #[arg(long, value_enum, default_value = "human")]
        format: TableFormat,
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
    },
    /// Store a key (PROVIDER_{SLUG}_{KEY}); the value comes from a no-echo prompt or stdin
    Set {
        #[arg(value_name = "PROVIDER_SLUG_KEY")]
        name: String,
        /// A note shown next to the key, such as the test store it belongs to
        #[arg(long)]
        label: Option<String>,
        #[command(flatten)]
        who: Who,
    },
    /// Delete a key from the keyring, and its metadata
    Rm {
        #[arg(value_name = "PROVIDER_SLUG_KEY")]
        name: String,
        /// Do not ask for confirmation
        #[arg(long, short)]
        yes: bool,
        #[command(flatten)]
        who: Who,
    },
    /// Run COMMAND with exactly one connector's keys in its environment (no .env file); only
    /// for a connector approved as its files are now, or a draft with --draft
    Exec {
        #[arg(long, value_name = "SLUG")]
        connector: String,
        /// Run a draft with your dev keys (audited; never a rejected or removed connector)
        #[arg(long)]
        draft: bool,
        /// The connectors folder, whose files must be the approved ones
        #[arg(long, default_value = "connectors")]
        dir: std::path::PathBuf,
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
        /// The command and its arguments, after `--`
        #[arg(last = true, required = true, value_name = "COMMAND")]
        command: Vec<std::ffi::OsString>,
    },
}

pub async fn run(command: VaultCommand) -> Result<ExitCode, SentinelError> {
    let keyring = Vault::os();
    match command {
        VaultCommand::Status {
            connector,
            rotation_days,
            format,
            db,
        } => {
            let store = open(db.as_deref()).await?;
            let report = vault::status(&store, &keyring, connector.as_deref(), rotation_days).await;
            store.close().await;
            let report = report?;
            vault_output::status(&report, format);
            Ok(if report.keyring_error.is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            })
        }
        VaultCommand::List { format, db } => {
            let store = open(db.as_deref()).await?;
            let names = async {
                let mut names: Vec<String> = store
                    .required_secrets(None)
                    .await?
                    .into_iter()
                    .map(|r| r.vault_key)
                    .collect();
                let accounts = store.dev_accounts(None).await?;
                names.extend(accounts.iter().map(|a| a.vault_key.clone()));
                Ok::<_, godconfig_registry::RegistryError>((names, accounts))
            }
            .await;
            store.close().await;
            let (names, accounts) = names?;
            let in_keyring = tokio::task::spawn_blocking(move || keyring.present_among(&names))
                .await
                .map_err(|e| godconfig_vault::VaultError::Keyring {
                    detail: format!("the keyring call stopped: {e}"),
                })??;
            vault_output::list(&accounts, &in_keyring, format);
            Ok(ExitCode::SUCCESS)
        }
        VaultCommand::Set { name, label, who } => {
            godconfig_vault::check_account(&name)?;
            let store = open(who.db.as_deref()).await?;
            // Refuse an unknown name before asking for the value.
            let known = store.resolve_vault_key(&name).await;
            let result = match known {
                Ok(_) => match read_value(&name) {
                    Ok(value) => {
                        vault::set_key(
                            &store,
                            &keyring,
                            &name,
                            value,
                            label.as_deref(),
                            &who.actor(),
                        )
                        .await
                    }
                    Err(e) => Err(e),
                },
                Err(e) => Err(e.into()),
            };
            store.close().await;
            let account = result?;
            let verb = if account.rotated_at.is_some() {
                "replaced"
            } else {
                "stored"
            };
            println!(
                "{verb} {name} in the OS keyring (set by {})",
                account.set_by
            );
            Ok(ExitCode::SUCCESS)
        }
        VaultCommand::Rm { name, yes, who } => {
            godconfig_vault::check_account(&name)?;
            if !yes && !confirm(&format!("Delete {name} from the OS keyring?"))? {
                println!("nothing deleted");
                return Ok(ExitCode::from(1));
            }
            let store = open(who.db.as_deref()).await?;
            let result = vault::delete_key(&store, &keyring, &name, &who.actor()).await;
            store.close().await;
            if result? {
                println!("deleted {name}");
            } else {
                println!("{name} was not set; nothing to delete");
            }
            Ok(ExitCode::SUCCESS)
        }
        VaultCommand::Exec {
            connector,
            draft,
            dir,
            db,
            command,
        } => {
            let mode = if draft {
                RunMode::Draft
            } else {
                RunMode::Approved
            };
            let target = (connector.as_str(), mode, dir.join(&connector));
            exec(target, db.as_deref(), &keyring, command).await
        }
    }
}

/// The value from a no-echo prompt on a terminal, else all of stdin; trimmed, never echoed.
fn read_value(name: &str) -> Result<Secret, SentinelError> {
    let read_error = |e: std::io::Error| SentinelError::ReadValue {
        reason: e.to_string(),
    };
    let value = if std::io::stdin().is_terminal() {
        Secret::new(
            rpassword::prompt_password(format!("Value for {name} (not shown): "))
                .map_err(read_error)?,
        )
    } else {
        // Room for any key up front, so growing the buffer leaves no stray copies behind.
        let mut text = Secret::new(String::with_capacity(16 * 1024));
        text.read_from(&mut std::io::stdin()).map_err(read_error)?;
        text
    }
    .trimmed();
    if value.has_inner_newline() {
        eprintln!("warning: the value of {name} has a line break inside it; check you pasted only the key");
    }
    Ok(value)
}

/// Runs the command with the connector's keys and the allow-listed variables only
/// (`vault::run::INHERITED`), so no registry URL, database password or other connector's key
/// reaches it. Exits with the command's own exit code.
async fn exec(
    (slug, mode, connector_dir): (&str, RunMode, std::path::PathBuf),
    db: Option<&str>,
    keyring: &Vault,
    command: Vec<std::ffi::OsString>,
) -> Result<ExitCode, SentinelError> {
    let store = open(db).await?;
    let actor = godconfig_sentinel::os_user();
    let env = vault::run::run_env(&store, keyring, &connector_dir, (slug, mode, &actor)).await;
    store.close().await;
    let env = env?;
    let (program, args) = command.split_first().expect("clap requires a command");
    let mut child = std::process::Command::new(program);
    child.args(args);
    child.env_clear();
    child.envs(vault::run::inherited_env(std::env::vars_os()));
    for (name, value) in &env {
        child.env(name, value.expose());
    }
    let status = child.status().map_err(|e| SentinelError::Exec {
        program: program.to_string_lossy().into_owned(),
        reason: e.to_string(),
    });
    drop(child);
    drop(env);
    let status = status?;
    Ok(exit_code(&status))
}

fn exit_code(status: &std::process::ExitStatus) -> ExitCode {
    if let Some(code) = status.code() {
        return ExitCode::from(u8::try_from(code).unwrap_or(1));
    }
    #[cfg(unix)]
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(status) {
        // The shell convention for a child killed by a signal.
        return ExitCode::from(u8::try_from(128 + signal).unwrap_or(1));
    }
    ExitCode::from(1)
}
