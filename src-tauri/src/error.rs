//! Every command error crosses IPC as `{code, message}` (see `godconfig_desktop::ErrorCode`).

use godconfig_desktop::{AppError, ErrorCode};
use godconfig_registry::RegistryError;

pub type CmdResult<T> = Result<T, ErrorCode>;

pub fn ipc(e: impl Into<AppError>) -> ErrorCode {
    let e = e.into();
    tracing::warn!(code = %e.code(), "command failed: {e}");
    e.to_ipc()
}

pub fn registry(e: RegistryError) -> ErrorCode {
    ipc(AppError::from(e))
}
