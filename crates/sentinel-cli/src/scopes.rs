//! `sentinel scopes list|gate|ungate|set-type|dismiss`: the scope manager on the command line.
//! Thin adapters over the registry; the rules live in `crates/registry/src/scopes.rs`.

use crate::review::{confirm, Who};
use crate::{open, output};
use clap::{Args, Subcommand, ValueEnum};
use godconfig_registry::{
    GatingChange, GatingFilter, GatingOp, Registry, RegistryError, ScopeFilter, ScopeRef, ScopeRow,
    Selected,
};
use godconfig_sentinel::{flows, SentinelError};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Output of the list commands.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum TableFormat {
    /// An aligned table and a count line
    Human,
    /// A versioned JSON document
    Json,
}

/// At most one gating state to keep.
#[derive(Args)]
#[group(id = "state", multiple = false)]
pub struct StateFlags {
    /// Only scopes gated in effect
    #[arg(long)]
    gated: bool,
    /// Only scopes not gated in effect
    #[arg(long)]
    ungated: bool,
    /// Only gated scopes without a firearm type (they block approval)
    #[arg(long)]
    missing_type: bool,
    /// Only scopes with an open gate suggestion
    #[arg(long)]
    suggested: bool,
    /// Only scopes whose operator gating disagrees with the manifest
    #[arg(long)]
    overridden: bool,
}

impl StateFlags {
    fn filter(&self) -> Option<GatingFilter> {
        [
            (self.gated, GatingFilter::Gated),
            (self.ungated, GatingFilter::Ungated),
            (self.missing_type, GatingFilter::MissingType),
            (self.suggested, GatingFilter::Suggested),
            (self.overridden, GatingFilter::Overridden),
        ]
        .into_iter()
        .find_map(|(on, f)| on.then_some(f))
    }
}

/// Which scopes a change applies to: named ones, or every scope a filter keeps.
#[derive(Args)]
pub struct Selection {
    /// The connector of the named scopes (required with SCOPE; otherwise narrows the selection)
    #[arg(long, value_name = "SLUG")]
    connector: Option<String>,
    /// Scope names of --connector
    #[arg(
        value_name = "SCOPE",
        requires = "connector",
        conflicts_with_all = ["all", "state", "search"]
    )]
    scopes: Vec<String>,
    /// Every scope of --connector (else of every connector) that --search and the state filter keep
    #[arg(long)]
    all: bool,
    /// Select by gating state (no SCOPE needed), e.g. --suggested: every open suggestion
    #[command(flatten)]
    state: StateFlags,
    /// With --all or a state filter: only scopes whose connector, name, description or type contains TEXT
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
}

impl Selection {
    fn by_filter(&self) -> bool {
        self.all || self.state.filter().is_some()
    }

    /// Usage errors the parser cannot express; exits with code 2 like any usage error.
    fn check(&self, subcommand: &str) {
        if !self.scopes.is_empty() || self.by_filter() {
            return;
        }
        let msg = match self.search {
            Some(_) => "--search narrows a selection: add --all or a state filter such as --suggested",
            None => "select scopes: name them (--connector SLUG SCOPE...), or pass --all or a state filter such as --suggested",
        };
        use clap::CommandFactory;
        let mut cli = crate::Cli::command();
        cli.build();
        let cmd = cli
            .find_subcommand_mut("scopes")
            .and_then(|c| c.find_subcommand_mut(subcommand));
        let cmd = cmd.expect("a scopes subcommand");
        cmd.error(clap::error::ErrorKind::MissingRequiredArgument, msg)
            .exit()
    }

    fn filter(&self) -> ScopeFilter {
        ScopeFilter {
            connector: self.connector.clone(),
            gating: self.state.filter(),
            text: self.search.clone(),
        }
    }
}

#[derive(Args)]
pub struct Batch {
    #[command(flatten)]
    select: Selection,
    /// Why, for the audit log (required to ungate a scope its manifest declares gated)
    #[arg(long)]
    reason: Option<String>,
    /// Confirm without a prompt
    #[arg(long)]
    yes: bool,
    #[command(flatten)]
    who: Who,
}

#[derive(Args)]
pub struct StubDir {
    /// Connectors folder: DIR/<slug>/mcp.py is regenerated when a connector's gating changes
    #[arg(long, value_name = "DIR", default_value = "connectors")]
    dir: PathBuf,
}

const SELECTING: &str = "Selecting scopes: name them (--connector SLUG SCOPE...), or take every \
scope a filter keeps: --all (all scopes of --connector, else of every connector) or a state filter \
such as --suggested (every open suggestion), narrowed by --search TEXT. The selection is shown and \
confirmed once (--yes skips the prompt and is required without a terminal), then changed in one \
transaction with one audit entry; an approved connector whose risk changes goes back to review.";

#[derive(Subcommand)]
pub enum ScopesCommand {
    /// List scopes: declared and effective gating, firearm type, who changed it, suggestions
    List {
        /// Only this connector's scopes
        #[arg(long, value_name = "SLUG")]
        connector: Option<String>,
        #[command(flatten)]
        state: StateFlags,
        /// Only scopes whose connector, name, description or firearm type contains TEXT
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        #[arg(long, value_enum, default_value = "human")]
        format: TableFormat,
        /// Registry URL (see `sentinel sync --help`)
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
    },
    /// Gate scopes (they require a firearm), optionally giving the type; regenerates mcp.py
    #[command(after_help = SELECTING)]
    Gate {
        #[command(flatten)]
        batch: Batch,
        /// Firearm type to give the scopes (`sentinel firearms list`)
        #[arg(long = "type", value_name = "TYPE")]
        firearm_type: Option<String>,
        #[command(flatten)]
        stubs: StubDir,
    },
    /// Ungate scopes (no firearm, type cleared); regenerates mcp.py
    #[command(after_help = SELECTING)]
    Ungate {
        #[command(flatten)]
        batch: Batch,
        #[command(flatten)]
        stubs: StubDir,
    },
    /// Set (or --clear) the firearm type of gated scopes
    #[command(after_help = SELECTING)]
    SetType {
        #[command(flatten)]
        batch: Batch,
        /// Firearm type to give the scopes (`sentinel firearms list`)
        #[arg(
            long = "type",
            value_name = "TYPE",
            required_unless_present = "clear",
            conflicts_with = "clear"
        )]
        firearm_type: Option<String>,
        /// Remove the firearm type instead
        #[arg(long)]
        clear: bool,
    },
    /// Dismiss the gate suggestion of scopes
    #[command(after_help = SELECTING)]
    Dismiss {
        #[command(flatten)]
        batch: Batch,
    },
}

pub async fn run(command: ScopesCommand) -> Result<ExitCode, SentinelError> {
    let (name, op, batch, dir) = match command {
        ScopesCommand::List {
            connector,
            state,
            search,
            format,
            db,
        } => {
            let filter = ScopeFilter {
                connector,
                gating: state.filter(),
                text: search,
            };
            return list(filter, format, db).await;
        }
        ScopesCommand::Gate {
            batch,
            firearm_type,
            stubs,
        } => (
            "gate",
            GatingOp::Gate { firearm_type },
            batch,
            Some(stubs.dir),
        ),
        ScopesCommand::Ungate { batch, stubs } => {
            ("ungate", GatingOp::Ungate, batch, Some(stubs.dir))
        }
        ScopesCommand::SetType {
            batch,
            firearm_type,
            ..
        } => ("set-type", GatingOp::SetType { firearm_type }, batch, None),
        ScopesCommand::Dismiss { batch } => ("dismiss", GatingOp::Dismiss, batch, None),
    };
    batch.select.check(name);
    let store = open(batch.who.db.as_deref()).await?;
    let result = change(&store, op, &batch, dir.as_deref()).await;
    store.close().await;
    result
}

async fn list(
    filter: ScopeFilter,
    format: TableFormat,
    db: Option<String>,
) -> Result<ExitCode, SentinelError> {
    let store = open(db.as_deref()).await?;
    let rows = store.scopes(filter.connector.as_deref()).await;
    store.close().await;
    let rows: Vec<ScopeRow> = rows?.into_iter().filter(|r| filter.keeps(r)).collect();
    output::scopes(&rows, format);
    Ok(ExitCode::SUCCESS)
}

/// (question verb, past-tense verb, what follows "N scope(s) of X") of an operation.
fn verbs(op: &GatingOp) -> (&'static str, &'static str, String) {
    let to = |t: &Option<String>, pre| {
        t.as_ref()
            .map(|t| format!(" {pre} {t}"))
            .unwrap_or_default()
    };
    match op {
        GatingOp::Gate { firearm_type: t } => ("Gate", "gated", to(t, "with firearm type")),
        GatingOp::Ungate => ("Ungate", "ungated", String::new()),
        GatingOp::SetType { firearm_type: None } => (
            "Clear the firearm type of",
            "cleared the firearm type of",
            String::new(),
        ),
        GatingOp::SetType { firearm_type: t } => (
            "Set the firearm type of",
            "set the firearm type of",
            to(t, "to"),
        ),
        GatingOp::Dismiss => (
            "Dismiss the gate suggestion of",
            "dismissed the gate suggestion of",
            String::new(),
        ),
    }
}

fn connectors_of(refs: &[ScopeRef]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for r in refs {
        if !names.contains(&r.connector.as_str()) {
            names.push(&r.connector);
        }
    }
    match names.len() {
        n if n > 3 => format!("{n} connectors"),
        _ => names.join(", "),
    }
}

async fn change(
    store: &Registry,
    op: GatingOp,
    batch: &Batch,
    dir: Option<&Path>,
) -> Result<ExitCode, SentinelError> {
    let sel = &batch.select;
    let all = store.scopes(sel.connector.as_deref()).await?;
    let selected = Selected::resolve(all, sel.connector.as_deref(), &sel.scopes, &sel.filter());
    if selected.refs.is_empty() {
        println!("no scope matches the selection");
        return Err(RegistryError::EmptySelection.into());
    }
    let (ask, done, to) = verbs(&op);
    let of = connectors_of(&selected.refs);
    // With an unknown name the store refuses the whole batch (with a did-you-mean): nothing to
    // confirm.
    if !selected.unknown {
        println!("{ask} {} scope(s) of {of}{to}:", selected.rows.len());
        output::scope_preview(&selected.rows);
        let question = format!("{ask} {} scope(s) of {of}{to}?", selected.rows.len());
        if !batch.yes && !confirm(&question)? {
            println!("nothing changed");
            return Ok(ExitCode::from(1));
        }
    }
    let change = GatingChange {
        op,
        scopes: selected.refs,
        reason: batch.reason.clone(),
    };
    let gated = flows::change_gating(dir, store, &change, &batch.who.actor()).await?;
    output::gating_outcome(done, &of, &to, &gated.outcome);
    if !gated.outcome.regated.is_empty() {
        regenerated(dir, &gated.outcome.regated, gated.stubs?);
    }
    Ok(ExitCode::SUCCESS)
}

/// Says which `mcp.py` files the gating change rewrote (`flows::change_gating`). The registry is
/// already updated: without a folder, or for a stub left as it was, it says to run `sentinel sync`.
fn regenerated(dir: Option<&Path>, slugs: &[String], written: Vec<PathBuf>) {
    let Some(dir) = dir else {
        println!(
            "gating changed for {}: run `sentinel sync` to regenerate mcp.py",
            slugs.join(", ")
        );
        return;
    };
    for p in &written {
        println!("regenerated {}", p.display());
    }
    for slug in slugs {
        let wrote = written
            .iter()
            .any(|p| p.parent().and_then(Path::file_name) == Some(std::ffi::OsStr::new(slug)));
        if !wrote {
            println!(
                "note: {} not rewritten (already current, or no valid manifest there); `sentinel sync {}` regenerates stale stubs",
                dir.join(slug).join(godconfig_sentinel::MCP_FILE).display(),
                dir.display()
            );
        }
    }
}
