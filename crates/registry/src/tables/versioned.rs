//! Batch writes of versioned per-connector rows (scope gating, KPI mappings), compare-and-set:
//! a row is written only if its stored version is still the one the change read; one that is
//! not makes the whole change a conflict that names it (the caller's transaction rolls back).

use crate::db::{query, Arg, Conn, BATCH};
use crate::error::{RegistryError as E, Result};

/// The fixed parts of one table's upsert.
pub(crate) struct Upsert {
    /// `INSERT INTO t (…) VALUES `: the rows follow as tuples.
    pub head: &'static str,
    /// ` ON CONFLICT (…) DO UPDATE SET … WHERE t.version = excluded.version - 1 RETURNING
    /// provider_slug, <key> AS item`.
    pub tail: &'static str,
    /// What a failed statement was doing.
    pub doing: &'static str,
}

#[derive(sqlx::FromRow)]
struct Written {
    provider_slug: String,
    item: String,
}

/// Writes `rows` (`args` gives one tuple per row, `key` its connector and item) in chunks.
pub(crate) async fn upsert<'q, T>(
    conn: &mut Conn<'_>,
    spec: &Upsert,
    rows: &'q [T],
    key: impl Fn(&T) -> (&str, &str),
    args: impl Fn(&'q T) -> Vec<Arg<'q>>,
) -> Result<()> {
    for chunk in rows.chunks(BATCH / 10) {
        let mut q = query(spec.head);
        for (i, row) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push_tuple(args(row));
        }
        q.push(spec.tail);
        let written: Vec<Written> = q
            .fetch_all(conn.reborrow())
            .await
            .map_err(E::db(spec.doing))?;
        if written.len() != chunk.len() {
            let what = (chunk.iter().map(&key))
                .filter(|(c, k)| !(written.iter()).any(|w| w.provider_slug == *c && w.item == *k))
                .map(|(c, k)| format!("{c}/{k}"))
                .collect();
            return Err(E::Conflict { what });
        }
    }
    Ok(())
}
