//! What the app remembers between runs: the workspace and the reviewer's name. A JSON file in
//! the user's config directory, replaced atomically. A PostgreSQL password is never written: it
//! comes from `PGPASSWORD` or `~/.pgpass` (libpq's conventions, which sqlx follows).

use crate::error::{AppError, Result};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Settings {
    pub connectors_dir: Option<String>,
    /// A SQLite path or a `postgres://` URL without its password.
    pub registry: Option<String>,
    /// Recorded as the actor of approvals; the OS user name when unset.
    pub reviewer_name: Option<String>,
    /// A developer key older than this many days is "stale"; 90 when unset.
    pub rotation_days: Option<u32>,
    /// Whether the app watches the connectors folder and syncs what changes; on when unset.
    pub watcher: Option<bool>,
}

impl Settings {
    /// The rotation age in days (see `rotation_days`).
    pub fn rotation_days(&self) -> u32 {
        self.rotation_days
            .unwrap_or(godconfig_sentinel::vault::DEFAULT_ROTATION_DAYS)
    }

    /// Whether the connectors folder is watched (see `watcher`).
    pub fn watcher_on(&self) -> bool {
        self.watcher.unwrap_or(true)
    }

    /// The name written to the audit log.
    pub fn reviewer(&self) -> String {
        self.reviewer_name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(godconfig_sentinel::os_user)
    }
}

pub struct SettingsFile {
    path: PathBuf,
}

impl SettingsFile {
    pub fn at(path: impl Into<PathBuf>) -> Self {
        SettingsFile { path: path.into() }
    }

    /// `<config dir>/settings.json`, e.g. `~/.config/godconfig/settings.json` on Linux.
    pub fn default_location() -> Result<Self> {
        let dirs =
            directories::ProjectDirs::from("dev", "godconfig", "godconfig").ok_or_else(|| {
                AppError::Settings {
                    path: "settings.json".into(),
                    op: "located",
                    reason: "no home directory is known for this user".into(),
                }
            })?;
        Ok(Self::at(dirs.config_dir().join("settings.json")))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A missing file gives the defaults; an unreadable one is an error, never silently reset.
    pub fn load(&self) -> Result<Settings> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| self.error("read", e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(e) => Err(self.error("read", e)),
        }
    }

    /// Writes the settings without any password, and returns what was written.
    pub fn save(&self, settings: &Settings) -> Result<Settings> {
        let mut clean = settings.clone();
        clean.registry = clean.registry.as_deref().map(without_password);
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| self.error("written", e))?;
        let json = serde_json::to_string_pretty(&clean).expect("settings serialize");
        replace_durably(&self.path, json.as_bytes(), std::fs::File::sync_all)
            .map_err(|e| self.error("written", e))?;
        Ok(clean)
    }

    fn error(&self, op: &'static str, e: impl std::fmt::Display) -> AppError {
        AppError::Settings {
            path: self.path.display().to_string(),
            op,
            reason: e.to_string(),
        }
    }
}

/// Replaces `path` with `bytes` through a temp file and a rename, calling `sync` on the temp file
/// before the rename and on the folder after it: once this returns, a power cut leaves the new
/// file, never an empty or half-written one, nor the old one.
fn replace_durably(
    path: &Path,
    bytes: &[u8],
    mut sync: impl FnMut(&std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    sync(tmp.as_file())?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync(&std::fs::File::open(dir)?)
}

/// Drops every password of a PostgreSQL URL (see `godconfig_registry::without_password`); a
/// SQLite path is returned as is.
pub fn without_password(registry: &str) -> String {
    match godconfig_registry::DbTarget::parse(registry) {
        Ok(godconfig_registry::DbTarget::Postgres(url)) => {
            godconfig_registry::without_password(&url).0
        }
        _ => registry.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_never_stores_a_password() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::at(dir.path().join("sub/settings.json"));
        assert_eq!(file.load().unwrap(), Settings::default());
        let s = Settings {
            connectors_dir: Some("/tmp/c".into()),
            registry: Some("postgres://ana:hunter2@db:5432/reg".into()),
            reviewer_name: Some("Ana".into()),
            rotation_days: Some(30),
            watcher: Some(false),
        };
        file.save(&s).unwrap();
        let text = std::fs::read_to_string(file.path()).unwrap();
        assert!(!text.contains("hunter2"), "{text}");
        let back = file.load().unwrap();
        assert_eq!(back.registry.as_deref(), Some("postgres://ana@db:5432/reg"));
        let in_query = Settings {
            registry: Some("postgres://ana@db/reg?sslmode=require&password=hunter2".into()),
            ..s.clone()
        };
        assert_eq!(
            file.save(&in_query).unwrap().registry.as_deref(),
            Some("postgres://ana@db/reg?sslmode=require")
        );
        let text = std::fs::read_to_string(file.path()).unwrap();
        assert!(!text.contains("hunter2"), "{text}");
        assert_eq!(back.reviewer(), "Ana");
        assert_eq!(back.rotation_days(), 30);
        assert!(!back.watcher_on());
    }

    /// The new content is synced before it replaces the old file, and the rename after.
    #[test]
    fn settings_are_synced_to_disk_before_save_returns() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, "old").unwrap();
        let mut synced = Vec::new();
        replace_durably(&path, b"new", |f| {
            let what = match f.metadata()?.is_dir() {
                true => "folder",
                false => "file",
            };
            synced.push((what, std::fs::read_to_string(&path)?));
            f.sync_all()
        })
        .unwrap();
        assert_eq!(
            synced,
            [("file", "old".to_string()), ("folder", "new".to_string())]
        );
    }

    #[test]
    fn a_file_from_before_the_rotation_age_and_the_watcher_gets_their_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(
            &path,
            r#"{"connectors_dir":null,"registry":null,"reviewer_name":"Ana"}"#,
        )
        .unwrap();
        let s = SettingsFile::at(&path).load().unwrap();
        assert_eq!(s.rotation_days(), 90);
        assert!(s.watcher_on(), "the watcher is on unless turned off");
    }

    #[test]
    fn a_corrupt_file_is_an_error_not_a_reset() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, "{not json").unwrap();
        let err = SettingsFile::at(&path).load().unwrap_err();
        assert_eq!(err.code(), "app.settings");
        assert!(err.to_string().contains("settings.json"), "{err}");
    }

    #[test]
    fn a_blank_reviewer_name_falls_back_to_the_os_user() {
        let s = Settings {
            reviewer_name: Some("  ".into()),
            ..Default::default()
        };
        assert_eq!(s.reviewer(), godconfig_sentinel::os_user());
    }
}
