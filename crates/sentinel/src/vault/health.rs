//! Secret health: what each connector's manifest requires against what the keyring holds. Pure,
//! so the rules are unit-tested without a keyring.

use chrono::{DateTime, Utc};
use godconfig_registry::{DevAccount, RequiredSecret, Status};
use serde::Serialize;
use std::collections::BTreeSet;

/// Rotation age used when settings name none.
pub const DEFAULT_ROTATION_DAYS: u32 = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Health {
    /// In the keyring, and younger than the rotation age (or of unknown age).
    Present,
    /// Not in the keyring. A warning on approval, not a block.
    Missing,
    /// In the keyring, but last written longer ago than the rotation age.
    Stale,
    /// The keyring could not be asked (see the report's error).
    Unknown,
}

impl Health {
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Present => "present",
            Health::Missing => "missing",
            Health::Stale => "stale",
            Health::Unknown => "unknown",
        }
    }
}

/// One required secret and its health. Never a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SecretHealth {
    pub slug: String,
    pub display_name: String,
    pub status: Status,
    pub key: String,
    pub vault_key: String,
    pub health: Health,
    /// Who set it and when; None when it was never set through God Config (or is missing).
    pub account: Option<DevAccount>,
    /// Days since the value was last written, when known.
    pub age_days: Option<i64>,
}

/// Health of each required secret. `present` is the set of keyring accounts, None when the
/// keyring could not be asked. A metadata row never makes a key present: only the keyring does.
pub fn assess(
    required: Vec<RequiredSecret>,
    accounts: &[DevAccount],
    present: Option<&BTreeSet<String>>,
    now: DateTime<Utc>,
    rotation_days: u32,
) -> Vec<SecretHealth> {
    required
        .into_iter()
        .map(|r| {
            let in_keyring = present.map(|p| p.contains(&r.vault_key));
            let account = accounts
                .iter()
                .find(|a| a.vault_key == r.vault_key)
                .filter(|_| in_keyring != Some(false))
                .cloned();
            let age_days = account
                .as_ref()
                .map(|a| (now - a.written_at()).num_days().max(0));
            let health = match in_keyring {
                None => Health::Unknown,
                Some(false) => Health::Missing,
                Some(true) if age_days.is_some_and(|d| d > i64::from(rotation_days)) => {
                    Health::Stale
                }
                Some(true) => Health::Present,
            };
            SecretHealth {
                slug: r.slug,
                display_name: r.display_name,
                status: r.status,
                key: r.key,
                vault_key: r.vault_key,
                health,
                account,
                age_days,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn required(key: &str) -> RequiredSecret {
        RequiredSecret {
            slug: "shop".into(),
            display_name: "Shop".into(),
            status: Status::Draft,
            key: key.into(),
            vault_key: format!("PROVIDER_SHOP_{key}"),
        }
    }

    fn account(key: &str, written: DateTime<Utc>, rotated: bool) -> DevAccount {
        DevAccount {
            slug: "shop".into(),
            key: key.into(),
            vault_key: format!("PROVIDER_SHOP_{key}"),
            label: None,
            set_by: "dev".into(),
            set_at: if rotated {
                written - Duration::days(400)
            } else {
                written
            },
            rotated_at: rotated.then_some(written),
        }
    }

    fn healths(present: Option<&[&str]>, accounts: &[DevAccount]) -> Vec<Health> {
        let now = Utc::now();
        let set: Option<BTreeSet<String>> =
            present.map(|p| p.iter().map(|k| format!("PROVIDER_SHOP_{k}")).collect());
        let req = ["A", "B", "C", "D"].map(required).to_vec();
        assess(req, accounts, set.as_ref(), now, 90)
            .into_iter()
            .map(|h| h.health)
            .collect()
    }

    #[test]
    fn present_missing_stale() {
        let now = Utc::now();
        let accounts = [
            account("A", now - Duration::days(3), false),
            account("B", now - Duration::days(91), false),
            account("C", now - Duration::days(2), true), // set long ago, rotated lately
        ];
        // D is in the keyring without metadata (written by another tool): present, age unknown.
        assert_eq!(
            healths(Some(&["A", "B", "C", "D"]), &accounts),
            [
                Health::Present,
                Health::Stale,
                Health::Present,
                Health::Present
            ]
        );
    }

    #[test]
    fn metadata_never_claims_a_key_the_keyring_lacks() {
        let now = Utc::now();
        let out = assess(
            vec![required("A")],
            &[account("A", now, false)],
            Some(&BTreeSet::new()),
            now,
            90,
        );
        assert_eq!(out[0].health, Health::Missing);
        assert_eq!(out[0].account, None);
        assert_eq!(out[0].age_days, None);
    }

    #[test]
    fn unknown_when_the_keyring_was_not_asked() {
        assert_eq!(healths(None, &[]), [Health::Unknown; 4]);
    }

    #[test]
    fn exactly_the_rotation_age_is_not_stale() {
        let now = Utc::now();
        let out = assess(
            vec![required("A")],
            &[account("A", now - Duration::days(90), false)],
            Some(&BTreeSet::from(["PROVIDER_SHOP_A".to_string()])),
            now,
            90,
        );
        assert_eq!(
            (out[0].health, out[0].age_days),
            (Health::Present, Some(90))
        );
    }
}
