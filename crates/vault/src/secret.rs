//! A secret value held in memory: it never prints, never serializes, and is wiped on drop.

use zeroize::Zeroize;

/// A secret value (an API key, a token). Deliberately not `Clone` or `PartialEq`: `Debug` and
/// `Display` print `<redacted>`, `Serialize` fails, and the bytes are zeroed when it is dropped.
/// Hold one for as short a time as possible.
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Secret {
        Secret(value)
    }

    /// The value with surrounding whitespace (a pasted newline, spaces) removed, in place.
    pub fn trimmed(mut self) -> Secret {
        let trimmed = self.0.trim();
        if trimmed.len() != self.0.len() {
            let kept = trimmed.to_string();
            // The old buffer is wiped when `self.0` is replaced and dropped below.
            self.0.zeroize();
            self.0 = kept;
        }
        self
    }

    /// Appends everything `reader` yields (standard input) to the value. On an error, what was
    /// read stays inside the secret, so it is still wiped on drop.
    pub fn read_from(&mut self, reader: &mut impl std::io::Read) -> std::io::Result<usize> {
        reader.read_to_string(&mut self.0)
    }

    /// Whether the value has a line break inside it (after trimming): usually a paste of more
    /// than the key, worth a warning, but some keys (PEM) are multi-line.
    pub fn has_inner_newline(&self) -> bool {
        self.0.trim().contains(['\n', '\r'])
    }

    /// The value, for the one place that must hand it on (the keyring, a child's environment).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // Zeroes the whole buffer, spare capacity included.
        self.0.zeroize();
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Refuses: a secret must never end up in JSON, IPC payloads, logs or snapshots.
impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom(
            "a vault secret is never serialized",
        ))
    }
}

/// Accepts a string: the one way a value arrives over IPC (the VaultWriter's command).
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let secret = Secret::new("hunter2-value".to_string());
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{secret}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&secret)), "Some(<redacted>)");
        assert_eq!(secret.expose(), "hunter2-value");
    }

    #[test]
    fn trimmed_and_newlines() {
        let s = Secret::new("  sk_test_1\n".into()).trimmed();
        assert_eq!(s.expose(), "sk_test_1");
        assert!(!s.has_inner_newline());
        assert!(Secret::new("a\nb\n".into()).has_inner_newline());
        let parsed: Secret = serde_json::from_str("\"sk_live\"").unwrap();
        assert_eq!(parsed.expose(), "sk_live");
    }

    #[test]
    fn serialize_fails_without_the_value() {
        #[derive(serde::Serialize)]
        struct Payload {
            key: &'static str,
            value: Secret,
        }
        let payload = Payload {
            key: "PROVIDER_X_API_KEY",
            value: Secret::from("hunter2-value".to_string()),
        };
        let err = serde_json::to_string(&payload).unwrap_err().to_string();
        assert!(err.contains("never serialized"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
    }
}
