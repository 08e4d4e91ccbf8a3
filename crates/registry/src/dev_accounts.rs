//! The vault's registry side: which secrets each connector requires, and the metadata of the
//! developer keys set for them (`connector_dev_accounts`). Never a value: those live in the OS
//! keyring (`godconfig_vault`).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::{RegistryError as E, Result};
use crate::model::Status;
use godconfig_manifest::diagnostic::did_you_mean;

/// A secret a registered connector's manifest requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RequiredSecret {
    pub slug: String,
    pub display_name: String,
    pub status: Status,
    /// As the manifest names it, such as `API_KEY`.
    pub key: String,
    /// The keyring account, `PROVIDER_{SLUG}_{KEY}`.
    pub vault_key: String,
}

/// Who set a developer key and when. Metadata only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DevAccount {
    pub slug: String,
    pub key: String,
    pub vault_key: String,
    pub label: Option<String>,
    pub set_by: String,
    /// When the key was first set.
    pub set_at: DateTime<Utc>,
    /// When its value was last replaced; None if never.
    pub rotated_at: Option<DateTime<Utc>>,
}

impl DevAccount {
    /// When the value in the keyring was written: the last rotation, or the first set.
    pub fn written_at(&self) -> DateTime<Utc> {
        self.rotated_at.unwrap_or(self.set_at)
    }
}

/// The keyring account of a connector's secret: `PROVIDER_{SLUG}_{KEY}`, slug upper-cased.
pub fn vault_key(slug: &str, key: &str) -> String {
    format!("PROVIDER_{}_{}", slug.to_uppercase(), key)
}

/// A label is optional; blank means none, and it stays short enough for a table cell.
pub(crate) fn clean_label(label: Option<&str>) -> Option<String> {
    label
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| l.chars().take(120).collect())
}

/// The secret a keyring account name stands for, among every required one: refused when no
/// connector needs it (with a did-you-mean) or when two do (`acme` + SHOP_TOKEN and `acme_shop`
/// + TOKEN are both PROVIDER_ACME_SHOP_TOKEN).
pub(crate) fn resolve(required: &[RequiredSecret], name: &str) -> Result<RequiredSecret> {
    let mut matches: Vec<&RequiredSecret> =
        required.iter().filter(|r| r.vault_key == name).collect();
    match matches.len() {
        1 => Ok(matches.remove(0).clone()),
        n if n > 1 => Err(E::AmbiguousVaultKey {
            vault_key: name.to_string(),
            connectors: matches.into_iter().map(|r| r.slug.clone()).collect(),
        }),
        _ => Err(E::UnknownVaultKey {
            vault_key: name.to_string(),
            did_you_mean: did_you_mean(name, required.iter().map(|r| r.vault_key.as_str()))
                .map(str::to_string),
        }),
    }
}

/// Refuses `secret` when its keyring entry is held, by its metadata row, by another connector
/// (removed since, or no longer requiring that key) that spells the same name (`a` + B_C and `a_b` + C are both PROVIDER_A_B_C): setting or
/// handing it over would give one connector's key to another. (Connectors still registered are
/// refused as ambiguous by `resolve`.)
pub(crate) fn not_held_by_removed(accounts: &[DevAccount], secret: &RequiredSecret) -> Result<()> {
    let holder =
        (accounts.iter()).find(|a| a.vault_key == secret.vault_key && a.slug != secret.slug);
    match holder {
        Some(a) => Err(E::VaultKeyOfRemoved {
            vault_key: secret.vault_key.clone(),
            holder: a.slug.clone(),
            connector: secret.slug.clone(),
        }),
        None => Ok(()),
    }
}

/// What the audit log keeps of a developer key's metadata.
pub(crate) fn account_json(a: &DevAccount) -> serde_json::Value {
    serde_json::json!({ "label": a.label, "set_by": a.set_by, "set_at": a.set_at, "rotated_at": a.rotated_at })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(slug: &str, key: &str) -> RequiredSecret {
        RequiredSecret {
            slug: slug.into(),
            display_name: slug.into(),
            status: Status::Draft,
            key: key.into(),
            vault_key: vault_key(slug, key),
        }
    }

    #[test]
    fn a_vault_key_resolves_to_one_secret_or_says_why_not() {
        let required = [
            secret("acme", "SHOP_TOKEN"),
            secret("acme_shop", "TOKEN"),
            secret("stripe", "API_KEY"),
        ];
        assert_eq!(
            resolve(&required, "PROVIDER_STRIPE_API_KEY").unwrap().slug,
            "stripe"
        );
        let both = resolve(&required, "PROVIDER_ACME_SHOP_TOKEN").unwrap_err();
        assert_eq!(both.code(), "vault.ambiguous_key");
        let typo = resolve(&required, "PROVIDER_STRIPE_API_KY").unwrap_err();
        assert_eq!(typo.code(), "vault.unknown_key");
        assert!(
            typo.to_string().contains("PROVIDER_STRIPE_API_KEY"),
            "{typo}"
        );
    }

    #[test]
    fn vault_key_upper_cases_the_slug() {
        assert_eq!(vault_key("shopify", "API_KEY"), "PROVIDER_SHOPIFY_API_KEY");
        assert_eq!(vault_key("acme_shop", "TOKEN"), "PROVIDER_ACME_SHOP_TOKEN");
    }

    #[test]
    fn labels_are_trimmed_and_blank_is_none() {
        assert_eq!(
            clean_label(Some("  test store ")),
            Some("test store".into())
        );
        assert_eq!(clean_label(Some("   ")), None);
        assert_eq!(clean_label(None), None);
        assert_eq!(clean_label(Some(&"x".repeat(500))).unwrap().len(), 120);
    }
}
