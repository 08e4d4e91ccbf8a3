//! Bound values: the few types the registry stores, each encoded by the backend's own sqlx type.

use chrono::{DateTime, Utc};
use sqlx::postgres::PgArguments;
use sqlx::sqlite::SqliteArguments;
use sqlx::types::Json;
use sqlx::Arguments;
use std::borrow::Cow;

/// One bound value; `None` binds SQL NULL.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Arg<'q> {
    Text(Option<Cow<'q, str>>),
    Int(Option<i64>),
    /// PostgreSQL `INTEGER` columns (an `i64` would be sent as `BIGINT`).
    Int4(Option<i32>),
    Bool(Option<bool>),
    Time(Option<DateTime<Utc>>),
    /// `TEXT` on SQLite, `JSONB` on PostgreSQL.
    Json(Option<serde_json::Value>),
    /// `Json`, borrowed (an input schema written by a sync is not copied first).
    JsonRef(Option<&'q serde_json::Value>),
    /// `BLOB` on SQLite, `BYTEA` on PostgreSQL (a file's content).
    Bytes(Option<&'q [u8]>),
}

macro_rules! from {
    ($variant:ident: $($t:ty => $f:expr),* $(,)?) => {$(
        impl<'q> From<$t> for Arg<'q> {
            fn from(v: $t) -> Self {
                #[allow(clippy::redundant_closure_call)]
                Arg::$variant(($f)(v))
            }
        }
    )*};
}

from!(Text:
    &'q str => |v: &'q str| Some(Cow::Borrowed(v)),
    &'q String => |v: &'q String| Some(Cow::Borrowed(v.as_str())),
    String => |v: String| Some(Cow::Owned(v)),
    Option<&'q str> => |v: Option<&'q str>| v.map(Cow::Borrowed),
    Option<String> => |v: Option<String>| v.map(Cow::Owned),
);
from!(Int: i64 => Some, Option<i64> => |v| v);
from!(Int4: i32 => Some, Option<i32> => |v| v);
from!(Bool: bool => Some, Option<bool> => |v| v);
from!(Time: DateTime<Utc> => Some, Option<DateTime<Utc>> => |v| v);
from!(Json: serde_json::Value => Some, Option<serde_json::Value> => |v| v);
from!(JsonRef: &'q serde_json::Value => Some, Option<&'q serde_json::Value> => |v| v);
from!(Bytes: &'q [u8] => Some);

/// Adds every argument with the backend's encoder; the first failure stops the statement.
macro_rules! encode {
    ($args:ident, $out:ident) => {{
        for arg in $args {
            match arg {
                Arg::Text(v) => $out.add(v.as_deref()),
                Arg::Int(v) => $out.add(v),
                Arg::Int4(v) => $out.add(v),
                Arg::Bool(v) => $out.add(v),
                Arg::Time(v) => $out.add(v),
                Arg::Json(v) => $out.add(v.map(Json)),
                Arg::JsonRef(v) => $out.add(v.map(Json)),
                Arg::Bytes(v) => $out.add(v),
            }
            .map_err(sqlx::Error::Encode)?;
        }
        Ok($out)
    }};
}

pub(super) fn sqlite(args: Vec<Arg<'_>>) -> sqlx::Result<SqliteArguments> {
    let mut out = SqliteArguments::default();
    encode!(args, out)
}

pub(super) fn postgres(args: Vec<Arg<'_>>) -> sqlx::Result<PgArguments> {
    let mut out = PgArguments::default();
    encode!(args, out)
}

#[cfg(test)]
mod tests {
    use super::Arg;
    use std::borrow::Cow;

    #[test]
    fn none_is_sql_null_and_a_json_null_is_a_value() {
        assert_eq!(Arg::from(None::<serde_json::Value>), Arg::Json(None));
        assert_eq!(
            Arg::from(serde_json::Value::Null),
            Arg::Json(Some(serde_json::Value::Null))
        );
        assert_eq!(Arg::from(None::<&str>), Arg::Text(None));
    }

    #[test]
    fn integers_keep_their_width_and_text_is_borrowed() {
        assert_eq!(Arg::from(7_i32), Arg::Int4(Some(7)));
        assert_eq!(Arg::from(7_i64), Arg::Int(Some(7)));
        let owned = String::from("slug");
        assert!(matches!(
            Arg::from(&owned),
            Arg::Text(Some(Cow::Borrowed("slug")))
        ));
    }
}
