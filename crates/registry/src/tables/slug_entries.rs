//! The two versioned slug registries, `firearm_types` and `core_kpis`, stored alike: one list,
//! one change (add, update, retire, restore, delete) with the rules of `slug_registry` (version,
//! exists, in use) and one audit entry. `Entries` names what differs: the table and its fields.

use crate::db::{query, Conn, Query, Record};
use crate::error::{RegistryError as E, Result};
use crate::slug_registry::{EntryState, Kind};
use crate::tables::audit_log::{self, NewEntry};
use serde_json::{json, Value};
use std::collections::HashMap;

/// One registry's table, as the shared code needs it.
pub(crate) trait Entries: Sized {
    const KIND: Kind;
    /// Every column of the entries, `$1` a slug or NULL for all, retired last, by name.
    const SELECT: &'static str;
    /// `entry`, `connector`, `n`: where entries are used, `$1` a slug or NULL for all.
    const USAGE: &'static str;
    /// `slug`, `retired` of every entry, by slug.
    const STATES: &'static str;
    /// `$1` retired, `$2` slug; bumps the version.
    const SET_RETIRED: &'static str;
    const DELETE: &'static str;
    /// The key of the audit entry's detail (`firearm_type`, `core_kpi`).
    const AUDIT_KEY: &'static str;
    type Row: Record;
    /// What an admin writes (checked before it is stored).
    type Fields;

    fn row_slug(row: &Self::Row) -> &str;
    /// The entry from its row and its usage: (connector, scopes or metrics).
    fn build(row: Self::Row, usage: Vec<(String, i64)>) -> Self;
    fn version(&self) -> i64;
    /// The refusal to delete an entry still in use, if it is.
    fn in_use(&self) -> Option<E>;
    /// The entry as the audit log records it before and after a change.
    fn audit_state(&self) -> Value;
    /// The INSERT (version 0) of checked fields.
    fn insert<'q>(slug: &'q str, fields: &'q Self::Fields) -> Query<'q>;
    /// The UPDATE of checked fields; bumps the version.
    fn update<'q>(slug: &'q str, fields: &'q Self::Fields) -> Query<'q>;
    /// The fields, checked and trimmed.
    fn check(fields: &Self::Fields) -> Result<Self::Fields>;
}

/// A change to one entry; every one but `Add` names the version it was based on.
pub(crate) enum EntryOp<'a, F> {
    Add(&'a F),
    Update(i64, &'a F),
    SetRetired(i64, bool),
    Delete(i64),
}

#[derive(sqlx::FromRow)]
struct Usage {
    entry: String,
    connector: String,
    n: i64,
}

#[derive(sqlx::FromRow)]
pub(crate) struct State {
    pub slug: String,
    pub retired: bool,
}

impl<'a> From<&'a State> for EntryState<'a> {
    fn from(s: &'a State) -> Self {
        EntryState {
            slug: &s.slug,
            retired: s.retired,
        }
    }
}

/// Every entry (or the one `slug`), with where each is used when `with_usage`.
pub(crate) async fn list<T: Entries>(
    conn: &mut Conn<'_>,
    slug: Option<&str>,
    with_usage: bool,
) -> Result<Vec<T>> {
    let op = T::KIND.reading();
    let rows: Vec<T::Row> = (query(T::SELECT).bind(slug))
        .fetch_all(conn.reborrow())
        .await
        .map_err(E::db(op))?;
    let mut usage: Vec<Usage> = Vec::new();
    if with_usage {
        usage = (query(T::USAGE).bind(slug))
            .fetch_all(conn.reborrow())
            .await
            .map_err(E::db(op))?;
    }
    let mut by_entry: HashMap<String, Vec<(String, i64)>> = HashMap::new();
    for u in usage {
        by_entry
            .entry(u.entry)
            .or_default()
            .push((u.connector, u.n));
    }
    Ok((rows.into_iter())
        .map(|row| {
            let usage = by_entry.remove(T::row_slug(&row)).unwrap_or_default();
            T::build(row, usage)
        })
        .collect())
}

/// `slug` and `retired` of every entry, by slug.
pub(crate) async fn states<T: Entries>(conn: &mut Conn<'_>) -> Result<Vec<State>> {
    (query(T::STATES))
        .fetch_all(conn.reborrow())
        .await
        .map_err(E::db(T::KIND.reading()))
}

/// Applies `op` to entry `slug` and records it; the entry after the change (None once deleted).
pub(crate) async fn change<T: Entries>(
    conn: &mut Conn<'_>,
    slug: &str,
    op: EntryOp<'_, T::Fields>,
    (actor, action): (&str, &str),
) -> Result<Option<T>> {
    let kind = T::KIND;
    let before = list::<T>(conn, Some(slug), true).await?.pop();
    let current = before.as_ref().map(T::version);
    // The known slugs are only needed for a did-you-mean, when the entry is not there.
    let known = match current {
        Some(_) => Vec::new(),
        None => states::<T>(conn).await?,
    };
    let expect = |version: i64| {
        kind.expect_version(
            slug,
            current,
            version,
            known.iter().map(|s| s.slug.as_str()),
        )
    };
    let what = kind.changing();
    match op {
        EntryOp::Add(fields) => {
            kind.check_slug(slug)?;
            let fields = T::check(fields)?;
            kind.expect_absent(slug, current)?;
            let q = T::insert(slug, &fields);
            q.execute(conn.reborrow()).await.map_err(E::db(what))?;
        }
        EntryOp::Update(version, fields) => {
            expect(version)?;
            let fields = T::check(fields)?;
            let q = T::update(slug, &fields);
            q.execute(conn.reborrow()).await.map_err(E::db(what))?;
        }
        EntryOp::SetRetired(version, retired) => {
            expect(version)?;
            (query(T::SET_RETIRED).bind(retired).bind(slug))
                .execute(conn.reborrow())
                .await
                .map_err(E::db(what))?;
        }
        EntryOp::Delete(version) => {
            expect(version)?;
            if let Some(refusal) = before.as_ref().and_then(T::in_use) {
                return Err(refusal);
            }
            (query(T::DELETE).bind(slug))
                .execute(conn.reborrow())
                .await
                .map_err(E::db(what))?;
        }
    }
    let after = list::<T>(conn, Some(slug), true).await?.pop();
    let entry = NewEntry {
        actor,
        action,
        slug: None,
        detail: Some(json!({ T::AUDIT_KEY: slug })),
        before: before.as_ref().map(T::audit_state),
        after: after.as_ref().map(T::audit_state),
    };
    audit_log::append(conn, entry).await?;
    Ok(after)
}
