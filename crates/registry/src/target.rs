//! Which registry to open: `--db`, then `GODCONFIG_DATABASE_URL`, then a SQLite file in the
//! user's data directory.

use crate::error::{RegistryError, Result};
use std::path::PathBuf;

pub const DATABASE_URL_ENV: &str = "GODCONFIG_DATABASE_URL";

#[derive(Clone, PartialEq, Eq)]
pub enum DbTarget {
    Sqlite(PathBuf),
    Postgres(String),
}

/// Redacted like `display`: a target logged with `{:?}` never shows a password.
impl std::fmt::Debug for DbTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbTarget::Sqlite(p) => f.debug_tuple("Sqlite").field(p).finish(),
            DbTarget::Postgres(_) => f.debug_tuple("Postgres").field(&self.display()).finish(),
        }
    }
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

/// Whether a query parameter carries a password (sqlx, like libpq, takes `?password=`).
fn is_secret(key: &str) -> bool {
    key.eq_ignore_ascii_case("password")
}

/// `url` with every password in it (`user:PASSWORD@`, `?password=PASSWORD`) replaced by `to`,
/// or left out when `to` is None; and whether it had one. An unparseable URL keeps its scheme
/// only: what follows could hold a password in a form not recognised here.
fn replace_passwords(url: &str, to: Option<&str>) -> (String, bool) {
    let Ok(mut u) = url::Url::parse(url) else {
        let scheme = url.split_once("://").map_or("", |(s, _)| s);
        return (format!("{scheme}://<unparseable URL>"), true);
    };
    let had = u.password().is_some() || u.query_pairs().any(|(k, _)| is_secret(&k));
    if !had {
        return (u.to_string(), false);
    }
    if u.password().is_some() {
        let _ = u.set_password(to);
    }
    let pairs: Vec<(String, String)> = (u.query_pairs())
        .filter_map(|(k, v)| match (is_secret(&k), to) {
            (false, _) => Some((k.into_owned(), v.into_owned())),
            (true, Some(to)) => Some((k.into_owned(), to.to_string())),
            (true, None) => None,
        })
        .collect();
    if pairs.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(pairs);
    }
    (u.to_string(), true)
}

/// For messages: every password replaced by `***`.
pub fn redact(url: &str) -> String {
    replace_passwords(url, Some("***")).0
}

/// `text` (an error from the driver, say) with every password of `url` in it replaced by `***`.
pub fn scrub(text: &str, url: &str) -> String {
    let Ok(u) = url::Url::parse(url) else {
        return text.to_string();
    };
    let mut secrets: Vec<String> = (u.query_pairs())
        .filter(|(k, _)| is_secret(k))
        .map(|(_, v)| v.into_owned())
        .collect();
    if let Some(p) = u.password() {
        secrets.push(p.to_string());
        let pair = format!("p={p}");
        let decoded = url::form_urlencoded::parse(pair.as_bytes()).next();
        secrets.extend(decoded.map(|(_, v)| v.into_owned()));
    }
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| !s.is_empty()) {
        out = out.replace(s.as_str(), "***");
    }
    out
}

/// For storing or handing on: every password left out, and whether there was one. A password
/// then comes from `PGPASSWORD` or `~/.pgpass`, as libpq's conventions (which sqlx follows) say.
pub fn without_password(url: &str) -> (String, bool) {
    replace_passwords(url, None)
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

    /// Every way sqlx takes a password: in the user info, as `?password=` in any case, with the
    /// key percent-encoded, repeated, beside other parameters; and a URL that cannot be parsed.
    #[test]
    fn every_way_of_writing_a_password_is_redacted_and_left_out() {
        let urls = [
            "postgres://admin:hunter2@db:5432/reg",
            "postgres://admin@db/reg?password=hunter2",
            "postgresql://db/reg?sslmode=require&PassWord=hunter2",
            "postgres://db/reg?pass%77ord=hunter2&application_name=x",
            "postgres://a:hunter2@db/reg?password=hunter2&password=hunter2",
            "postgres://a:hunter2@[db/reg",
        ];
        for url in urls {
            let t = DbTarget::parse(url).unwrap();
            for shown in [t.display(), format!("{t:?}"), without_password(url).0] {
                assert!(!shown.contains("hunter2"), "{url} shown as {shown}");
            }
            assert!(without_password(url).1, "{url} has a password");
        }
        assert_eq!(
            redact("postgres://db/reg?sslmode=require&password=hunter2"),
            "postgres://db/reg?sslmode=require&password=***"
        );
        assert_eq!(
            without_password("postgres://ana:x@db/reg?password=y&sslmode=verify-full"),
            (
                "postgres://ana@db/reg?sslmode=verify-full".to_string(),
                true
            )
        );
        let url = "postgres://a:hun%74er2@db/reg?password=s3cret";
        assert_eq!(
            scrub("bad password hunter2, hun%74er2 or s3cret", url),
            "bad password ***, *** or ***"
        );
        assert_eq!(
            without_password("postgres://ana@db/reg"),
            ("postgres://ana@db/reg".to_string(), false)
        );
    }
}
