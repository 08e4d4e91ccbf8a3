//! The registry layer's one error type. Each variant has a stable code and a hint; raw driver
//! errors are summarized, never passed through.

pub use godconfig_codes::Code;
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("unsupported database URL `{url}`")]
    BadUrl { url: String },
    #[error("cannot open the registry at {target}: {reason}")]
    Connect { target: String, reason: String },
    #[error("no secure connection to the registry at {target}: {reason}")]
    Tls { target: String, reason: String },
    #[error("migration {version} ({description}) failed: {reason}")]
    Migration {
        version: i64,
        description: String,
        reason: String,
    },
    #[error(
        "migration {version} ({description}) was edited after it was applied to this database"
    )]
    MigrationChanged { version: i64, description: String },
    #[error("the database is newer than this program: it has migration {version}, unknown here")]
    UnknownMigration { version: i64 },
    #[error("the registry stayed locked by another writer for too long while {op}")]
    Busy { op: &'static str },
    #[error("database error while {op}: {reason}")]
    Database { op: &'static str, reason: String },
    #[error("the registry's database cannot be reached while {op}: {reason}; nothing was changed")]
    Offline { op: &'static str, reason: String },
    #[error("the database refused while {op}: {reason}")]
    Forbidden { op: &'static str, reason: String },
    #[error("cannot approve: {reason}")]
    FourEyes { reason: String },
    #[error("team mode needs a PostgreSQL registry; this one is a SQLite file")]
    TeamModeNeedsPostgres,
    #[error("invalid team policy: {reason}")]
    BadPolicy { reason: String },
    #[error("stored data is unreadable while {op}: {reason}")]
    Corrupt { op: &'static str, reason: String },
    #[error("no connector `{slug}` is registered")]
    NotFound { slug: String },
    #[error("cannot approve: the gate refuses {}", refused_list(.gates))]
    GateRefused { gates: Vec<crate::review::Gate> },
    #[error("cannot {action} `{slug}`: it is {status}")]
    WrongStatus {
        slug: String,
        action: &'static str,
        status: &'static str,
    },
    #[error("a reason is required to {action} a connector")]
    ReasonRequired { action: &'static str },
    #[error(
        "`{slug}` changed since it was reviewed: its manifest hash is {actual}, not {expected}"
    )]
    HashMismatch {
        slug: String,
        expected: String,
        actual: String,
    },
    #[error("keys refused to `{slug}`: {reason}")]
    RunRefused {
        slug: String,
        reason: String,
        hint: &'static str,
    },
    #[error("the files of `{slug}` changed since they were reviewed: fingerprint {actual}, not {expected}")]
    FilesChanged {
        slug: String,
        expected: String,
        actual: String,
    },
    #[error("no scope `{scope}` in connector `{connector}`{}", maybe(.did_you_mean))]
    UnknownScope {
        connector: String,
        scope: String,
        did_you_mean: Option<String>,
    },
    #[error("no firearm type `{slug}`{}", maybe(.did_you_mean))]
    UnknownFirearmType {
        slug: String,
        did_you_mean: Option<String>,
    },
    #[error("firearm type `{slug}` is retired and cannot be given to more scopes")]
    RetiredFirearmType { slug: String },
    #[error("firearm type `{slug}` already exists")]
    FirearmTypeExists { slug: String },
    #[error("firearm type `{slug}` is still used by {}", usage_list(.usage))]
    FirearmTypeInUse {
        slug: String,
        usage: Vec<crate::firearms::TypeUsage>,
    },
    #[error("invalid firearm type {field}: {reason}")]
    InvalidFirearmType { field: &'static str, reason: String },
    #[error("`{scope}` is not gated, so it takes no firearm type")]
    NotGated { scope: String },
    #[error("a reason is required to ungate `{scope}`: its manifest declares it gated")]
    UngateReasonRequired { scope: String },
    #[error("no scope selected")]
    EmptySelection,
    #[error("someone else changed {} since you loaded it; nothing was changed", conflict_list(.what))]
    Conflict { what: Vec<String> },
    #[error("no metric selected")]
    NoMetricSelected,
    #[error("no metric `{metric}` in connector `{connector}`{}", maybe(.did_you_mean))]
    UnknownMetric {
        connector: String,
        metric: String,
        did_you_mean: Option<String>,
    },
    #[error("metric `{metric}` is no longer in the manifest of `{connector}`; its mapping can only be removed")]
    OrphanedMetric { connector: String, metric: String },
    #[error("no core KPI `{slug}`{}", maybe(.did_you_mean))]
    UnknownCoreKpi {
        slug: String,
        did_you_mean: Option<String>,
    },
    #[error("core KPI `{slug}` is retired and cannot be given more metrics")]
    RetiredCoreKpi { slug: String },
    #[error("a reason is required to mark `{metric}` \"not a KPI\"")]
    NotAKpiReasonRequired { metric: String },
    #[error("core KPI `{slug}` already exists")]
    CoreKpiExists { slug: String },
    #[error("core KPI `{slug}` is still mapped by {}", kpi_usage_list(.usage))]
    CoreKpiInUse {
        slug: String,
        usage: Vec<crate::kpis::KpiUsage>,
    },
    #[error("invalid core KPI {field}: {reason}")]
    InvalidCoreKpi { field: &'static str, reason: String },
    #[error("{}", violation_list(.violations))]
    UtmRefused {
        violations: Vec<godconfig_utm::Violation>,
    },
    #[error("no UTM template for content type `{content_type}`{}", maybe(.did_you_mean))]
    UnknownUtmTemplate {
        content_type: String,
        did_you_mean: Option<String>,
    },
    #[error("no registered connector requires the vault key `{vault_key}`{}", maybe(.did_you_mean))]
    UnknownVaultKey {
        vault_key: String,
        did_you_mean: Option<String>,
    },
    #[error("the vault key `{vault_key}` is required by more than one connector: {}", .connectors.join(", "))]
    AmbiguousVaultKey {
        vault_key: String,
        connectors: Vec<String>,
    },
    #[error("the keyring's `{vault_key}` was set for `{holder}` (removed since, or no longer requiring it), not for `{connector}`")]
    VaultKeyOfRemoved {
        vault_key: String,
        holder: String,
        connector: String,
    },
    #[error("a UTM template for `{content_type}` already exists")]
    UtmTemplateExists { content_type: String },
    #[error("`{connector}` does not declare the content type `{content_type}` (it declares: {})", if .declared.is_empty() { "none".to_string() } else { .declared.join(", ") })]
    UtmNotDeclared {
        connector: String,
        content_type: String,
        declared: Vec<String>,
    },
    #[error("no operation `{operation}` in connector `{connector}`{}", maybe(.did_you_mean))]
    UnknownOperation {
        connector: String,
        operation: String,
        did_you_mean: Option<String>,
    },
    #[error("no tool call #{id} is waiting for an answer")]
    NoPendingCall { id: i64 },
    #[error("tool call #{id} was already answered: {answer}")]
    CallAnswered { id: i64, answer: &'static str },
}

fn violation_list(v: &[godconfig_utm::Violation]) -> String {
    let lines: Vec<String> = v
        .iter()
        .map(|x| format!("{}: {} (fix: {})", x.field, x.message, x.fix))
        .collect();
    format!("{} rule violation(s): {}", v.len(), lines.join("; "))
}

fn kpi_usage_list(usage: &[crate::kpis::KpiUsage]) -> String {
    usage
        .iter()
        .map(|u| format!("{} ({} metric(s))", u.connector, u.metrics))
        .collect::<Vec<_>>()
        .join(", ")
}

fn maybe(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

fn usage_list(usage: &[crate::firearms::TypeUsage]) -> String {
    usage
        .iter()
        .map(|u| format!("{} ({} scope(s))", u.connector, u.scopes))
        .collect::<Vec<_>>()
        .join(", ")
}

fn conflict_list(what: &[String]) -> String {
    let shown: Vec<&str> = what.iter().take(3).map(String::as_str).collect();
    match what.len() {
        n if n > 3 => format!("{} and {} more", shown.join(", "), n - 3),
        _ => shown.join(", "),
    }
}

fn refused_list(gates: &[crate::review::Gate]) -> String {
    gates
        .iter()
        .map(|g| format!("{} ({} missing)", g.slug, g.missing.len()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl RegistryError {
    /// Stable machine-readable code (CLI `--format json`, IPC `{code, message}`).
    pub fn code(&self) -> Code {
        match self {
            RegistryError::BadUrl { .. } => Code::RegistryBadUrl,
            RegistryError::Connect { .. } => Code::RegistryConnect,
            RegistryError::Tls { .. } => Code::RegistryTls,
            RegistryError::Migration { .. } => Code::RegistryMigration,
            RegistryError::MigrationChanged { .. } => Code::RegistryMigrationChanged,
            RegistryError::UnknownMigration { .. } => Code::RegistryUnknownMigration,
            RegistryError::Busy { .. } => Code::RegistryBusy,
            RegistryError::Database { .. } => Code::RegistryDatabase,
            RegistryError::Forbidden { .. } => Code::RegistryForbidden,
            RegistryError::Offline { .. } => Code::RegistryOffline,
            RegistryError::FourEyes { .. } => Code::ReviewFourEyes,
            RegistryError::TeamModeNeedsPostgres => Code::TeamNeedsPostgres,
            RegistryError::BadPolicy { .. } => Code::TeamBadPolicy,
            RegistryError::Corrupt { .. } => Code::RegistryCorrupt,
            RegistryError::NotFound { .. } => Code::ReviewNotFound,
            RegistryError::RunRefused { .. } => Code::VaultNotApproved,
            RegistryError::GateRefused { .. } => Code::ReviewGateRefused,
            RegistryError::WrongStatus { .. } => Code::ReviewWrongStatus,
            RegistryError::ReasonRequired { .. } => Code::ReviewReasonRequired,
            RegistryError::HashMismatch { .. } | RegistryError::FilesChanged { .. } => {
                Code::ReviewHashMismatch
            }
            RegistryError::UnknownScope { .. } => Code::ScopesUnknownScope,
            RegistryError::UnknownFirearmType { .. } => Code::FirearmsUnknownType,
            RegistryError::RetiredFirearmType { .. } => Code::FirearmsRetired,
            RegistryError::FirearmTypeExists { .. } => Code::FirearmsExists,
            RegistryError::FirearmTypeInUse { .. } => Code::FirearmsInUse,
            RegistryError::InvalidFirearmType { .. } => Code::FirearmsInvalid,
            RegistryError::NotGated { .. } => Code::ScopesNotGated,
            RegistryError::UngateReasonRequired { .. } => Code::ScopesReasonRequired,
            RegistryError::EmptySelection => Code::ScopesEmptySelection,
            RegistryError::Conflict { .. } => Code::RegistryConflict,
            RegistryError::NoMetricSelected => Code::KpisEmptySelection,
            RegistryError::UnknownMetric { .. } => Code::KpisUnknownMetric,
            RegistryError::OrphanedMetric { .. } => Code::KpisOrphaned,
            RegistryError::UnknownCoreKpi { .. } => Code::KpisUnknownKpi,
            RegistryError::RetiredCoreKpi { .. } => Code::KpisRetiredKpi,
            RegistryError::NotAKpiReasonRequired { .. } => Code::KpisReasonRequired,
            RegistryError::CoreKpiExists { .. } => Code::CoreKpisExists,
            RegistryError::UtmRefused { .. } => Code::UtmRefused,
            RegistryError::UnknownUtmTemplate { .. } => Code::UtmUnknownTemplate,
            RegistryError::UtmTemplateExists { .. } => Code::UtmExists,
            RegistryError::UnknownVaultKey { .. } => Code::VaultUnknownKey,
            RegistryError::AmbiguousVaultKey { .. } => Code::VaultAmbiguousKey,
            RegistryError::VaultKeyOfRemoved { .. } => Code::VaultKeyOfRemoved,
            RegistryError::UtmNotDeclared { .. } => Code::UtmNotDeclared,
            RegistryError::CoreKpiInUse { .. } => Code::CoreKpisInUse,
            RegistryError::InvalidCoreKpi { .. } => Code::CoreKpisInvalid,
            RegistryError::UnknownOperation { .. } => Code::McpUnknownTool,
            RegistryError::NoPendingCall { .. } => Code::McpNoPendingCall,
            RegistryError::CallAnswered { .. } => Code::McpCallAnswered,
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            RegistryError::BadUrl { .. } => {
                "use a postgres://user@host:port/db URL, a sqlite:PATH URL, or a file path"
            }
            RegistryError::Connect { .. } => {
                "check that the server is running and the URL is right (--db or GODCONFIG_DATABASE_URL)"
            }
            RegistryError::Tls { .. } => {
                "the server's certificate must be signed by a CA this machine trusts (or the one in ?sslrootcert=/path/ca.pem) and, with sslmode=verify-full, name the host of the URL; sslmode=require encrypts without checking who answers"
            }
            RegistryError::Migration { .. } => {
                "nothing was applied; fix the database (permissions, disk space) and run again"
            }
            RegistryError::MigrationChanged { .. } => {
                "migrations are append-only: restore the original file and add a new migration"
            }
            RegistryError::UnknownMigration { .. } => "upgrade the sentinel or the app to the newest version",
            RegistryError::Busy { .. } => "another sentinel or the app is writing; try again in a moment",
            RegistryError::Database { .. } => "nothing was changed; run again, and check the database server's log",
            RegistryError::Offline { .. } => "check that the database server is running and reachable, then try again; the app reconnects by itself",
            RegistryError::Forbidden { .. } => "nothing was changed: your database role may not do this; `sentinel db whoami` lists your roles, and docs/team-mode.md says how an owner grants one",
            RegistryError::BadPolicy { .. } => "give the approval expiry in days, from 1 to 3650, or turn it off",
            RegistryError::TeamModeNeedsPostgres => "pass --db postgres://… (or set GODCONFIG_DATABASE_URL); docs/team-mode.md walks through it",
            RegistryError::FourEyes { .. } => "nothing was approved: the team's four-eyes rule needs another operator (an admin can turn the rule off in the team policy)",
            RegistryError::Corrupt { .. } => "restore the registry from a backup, or re-sync into a fresh database",
            RegistryError::NotFound { .. } => "`sentinel status` lists the registered connectors",
            RegistryError::RunRefused { hint, .. } => hint,
            RegistryError::GateRefused { .. } => "fix each missing item listed, then approve again; nothing was approved",
            RegistryError::WrongStatus { .. } => {
                "approve a draft (or a rejected connector), reject a draft, revoke an approved connector"
            }
            RegistryError::ReasonRequired { .. } => "pass --reason with a short explanation for the audit log",
            RegistryError::HashMismatch { .. } => "review the connector again: its manifest changed after you looked at it",
            RegistryError::FilesChanged { .. } => "review the connector again: its code changed after you looked at it (see what changed on its page, or `sentinel show SLUG --diff`)",
            RegistryError::UnknownScope { .. } => "`sentinel scopes list --connector SLUG` lists its scopes",
            RegistryError::UnknownFirearmType { .. } => "`sentinel firearms list` lists the types; an admin adds one with `sentinel firearms add`",
            RegistryError::RetiredFirearmType { .. } => "pick a type that is not retired, or restore this one (`sentinel firearms restore`, or the Firearm types screen)",
            RegistryError::FirearmTypeExists { .. } => "pick another slug, or edit the existing type",
            RegistryError::FirearmTypeInUse { .. } => "retire it instead: retired types stay on their scopes but cannot be given to more",
            RegistryError::InvalidFirearmType { .. } => "fix the field and submit again",
            RegistryError::NotGated { .. } => "gate the scope first (you can give the type at the same time)",
            RegistryError::UngateReasonRequired { .. } => "write why this scope is safe without a firearm (--reason); it goes to the audit log",
            RegistryError::EmptySelection => "select at least one scope",
            RegistryError::Conflict { .. } => "reload to see the current values, then make your change again",
            RegistryError::NoMetricSelected => "select at least one metric",
            RegistryError::UnknownMetric { .. } => "`sentinel kpis list --connector SLUG` lists its metrics",
            RegistryError::OrphanedMetric { .. } => "unmap it (`sentinel kpis unmap`), or put the metric back in the manifest and sync",
            RegistryError::UnknownCoreKpi { .. } => "`sentinel kpis list --core` lists the core KPIs; an admin adds one on the Core KPIs screen",
            RegistryError::RetiredCoreKpi { .. } => "pick a KPI that is not retired, or restore this one on the Core KPIs screen",
            RegistryError::NotAKpiReasonRequired { .. } => "write why this metric is not a KPI (--reason); it goes to the audit log",
            RegistryError::CoreKpiExists { .. } => "pick another slug, or edit the existing KPI",
            RegistryError::CoreKpiInUse { .. } => "retire it instead: retired KPIs keep their mappings but take no new ones",
            RegistryError::InvalidCoreKpi { .. } => "fix the field and submit again",
            RegistryError::UtmRefused { .. } => "fix each field as its violation says; nothing was saved",
            RegistryError::UnknownUtmTemplate { .. } => "an admin defines one in the UTM builder's templates (or `sentinel utm import`)",
            RegistryError::AmbiguousVaultKey { .. } => "PROVIDER_{SLUG}_{KEY} names collide when one slug plus key spells another (acme + SHOP_TOKEN, acme_shop + TOKEN): rename a secret in one manifest and sync",
            RegistryError::VaultKeyOfRemoved { .. } => "two slugs spell this name (`a` + B_C and `a_b` + C are both PROVIDER_A_B_C): delete the removed connector's key (`sentinel vault rm NAME`, or Delete on the Vault screen), then set it again for the connector that needs it",
            RegistryError::UnknownVaultKey { .. } => "`sentinel vault status` lists the keys the registered connectors require (PROVIDER_{SLUG}_{KEY}); a new connector must be synced first",
            RegistryError::UtmTemplateExists { .. } => "edit the existing template, or import again with \"replace existing\" (--replace)",
            RegistryError::UtmNotDeclared { .. } => "pick one of the connector's content types, or declare it in its manifest's utm_capabilities",
            RegistryError::UnknownOperation { .. } => "`sentinel show SLUG` lists its operations",
            RegistryError::NoPendingCall { .. } => "`sentinel mcp pending` lists the calls waiting for an answer",
            RegistryError::CallAnswered { .. } => "nothing was changed: each call is answered once; a call nobody answered in time was denied, and the agent can call again",
        }
    }

    pub(crate) fn db(op: &'static str) -> impl FnOnce(sqlx::Error) -> RegistryError {
        move |e| {
            let reason = match &e {
                sqlx::Error::Database(d) => {
                    let reason = d.message().to_string();
                    match d.code().as_deref() {
                        _ if reason.contains("database is locked") => {
                            return RegistryError::Busy { op }
                        }
                        Some("40001" | "55P03") => return RegistryError::Busy { op },
                        // insufficient_privilege: a GRANT, a row-level policy or the review trigger.
                        Some("42501") => return RegistryError::Forbidden { op, reason },
                        // Raised by the review trigger of team mode (team_roles.sql).
                        Some("GC4EY") => return RegistryError::FourEyes { reason },
                        // connection_exception (08…), admin_shutdown and friends (57P01-57P03).
                        Some(c) if c.starts_with("08") || c.starts_with("57P0") => {
                            return RegistryError::Offline { op, reason }
                        }
                        _ => reason,
                    }
                }
                sqlx::Error::Io(io) => {
                    return RegistryError::Offline {
                        op,
                        reason: io.to_string(),
                    }
                }
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => {
                    return RegistryError::Offline {
                        op,
                        reason: e.to_string(),
                    }
                }
                sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => {
                    return RegistryError::Corrupt {
                        op,
                        reason: e.to_string(),
                    }
                }
                other => other.to_string(),
            };
            RegistryError::Database { op, reason }
        }
    }
}

pub type Result<T, E = RegistryError> = std::result::Result<T, E>;
