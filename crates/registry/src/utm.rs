//! The UTM builder's registry side: stored templates (versioned), the link history, and which
//! templates apply to a connector. The template rules and the builder are `godconfig_utm`'s.

use crate::error::{RegistryError as E, Result};
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

/// Whether `op` may apply to the template as it is (`before`: its version, None if there is
/// none): an add needs none, an edit or a delete needs the version it was based on.
pub(crate) fn check_change(op: &UtmTemplateOp, before: Option<i64>) -> Result<()> {
    let ct = op.content_type();
    let unknown = || E::UnknownUtmTemplate {
        content_type: ct.to_string(),
        did_you_mean: None,
    };
    let conflict = || E::Conflict {
        what: vec![format!("UTM template `{ct}`")],
    };
    match (op, before) {
        (UtmTemplateOp::Save { template, version }, _) => {
            refuse_invalid(template)?;
            match (version, before) {
                (None, Some(_)) => Err(E::UtmTemplateExists {
                    content_type: ct.to_string(),
                }),
                (Some(_), None) => Err(unknown()),
                (Some(v), Some(b)) if *v != b => Err(conflict()),
                _ => Ok(()),
            }
        }
        (UtmTemplateOp::Delete { .. }, None) => Err(unknown()),
        (UtmTemplateOp::Delete { version, .. }, Some(b)) if *version != b => Err(conflict()),
        (UtmTemplateOp::Delete { .. }, Some(_)) => Ok(()),
    }
}

/// `utm.refused` with every violation of the template's own rules.
pub(crate) fn refuse_invalid(t: &UtmTemplate) -> Result<()> {
    let violations = godconfig_utm::check_template(t);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(E::UtmRefused { violations })
    }
}

/// `utm.refused` with every violation of every template's own rules.
pub(crate) fn refuse_any_invalid(templates: &[UtmTemplate]) -> Result<()> {
    let violations: Vec<_> = templates
        .iter()
        .flat_map(godconfig_utm::check_template)
        .collect();
    if violations.is_empty() {
        Ok(())
    } else {
        Err(E::UtmRefused { violations })
    }
}

/// What an import does with each template, given those stored: (template, version to write)
/// for each one written, and the outcome. All or nothing: an existing one is refused unless
/// `replace`; one equal to the stored one is left unchanged.
pub(crate) fn plan_import<'a>(
    existing: &[StoredTemplate],
    templates: &'a [UtmTemplate],
    replace: bool,
) -> Result<(Vec<(&'a UtmTemplate, i64)>, ImportOutcome)> {
    refuse_any_invalid(templates)?;
    let (mut writes, mut out) = (Vec::new(), ImportOutcome::default());
    for t in templates {
        let ct = t.content_type.clone();
        match existing
            .iter()
            .find(|e| e.template.content_type == t.content_type)
        {
            Some(e) if e.template == *t => out.unchanged.push(ct),
            Some(_) if !replace => return Err(E::UtmTemplateExists { content_type: ct }),
            Some(e) => {
                writes.push((t, e.version + 1));
                out.replaced.push(ct);
            }
            None => {
                writes.push((t, 0));
                out.added.push(ct);
            }
        }
    }
    Ok((writes, out))
}

/// A case-insensitive (ASCII) LIKE pattern for a substring, with LIKE's wildcards escaped by
/// `!`, which both dialects accept whatever their string settings; None for a blank search.
pub(crate) fn like_pattern(search: Option<&str>) -> Option<String> {
    let s = search.map(str::trim).filter(|s| !s.is_empty())?;
    let escaped = (s.to_lowercase().replace('!', "!!"))
        .replace('%', "!%")
        .replace('_', "!_");
    Some(format!("%{escaped}%"))
}

#[cfg(test)]
mod tests {
    use super::*;

    use godconfig_utm::{Param, Rules};

    fn template(ct: &str) -> UtmTemplate {
        UtmTemplate {
            content_type: ct.into(),
            description: "Newsletters".into(),
            params: [
                (Param::Source, "{connector}".into()),
                (Param::Medium, "email".into()),
                (Param::Campaign, "{campaign}".into()),
            ]
            .into(),
            rules: Rules::default(),
        }
    }

    fn stored(ct: &str, version: i64) -> StoredTemplate {
        StoredTemplate {
            template: template(ct),
            version,
            changed_by: None,
            changed_at: None,
        }
    }

    #[test]
    fn a_template_change_needs_the_version_it_was_based_on() {
        let save = |version| UtmTemplateOp::Save {
            template: template("newsletter"),
            version,
        };
        assert!(check_change(&save(None), None).is_ok());
        assert_eq!(
            check_change(&save(None), Some(0)).unwrap_err().code(),
            "utm.exists"
        );
        assert_eq!(
            check_change(&save(Some(0)), None).unwrap_err().code(),
            "utm.unknown_template"
        );
        assert_eq!(
            check_change(&save(Some(0)), Some(1)).unwrap_err().code(),
            "registry.conflict"
        );
        assert!(check_change(&save(Some(1)), Some(1)).is_ok());
        let delete = |version| UtmTemplateOp::Delete {
            content_type: "newsletter".into(),
            version,
        };
        assert_eq!(
            check_change(&delete(0), None).unwrap_err().code(),
            "utm.unknown_template"
        );
        assert_eq!(
            check_change(&delete(0), Some(2)).unwrap_err().code(),
            "registry.conflict"
        );
        assert!(check_change(&delete(2), Some(2)).is_ok());
    }

    #[test]
    fn an_import_adds_replaces_or_keeps_each_template() {
        let existing = [stored("newsletter", 3), stored("social", 0)];
        let mut changed = template("social");
        changed.params.insert(Param::Content, "post".into());
        let incoming = [template("newsletter"), changed, template("webinar")];
        assert_eq!(
            plan_import(&existing, &incoming, false).unwrap_err().code(),
            "utm.exists"
        );
        let (writes, out) = plan_import(&existing, &incoming, true).unwrap();
        assert_eq!(
            (out.added, out.replaced, out.unchanged),
            (
                vec!["webinar".to_string()],
                vec!["social".to_string()],
                vec!["newsletter".to_string()]
            )
        );
        let versions: Vec<(&str, i64)> = writes
            .iter()
            .map(|(t, v)| (t.content_type.as_str(), *v))
            .collect();
        assert_eq!(versions, [("social", 1), ("webinar", 0)]);
    }

    #[test]
    fn a_search_becomes_an_escaped_lowercase_like_pattern() {
        assert_eq!(like_pattern(Some("  ")), None);
        assert_eq!(like_pattern(None), None);
        assert_eq!(
            like_pattern(Some(" Spring_50%! ")).unwrap(),
            "%spring!_50!%!!%"
        );
    }
}
