//! The sentinel layer's error: what failed, where, and a hint.

use godconfig_registry::RegistryError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SentinelError {
    #[error("cannot read the connectors folder {path}: {reason}")]
    Dir { path: PathBuf, reason: String },
    #[error("cannot write {path}: {reason}")]
    Write { path: PathBuf, reason: String },
    #[error("cannot generate {path}: {reason}")]
    Codegen { path: PathBuf, reason: String },
    #[error("confirmation needed: {question}")]
    Confirm { question: String },
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

impl SentinelError {
    pub fn code(&self) -> &'static str {
        match self {
            SentinelError::Dir { .. } => "sentinel.dir",
            SentinelError::Write { .. } => "sentinel.write",
            SentinelError::Codegen { .. } => "sentinel.codegen",
            SentinelError::Confirm { .. } => "sentinel.confirm",
            SentinelError::Registry(e) => e.code(),
        }
    }

    pub fn hint(&self) -> &'static str {
        match self {
            SentinelError::Dir { .. } => "pass the folder holding <slug>/manifest.yaml (default: ./connectors)",
            SentinelError::Write { .. } => "check the folder's permissions and free disk space; the registry is already updated, run sync again to retry",
            SentinelError::Codegen { .. } => "this is a bug in the generator; report it with the manifest",
            SentinelError::Confirm { .. } => "run it in a terminal to answer, or pass --yes",
            SentinelError::Registry(e) => e.hint(),
        }
    }
}
