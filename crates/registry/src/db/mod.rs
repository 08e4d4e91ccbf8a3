//! One way to run a statement on either backend, as ordinary Rust (ADR 0008).
//!
//! A statement is written once, in the SQL both engines accept (`$N` placeholders,
//! `ON CONFLICT … DO UPDATE`, `RETURNING`), and bound with [`Arg`]s. Running it matches on the
//! connection, so each branch uses concrete sqlx types: no `macro_rules!` around SQL, and no
//! generic bounds over `sqlx::Database`. Rows are read by column name into
//! `#[derive(sqlx::FromRow)]` structs ([`Record`]).

mod arg;
mod conn;

pub(crate) use arg::Arg;
pub(crate) use conn::{pg_begin_write, Conn, Db};

use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, FromRow, Postgres, Sqlite};
use std::borrow::Cow;

/// Rows per multi-row INSERT: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters.
pub(crate) const BATCH: usize = 1000;

/// A row type both backends can build, by column name: any `#[derive(sqlx::FromRow)]` struct.
pub(crate) trait Record:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> Record for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

/// A single column both backends decode (`i64`, `String`, `bool`, `Json<T>`, `Option` of them…).
pub(crate) trait Scalar:
    for<'r> sqlx::Decode<'r, Sqlite>
    + sqlx::Type<Sqlite>
    + for<'r> sqlx::Decode<'r, Postgres>
    + sqlx::Type<Postgres>
    + Send
    + Unpin
{
}
impl<T> Scalar for T where
    T: for<'r> sqlx::Decode<'r, Sqlite>
        + sqlx::Type<Sqlite>
        + for<'r> sqlx::Decode<'r, Postgres>
        + sqlx::Type<Postgres>
        + Send
        + Unpin
{
}

/// A statement and its arguments. The text is a literal, or built by `push`/`push_bind` from
/// literals and placeholders only: no value is ever spliced into it.
pub(crate) struct Query<'q> {
    sql: Cow<'static, str>,
    /// The SQLite text of a built statement, written alongside `sql` (see `sqlite_text`):
    /// converting a statement of a hundred thousand placeholders afterwards costs a rescan.
    lite: Option<String>,
    args: Vec<Arg<'q>>,
}

/// A statement written in the common SQL of both backends.
pub(crate) fn query<'q>(sql: &'static str) -> Query<'q> {
    Query {
        sql: Cow::Borrowed(sql),
        lite: None,
        args: Vec::new(),
    }
}

impl<'q> Query<'q> {
    /// Binds the next `$N`.
    pub fn bind(mut self, value: impl Into<Arg<'q>>) -> Self {
        self.args.push(value.into());
        self
    }

    /// Appends literal SQL (a statement built in parts, such as a multi-row `VALUES`). Only the
    /// first literal (`query`) may hold `$N` placeholders; later ones come from `push_bind`.
    pub fn push(&mut self, sql: &'static str) -> &mut Self {
        debug_assert!(
            !sql.contains('$'),
            "placeholders go through push_bind: {sql}"
        );
        self.lite_mut().push_str(sql);
        self.sql.to_mut().push_str(sql);
        self
    }

    /// The SQLite text being built: the first literal converted once, then kept in step.
    fn lite_mut(&mut self) -> &mut String {
        self.lite.get_or_insert_with(|| for_sqlite(&self.sql))
    }

    /// Appends a placeholder `$N` and binds `value` to it. Numbering follows the values bound so
    /// far, so bind every `$N` written in the literal before the first `push_bind`.
    pub fn push_bind(&mut self, value: impl Into<Arg<'q>>) -> &mut Self {
        self.args.push(value.into());
        let n = self.args.len();
        // Every placeholder before it is bound, so SQLite's `?` (the highest number so far plus
        // one) is `n`; anonymous, it has no name to search for when bound.
        self.lite_mut().push('?');
        let sql = self.sql.to_mut();
        sql.push('$');
        sql.push_str(itoa::Buffer::new().format(n));
        self
    }

    /// Appends `(v1, v2, …)` with every value bound: one row of a multi-row `VALUES`.
    pub fn push_tuple(&mut self, values: impl IntoIterator<Item = Arg<'q>>) -> &mut Self {
        self.push("(");
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push_bind(value);
        }
        self.push(")")
    }

    fn text(&self) -> AssertSqlSafe<Cow<'static, str>> {
        // Safe: built only from `'static` literals and `$N` placeholders (see `Query`).
        AssertSqlSafe(self.sql.clone())
    }

    /// The text for SQLite. SQLite keeps a name for every `$N` (and `?N`) parameter, and sqlx
    /// asks for each one's name when it binds, which SQLite answers by a linear search: a built
    /// statement of thousands of values (a sync's multi-row INSERT) then binds in quadratic time,
    /// ten times the whole sync. Anonymous `?` parameters have no name to search.
    fn sqlite_text(&mut self) -> AssertSqlSafe<Cow<'static, str>> {
        match (self.lite.take(), &self.sql) {
            (Some(lite), _) => AssertSqlSafe(Cow::Owned(lite)),
            (None, Cow::Borrowed(_)) => self.text(),
            (None, Cow::Owned(sql)) => AssertSqlSafe(Cow::Owned(for_sqlite(sql))),
        }
    }

    /// Runs a statement that returns no rows; the number of rows it changed.
    pub async fn execute(mut self, conn: Conn<'_>) -> sqlx::Result<u64> {
        Ok(match conn {
            Conn::Sqlite(c) => sqlx::query_with(self.sqlite_text(), arg::sqlite(self.args)?)
                .execute(c)
                .await?
                .rows_affected(),
            Conn::Postgres(c) => sqlx::query_with(self.text(), arg::postgres(self.args)?)
                .execute(c)
                .await?
                .rows_affected(),
        })
    }

    pub async fn fetch_all<T: Record>(mut self, conn: Conn<'_>) -> sqlx::Result<Vec<T>> {
        match conn {
            Conn::Sqlite(c) => {
                sqlx::query_as_with(self.sqlite_text(), arg::sqlite(self.args)?)
                    .fetch_all(c)
                    .await
            }
            Conn::Postgres(c) => {
                sqlx::query_as_with(self.text(), arg::postgres(self.args)?)
                    .fetch_all(c)
                    .await
            }
        }
    }

    pub async fn fetch_optional<T: Record>(mut self, conn: Conn<'_>) -> sqlx::Result<Option<T>> {
        match conn {
            Conn::Sqlite(c) => {
                sqlx::query_as_with(self.sqlite_text(), arg::sqlite(self.args)?)
                    .fetch_optional(c)
                    .await
            }
            Conn::Postgres(c) => {
                sqlx::query_as_with(self.text(), arg::postgres(self.args)?)
                    .fetch_optional(c)
                    .await
            }
        }
    }

    pub async fn fetch_one<T: Record>(self, conn: Conn<'_>) -> sqlx::Result<T> {
        self.fetch_optional(conn)
            .await?
            .ok_or(sqlx::Error::RowNotFound)
    }

    /// The first column of the first row, if there is a row.
    pub async fn scalar_optional<T: Scalar>(mut self, conn: Conn<'_>) -> sqlx::Result<Option<T>> {
        match conn {
            Conn::Sqlite(c) => {
                sqlx::query_scalar_with(self.sqlite_text(), arg::sqlite(self.args)?)
                    .fetch_optional(c)
                    .await
            }
            Conn::Postgres(c) => {
                sqlx::query_scalar_with(self.text(), arg::postgres(self.args)?)
                    .fetch_optional(c)
                    .await
            }
        }
    }
}

/// `$N` placeholders for SQLite: plain `?` when they appear once each in order (`$1`, `$2`, …,
/// as `push_bind` writes them), else numbered `?N`. The registry's SQL has no `$` in any
/// literal, so every `$` followed by a digit is a placeholder.
fn for_sqlite(sql: &str) -> String {
    let in_order = placeholders(sql).enumerate().all(|(i, n)| n == i + 1);
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        let digits = rest[at + 1..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        out.push_str(&rest[..at]);
        if digits == 0 {
            out.push('$');
        } else {
            out.push('?');
            if !in_order {
                out.push_str(&rest[at + 1..at + 1 + digits]);
            }
        }
        rest = &rest[at + 1 + digits..];
    }
    out.push_str(rest);
    out
}

/// The numbers of the `$N` placeholders, in order of appearance (no allocation per number).
fn placeholders(sql: &str) -> impl Iterator<Item = usize> + '_ {
    sql.match_indices('$').filter_map(|(at, _)| {
        let digits = sql.as_bytes()[at + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit());
        digits.fold(None, |n: Option<usize>, d| {
            Some(
                n.unwrap_or(0)
                    .saturating_mul(10)
                    .saturating_add(usize::from(d - b'0')),
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::{for_sqlite, query, Arg};

    #[test]
    fn sqlite_gets_anonymous_placeholders_when_they_come_in_order() {
        assert_eq!(
            for_sqlite("INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) -- $x"),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?) -- $x"
        );
        assert_eq!(
            for_sqlite("SELECT 1 WHERE ($1 IS NULL OR a = $1) AND b IN ($2, $10)"),
            "SELECT 1 WHERE (?1 IS NULL OR a = ?1) AND b IN (?2, ?10)"
        );
    }

    #[test]
    fn built_statements_number_their_placeholders_in_order() {
        let mut q = query("SELECT 1 FROM t WHERE a = $1 AND b IN (").bind("x");
        q.push_bind("p").push(", ").push_bind("q");
        q.push(") AND c = ").push_bind(3_i64);
        q.push(" VALUES ")
            .push_tuple(["r".into(), Arg::from(5_i64)]);
        assert_eq!(
            q.sql,
            "SELECT 1 FROM t WHERE a = $1 AND b IN ($2, $3) AND c = $4 VALUES ($5, $6)"
        );
        assert_eq!(q.args.len(), 6);
        // The SQLite text is kept in step: anonymous, numbered as SQLite numbers `?`.
        assert_eq!(
            q.lite.as_deref(),
            Some("SELECT 1 FROM t WHERE a = ? AND b IN (?, ?) AND c = ? VALUES (?, ?)")
        );
        let mut twice = query("SELECT 1 WHERE ($1 IS NULL OR a = $1) AND b IN (").bind("x");
        twice.push_bind("y").push(")");
        assert_eq!(
            twice.lite.as_deref(),
            Some("SELECT 1 WHERE (?1 IS NULL OR a = ?1) AND b IN (?)")
        );
    }
}
