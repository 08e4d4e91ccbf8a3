//! Who may get a connector's keys: the rule `sentinel vault exec` (and next the gateway) applies
//! before any key leaves the keyring. Pure; `tables/run_gate.rs` reads the facts and audits.

use crate::error::RegistryError;
use crate::model::Status;

/// What the registry and the folder say about one connector at the moment it is to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunFacts {
    pub status: Status,
    /// The fingerprint the last sync registered.
    pub registered: String,
    /// The fingerprint of the approval in force, if any.
    pub approved: Option<String>,
    /// The fingerprint of the files on disk now.
    pub on_disk: String,
}

/// How the keys are asked for: for an approved connector, or for a draft under development.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunMode {
    Approved,
    Draft,
}

impl RunMode {
    /// The audit log's name for a run allowed in this mode.
    pub fn audit_action(self) -> &'static str {
        match self {
            RunMode::Approved => "vault.exec",
            RunMode::Draft => "vault.exec_draft",
        }
    }
}

/// Allowed, or why not (with the way out).
pub fn may_run(slug: &str, f: &RunFacts, mode: RunMode) -> Result<(), RegistryError> {
    let refuse = |reason: String, hint: &'static str| {
        Err(RegistryError::RunRefused {
            slug: slug.to_string(),
            reason,
            hint,
        })
    };
    match (mode, f.status) {
        (_, Status::Rejected | Status::Removed) => refuse(
            format!("it is {}", f.status.as_str()),
            "a rejected or removed connector never gets keys; fix it, sync, and have it approved",
        ),
        (RunMode::Draft, _) => Ok(()),
        (RunMode::Approved, Status::Draft) => refuse(
            "it is a draft, not approved".into(),
            "have it approved (`sentinel approve SLUG`), or run it with your dev keys: `sentinel vault exec --draft`",
        ),
        (RunMode::Approved, _) if f.on_disk != f.registered => refuse(
            "its files on disk changed since the last sync".into(),
            "run `sentinel sync`: a code change sends it back to review",
        ),
        (RunMode::Approved, _) if f.approved.as_deref() != Some(f.on_disk.as_str()) => refuse(
            "its files are not those that were approved".into(),
            "`sentinel show SLUG --diff` shows what changed; have it approved again",
        ),
        (RunMode::Approved, _) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(status: Status, registered: &str, approved: Option<&str>, on_disk: &str) -> RunFacts {
        RunFacts {
            status,
            registered: registered.into(),
            approved: approved.map(String::from),
            on_disk: on_disk.into(),
        }
    }

    #[test]
    fn keys_go_only_to_what_was_approved_as_it_is_on_disk() {
        let ok = facts(Status::Approved, "f1", Some("f1"), "f1");
        assert!(may_run("s", &ok, RunMode::Approved).is_ok());
        let edited = facts(Status::Approved, "f1", Some("f1"), "f2");
        let refused = |f: &RunFacts, m| match may_run("s", f, m) {
            Err(RegistryError::RunRefused { reason, .. }) => reason,
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert!(refused(&edited, RunMode::Approved).contains("changed since the last sync"));
        let stale = facts(Status::Approved, "f2", Some("f1"), "f2");
        assert!(refused(&stale, RunMode::Approved).contains("not those that were approved"));
        let draft = facts(Status::Draft, "f1", None, "f1");
        assert!(refused(&draft, RunMode::Approved).contains("draft"));
        assert!(may_run("s", &draft, RunMode::Draft).is_ok());
        for status in [Status::Rejected, Status::Removed] {
            let f = facts(status, "f1", None, "f1");
            assert!(refused(&f, RunMode::Draft).contains(status.as_str()));
        }
    }
}
