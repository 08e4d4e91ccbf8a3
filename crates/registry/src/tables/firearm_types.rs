//! `firearm_types`: the registry of firearm types, stored like core KPIs (`slug_entries`).

use crate::db::{query, Query};
use crate::error::{RegistryError as E, Result};
use crate::firearms::{self, FirearmOp, FirearmType, FirearmTypeFields, RiskLevel, TypeUsage};
use crate::slug_registry::Kind;
use crate::store::Registry;
use crate::tables::slug_entries::{self, Entries, EntryOp};
use serde_json::{json, Value};

#[derive(sqlx::FromRow)]
pub(crate) struct Row {
    slug: String,
    name: String,
    description: String,
    risk_level: String,
    retired: bool,
    version: i64,
}

impl Entries for FirearmType {
    const KIND: Kind = Kind::FirearmType;
    const SELECT: &'static str = "SELECT slug, name, description, risk_level, retired, \
        CAST(version AS BIGINT) AS version FROM firearm_types \
        WHERE $1 IS NULL OR slug = $1 ORDER BY retired, name";
    const USAGE: &'static str = "SELECT firearm_type AS entry, provider_slug AS connector, \
        CAST(COUNT(*) AS BIGINT) AS n FROM scope_gating \
        WHERE firearm_type IS NOT NULL AND ($1 IS NULL OR firearm_type = $1) \
        GROUP BY firearm_type, provider_slug ORDER BY firearm_type, provider_slug";
    const STATES: &'static str = "SELECT slug, retired FROM firearm_types ORDER BY slug";
    const SET_RETIRED: &'static str =
        "UPDATE firearm_types SET retired = $1, version = version + 1 WHERE slug = $2";
    const DELETE: &'static str = "DELETE FROM firearm_types WHERE slug = $1";
    const AUDIT_KEY: &'static str = "firearm_type";
    type Row = Row;
    type Fields = FirearmTypeFields;

    fn row_slug(row: &Row) -> &str {
        &row.slug
    }

    fn build(r: Row, usage: Vec<(String, i64)>) -> FirearmType {
        FirearmType {
            slug: r.slug,
            name: r.name,
            description: r.description,
            risk_level: RiskLevel::parse(&r.risk_level).unwrap_or(RiskLevel::High),
            retired: r.retired,
            version: r.version,
            usage: (usage.into_iter())
                .map(|(connector, scopes)| TypeUsage { connector, scopes })
                .collect(),
        }
    }

    fn version(&self) -> i64 {
        self.version
    }

    fn in_use(&self) -> Option<E> {
        (!self.usage.is_empty()).then(|| E::FirearmTypeInUse {
            slug: self.slug.clone(),
            usage: self.usage.clone(),
        })
    }

    fn audit_state(&self) -> Value {
        json!({ "name": self.name, "description": self.description,
                "risk_level": self.risk_level, "retired": self.retired })
    }

    fn insert<'q>(slug: &'q str, f: &'q FirearmTypeFields) -> Query<'q> {
        query(
            "INSERT INTO firearm_types (slug, name, description, risk_level, retired, version) \
             VALUES ($1, $2, $3, $4, $5, 0)",
        )
        .bind(slug)
        .bind(&f.name)
        .bind(&f.description)
        .bind(f.risk_level.as_str())
        .bind(false)
    }

    fn update<'q>(slug: &'q str, f: &'q FirearmTypeFields) -> Query<'q> {
        query(
            "UPDATE firearm_types SET name = $1, description = $2, risk_level = $3, \
             version = version + 1 WHERE slug = $4",
        )
        .bind(&f.name)
        .bind(&f.description)
        .bind(f.risk_level.as_str())
        .bind(slug)
    }

    fn check(fields: &FirearmTypeFields) -> Result<FirearmTypeFields> {
        firearms::check_type_fields(fields)
    }
}

impl FirearmOp {
    fn entry_op(&self) -> EntryOp<'_, FirearmTypeFields> {
        match self {
            FirearmOp::Add { fields, .. } => EntryOp::Add(fields),
            FirearmOp::Update {
                version, fields, ..
            } => EntryOp::Update(*version, fields),
            FirearmOp::Retire { version, .. } => EntryOp::SetRetired(*version, true),
            FirearmOp::Restore { version, .. } => EntryOp::SetRetired(*version, false),
            FirearmOp::Delete { version, .. } => EntryOp::Delete(*version),
        }
    }
}

impl Registry {
    /// Every firearm type with where it is used, retired last, by name.
    pub async fn firearm_types(&self) -> Result<Vec<FirearmType>> {
        let op = Kind::FirearmType.reading();
        let mut tx = self.db().begin(op).await?;
        slug_entries::list(&mut tx.conn(), None, true).await
    }

    /// The type after the change (`None` once deleted).
    pub async fn change_firearm_type(
        &self,
        op: &FirearmOp,
        actor: &str,
    ) -> Result<Option<FirearmType>> {
        let mut tx = self.db().begin_write().await?;
        let who = (actor, op.audit_action());
        let after = slug_entries::change(&mut tx.conn(), op.slug(), op.entry_op(), who).await?;
        tx.commit("committing the firearm type change").await?;
        Ok(after)
    }
}
