//! The vault: connectors' secrets (API keys, tokens) live in the operating system's keyring,
//! never in a file. One entry per secret: service [`SERVICE`] (the app's identifier), account the
//! vault key name, `PROVIDER_{SLUG}_{KEY}` (see `Manifest::vault_key`), such as
//! `PROVIDER_SHOPIFY_API_KEY`. On the Secret Service these are the item's `service` and
//! `username` attributes, so `secret-tool lookup service <SERVICE> username <KEY>` finds it.
//!
//! The platform keyring is the Secret Service on Linux and the BSDs (gnome-keyring, KWallet,
//! KeePassXC, over the D-Bus session bus), the login keychain on macOS and the Credential Manager
//! on Windows. When it does not answer the vault says so ([`VaultError::Unavailable`]); it never
//! falls back to a file.
//!
//! The vault writes ([`Vault::set`]), deletes ([`Vault::delete`]) and tells presence
//! ([`Vault::presence`], [`Vault::present_among`]) without reading values. Only [`Vault::read`] reads
//! one, for `sentinel vault exec`, into a [`Secret`]. Metadata (who set a key, when) is the
//! registry's, never the keyring's.
//!
//! Every call blocks (D-Bus or keychain round trips, and possibly an unlock prompt the keyring
//! shows): from async code, call it inside `tokio::task::spawn_blocking`.

mod error;
mod platform;
mod secret;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};

use keyring_core::{CredentialStore, Error as KeyringError};

pub use error::VaultError;
pub use secret::Secret;

/// The keyring service of every God Config entry (the app's identifier); the account is the
/// vault key name. Debug builds use their own namespace, so development and tests never touch the
/// keys of an installed app.
pub const SERVICE: &str = if cfg!(debug_assertions) {
    "dev.godconfig.app.dev"
} else {
    "dev.godconfig.app"
};

/// A handle on the OS keyring. Cheap to clone; clones share one connection.
///
/// The connection is opened on first use, not by [`Vault::os`], and dropped when the keyring
/// stops answering, so a keyring started or restarted later is picked up on the next call.
#[derive(Clone)]
pub struct Vault {
    store: Arc<Mutex<Option<Arc<CredentialStore>>>>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let connected = self.lock().is_some();
        f.debug_struct("Vault")
            .field("keyring", &platform::KEYRING_NAME)
            .field("connected", &connected)
            .finish()
    }
}

impl Vault {
    /// The platform keyring. Does not connect yet.
    pub fn os() -> Vault {
        Vault {
            store: Arc::new(Mutex::new(None)),
        }
    }

    /// Whether each account (vault key name) has an entry under [`SERVICE`], in order.
    ///
    /// No value is read: on Linux this is a Secret Service search on the entry's attributes.
    /// (On macOS and Windows the system call that finds an item also fetches its data, inside the
    /// store crate; it is dropped there and never reaches this crate.) More than one matching
    /// entry counts as present.
    ///
    /// Blocks; if the entries sit in a locked keyring, the keyring may show its unlock prompt
    /// and this waits for it. An empty list returns at once, without touching the keyring.
    pub fn presence(&self, accounts: &[String]) -> Result<Vec<bool>, VaultError> {
        if accounts.is_empty() {
            return Ok(Vec::new());
        }
        self.with_store(|store| {
            accounts
                .iter()
                .map(|account| is_present(store, account))
                .collect()
        })
    }

    /// Which of `accounts` have an entry under [`SERVICE`]. Like [`Vault::presence`], but for
    /// many names at once: on the Secret Service one search by service replaces a round trip per
    /// name (each found item's attributes are read, never its value). Elsewhere, or for a few
    /// names, it asks name by name.
    pub fn present_among(&self, accounts: &[String]) -> Result<BTreeSet<String>, VaultError> {
        if !platform::SEARCH_BY_SERVICE || accounts.len() <= 16 {
            return self.presence_set(accounts);
        }
        let wanted: BTreeSet<&str> = accounts.iter().map(String::as_str).collect();
        let searched = self.with_store(|store| {
            let spec = std::collections::HashMap::from([("service", SERVICE)]);
            let found = store
                .search(&spec)
                .map_err(|e| VaultError::account("*", e))?;
            let mut names = BTreeSet::new();
            for entry in found {
                // None: the item's attributes could not be read: deleted since the search (by
                // another process) or locked. Guessing either way would be wrong.
                let Some((service, account)) = entry.get_specifiers() else {
                    return Ok(None);
                };
                if service == SERVICE && wanted.contains(account.as_str()) {
                    names.insert(account);
                }
            }
            Ok(Some(names))
        })?;
        match searched {
            Some(names) => Ok(names),
            // Name by name knows: present, missing, or a coded error (locked).
            None => self.presence_set(accounts),
        }
    }

    fn presence_set(&self, accounts: &[String]) -> Result<BTreeSet<String>, VaultError> {
        let found = self.presence(accounts)?;
        Ok(accounts
            .iter()
            .zip(found)
            .filter(|(_, p)| *p)
            .map(|(a, _)| a.clone())
            .collect())
    }

    /// Stores `value` under `account`, replacing any value it had. Refuses a blank value.
    pub fn set(&self, account: &str, value: &Secret) -> Result<(), VaultError> {
        check_account(account)?;
        if value.expose().trim().is_empty() {
            return Err(VaultError::Blank {
                account: account.to_string(),
            });
        }
        self.with_store(|store| {
            let label = format!("God Config: {account}");
            // Only the Secret Service store takes a label; the others refuse unknown modifiers.
            let modifiers = std::collections::HashMap::from([("label", label.as_str())]);
            let modifiers = platform::LABEL_MODIFIER.then_some(&modifiers);
            let entry = store
                .build(SERVICE, account, modifiers)
                .map_err(|e| VaultError::account(account, e))?;
            entry
                .set_password(value.expose())
                .map_err(|e| VaultError::account(account, e))
        })
    }

    /// Deletes `account`'s entry; false when there was none (deleting twice is not an error).
    pub fn delete(&self, account: &str) -> Result<bool, VaultError> {
        check_account(account)?;
        self.with_store(|store| {
            let entry = store
                .build(SERVICE, account, None)
                .map_err(|e| VaultError::account(account, e))?;
            match entry.delete_credential() {
                Ok(()) => Ok(true),
                Err(KeyringError::NoEntry) => Ok(false),
                Err(e) => Err(VaultError::account(account, e)),
            }
        })
    }

    /// The value of `account`, None when it has no entry. Only for handing a key to a child
    /// process (`sentinel vault exec`): never for showing, logging or sending over IPC.
    pub fn read(&self, account: &str) -> Result<Option<Secret>, VaultError> {
        check_account(account)?;
        self.with_store(|store| {
            let entry = store
                .build(SERVICE, account, None)
                .map_err(|e| VaultError::account(account, e))?;
            match entry.get_password() {
                Ok(value) => Ok(Some(Secret::new(value))),
                Err(KeyringError::NoEntry) => Ok(None),
                Err(e) => Err(VaultError::account(account, e)),
            }
        })
    }

    /// Runs `f` on the connected store; forgets the connection when the keyring stopped answering.
    fn with_store<T>(
        &self,
        f: impl FnOnce(&CredentialStore) -> Result<T, VaultError>,
    ) -> Result<T, VaultError> {
        let store = self.store()?;
        let result = f(store.as_ref());
        if let Err(VaultError::Unavailable { .. }) = &result {
            // Reconnect next time: the keyring may have been restarted or unlocked meanwhile.
            self.lock().take();
        }
        result
    }

    /// The connected store, connecting first if needed.
    fn store(&self) -> Result<Arc<CredentialStore>, VaultError> {
        let mut guard = self.lock();
        if let Some(store) = guard.as_ref() {
            return Ok(store.clone());
        }
        let store = platform::connect().map_err(VaultError::connect)?;
        *guard = Some(store.clone());
        Ok(store)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Arc<CredentialStore>>> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A vault key name: `PROVIDER_{SLUG}_{KEY}`, upper case, digits and underscores.
pub fn check_account(account: &str) -> Result<(), VaultError> {
    let ok = account.len() <= 200
        && account.starts_with("PROVIDER_")
        && account.len() > "PROVIDER_".len() + 2
        && account
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(VaultError::BadName {
            account: account.to_string(),
        })
    }
}

fn is_present(store: &CredentialStore, account: &str) -> Result<bool, VaultError> {
    let entry = store
        .build(SERVICE, account, None)
        .map_err(|e| VaultError::account(account, e))?;
    // `get_credential` finds the matching item without reading its secret.
    match entry.get_credential() {
        Ok(_) => Ok(true),
        Err(KeyringError::NoEntry) => Ok(false),
        Err(KeyringError::Ambiguous(_)) => Ok(true),
        Err(e) => Err(VaultError::account(account, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_of_no_account_does_not_touch_the_keyring() {
        let vault = Vault::os();
        assert_eq!(vault.presence(&[]).unwrap(), Vec::<bool>::new());
        assert!(vault.lock().is_none(), "no connection for an empty list");
    }

    #[test]
    fn account_names_are_checked_before_the_keyring() {
        assert!(check_account("PROVIDER_SHOPIFY_API_KEY").is_ok());
        for bad in [
            "",
            "PROVIDER_",
            "provider_x_key",
            "PROVIDER_X KEY",
            "OTHER_X_KEY",
        ] {
            let err = Vault::os().delete(bad).unwrap_err();
            assert_eq!(err.code(), "vault.bad_name", "{bad}");
        }
        let blank = Vault::os().set("PROVIDER_X_KEY", &Secret::new("  ".into()));
        assert_eq!(blank.unwrap_err().code(), "vault.blank");
    }

    #[test]
    fn clones_share_one_connection_slot() {
        let vault = Vault::os();
        let clone = vault.clone();
        assert!(Arc::ptr_eq(&vault.store, &clone.store));
        assert!(format!("{vault:?}").contains("connected: false"));
    }
}
