//! The vault: connectors' secrets (API keys, tokens) live in the operating system's keyring,
//! never in a file. One entry per secret: service [`SERVICE`] (`godconfig`), account the vault
//! key name, `PROVIDER_{SLUG}_{KEY}` (see `Manifest::vault_key`), such as
//! `PROVIDER_SHOPIFY_API_KEY`.
//!
//! The platform keyring is the Secret Service on Linux and the BSDs (gnome-keyring, KWallet,
//! KeePassXC, over the D-Bus session bus), the login keychain on macOS and the Credential Manager
//! on Windows. When it does not answer the vault says so ([`VaultError::Unavailable`]); it never
//! falls back to a file.
//!
//! For now the vault only tells whether secrets are present ([`Vault::presence`]), without
//! reading their values. Writing them (VaultWriter), their metadata and `sentinel vault
//! set/list/rm/exec` come next; a value that has to be held goes in a [`Secret`].
//!
//! Every call blocks (D-Bus or keychain round trips, and possibly an unlock prompt the keyring
//! shows): from async code, call it inside `tokio::task::spawn_blocking`.

mod error;
mod platform;
mod secret;

use std::sync::{Arc, Mutex, PoisonError};

use keyring_core::{CredentialStore, Error as KeyringError};

pub use error::VaultError;
pub use secret::Secret;

/// The keyring service of every God Config entry; the account is the vault key name.
pub const SERVICE: &str = "godconfig";

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
        let store = self.store()?;
        let result = accounts
            .iter()
            .map(|account| is_present(store.as_ref(), account))
            .collect();
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
    fn clones_share_one_connection_slot() {
        let vault = Vault::os();
        let clone = vault.clone();
        assert!(Arc::ptr_eq(&vault.store, &clone.store));
        assert!(format!("{vault:?}").contains("connected: false"));
    }
}
