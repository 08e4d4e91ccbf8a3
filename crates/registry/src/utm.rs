//! The UTM builder's registry side: stored templates (versioned), the link history, and which
//! templates apply to a connector. The template rules and the builder are `godconfig_utm`'s.

use chrono::{DateTime, Utc};
use godconfig_utm::{LinkRequest, UtmTemplate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StoredTemplate {
    pub template: UtmTemplate,
    /// Compare-and-set: an edit names the version it was based on.
    pub version: i64,
    pub changed_by: Option<String>,
    pub changed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum UtmTemplateOp {
    /// A new template (`version` None) or an edit of the version read.
    Save {
        template: UtmTemplate,
        version: Option<i64>,
    },
    Delete {
        content_type: String,
        version: i64,
    },
}

impl UtmTemplateOp {
    pub fn content_type(&self) -> &str {
        match self {
            UtmTemplateOp::Save { template, .. } => &template.content_type,
            UtmTemplateOp::Delete { content_type, .. } => content_type,
        }
    }
}

/// A link built earlier: what it was built from (to clone it) and the URL.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LinkRecord {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub request: LinkRequest,
    pub url: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportOutcome {
    pub added: Vec<String>,
    pub replaced: Vec<String>,
    pub unchanged: Vec<String>,
}

/// One content type a connector declares, and whether a template covers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CapabilityTemplate {
    pub content_type: String,
    pub has_template: bool,
}

/// For each declared content type, whether a template applies (a missing one is a warning on
/// the connector page, not a block on approval).
pub fn capability_templates(
    declared: &[String],
    templates: &[StoredTemplate],
) -> Vec<CapabilityTemplate> {
    declared
        .iter()
        .map(|ct| CapabilityTemplate {
            content_type: ct.clone(),
            has_template: templates.iter().any(|t| &t.template.content_type == ct),
        })
        .collect()
}
