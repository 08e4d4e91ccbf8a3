//! The vault's one error type. Each variant has a stable code and a hint.
//!
//! A keyring error is summarized into text, never kept: `keyring_core::Error::BadEncoding` and
//! `BadDataFormat` carry the raw secret bytes, and their derived `Debug` would print them.

pub use godconfig_codes::Code;
use keyring_core::Error as KeyringError;

use crate::platform::{KEYRING_NAME, UNAVAILABLE_HINT};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// No keyring answered: no D-Bus session bus or no Secret Service on it, the keyring is
    /// locked, or this platform has no keyring store.
    #[error("the OS keyring is not available: {detail}")]
    Unavailable { detail: String },
    /// The keyring refused: its unlock or access prompt was dismissed.
    #[error("the OS keyring refused access: {detail}")]
    Denied { detail: String },
    /// Any other keyring failure.
    #[error("the OS keyring failed: {detail}")]
    Keyring { detail: String },
    /// Not a vault key name.
    #[error("`{account}` is not a vault key name")]
    BadName { account: String },
    /// An empty or whitespace-only value.
    #[error("the value for {account} is empty")]
    Blank { account: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Unavailable,
    // Only the Secret Service store's errors say "dismissed" in a way this crate can read; on
    // macOS and Windows a denial is a `PlatformFailure` with an OS status code (`vault.error`).
    #[cfg_attr(
        not(all(
            unix,
            not(any(target_os = "macos", target_os = "ios", target_os = "android"))
        )),
        allow(dead_code)
    )]
    Denied,
    Keyring,
}

impl VaultError {
    /// Stable machine-readable code (CLI `--format json`, IPC `{code, message}`).
    pub fn code(&self) -> Code {
        match self {
            VaultError::Unavailable { .. } => Code::VaultUnavailable,
            VaultError::Denied { .. } => Code::VaultDenied,
            VaultError::Keyring { .. } => Code::VaultError,
            VaultError::BadName { .. } => Code::VaultBadName,
            VaultError::Blank { .. } => Code::VaultBlank,
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            VaultError::Unavailable { .. } => UNAVAILABLE_HINT,
            VaultError::Denied { .. } => DENIED_HINT,
            VaultError::Keyring { .. } => ERROR_HINT,
            VaultError::BadName { .. } => "use the name `sentinel vault status` lists: PROVIDER_{SLUG}_{KEY} in upper case, such as PROVIDER_SHOPIFY_API_KEY",
            VaultError::Blank { .. } => "paste the key itself; surrounding spaces and newlines are trimmed",
        }
    }

    /// Connecting to the keyring failed: whatever the reason, there is no keyring to use.
    pub(crate) fn connect(err: KeyringError) -> VaultError {
        VaultError::Unavailable {
            detail: format!("cannot connect to {KEYRING_NAME}: {err}"),
        }
    }

    /// An operation on one account's entry failed.
    pub(crate) fn account(account: &str, err: KeyringError) -> VaultError {
        let detail = format!("{account}: {err}");
        match kind(&err) {
            Kind::Unavailable => VaultError::Unavailable { detail },
            Kind::Denied => VaultError::Denied { detail },
            Kind::Keyring => VaultError::Keyring { detail },
        }
    }
}

const DENIED_HINT: &str = "unlock your keyring and allow God Config when it asks, then try again";
const ERROR_HINT: &str =
    "try again; if it persists, check the keyring's own tool (Seahorse, secret-tool, Keychain Access)";

fn kind(err: &KeyringError) -> Kind {
    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ))]
    if let Some(kind) = secret_service_kind(err) {
        return kind;
    }
    match err {
        // Locked, or the store is not reachable (macOS: no keychain; Windows: no logon session).
        KeyringError::NoStorageAccess(_) => Kind::Unavailable,
        KeyringError::NoDefaultStore | KeyringError::NotSupportedByStore(_) => Kind::Unavailable,
        _ => Kind::Keyring,
    }
}

/// The Secret Service store wraps a `secret_service::Error` in both `NoStorageAccess` and
/// `PlatformFailure`; it says which of locked, dismissed prompt and D-Bus failure it was.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn secret_service_kind(err: &KeyringError) -> Option<Kind> {
    use secret_service::Error as Ss;
    let platform = match err {
        KeyringError::NoStorageAccess(e) | KeyringError::PlatformFailure(e) => e,
        _ => return None,
    };
    Some(match platform.downcast_ref::<Ss>()? {
        Ss::Locked | Ss::Unavailable | Ss::PromptDisconnected => Kind::Unavailable,
        // The bus or the service went away (no D-Bus, no Secret Service, daemon restarted).
        Ss::Zbus(_) | Ss::ZbusFdo(_) => Kind::Unavailable,
        Ss::Prompt => Kind::Denied,
        _ => Kind::Keyring,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable() {
        let detail = String::new;
        assert_eq!(
            VaultError::Unavailable { detail: detail() }.code(),
            "vault.unavailable"
        );
        assert_eq!(
            VaultError::Denied { detail: detail() }.code(),
            "vault.denied"
        );
        assert_eq!(
            VaultError::Keyring { detail: detail() }.code(),
            "vault.error"
        );
    }

    #[test]
    fn error_text_never_carries_secret_bytes() {
        let err = VaultError::account(
            "PROVIDER_X_API_KEY",
            KeyringError::BadEncoding(b"hunter2\xff".to_vec()),
        );
        assert_eq!(err.code(), "vault.error");
        let shown = format!("{err} {err:?}");
        assert!(shown.contains("PROVIDER_X_API_KEY"), "{shown}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("104, 117"),
            "{shown}"
        );
    }

    #[test]
    fn generic_kinds() {
        let unavailable = VaultError::account("A", KeyringError::NoDefaultStore);
        assert_eq!(unavailable.code(), "vault.unavailable");
        assert!(unavailable.hint().contains("never in a file"));
        let invalid =
            VaultError::account("A", KeyringError::Invalid("user".into(), "empty".into()));
        assert_eq!(invalid.code(), "vault.error");
    }

    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ))]
    #[test]
    fn secret_service_kinds() {
        use secret_service::Error as Ss;
        let wrap = |e: Ss| KeyringError::NoStorageAccess(Box::new(e));
        let code = |e: KeyringError| VaultError::account("A", e).code();
        assert_eq!(code(wrap(Ss::Locked)), "vault.unavailable");
        assert_eq!(code(wrap(Ss::Prompt)), "vault.denied");
        assert_eq!(code(wrap(Ss::NoResult)), "vault.error");
        let failure = KeyringError::PlatformFailure(Box::new(Ss::Unavailable));
        assert_eq!(code(failure), "vault.unavailable");
        assert!(VaultError::account("A", wrap(Ss::Locked))
            .hint()
            .starts_with("start or unlock your login keyring"));
    }
}
