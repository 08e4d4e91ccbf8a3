//! The app layer's one error type. It crosses IPC as `{code, message}`: the code is stable and
//! the message already carries the hint, so the UI never parses text.

pub use godconfig_codes::Code;
use godconfig_registry::RegistryError;
use godconfig_sentinel::SentinelError;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(transparent)]
    Sentinel(#[from] SentinelError),
    #[error(transparent)]
    Vault(#[from] godconfig_vault::VaultError),
    #[error("no workspace is open")]
    NoWorkspace,
    #[error("the settings file {path} cannot be {op}: {reason}")]
    Settings {
        path: String,
        op: &'static str,
        reason: String,
    },
    #[error("{0} is not a folder")]
    NotAFolder(String),
    #[error("no connectors folder is chosen")]
    NoFolderPicked,
    #[error("no registry file is chosen")]
    NoFilePicked,
    #[error("{0} already holds files")]
    FolderNotEmpty(String),
    #[error("this build has no example connectors")]
    NoExamples,
    #[error("a sync is already running")]
    SyncRunning,
    #[error("the reviewer name must not be blank")]
    BlankName,
    #[error("the rotation age must be between 1 and 3650 days")]
    BadRotation,
    #[error("cannot write {path}: {reason}")]
    Export { path: String, reason: String },
    #[error("cannot read {path}: {reason}")]
    Import { path: String, reason: String },
}

impl AppError {
    /// A file or folder the app could not write (an export, the registry's folder).
    pub fn cannot_write(path: &std::path::Path, err: std::io::Error) -> AppError {
        AppError::Export {
            path: path.display().to_string(),
            reason: err.to_string(),
        }
    }

    pub fn code(&self) -> Code {
        match self {
            AppError::Registry(e) => e.code(),
            AppError::Sentinel(e) => e.code(),
            AppError::Vault(e) => e.code(),
            AppError::NoWorkspace => Code::AppNoWorkspace,
            AppError::Settings { .. } => Code::AppSettings,
            AppError::NotAFolder(_) => Code::AppNotAFolder,
            AppError::NoFolderPicked => Code::AppNoFolder,
            AppError::NoFilePicked => Code::AppNoFile,
            AppError::FolderNotEmpty(_) => Code::AppFolderNotEmpty,
            AppError::NoExamples => Code::AppNoExamples,
            AppError::SyncRunning => Code::AppSyncRunning,
            AppError::BlankName => Code::AppBlankName,
            AppError::BadRotation => Code::AppBadRotation,
            AppError::Export { .. } => Code::AppExport,
            AppError::Import { .. } => Code::AppImport,
        }
    }

    pub fn hint(&self) -> &'static str {
        match self {
            AppError::Registry(e) => e.hint(),
            AppError::Sentinel(e) => e.hint(),
            AppError::Vault(e) => e.hint(),
            AppError::NoWorkspace => "open a connectors folder and a registry first",
            AppError::Settings { .. } => {
                "check the file's permissions, or delete it to start from defaults"
            }
            AppError::NotAFolder(_) => "choose the folder that holds one sub-folder per connector",
            AppError::NoFolderPicked => "choose the connectors folder first",
            AppError::NoFilePicked => "choose a registry file first, or use the default registry",
            AppError::FolderNotEmpty(_) => {
                "open it as your connectors folder instead, or choose an empty or new folder"
            }
            AppError::NoExamples => {
                "reinstall the package, set GODCONFIG_EXAMPLES_DIR to a folder of example connectors, or start empty"
            }
            AppError::SyncRunning => "wait for the running sync to finish",
            AppError::BlankName => {
                "type the name to record in the audit log, or clear it to use your OS user name"
            }
            AppError::BadRotation => {
                "type a number of days, such as 90, or reset it to the default"
            }
            AppError::Export { .. } => "choose a folder you can write to",
            AppError::Import { .. } => "choose a UTM templates file (YAML) you can read",
        }
    }

    /// What crosses IPC.
    pub fn to_ipc(&self) -> ErrorCode {
        ErrorCode {
            code: self.code(),
            message: format!("{self}. {}", capitalized(self.hint())),
        }
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// `{code, message}`: the only error shape the webview ever sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ErrorCode {
    pub code: Code,
    pub message: String,
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;
