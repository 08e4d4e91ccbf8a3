//! The sentinel layer's error: what failed, where, and a hint.

pub use godconfig_codes::Code;
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
    #[error(transparent)]
    Vault(#[from] godconfig_vault::VaultError),
    #[error("{slug} needs {} that the keyring does not hold: {}", if .keys.len() == 1 { "a key" } else { "keys" }, .keys.join(", "))]
    KeysMissing { slug: String, keys: Vec<String> },
    #[error("cannot read the key's value: {reason}")]
    ReadValue { reason: String },
    #[error("cannot run `{program}`: {reason}")]
    Exec { program: String, reason: String },
    #[error("{path} is not the file the sentinel generates from the approved manifest")]
    StubChanged { path: PathBuf },
    #[error("{path} already exists")]
    Exists { path: PathBuf },
    #[error("no Python with the `mcp` package was found (tried: {})", .tried.join(", "))]
    NoPython { tried: Vec<String> },
    #[error("cannot update the MCP configuration {path}: {reason}")]
    ClientConfig { path: PathBuf, reason: String },
    #[error("cannot watch {path}: {reason}")]
    Watch { path: PathBuf, reason: String },
}

impl SentinelError {
    pub fn code(&self) -> Code {
        match self {
            SentinelError::Dir { .. } => Code::SentinelDir,
            SentinelError::Write { .. } => Code::SentinelWrite,
            SentinelError::Codegen { .. } => Code::SentinelCodegen,
            SentinelError::Confirm { .. } => Code::SentinelConfirm,
            SentinelError::Registry(e) => e.code(),
            SentinelError::Vault(e) => e.code(),
            SentinelError::KeysMissing { .. } => Code::VaultMissing,
            SentinelError::ReadValue { .. } => Code::VaultReadValue,
            SentinelError::Exec { .. } => Code::VaultExec,
            SentinelError::StubChanged { .. } => Code::SentinelStubChanged,
            SentinelError::NoPython { .. } => Code::McpPython,
            SentinelError::Exists { .. } => Code::SentinelExists,
            SentinelError::ClientConfig { .. } => Code::McpClientConfig,
            SentinelError::Watch { .. } => Code::SentinelWatch,
        }
    }

    pub fn hint(&self) -> &'static str {
        match self {
            SentinelError::Dir { .. } => "pass the folder holding <slug>/manifest.yaml (default: ./connectors)",
            SentinelError::Write { .. } => "check the folder's permissions and free disk space; the registry is already updated, run sync again to retry",
            SentinelError::Codegen { .. } => "this is a bug in the generator; report it with the manifest",
            SentinelError::Confirm { .. } => "run it in a terminal to answer, or pass --yes",
            SentinelError::Registry(e) => e.hint(),
            SentinelError::Vault(e) => e.hint(),
            SentinelError::ReadValue { .. } => "type the value at the prompt, or pipe it on standard input: `sentinel vault set NAME < file`",
            SentinelError::Exec { .. } => "check the command's name and that it is on your PATH and executable",
            SentinelError::StubChanged { .. } => "mcp.py is generated: delete it and run `sentinel sync` to write it again; only the file the sentinel writes is run",
            SentinelError::Exists { .. } => "pick another slug, or move the existing folder away; nothing was written",
            SentinelError::NoPython { .. } => "run `./dev setup` (it makes .venv with mcp), or install it (`python3 -m pip install mcp jsonschema`) and pass --python PATH or set GODCONFIG_PYTHON",
            SentinelError::ClientConfig { .. } => "fix the file by hand (it must be a JSON object), or move it away and run the command again; `--print` shows the entry to add yourself",
            SentinelError::Watch { .. } => "check that the folder exists and is readable; syncing by hand (`sentinel sync`) still works",
            SentinelError::KeysMissing { .. } => "set each one with `sentinel vault set NAME` (or the app's Vault screen), then run again; nothing was started",
        }
    }
}
