//! Team mode helpers: login roles for one test run, and plain SQL as each of them.

use super::*;
use sqlx::Connection;

/// Login roles for one test run (roles are cluster-wide: unique names, dropped at the end).
pub struct People {
    admin_url: String,
    pub names: Vec<String>,
}

impl People {
    pub fn new(db: &PgDb, grants: &[(&str, &[&str])]) -> (People, Vec<String>) {
        let tag = std::process::id();
        let mut names = Vec::new();
        let mut urls = Vec::new();
        for (who, roles) in grants {
            let name = format!("gc_{who}_{tag}");
            exec(
                &db.url,
                &format!("DROP ROLE IF EXISTS {name}; CREATE ROLE {name} LOGIN"),
            );
            for r in *roles {
                exec(&db.url, &format!("GRANT godconfig_{r} TO {name}"));
            }
            let url = db.url.replacen("postgres@", &format!("{name}@"), 1);
            assert_ne!(
                url, db.url,
                "the test server's URL must name the user postgres"
            );
            urls.push(url);
            names.push(name);
        }
        (
            People {
                admin_url: db.url.clone(),
                names,
            },
            urls,
        )
    }
}

impl Drop for People {
    fn drop(&mut self) {
        for n in &self.names {
            exec(
                &self.admin_url,
                &format!("DROP OWNED BY {n}; DROP ROLE IF EXISTS {n}"),
            );
        }
    }
}

/// Runs `sql` as whoever `url` names: Ok(rows affected) or Err((SQLSTATE, message)).
pub fn try_sql(url: &str, sql: &str) -> Result<u64, (String, String)> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            let r = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
                .execute(&mut c)
                .await;
            c.close().await.ok();
            match r {
                Ok(done) => Ok(done.rows_affected()),
                Err(sqlx::Error::Database(d)) => Err((
                    d.code().unwrap_or_default().to_string(),
                    d.message().to_string(),
                )),
                Err(e) => panic!("{e}"),
            }
        })
}

pub fn refused(url: &str, sql: &str) -> String {
    match try_sql(url, sql) {
        Ok(n) => panic!("`{sql}` was allowed ({n} rows)"),
        Err((code, message)) => {
            assert_eq!(code, "42501", "{sql}: {message}");
            message
        }
    }
}

/// The login name in a connection URL (`postgres://NAME@host/db`).
pub fn login_name(url: &str) -> String {
    let rest = url.split("//").nth(1).unwrap_or(url);
    rest.split('@').next().unwrap_or(rest).to_string()
}
