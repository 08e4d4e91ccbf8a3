//! Before an approval: what each connector still lacks (the gate) and which developer keys the
//! keyring does not hold. Missing keys are a warning, never a block: approval does not need them,
//! running the connector does.

use crate::vault::{status, Health, KeyringProblem};
use crate::SentinelError;
use godconfig_registry::{Gate, Registry};
use godconfig_vault::Vault;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingKey {
    pub slug: String,
    pub vault_key: String,
}

#[derive(Debug, Clone)]
pub struct ApprovalCheck {
    /// One per slug asked about, in that order.
    pub gates: Vec<Gate>,
    pub missing_keys: Vec<MissingKey>,
    /// The keyring did not answer, so the keys were not checked.
    pub keyring_error: Option<KeyringProblem>,
}

impl ApprovalCheck {
    /// The gates that refuse (the registry would refuse the approval the same way).
    pub fn refused(&self) -> Vec<Gate> {
        self.gates.iter().filter(|g| !g.passes()).cloned().collect()
    }
}

/// The gate of every slug (an unknown slug is an error), then the keys each one's code needs.
pub async fn check_approval(
    registry: &Registry,
    vault: &Vault,
    slugs: &[String],
    rotation_days: u32,
) -> Result<ApprovalCheck, SentinelError> {
    let mut gates = Vec::with_capacity(slugs.len());
    for slug in slugs {
        gates.push(registry.gate(slug).await?);
    }
    let mut missing_keys = Vec::new();
    for slug in slugs {
        // Keys are advisory: failing to read them never blocks an approval.
        let Ok(report) = status(registry, vault, Some(slug), rotation_days).await else {
            continue;
        };
        if let Some(problem) = report.keyring_error {
            return Ok(ApprovalCheck {
                gates,
                missing_keys,
                keyring_error: Some(problem),
            });
        }
        missing_keys.extend(
            (report.secrets.into_iter())
                .filter(|s| s.health == Health::Missing)
                .map(|s| MissingKey {
                    slug: slug.clone(),
                    vault_key: s.vault_key,
                }),
        );
    }
    Ok(ApprovalCheck {
        gates,
        missing_keys,
        keyring_error: None,
    })
}
