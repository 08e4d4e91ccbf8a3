//! `sentinel kpis list|map|unmap|ignore|coverage`: the KPI mapper on the command line. Thin
//! adapters over the registry; the rules live in `crates/registry/src/kpis.rs`.

use crate::review::{confirm, Who};
use crate::scopes::TableFormat;
use crate::{open, output};
use clap::{Args, Subcommand};
use godconfig_registry::{MappingOp, MetricRow, Registry};
use godconfig_sentinel::flows::{self, kpis::MappingPlan};
use godconfig_sentinel::SentinelError;
use std::process::ExitCode;

/// At most one state to keep.
#[derive(Args)]
#[group(id = "state", multiple = false)]
pub struct StateFlags {
    /// Only metrics neither mapped nor marked "not a KPI" (they block approval)
    #[arg(long)]
    unmapped: bool,
    /// Only metrics mapped to a core KPI
    #[arg(long)]
    mapped: bool,
    /// Only metrics marked "not a KPI"
    #[arg(long)]
    ignored: bool,
    /// Only mappings whose metric left the manifest
    #[arg(long)]
    orphaned: bool,
}

impl StateFlags {
    fn keeps(&self, r: &MetricRow) -> bool {
        (!self.unmapped || (!r.settled() && !r.orphaned))
            && (!self.mapped || r.core_kpi.is_some())
            && (!self.ignored || r.not_a_kpi)
            && (!self.orphaned || r.orphaned)
    }
}

/// The metrics a change names.
#[derive(Args)]
pub struct Named {
    /// The metrics' connector
    #[arg(long, value_name = "SLUG")]
    connector: String,
    /// Metric names (`kpis[].raw` in the manifest)
    #[arg(value_name = "METRIC", required = true)]
    metrics: Vec<String>,
}

#[derive(Args)]
pub struct Confirm {
    /// Confirm without a prompt (a misfit or a connector sent back to review asks first)
    #[arg(long)]
    yes: bool,
    #[command(flatten)]
    who: Who,
}

#[derive(Subcommand)]
pub enum KpisCommand {
    /// List metrics with their mapping, suggestion and likely unit (or --core: the core KPIs)
    List {
        /// Only this connector's metrics
        #[arg(long, value_name = "SLUG")]
        connector: Option<String>,
        #[command(flatten)]
        state: StateFlags,
        /// List the core KPIs instead, with where each is used
        #[arg(long, conflicts_with_all = ["connector", "state"])]
        core: bool,
        #[arg(long, value_enum, default_value = "human")]
        format: TableFormat,
        /// Registry URL (see `sentinel sync --help`)
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
    },
    /// Map metrics onto a core KPI, or --suggested: each open metric onto its manifest's suggestion
    Map {
        /// The connector (required with METRIC; with --suggested, else every connector)
        #[arg(long, value_name = "SLUG", required_unless_present = "suggested")]
        connector: Option<String>,
        /// Metric names
        #[arg(value_name = "METRIC", requires = "to", conflicts_with = "suggested")]
        metrics: Vec<String>,
        /// The core KPI (`sentinel kpis list --core`)
        #[arg(long, value_name = "KPI", conflicts_with = "suggested")]
        to: Option<String>,
        /// Accept every open suggestion (`kpis[].standard`) in one batch
        #[arg(long)]
        suggested: bool,
        #[command(flatten)]
        confirm: Confirm,
    },
    /// Remove the mapping (or "not a KPI" mark) of metrics
    Unmap {
        #[command(flatten)]
        named: Named,
        #[command(flatten)]
        confirm: Confirm,
    },
    /// Mark metrics "not a KPI", with the reason
    Ignore {
        #[command(flatten)]
        named: Named,
        /// Why they are not KPIs, for the audit log
        #[arg(long, required = true)]
        reason: String,
        #[command(flatten)]
        confirm: Confirm,
    },
    /// Per connector: metrics mapped, orphans, and the core KPIs it feeds; per KPI: its feeders
    Coverage {
        #[arg(long, value_name = "SLUG")]
        connector: Option<String>,
        #[arg(long, value_enum, default_value = "human")]
        format: TableFormat,
        #[arg(long, env = "GODCONFIG_DATABASE_URL", hide_env_values = true)]
        db: Option<String>,
    },
}

pub async fn run(command: KpisCommand) -> Result<ExitCode, SentinelError> {
    let (connector, items, confirm) = match command {
        KpisCommand::List {
            connector,
            state,
            core,
            format,
            db,
        } => {
            let store = open(db.as_deref()).await?;
            let result = if core {
                store
                    .core_kpis()
                    .await
                    .map(|k| output::core_kpis(&k, format))
            } else {
                list(&store, connector, &state, format).await
            };
            store.close().await;
            return result.map(|_| ExitCode::SUCCESS).map_err(Into::into);
        }
        KpisCommand::Coverage {
            connector,
            format,
            db,
        } => {
            let store = open(db.as_deref()).await?;
            let rows = store.coverage(connector.as_deref()).await;
            store.close().await;
            output::kpi_coverage(&rows?, format);
            return Ok(ExitCode::SUCCESS);
        }
        KpisCommand::Map {
            connector,
            metrics,
            to,
            suggested,
            confirm,
        } => {
            let items = if suggested {
                None
            } else {
                Some(named(
                    metrics,
                    MappingOp::Map {
                        core_kpi: to.unwrap_or_default(),
                    },
                ))
            };
            (connector, items, confirm)
        }
        KpisCommand::Unmap { named: n, confirm } => (
            Some(n.connector),
            Some(named(n.metrics, MappingOp::Unmap)),
            confirm,
        ),
        KpisCommand::Ignore {
            named: n,
            reason,
            confirm,
        } => (
            Some(n.connector),
            Some(named(n.metrics, MappingOp::Ignore { reason })),
            confirm,
        ),
    };
    let store = open(confirm.who.db.as_deref()).await?;
    let result = change(&store, connector.as_deref(), items, &confirm).await;
    store.close().await;
    result
}

fn named(metrics: Vec<String>, op: MappingOp) -> Vec<(String, MappingOp)> {
    let mut seen = std::collections::HashSet::new();
    metrics
        .into_iter()
        .filter(|m| seen.insert(m.clone()))
        .map(|m| (m, op.clone()))
        .collect()
}

async fn list(
    store: &Registry,
    connector: Option<String>,
    state: &StateFlags,
    format: TableFormat,
) -> godconfig_registry::Result<()> {
    let rows = store.metrics(connector.as_deref()).await?;
    let rows: Vec<MetricRow> = rows.into_iter().filter(|r| state.keeps(r)).collect();
    output::metrics(&rows, format);
    Ok(())
}

/// Applies named items (metric, op) of `connector`, or (None) every open suggestion. Misfits and
/// connectors that would go back to review are shown and confirmed once.
async fn change(
    store: &Registry,
    connector: Option<&str>,
    items: Option<Vec<(String, MappingOp)>>,
    confirm_with: &Confirm,
) -> Result<ExitCode, SentinelError> {
    let suggested = items.is_none();
    let MappingPlan { change, preview } =
        flows::kpis::plan_mapping(store, connector, items).await?;
    if suggested && change.items.is_empty() {
        println!("no open metric has a usable suggestion; nothing changed");
        return Ok(ExitCode::SUCCESS);
    }
    output::mapping_preview(&change);
    for w in &preview.warnings {
        println!("warning: {w}");
    }
    if !preview.back_to_review.is_empty() {
        println!(
            "approved, would go back to review: {}",
            preview.back_to_review.join(", ")
        );
    }
    if !preview.is_quiet() && !confirm_with.yes {
        let question = format!("Apply this change to {} metric(s)?", change.items.len());
        if !confirm(&question)? {
            println!("nothing changed");
            return Ok(ExitCode::from(1));
        }
    }
    let outcome = store
        .change_mapping(&change, &confirm_with.who.actor())
        .await?;
    output::mapping_outcome(change.audit_action(), &outcome);
    Ok(ExitCode::SUCCESS)
}
