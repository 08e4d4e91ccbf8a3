//! Which registry to open: `--db`, then `GODCONFIG_DATABASE_URL`, then a SQLite file in the
//! user's data directory.

use crate::error::{RegistryError, Result};
use std::path::PathBuf;

pub const DATABASE_URL_ENV: &str = "GODCONFIG_DATABASE_URL";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbTarget {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DbTarget {
    /// Parses `postgres://…`, `postgresql://…`, `sqlite:PATH`, `sqlite://PATH` or a plain path.
    pub fn parse(url: &str) -> Result<DbTarget> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DbTarget::Postgres(url.to_string()));
        }
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            let path = path.split('?').next().unwrap_or(path);
            if path.is_empty() {
                return Err(RegistryError::BadUrl {
                    url: url.to_string(),
                });
            }
            return Ok(DbTarget::Sqlite(PathBuf::from(path)));
        }
        if url.is_empty() || url.contains("://") {
            return Err(RegistryError::BadUrl { url: redact(url) });
        }
        Ok(DbTarget::Sqlite(PathBuf::from(url)))
    }

    /// The explicit URL if given, else the environment, else the default SQLite file.
    pub fn resolve(explicit: Option<&str>) -> Result<DbTarget> {
        match explicit {
            Some(u) => DbTarget::parse(u),
            None => match std::env::var(DATABASE_URL_ENV) {
                Ok(u) if !u.trim().is_empty() => DbTarget::parse(&u),
                _ => Ok(DbTarget::Sqlite(default_sqlite_path()?)),
            },
        }
    }

    /// For messages: never shows a password.
    pub fn display(&self) -> String {
        match self {
            DbTarget::Sqlite(p) => format!("sqlite:{}", p.display()),
            DbTarget::Postgres(u) => redact(u),
        }
    }
}

/// `<data dir>/godconfig/registry.db`, e.g. `~/.local/share/godconfig/registry.db` on Linux.
pub fn default_sqlite_path() -> Result<PathBuf> {
    let dirs =
        directories::ProjectDirs::from("dev", "godconfig", "godconfig").ok_or_else(|| {
            RegistryError::Connect {
                target: "the default registry".into(),
                reason: "no home directory is known for this user".into(),
            }
        })?;
    Ok(dirs.data_dir().join("registry.db"))
}

fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        Ok(u) => u.to_string(),
        Err(_) => "<unparseable URL>".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        assert_eq!(
            DbTarget::parse("reg.db").unwrap(),
            DbTarget::Sqlite("reg.db".into())
        );
        assert_eq!(
            DbTarget::parse("sqlite:///tmp/a.db").unwrap(),
            DbTarget::Sqlite("/tmp/a.db".into())
        );
        assert_eq!(
            DbTarget::parse("sqlite:a.db?mode=rwc").unwrap(),
            DbTarget::Sqlite("a.db".into())
        );
        assert!(matches!(
            DbTarget::parse("postgresql://u@h/db").unwrap(),
            DbTarget::Postgres(_)
        ));
        assert!(DbTarget::parse("mysql://x").is_err());
    }

    #[test]
    fn never_displays_a_password() {
        let t = DbTarget::parse("postgres://admin:hunter2@db:5432/reg").unwrap();
        assert!(!t.display().contains("hunter2"), "{}", t.display());
        let e = DbTarget::parse("mysql://admin:hunter2@db/x").unwrap_err();
        assert!(!e.to_string().contains("hunter2"));
    }
}
