//! Which keyring store each platform uses: the same choice as `keyring` 4.2.0's `v1` feature.

use std::sync::Arc;

use keyring_core::{CredentialStore, Result};

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
mod imp {
    use super::*;

    pub const KEYRING_NAME: &str =
        "the Secret Service (gnome-keyring, KWallet) on the D-Bus session bus";
    /// The store takes a `label` modifier, and searches by attribute (`service`).
    pub const LABEL_MODIFIER: bool = true;
    pub const SEARCH_BY_SERVICE: bool = true;
    pub const UNAVAILABLE_HINT: &str = "start or unlock your login keyring (gnome-keyring, KWallet): God Config keeps secrets only in a Secret Service on the D-Bus session bus, never in a file";

    /// Opens a D-Bus session connection and a Secret Service session.
    pub fn connect() -> Result<Arc<CredentialStore>> {
        let store: Arc<CredentialStore> = zbus_secret_service_keyring_store::Store::new()?;
        Ok(store)
    }
}

#[cfg(target_os = "macos")]
mod imp {
    use super::*;

    pub const KEYRING_NAME: &str = "the macOS keychain";
    pub const LABEL_MODIFIER: bool = false;
    pub const SEARCH_BY_SERVICE: bool = false;
    pub const UNAVAILABLE_HINT: &str = "unlock your login keychain (Keychain Access): God Config keeps secrets only in the keychain, never in a file";

    pub fn connect() -> Result<Arc<CredentialStore>> {
        let store: Arc<CredentialStore> = apple_native_keyring_store::keychain::Store::new()?;
        Ok(store)
    }
}

#[cfg(target_os = "windows")]
mod imp {
    use super::*;

    pub const KEYRING_NAME: &str = "the Windows Credential Manager";
    pub const LABEL_MODIFIER: bool = false;
    pub const SEARCH_BY_SERVICE: bool = false;
    pub const UNAVAILABLE_HINT: &str = "sign in to a Windows session that has the Credential Manager: God Config keeps secrets only there, never in a file";

    pub fn connect() -> Result<Arc<CredentialStore>> {
        let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()?;
        Ok(store)
    }
}

#[cfg(not(any(
    all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ),
    target_os = "macos",
    target_os = "windows"
)))]
mod imp {
    use super::*;

    pub const KEYRING_NAME: &str = "an OS keyring";
    pub const LABEL_MODIFIER: bool = false;
    pub const SEARCH_BY_SERVICE: bool = false;
    pub const UNAVAILABLE_HINT: &str =
        "God Config keeps secrets only in an OS keyring, and has none for this platform";

    pub fn connect() -> Result<Arc<CredentialStore>> {
        Err(keyring_core::Error::NotSupportedByStore(
            "God Config has no OS keyring store for this platform".to_string(),
        ))
    }
}

pub use imp::{connect, KEYRING_NAME, LABEL_MODIFIER, SEARCH_BY_SERVICE, UNAVAILABLE_HINT};
