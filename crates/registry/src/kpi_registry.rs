//! The core-KPI registry: the KPIs metrics map onto, which admins add, edit, retire and (when
//! unused) delete. Like the firearm-type registry (`firearms.rs`).

use crate::error::Result;
use crate::slug_registry::Kind;
use serde::{Deserialize, Serialize};

macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal / $noun:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            /// In a sentence: "a currency", "a count".
            pub fn noun(self) -> &'static str {
                match self { $($name::$variant => $noun),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

word_enum!(
    /// What a KPI's values are.
    Unit { Currency = "currency" / "currency", Count = "count" / "count", Ratio = "ratio" / "ratio", Duration = "duration" / "duration" }
);
word_enum!(
    /// How a KPI's values combine over time or across connectors.
    Aggregation { Sum = "sum" / "sum", Average = "average" / "average", Last = "last" / "last value" }
);
word_enum!(
    Direction { HigherIsBetter = "higher_is_better" / "higher is better", HigherIsWorse = "higher_is_worse" / "higher is worse" }
);

/// Where a core KPI is used: mapped metrics per connector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct KpiUsage {
    pub connector: String,
    pub metrics: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CoreKpi {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub unit: Unit,
    pub aggregation: Aggregation,
    pub direction: Direction,
    pub retired: bool,
    pub version: i64,
    pub usage: Vec<KpiUsage>,
}

/// What an admin writes about a core KPI.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CoreKpiFields {
    pub name: String,
    pub description: String,
    pub unit: Unit,
    pub aggregation: Aggregation,
    pub direction: Direction,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum CoreKpiOp {
    Add {
        slug: String,
        fields: CoreKpiFields,
    },
    Update {
        slug: String,
        version: i64,
        fields: CoreKpiFields,
    },
    Retire {
        slug: String,
        version: i64,
    },
    Restore {
        slug: String,
        version: i64,
    },
    /// Only a KPI no metric maps to; a used one can only be retired.
    Delete {
        slug: String,
        version: i64,
    },
}

impl CoreKpiOp {
    pub fn slug(&self) -> &str {
        match self {
            CoreKpiOp::Add { slug, .. }
            | CoreKpiOp::Update { slug, .. }
            | CoreKpiOp::Retire { slug, .. }
            | CoreKpiOp::Restore { slug, .. }
            | CoreKpiOp::Delete { slug, .. } => slug,
        }
    }

    pub fn audit_action(&self) -> &'static str {
        match self {
            CoreKpiOp::Add { .. } => "core_kpis.added",
            CoreKpiOp::Update { .. } => "core_kpis.updated",
            CoreKpiOp::Retire { .. } => "core_kpis.retired",
            CoreKpiOp::Restore { .. } => "core_kpis.restored",
            CoreKpiOp::Delete { .. } => "core_kpis.deleted",
        }
    }
}

/// A KPI slug is a short snake_case word, like the seeded ones (`gross_sales`).
pub fn check_kpi_slug(slug: &str) -> Result<()> {
    Kind::CoreKpi.check_slug(slug)
}

/// Trims the fields and checks they are present and short enough.
pub fn check_kpi_fields(f: &CoreKpiFields) -> Result<CoreKpiFields> {
    let (name, description) = Kind::CoreKpi.check_name_and_description(&f.name, &f.description)?;
    Ok(CoreKpiFields {
        name,
        description,
        ..f.clone()
    })
}
