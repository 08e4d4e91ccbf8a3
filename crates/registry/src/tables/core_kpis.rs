//! `core_kpis`: the registry of core KPIs, stored like firearm types (`slug_entries`).

use crate::db::{query, Query};
use crate::error::{RegistryError as E, Result};
use crate::kpis::{
    self, Aggregation, CoreKpi, CoreKpiFields, CoreKpiOp, Direction, KpiUsage, Unit,
};
use crate::slug_registry::Kind;
use crate::store::Registry;
use crate::tables::slug_entries::{self, Entries, EntryOp};
use serde_json::{json, Value};

#[derive(sqlx::FromRow)]
pub(crate) struct Row {
    slug: String,
    name: String,
    description: String,
    unit: String,
    aggregation: String,
    direction: String,
    retired: bool,
    version: i64,
}

impl Entries for CoreKpi {
    const KIND: Kind = Kind::CoreKpi;
    const SELECT: &'static str = "SELECT slug, name, description, unit, aggregation, direction, \
        retired, CAST(version AS BIGINT) AS version FROM core_kpis \
        WHERE $1 IS NULL OR slug = $1 ORDER BY retired, name";
    const USAGE: &'static str = "SELECT core_kpi AS entry, provider_slug AS connector, \
        CAST(COUNT(*) AS BIGINT) AS n FROM kpi_mappings \
        WHERE core_kpi IS NOT NULL AND ($1 IS NULL OR core_kpi = $1) \
        GROUP BY core_kpi, provider_slug ORDER BY core_kpi, provider_slug";
    const STATES: &'static str = "SELECT slug, retired FROM core_kpis ORDER BY slug";
    const SET_RETIRED: &'static str =
        "UPDATE core_kpis SET retired = $1, version = version + 1 WHERE slug = $2";
    const DELETE: &'static str = "DELETE FROM core_kpis WHERE slug = $1";
    const AUDIT_KEY: &'static str = "core_kpi";
    type Row = Row;
    type Fields = CoreKpiFields;

    fn row_slug(row: &Row) -> &str {
        &row.slug
    }

    fn build(r: Row, usage: Vec<(String, i64)>) -> CoreKpi {
        CoreKpi {
            slug: r.slug,
            name: r.name,
            description: r.description,
            unit: Unit::parse(&r.unit).unwrap_or(Unit::Count),
            aggregation: Aggregation::parse(&r.aggregation).unwrap_or(Aggregation::Sum),
            direction: Direction::parse(&r.direction).unwrap_or(Direction::HigherIsBetter),
            retired: r.retired,
            version: r.version,
            usage: (usage.into_iter())
                .map(|(connector, metrics)| KpiUsage { connector, metrics })
                .collect(),
        }
    }

    fn version(&self) -> i64 {
        self.version
    }

    fn in_use(&self) -> Option<E> {
        (!self.usage.is_empty()).then(|| E::CoreKpiInUse {
            slug: self.slug.clone(),
            usage: self.usage.clone(),
        })
    }

    fn audit_state(&self) -> Value {
        json!({ "name": self.name, "description": self.description, "unit": self.unit,
                "aggregation": self.aggregation, "direction": self.direction,
                "retired": self.retired })
    }

    fn insert<'q>(slug: &'q str, f: &'q CoreKpiFields) -> Query<'q> {
        query(
            "INSERT INTO core_kpis \
             (slug, name, description, unit, aggregation, direction, retired, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0)",
        )
        .bind(slug)
        .bind(&f.name)
        .bind(&f.description)
        .bind(f.unit.as_str())
        .bind(f.aggregation.as_str())
        .bind(f.direction.as_str())
        .bind(false)
    }

    fn update<'q>(slug: &'q str, f: &'q CoreKpiFields) -> Query<'q> {
        query(
            "UPDATE core_kpis SET name = $1, description = $2, unit = $3, aggregation = $4, \
             direction = $5, version = version + 1 WHERE slug = $6",
        )
        .bind(&f.name)
        .bind(&f.description)
        .bind(f.unit.as_str())
        .bind(f.aggregation.as_str())
        .bind(f.direction.as_str())
        .bind(slug)
    }

    fn check(fields: &CoreKpiFields) -> Result<CoreKpiFields> {
        kpis::check_kpi_fields(fields)
    }
}

impl CoreKpiOp {
    fn entry_op(&self) -> EntryOp<'_, CoreKpiFields> {
        match self {
            CoreKpiOp::Add { fields, .. } => EntryOp::Add(fields),
            CoreKpiOp::Update {
                version, fields, ..
            } => EntryOp::Update(*version, fields),
            CoreKpiOp::Retire { version, .. } => EntryOp::SetRetired(*version, true),
            CoreKpiOp::Restore { version, .. } => EntryOp::SetRetired(*version, false),
            CoreKpiOp::Delete { version, .. } => EntryOp::Delete(*version),
        }
    }
}

impl Registry {
    /// Every core KPI with where it is used, retired last, by name.
    pub async fn core_kpis(&self) -> Result<Vec<CoreKpi>> {
        let op = Kind::CoreKpi.reading();
        let mut tx = self.db().begin(op).await?;
        slug_entries::list(&mut tx.conn(), None, true).await
    }

    /// The KPI after the change (`None` once deleted).
    pub async fn change_core_kpi(&self, op: &CoreKpiOp, actor: &str) -> Result<Option<CoreKpi>> {
        let mut tx = self.db().begin_write().await?;
        let who = (actor, op.audit_action());
        let after = slug_entries::change(&mut tx.conn(), op.slug(), op.entry_op(), who).await?;
        tx.commit("committing the core KPI change").await?;
        Ok(after)
    }
}
