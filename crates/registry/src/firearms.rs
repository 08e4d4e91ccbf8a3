//! The firearm-type registry: kinds of gating with a risk level, which admins add, edit,
//! retire and (when unused) delete.

use crate::error::Result;
use crate::slug_registry::Kind;
use serde::{Deserialize, Serialize};

/// How dangerous a firearm type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum RiskLevel {
    Low,
    Medium,
    High,
    Critical,
}

impl RiskLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
            RiskLevel::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<RiskLevel> {
        Some(match s {
            "low" => RiskLevel::Low,
            "medium" => RiskLevel::Medium,
            "high" => RiskLevel::High,
            "critical" => RiskLevel::Critical,
            _ => return None,
        })
    }
}

/// Where a firearm type is used: gated scopes per connector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TypeUsage {
    pub connector: String,
    pub scopes: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FirearmType {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub risk_level: RiskLevel,
    pub retired: bool,
    pub version: i64,
    pub usage: Vec<TypeUsage>,
}

/// What an admin writes about a type.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FirearmTypeFields {
    pub name: String,
    pub description: String,
    pub risk_level: RiskLevel,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum FirearmOp {
    Add {
        slug: String,
        fields: FirearmTypeFields,
    },
    /// Rename, describe, or change the risk level.
    Update {
        slug: String,
        version: i64,
        fields: FirearmTypeFields,
    },
    Retire {
        slug: String,
        version: i64,
    },
    Restore {
        slug: String,
        version: i64,
    },
    /// Only a type that no scope uses; a used one can only be retired.
    Delete {
        slug: String,
        version: i64,
    },
}

impl FirearmOp {
    pub fn slug(&self) -> &str {
        match self {
            FirearmOp::Add { slug, .. }
            | FirearmOp::Update { slug, .. }
            | FirearmOp::Retire { slug, .. }
            | FirearmOp::Restore { slug, .. }
            | FirearmOp::Delete { slug, .. } => slug,
        }
    }

    pub fn audit_action(&self) -> &'static str {
        match self {
            FirearmOp::Add { .. } => "firearms.added",
            FirearmOp::Update { .. } => "firearms.updated",
            FirearmOp::Retire { .. } => "firearms.retired",
            FirearmOp::Restore { .. } => "firearms.restored",
            FirearmOp::Delete { .. } => "firearms.deleted",
        }
    }
}

pub fn check_type_slug(slug: &str) -> Result<()> {
    Kind::FirearmType.check_slug(slug)
}

/// Trims the fields and checks they are present and short enough.
pub fn check_type_fields(f: &FirearmTypeFields) -> Result<FirearmTypeFields> {
    let (name, description) =
        Kind::FirearmType.check_name_and_description(&f.name, &f.description)?;
    Ok(FirearmTypeFields {
        name,
        description,
        risk_level: f.risk_level,
    })
}

/// The type named `slug` among `types`, or `firearms.unknown_type` with a did-you-mean.
pub fn find_type(mut types: Vec<FirearmType>, slug: &str) -> Result<FirearmType> {
    match types.iter().position(|t| t.slug == slug) {
        Some(i) => Ok(types.swap_remove(i)),
        None => Err(Kind::FirearmType.unknown(slug, types.iter().map(|t| t.slug.as_str()))),
    }
}
