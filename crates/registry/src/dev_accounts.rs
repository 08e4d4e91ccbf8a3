//! The vault's registry side: which secrets each connector requires, and the metadata of the
//! developer keys set for them (`connector_dev_accounts`). Never a value: those live in the OS
//! keyring (`godconfig_vault`).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::Status;

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

#[cfg(test)]
mod tests {
    use super::*;

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
