//! `sentinel mcp serve|tools|policy|pending|answer|install`: the MCP gateway and what a person
//! does around it.

use crate::open;
use clap::Subcommand;
use godconfig_registry::gateway::{Answer, Policy, DEFAULT_ASK_TIMEOUT_SECS};
use godconfig_sentinel::flows::agents::{self, Client, GatewayCommand, Places};
use godconfig_sentinel::SentinelError;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Subcommand)]
pub enum McpCommand {
    /// Serve the approved tools to an MCP client over stdio (the client starts this)
    Serve {
        /// The connectors folder
        #[arg(long, default_value = "connectors")]
        dir: PathBuf,
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
        /// The Python with the `mcp` package that runs the connectors [default: the project's
        /// .venv, else python3]
        #[arg(long, env = "GODCONFIG_PYTHON")]
        python: Option<PathBuf>,
        /// Seconds a call whose policy is `ask` waits for a person before it is denied
        #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_ASK_TIMEOUT_SECS)]
        ask_timeout: u64,
    },
    /// List the tools the gateway serves, with their policy
    Tools {
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
        #[arg(long, value_enum, default_value = "human")]
        format: crate::scopes::TableFormat,
    },
    /// Set a tool's policy (admins): allow, ask (a person answers each call), block, or
    /// default (ask on a gated scope, allow otherwise)
    Policy {
        slug: String,
        operation: String,
        #[arg(value_parser = ["allow", "ask", "block", "default"])]
        policy: String,
        #[command(flatten)]
        who: crate::review::Who,
    },
    /// List the calls waiting for a person's answer
    Pending {
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
        #[arg(long, value_enum, default_value = "human")]
        format: crate::scopes::TableFormat,
    },
    /// Answer a waiting call: allow it once, or deny it
    Answer {
        id: i64,
        #[arg(value_parser = ["allow", "deny"])]
        answer: String,
        #[command(flatten)]
        who: crate::review::Who,
    },
    /// Add the gateway to an MCP client's configuration (a backup of the file is kept)
    Install {
        #[arg(long, value_parser = ["claude-desktop", "claude-code", "cursor", "vscode"])]
        client: String,
        /// The connectors folder the gateway serves
        #[arg(long, default_value = "connectors")]
        dir: PathBuf,
        /// The registry the gateway reads (a URL without a password, or a SQLite path)
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
        /// Print the entry and where it goes, and change nothing
        #[arg(long)]
        print: bool,
    },
}

pub async fn run(command: McpCommand) -> Result<ExitCode, SentinelError> {
    match command {
        McpCommand::Serve {
            dir,
            db,
            python,
            ask_timeout,
        } => serve(dir, db, python, ask_timeout).await,
        McpCommand::Tools { db, format } => {
            let store = open(db.as_deref()).await?;
            let tools = store.served_tools(None).await;
            store.close().await;
            crate::mcp_output::tools(&tools?, format);
            Ok(ExitCode::SUCCESS)
        }
        McpCommand::Policy {
            slug,
            operation,
            policy,
            who,
        } => {
            let store = open(who.db.as_deref()).await?;
            let set = Policy::parse(&policy);
            let r = store
                .set_tool_policy((&slug, &operation), set, &who.actor())
                .await;
            store.close().await;
            let (before, after) = r?;
            println!(
                "{slug}__{operation}: {} -> {}{}",
                before.as_str(),
                after.as_str(),
                if set.is_none() { " (the default)" } else { "" }
            );
            Ok(ExitCode::SUCCESS)
        }
        McpCommand::Pending { db, format } => {
            let store = open(db.as_deref()).await?;
            let calls = store.pending_calls().await;
            store.close().await;
            crate::mcp_output::pending(&calls?, format);
            Ok(ExitCode::SUCCESS)
        }
        McpCommand::Answer { id, answer, who } => {
            let store = open(who.db.as_deref()).await?;
            let answer = Answer::parse(&answer).unwrap_or(Answer::Deny);
            let r = store.answer_pending_call(id, answer, &who.actor()).await;
            store.close().await;
            let call = r?;
            println!(
                "call #{id} of {}__{}: {}",
                call.connector,
                call.operation,
                match answer {
                    Answer::Allow => "allowed once",
                    _ => "denied",
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        McpCommand::Install {
            client,
            dir,
            db,
            print,
        } => install(&client, &dir, db.as_deref(), print),
    }
}

async fn serve(
    dir: PathBuf,
    db: Option<String>,
    python: Option<PathBuf>,
    ask_timeout: u64,
) -> Result<ExitCode, SentinelError> {
    if !dir.is_dir() {
        return Err(SentinelError::Dir {
            path: dir,
            reason: "no such folder".into(),
        });
    }
    // The connectors' servers run in their own folders: every path must be absolute.
    let dir = std::path::absolute(&dir).unwrap_or(dir);
    let python = godconfig_gateway::Python::find_in_background(python, dir.clone());
    let store = open(db.as_deref()).await?;
    let opts = godconfig_gateway::Options {
        store,
        dir,
        python,
        vault: godconfig_vault::Vault::os(),
        ask_timeout: Duration::from_secs(ask_timeout),
        actor: godconfig_sentinel::os_user(),
    };
    let gateway = godconfig_gateway::Gateway::new(opts).await?;
    let served = gateway.catalog().tools.len();
    eprintln!("godconfig gateway: serving {served} approved tool(s) over stdio");
    match gateway.serve_stdio().await {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(reason) => Err(SentinelError::Exec {
            program: "the MCP gateway".into(),
            reason,
        }),
    }
}

fn install(
    client: &str,
    dir: &std::path::Path,
    db: Option<&str>,
    print: bool,
) -> Result<ExitCode, SentinelError> {
    let client = Client::parse(client).expect("clap checks the client");
    let exe = std::env::current_exe().map_err(|e| SentinelError::Exec {
        program: "sentinel".into(),
        reason: e.to_string(),
    })?;
    let command = GatewayCommand::new(&exe, dir, db)?;
    let places = Places::of_user().ok_or_else(|| SentinelError::ClientConfig {
        path: PathBuf::from("~"),
        reason: "HOME is not set".into(),
    })?;
    let path = client.config_path(&places);
    if print {
        let entry = serde_json::json!({ agents::ENTRY: client.entry(&command) });
        println!("# {} reads {}", client.title(), path.display());
        println!(
            "{}",
            serde_json::to_string_pretty(&entry).expect("serializable")
        );
        return Ok(ExitCode::SUCCESS);
    }
    let done = agents::install(client, &places, &command)?;
    println!(
        "{}: {} the `{}` server in {}",
        client.title(),
        if done.replaced { "replaced" } else { "added" },
        agents::ENTRY,
        done.path
    );
    if let Some(b) = done.backup {
        println!("backup of the previous file: {b}");
    }
    println!("restart {} to load it", client.title());
    Ok(ExitCode::SUCCESS)
}
