//! KPI mapping as both front ends run it: read the rows a change names (so its compare-and-set
//! versions are current), preview what a person should confirm, then apply in one batch.

use crate::SentinelError;
use godconfig_registry::kpis::{self, EntryState, MappingPreview};
use godconfig_registry::{MappingChange, MappingOp, MappingOutcome, Registry};

pub struct MappingPlan {
    pub change: MappingChange,
    pub preview: MappingPreview,
}

/// The change for `items` of `connector` (each at its current version), or, with no items,
/// every open metric mapped to its usable suggested KPI ("accept all suggestions").
pub async fn plan_mapping(
    registry: &Registry,
    connector: Option<&str>,
    items: Option<Vec<(String, MappingOp)>>,
) -> Result<MappingPlan, SentinelError> {
    let rows = registry.metrics(connector).await?;
    let core = registry.core_kpis().await?;
    let change = match items {
        None => {
            let states: Vec<EntryState> = core.iter().map(EntryState::from).collect();
            kpis::accept_suggestions(&rows, &states)
        }
        Some(items) => kpis::named_items(connector.unwrap_or_default(), items, &rows),
    };
    let preview = kpis::preview(&change, &rows, &core);
    Ok(MappingPlan { change, preview })
}

/// Maps every open metric of `connector` to its suggested KPI in one batch (one audit entry);
/// nothing to map is no change. The outcome's versions are what an undo names.
pub async fn accept_suggestions(
    registry: &Registry,
    connector: &str,
    actor: &str,
) -> Result<MappingOutcome, SentinelError> {
    let plan = plan_mapping(registry, Some(connector), None).await?;
    if plan.change.items.is_empty() {
        return Ok(MappingOutcome::default());
    }
    Ok(registry.change_mapping(&plan.change, actor).await?)
}
