//! `sentinel`: a thin command-line adapter over the sentinel library.

mod audit;
mod db;
mod doctor;
mod firearms;
mod kpis;
mod kpis_output;
mod mcp;
mod mcp_output;
mod output;
mod review;
mod scopes;
mod show;
mod utm;
mod utm_output;
mod vault;
mod vault_output;
mod watch;

use clap::{Parser, Subcommand, ValueEnum};
use godconfig_registry::{DbTarget, Registry};
use godconfig_sentinel::{flows, Progress, SentinelError, SyncOptions};
use std::path::PathBuf;
use std::process::ExitCode;

/// `sentinel --version`: the version, the commit and the registry schema of this build.
static VERSION: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| doctor::about().to_string());

#[derive(Parser)]
#[command(
    name = "sentinel",
    version = VERSION.as_str(),
    about = "Validates connector manifests and registers them in the God Config registry"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// `path:line:col: error[CODE]: message` lines with a hint
    Human,
    /// Source snippets with the offending span underlined
    Rich,
    /// A versioned JSON document
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Validate every DIR/*/manifest.yaml (exit 1 if any is invalid)
    Check {
        #[arg(default_value = "connectors")]
        dir: PathBuf,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Register every valid connector and generate its mcp.py (exit 1 if any manifest was rejected)
    Sync {
        #[arg(default_value = "connectors")]
        dir: PathBuf,
        /// Registry URL: postgres://…, sqlite:PATH or a file path [default: a SQLite file in your data directory]
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
        /// Print what would change, and write nothing
        #[arg(long)]
        plan: bool,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// List registered connectors with their status and scope counts
    Status {
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Print the JSON Schema (draft-07) of manifest v1
    Schema,
    /// Show one connector as a reviewer sees it: scopes and gating, metrics and mappings, the gate
    Show {
        slug: String,
        /// What changed since the approval: a line diff per file and the tools that changed
        #[arg(long)]
        diff: bool,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
    },
    /// Approve drafts whose gate passes: all of them, or none (asks for confirmation)
    Approve {
        #[arg(required = true)]
        slugs: Vec<String>,
        /// Only approve if the manifest hash is still this one (what you reviewed); one SLUG only
        #[arg(long)]
        hash: Option<String>,
        /// Only approve if the files' fingerprint is still this one (`sentinel show`); one SLUG only
        #[arg(long)]
        fingerprint: Option<String>,
        /// Show the gate and exit (1 if it refuses); approve nothing
        #[arg(long)]
        check: bool,
        /// Confirm without a prompt
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        who: review::Who,
    },
    /// Reject a draft, with a reason
    Reject {
        slug: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        who: review::Who,
    },
    /// Revoke an approval, with a reason: the connector goes back to draft
    Revoke {
        slug: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        who: review::Who,
    },
    /// Show the audit log, newest first; `audit verify` checks its hash chain
    Audit(audit::AuditArgs),
    /// The scope manager: list scopes, gate, ungate, set firearm types, dismiss suggestions
    Scopes {
        #[command(subcommand)]
        command: scopes::ScopesCommand,
    },
    /// Firearm types: list, add, edit, retire, restore, delete
    Firearms {
        #[command(subcommand)]
        command: firearms::FirearmsCommand,
    },
    /// The KPI mapper: list metrics, map them onto core KPIs, unmap, mark "not a KPI", coverage
    Kpis {
        #[command(subcommand)]
        command: kpis::KpisCommand,
    },
    /// The UTM builder: templates (list, export, import), build a link, check finished links
    Utm {
        #[command(subcommand)]
        command: utm::UtmCommand,
    },
    /// Developer keys in the OS keyring: health, set, list, remove, and run a connector with them
    Vault {
        #[command(subcommand)]
        command: vault::VaultCommand,
    },
    /// Team mode on PostgreSQL: create the roles and policies, show who you are
    Db {
        #[command(subcommand)]
        command: db::DbCommand,
    },
    /// Order a connector: write DIR/SLUG/ with a manifest that passes `check` (commented
    /// examples of each section), a service.py with one function per example operation, and a
    /// README, then prints the prompt to hand to a coding agent; refuses an existing folder and
    /// a bad slug
    New {
        slug: String,
        /// Display name [default: from the slug]
        #[arg(long)]
        name: Option<String>,
        /// The provider's auth method
        #[arg(long, default_value = "api_key", value_parser = godconfig_sentinel::scaffold::AUTH_METHODS)]
        auth: String,
        /// The provider's API documentation (an https:// URL)
        #[arg(long, value_name = "URL")]
        docs: Option<String>,
        /// The connectors folder
        #[arg(long, default_value = "connectors")]
        dir: PathBuf,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Watch the connectors folder and register what changes (the connectors touched, once per
    /// burst of changes) until Ctrl-C; a full sync first
    Watch {
        #[arg(default_value = "connectors")]
        dir: PathBuf,
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
        /// Quiet time, in milliseconds, before a burst of changes is synced
        #[arg(long, default_value_t = 20, value_name = "MS")]
        debounce: u64,
        /// `json`: one object per line (watching, synced, sync_failed, folder_gone, stopped)
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// The MCP gateway: serve approved tools to agents, tool policies, calls waiting for a
    /// person, and connecting an MCP client
    Mcp {
        #[command(subcommand)]
        command: mcp::McpCommand,
    },
    /// Check what God Config needs on this machine: the registry reachable and migrated, the
    /// OS keyring unlocked, Python with `mcp` for the gateway, WebKitGTK for the app; says how
    /// to fix each problem (exit 1 when there is one)
    Doctor {
        /// The connectors folder (a `.venv` beside it is one place Python is looked for)
        #[arg(long, default_value = "connectors")]
        dir: PathBuf,
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
        /// The Python to check [default: GODCONFIG_PYTHON, a .venv, python3]
        #[arg(long, env = "GODCONFIG_PYTHON")]
        python: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
}

fn main() -> ExitCode {
    // `sentinel status | head` should stop quietly, like other Unix tools, not panic on EPIPE.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("SENTINEL_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    match runtime.block_on(run(cli.command)) {
        Ok(code) => code,
        Err(e) => {
            output::error(&e);
            ExitCode::from(2)
        }
    }
}

pub(crate) async fn open(db: Option<&str>) -> Result<Registry, SentinelError> {
    let target = DbTarget::resolve(db)?;
    Ok(Registry::open(&target).await?)
}

async fn run(command: Command) -> Result<ExitCode, SentinelError> {
    match command {
        Command::Check { dir, format } => {
            let report = godconfig_sentinel::check(&dir)?;
            output::check(&report, format);
            Ok(exit(report.invalid == 0))
        }
        Command::Sync {
            dir,
            db,
            plan,
            format,
        } => {
            let target = DbTarget::resolve(db.as_deref())?;
            let store = Registry::open(&target).await?;
            let bar = output::progress(format);
            let on_progress = |p: Progress| output::on_progress(&bar, p);
            let opts = SyncOptions {
                dry_run: plan,
                actor: godconfig_sentinel::os_user(),
            };
            let run = flows::sync_with_policy(&dir, &store, &opts, &on_progress).await;
            bar.finish_and_clear();
            store.close().await;
            let run = run?;
            output::sync(&run.outcome, &target, plan, format);
            db::expired_line(&run.expired?, format == Format::Json);
            Ok(exit(run.outcome.check.invalid == 0))
        }
        Command::Watch {
            dir,
            db,
            debounce,
            format,
        } => watch::run(&dir, db.as_deref(), debounce, format).await,
        Command::Status { db, format } => {
            let store = open(db.as_deref()).await?;
            let rows = store.status().await;
            store.close().await;
            output::status(&rows?, format);
            Ok(ExitCode::SUCCESS)
        }
        Command::Show {
            slug,
            diff,
            format,
            db,
        } => show::show(slug, diff, format, db).await,
        Command::Approve {
            slugs,
            hash,
            fingerprint,
            check,
            yes,
            who,
        } => {
            if (hash.is_some() || fingerprint.is_some()) && slugs.len() > 1 {
                use clap::CommandFactory;
                Cli::command()
                    .error(
                        clap::error::ErrorKind::ArgumentConflict,
                        "--hash and --fingerprint pin one connector: pass a single SLUG",
                    )
                    .exit();
            }
            review::approve(slugs, (hash, fingerprint), check, yes, who).await
        }
        Command::Reject { slug, reason, who } => {
            review::decide(slug, godconfig_registry::Action::Reject, reason, who).await
        }
        Command::Revoke { slug, reason, who } => {
            review::decide(slug, godconfig_registry::Action::Revoke, reason, who).await
        }
        Command::Audit(args) => audit::run(args).await,
        Command::Scopes { command } => scopes::run(command).await,
        Command::Firearms { command } => firearms::run(command).await,
        Command::Kpis { command } => kpis::run(command).await,
        Command::Utm { command } => utm::run(command).await,
        Command::Vault { command } => vault::run(command).await,
        Command::Db { command } => db::run(command).await,
        Command::Mcp { command } => mcp::run(command).await,
        Command::Doctor {
            dir,
            db,
            python,
            format,
        } => doctor::run(&dir, db.as_deref(), python.as_deref(), format).await,
        Command::New {
            slug,
            name,
            auth,
            docs,
            dir,
            format,
        } => {
            use godconfig_sentinel::scaffold::{agent_prompt, create, Order, Ordered};
            let order = Order {
                slug,
                name,
                auth,
                docs,
            };
            match create(&dir, &order)? {
                Ordered::Created(path) => {
                    println!(
                        "created {}: manifest.yaml, service.py, README.md",
                        path.display()
                    );
                    println!("next: write them from the provider's documentation (connectors/AGENTS.md), then `sentinel check {}` and `sentinel sync {}`", dir.display(), dir.display());
                    // The agent may run anywhere: it gets the folder's full path.
                    let folder = std::fs::canonicalize(&path).unwrap_or(path);
                    println!("\nHand this to your coding agent:\n");
                    print!("{}", agent_prompt(&order, &folder));
                    Ok(ExitCode::SUCCESS)
                }
                Ordered::Invalid(diags) => {
                    output::diagnostics(&diags, format);
                    eprintln!("nothing was written");
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Schema => {
            print!("{}", godconfig_manifest::json_schema_text());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn exit(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
