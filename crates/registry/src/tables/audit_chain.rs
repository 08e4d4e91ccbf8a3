//! Writing and verifying the audit log's hash chain (`audit_chain.rs` holds the rules).
//!
//! On PostgreSQL the server chains each entry and stamps its time (migration 0009), whoever
//! inserts it. On SQLite the registry does, inside the write transaction that adds the entry,
//! so the chain follows the one writer SQLite allows at a time.

use crate::audit_chain::{entry_hash, BadEntry, ChainBreak, ChainReport, Fields, Walk};
use crate::db::{query, Arg, Conn, BATCH};
use crate::error::{RegistryError as E, Result};
use crate::store::Registry;
use crate::tables::audit_log::NewEntry;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;

/// Entries per verification read.
const PAGE: i64 = 2000;
/// Columns per entry in an INSERT.
const COLUMNS: usize = 11;

/// The last chained entry's place and hash (SQLite).
async fn head(conn: &mut Conn<'_>) -> Result<(i64, Option<String>)> {
    #[derive(sqlx::FromRow)]
    struct Head {
        seq: i64,
        hash: Option<String>,
    }
    let last: Option<Head> =
        query("SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1")
            .fetch_optional(conn.reborrow())
            .await
            .map_err(E::db("reading the end of the audit chain"))?;
    Ok(last.map_or((0, None), |h| (h.seq, h.hash)))
}

/// The text SQLite stores for a time: what sqlx writes for a `DateTime<Utc>`.
fn time_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

fn json_text(v: &Option<Value>) -> Option<String> {
    v.as_ref().map(Value::to_string)
}

/// Appends `entries`, tagged with a sync run if any, in as few statements as it takes.
pub(crate) async fn insert(
    conn: &mut Conn<'_>,
    run_id: Option<i64>,
    entries: &[NewEntry<'_>],
    op: &'static str,
) -> Result<()> {
    let now = chrono::Utc::now();
    // SQLite: the registry chains; PostgreSQL: the server does, so nothing to carry.
    let mut link = match conn.is_sqlite() {
        true => Some(head(conn).await?),
        false => None,
    };
    for chunk in entries.chunks(BATCH / COLUMNS) {
        let mut q = query(
            "INSERT INTO audit_log (at, actor, action, provider_slug, sync_run_id, detail, \
             before_json, after_json, seq, prev_hash, hash) VALUES ",
        );
        for (i, e) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            let [at, detail, before, after, seq, prev_hash, hash] = match link.as_mut() {
                Some((seq, prev)) => chained(e, (now, run_id), seq, prev),
                None => [
                    Arg::from(now),
                    Arg::from(e.detail.clone()),
                    Arg::from(e.before.clone()),
                    Arg::from(e.after.clone()),
                    Arg::Int(None),
                    Arg::Text(None),
                    Arg::Text(None),
                ],
            };
            q.push_tuple([
                at,
                Arg::from(e.actor),
                Arg::from(e.action),
                Arg::from(e.slug),
                Arg::from(run_id),
                detail,
                before,
                after,
                seq,
                prev_hash,
                hash,
            ]);
        }
        q.execute(conn.reborrow()).await.map_err(E::db(op))?;
    }
    Ok(())
}

/// The values of `e` that SQLite stores as text, with its place after `seq` and the hash that
/// links it to `prev` (both moved on to it): time, detail, before, after, seq, prev_hash, hash.
fn chained<'q>(
    e: &NewEntry<'_>,
    (now, run_id): (DateTime<Utc>, Option<i64>),
    seq: &mut i64,
    prev: &mut Option<String>,
) -> [Arg<'q>; 7] {
    let (at, run) = (time_text(now), run_id.map(|r| r.to_string()));
    let texts = [&e.detail, &e.before, &e.after].map(json_text);
    let fields = Fields {
        prev_hash: prev.as_deref(),
        seq: *seq + 1,
        at: &at,
        actor: e.actor,
        action: e.action,
        slug: e.slug,
        sync_run_id: run.as_deref(),
        detail: texts[0].as_deref(),
        before: texts[1].as_deref(),
        after: texts[2].as_deref(),
    };
    let hash = entry_hash(&fields);
    *seq += 1;
    let prev_hash = prev.replace(hash.clone());
    let [detail, before, after] = texts;
    [
        Arg::from(at),
        Arg::from(detail),
        Arg::from(before),
        Arg::from(after),
        Arg::from(*seq),
        Arg::from(prev_hash),
        Arg::from(hash),
    ]
}

/// An entry as stored, every value as text (the names differ by backend, not the columns).
#[derive(sqlx::FromRow)]
struct Stored {
    id: i64,
    seq: Option<i64>,
    prev_hash: Option<String>,
    hash: Option<String>,
    at_text: String,
    actor: String,
    action: String,
    provider_slug: Option<String>,
    run_text: Option<String>,
    detail_text: Option<String>,
    before_text: Option<String>,
    after_text: Option<String>,
}

impl Stored {
    fn fields(&self) -> Fields<'_> {
        Fields {
            prev_hash: self.prev_hash.as_deref(),
            seq: self.seq.unwrap_or_default(),
            at: &self.at_text,
            actor: &self.actor,
            action: &self.action,
            slug: self.provider_slug.as_deref(),
            sync_run_id: self.run_text.as_deref(),
            detail: self.detail_text.as_deref(),
            before: self.before_text.as_deref(),
            after: self.after_text.as_deref(),
        }
    }

    fn bad(self, problem: ChainBreak) -> BadEntry {
        BadEntry {
            id: self.id,
            seq: self.seq,
            at: self.at_text,
            action: self.action,
            provider_slug: self.provider_slug,
            problem,
        }
    }
}

const SQLITE_PAGE: &str = "SELECT id, seq, prev_hash, hash, CAST(at AS TEXT) AS at_text, actor, \
    action, provider_slug, CAST(sync_run_id AS TEXT) AS run_text, detail AS detail_text, \
    before_json AS before_text, after_json AS after_text FROM audit_log \
    WHERE seq > $1 ORDER BY seq LIMIT $2";
const POSTGRES_PAGE: &str = "SELECT id, seq, prev_hash, hash, \
    to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS at_text, actor, \
    action, provider_slug, sync_run_id::text AS run_text, detail::text AS detail_text, \
    before_json::text AS before_text, after_json::text AS after_text FROM audit_log \
    WHERE seq > $1 ORDER BY seq LIMIT $2";
const SQLITE_UNCHAINED: &str = "SELECT id, seq, prev_hash, hash, CAST(at AS TEXT) AS at_text, \
    actor, action, provider_slug, NULL AS run_text, NULL AS detail_text, NULL AS before_text, \
    NULL AS after_text FROM audit_log WHERE seq IS NULL OR hash IS NULL ORDER BY id LIMIT 1";
const POSTGRES_UNCHAINED: &str = "SELECT id, seq, prev_hash, hash, at::text AS at_text, \
    actor, action, provider_slug, NULL AS run_text, NULL AS detail_text, NULL AS before_text, \
    NULL AS after_text FROM audit_log WHERE seq IS NULL OR hash IS NULL ORDER BY id LIMIT 1";

/// Walks the chain from the first entry; stops at the first that does not match.
pub(crate) async fn verify(conn: &mut Conn<'_>) -> Result<ChainReport> {
    let op = "verifying the audit log";
    let (page_sql, unchained_sql) = match conn.is_sqlite() {
        true => (SQLITE_PAGE, SQLITE_UNCHAINED),
        false => (POSTGRES_PAGE, POSTGRES_UNCHAINED),
    };
    let mut walk = Walk::default();
    let mut after = 0;
    loop {
        let page: Vec<Stored> = query(page_sql)
            .bind(after)
            .bind(PAGE)
            .fetch_all(conn.reborrow())
            .await
            .map_err(E::db(op))?;
        let full = page.len() as i64 == PAGE;
        for row in page {
            if let Some(problem) = walk.step(&row.fields(), row.hash.as_deref()) {
                let first_bad = Some(row.bad(problem));
                let checked = walk.checked;
                return Ok(ChainReport {
                    checked,
                    head: None,
                    first_bad,
                });
            }
            after = row.seq.unwrap_or_default();
        }
        if !full {
            break;
        }
    }
    let unchained: Option<Stored> = query(unchained_sql)
        .fetch_optional(conn.reborrow())
        .await
        .map_err(E::db(op))?;
    let checked = walk.checked;
    Ok(match unchained {
        Some(row) => ChainReport {
            checked,
            head: None,
            first_bad: Some(row.bad(ChainBreak::Unchained)),
        },
        None => ChainReport {
            checked,
            head: walk.head(),
            first_bad: None,
        },
    })
}

/// Chains the entries written before the chain existed, in the order they were written
/// (SQLite, once: when migration 0009 is applied).
pub(crate) async fn seal(conn: &mut Conn<'_>) -> Result<()> {
    let op = "chaining the audit log";
    let (mut seq, mut prev) = head(conn).await?;
    loop {
        let rows: Vec<Stored> = query(
            "SELECT id, seq, prev_hash, hash, CAST(at AS TEXT) AS at_text, actor, action, \
             provider_slug, CAST(sync_run_id AS TEXT) AS run_text, detail AS detail_text, \
             before_json AS before_text, after_json AS after_text FROM audit_log \
             WHERE seq IS NULL ORDER BY id LIMIT $1",
        )
        .bind(PAGE)
        .fetch_all(conn.reborrow())
        .await
        .map_err(E::db(op))?;
        if rows.is_empty() {
            return Ok(());
        }
        for mut row in rows {
            seq += 1;
            (row.seq, row.prev_hash) = (Some(seq), prev.take());
            let hash = entry_hash(&row.fields());
            query("UPDATE audit_log SET seq = $1, prev_hash = $2, hash = $3 WHERE id = $4")
                .bind(seq)
                .bind(row.prev_hash.as_deref())
                .bind(hash.as_str())
                .bind(row.id)
                .execute(conn.reborrow())
                .await
                .map_err(E::db(op))?;
            prev = Some(hash);
        }
    }
}

impl Registry {
    /// Checks the audit log's chain from its first entry (`sentinel audit verify`).
    pub async fn verify_audit(&self) -> Result<ChainReport> {
        let mut tx = self.db().begin("verifying the audit log").await?;
        let report = verify(&mut tx.conn()).await?;
        tx.rollback("ending the verification").await?;
        Ok(report)
    }
}
