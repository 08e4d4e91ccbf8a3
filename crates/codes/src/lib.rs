//! The stable error codes of every layer (registry, sentinel, vault, app, IPC). A code is a
//! contract with scripts (`sentinel … --format json`) and with the UI: never rename one.
//!
//! The enum crosses IPC as a string union (`ErrorCodeId` in `ui/src/bindings.ts`), so the UI's
//! table of titles and recoveries is typed by it and a new code without a title fails `tsc`.

use std::fmt;

/// Declares the enum once: each variant with its wire string, used by serde, `as_str` and `ALL`.
macro_rules! codes {
    ($($variant:ident = $code:literal,)*) => {
        /// A stable error code, `layer.name`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(rename = "ErrorCodeId")]
        pub enum Code {
            $(#[serde(rename = $code)] $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The wire form, such as `registry.busy`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }
        }
    };
}

codes! {
    // The desktop app's own errors.
    AppNoWorkspace = "app.no_workspace",
    AppSettings = "app.settings",
    AppNotAFolder = "app.not_a_folder",
    AppNoFolder = "app.no_folder",
    AppNoFile = "app.no_file",
    AppFolderNotEmpty = "app.folder_not_empty",
    AppNoExamples = "app.no_examples",
    AppSyncRunning = "app.sync_running",
    AppBlankName = "app.blank_name",
    AppBadRotation = "app.bad_rotation",
    AppExport = "app.export",
    AppImport = "app.import",
    // Storage, whatever the table.
    RegistryBadUrl = "registry.bad_url",
    RegistryConnect = "registry.connect",
    RegistryTls = "registry.tls",
    RegistryMigration = "registry.migration",
    RegistryMigrationChanged = "registry.migration_changed",
    RegistryUnknownMigration = "registry.unknown_migration",
    RegistryBusy = "registry.busy",
    RegistryDatabase = "registry.database",
    RegistryForbidden = "registry.forbidden",
    RegistryOffline = "registry.offline",
    RegistryCorrupt = "registry.corrupt",
    RegistryConflict = "registry.conflict",
    // Review: the approval gate and status changes.
    ReviewFourEyes = "review.four_eyes",
    ReviewNotFound = "review.not_found",
    ReviewGateRefused = "review.gate_refused",
    ReviewWrongStatus = "review.wrong_status",
    ReviewReasonRequired = "review.reason_required",
    ReviewHashMismatch = "review.hash_mismatch",
    // Team mode.
    TeamNeedsPostgres = "team.needs_postgres",
    TeamBadPolicy = "team.bad_policy",
    // The scope manager and firearm types.
    ScopesUnknownScope = "scopes.unknown_scope",
    ScopesNotGated = "scopes.not_gated",
    ScopesReasonRequired = "scopes.reason_required",
    ScopesEmptySelection = "scopes.empty_selection",
    FirearmsUnknownType = "firearms.unknown_type",
    FirearmsRetired = "firearms.retired",
    FirearmsExists = "firearms.exists",
    FirearmsInUse = "firearms.in_use",
    FirearmsInvalid = "firearms.invalid",
    // The KPI mapper and core KPIs.
    KpisEmptySelection = "kpis.empty_selection",
    KpisUnknownMetric = "kpis.unknown_metric",
    KpisOrphaned = "kpis.orphaned",
    KpisUnknownKpi = "kpis.unknown_kpi",
    KpisRetiredKpi = "kpis.retired_kpi",
    KpisReasonRequired = "kpis.reason_required",
    CoreKpisExists = "core_kpis.exists",
    CoreKpisInUse = "core_kpis.in_use",
    CoreKpisInvalid = "core_kpis.invalid",
    // The UTM builder.
    UtmRefused = "utm.refused",
    UtmUnknownTemplate = "utm.unknown_template",
    UtmExists = "utm.exists",
    UtmNotDeclared = "utm.not_declared",
    // The vault: the OS keyring and the keys' metadata.
    VaultUnavailable = "vault.unavailable",
    VaultDenied = "vault.denied",
    VaultError = "vault.error",
    VaultBadName = "vault.bad_name",
    VaultBlank = "vault.blank",
    VaultUnknownKey = "vault.unknown_key",
    VaultAmbiguousKey = "vault.ambiguous_key",
    VaultKeyOfRemoved = "vault.key_of_removed",
    VaultMissing = "vault.missing",
    VaultReadValue = "vault.read_value",
    VaultExec = "vault.exec",
    VaultNotApproved = "vault.not_approved",
    // The sentinel: the connectors folder and the generated stubs.
    SentinelDir = "sentinel.dir",
    SentinelWrite = "sentinel.write",
    SentinelCodegen = "sentinel.codegen",
    SentinelConfirm = "sentinel.confirm",
    SentinelStubChanged = "sentinel.stub_changed",
    SentinelExists = "sentinel.exists",
    SentinelWatch = "sentinel.watch",
    // The MCP gateway: tool policies, calls that ask a person, the client configuration.
    McpUnknownTool = "mcp.unknown_tool",
    McpNoPendingCall = "mcp.no_pending_call",
    McpCallAnswered = "mcp.call_answered",
    McpPython = "mcp.python",
    McpClientConfig = "mcp.client_config",
    // Made by the UI for a failure that carried no code (a framework or JavaScript error).
    IpcUnexpected = "ipc.unexpected",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// Lets tests and callers compare with the wire form: `assert_eq!(e.code(), "registry.busy")`.
impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::Code;
    use std::collections::HashSet;

    #[test]
    fn every_code_is_unique_and_serializes_as_its_wire_form() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code} is declared twice");
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            let back: Code = serde_json::from_str(&json).unwrap();
            assert_eq!(back, *code);
        }
    }

    #[test]
    fn every_code_is_layer_dot_name_in_snake_case() {
        for code in Code::ALL {
            let (layer, name) = code.as_str().split_once('.').expect("layer.name");
            for part in [layer, name] {
                assert!(
                    !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                    "{code}"
                );
            }
        }
    }
}
