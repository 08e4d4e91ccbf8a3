//! The firearm-type registry: kinds of gating with a risk level, which admins add, edit,
//! retire and (when unused) delete.

use crate::error::{RegistryError as E, Result};
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

/// Why a registry slug (firearm type, core KPI) is malformed: a short snake_case word, like the
/// seeded ones (`moves_money`, `gross_sales`).
pub(crate) fn slug_problem(slug: &str) -> Option<String> {
    let ok = (2..=48).contains(&slug.len())
        && slug.starts_with(|c: char| c.is_ascii_lowercase())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    (!ok).then(|| {
        format!("`{slug}` must be 2–48 characters of a–z, 0–9 and _, starting with a letter")
    })
}

/// A registry entry's name and description, trimmed, or the field at fault and why.
pub(crate) fn name_and_description(
    name: &str,
    description: &str,
) -> std::result::Result<(String, String), (&'static str, String)> {
    let (name, description) = (name.trim(), description.trim());
    if name.is_empty() || name.chars().count() > 80 {
        return Err(("name", "a name of 1–80 characters is required".into()));
    }
    if description.is_empty() || description.chars().count() > 500 {
        return Err((
            "description",
            "a description of 1–500 characters is required".into(),
        ));
    }
    Ok((name.to_string(), description.to_string()))
}

pub fn check_type_slug(slug: &str) -> Result<()> {
    match slug_problem(slug) {
        None => Ok(()),
        Some(reason) => Err(E::InvalidFirearmType {
            field: "slug",
            reason,
        }),
    }
}

/// Trims the fields and checks they are present and short enough.
pub fn check_type_fields(f: &FirearmTypeFields) -> Result<FirearmTypeFields> {
    let (name, description) = name_and_description(&f.name, &f.description)
        .map_err(|(field, reason)| E::InvalidFirearmType { field, reason })?;
    Ok(FirearmTypeFields {
        name,
        description,
        risk_level: f.risk_level,
    })
}
