//! The UTM builder's app-side steps: live previews (nothing saved) for the template form and the
//! link builder, and the YAML import report. The rules are `godconfig_utm`'s.

use crate::error::Result;
use crate::workspace::Workspace;
use godconfig_registry::utm::ImportOutcome;
use godconfig_registry::RegistryError;
use godconfig_utm::{build_link, check_template, LinkRequest, UtmTemplate, Violation};
use serde::Serialize;

/// What the form shows as it is typed: the URL (when every rule holds), the violations, and the
/// inputs the link builder will ask for.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Preview {
    pub url: Option<String>,
    pub violations: Vec<Violation>,
    pub variables: Vec<String>,
}

/// Links are dated by the user's calendar day.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// A template being edited, tried on a sample link. Only the template's own problems are
/// violations: sample values that break its rules (an allowed-values list, say) just leave no
/// preview URL; the link builder checks real values.
pub fn preview_template(template: &UtmTemplate, sample: &LinkRequest) -> Preview {
    let violations = check_template(template);
    let url = violations
        .is_empty()
        .then(|| build_link(template, sample, today()).ok().map(|l| l.url))
        .flatten();
    Preview {
        url,
        violations,
        variables: template.variables(),
    }
}

/// A link being built with the stored template of its content type; nothing is recorded.
pub async fn preview_link(ws: &Workspace, req: &LinkRequest) -> Result<Preview> {
    let templates = ws.registry.utm_templates().await?;
    let Some(t) = templates
        .into_iter()
        .find(|t| t.template.content_type == req.content_type)
    else {
        return Err(RegistryError::UnknownUtmTemplate {
            content_type: req.content_type.clone(),
            did_you_mean: None,
        }
        .into());
    };
    let (url, violations) = match build_link(&t.template, req, today()) {
        Ok(link) => (Some(link.url), Vec::new()),
        Err(v) => (None, v),
    };
    Ok(Preview {
        url,
        violations,
        variables: t.template.variables(),
    })
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ImportReport {
    pub file: String,
    /// None when the file has problems (then nothing was imported).
    pub outcome: Option<ImportOutcome>,
    pub violations: Vec<Violation>,
}

/// Parses and checks `text` (from `file`), then imports it all or nothing.
pub async fn import(
    ws: &Workspace,
    file: String,
    text: &str,
    replace: bool,
    actor: &str,
) -> Result<ImportReport> {
    match godconfig_utm::import_yaml(text) {
        Err(violations) => Ok(ImportReport {
            file,
            outcome: None,
            violations,
        }),
        Ok(templates) => {
            let outcome = ws
                .registry
                .import_utm_templates(&templates, replace, actor)
                .await?;
            Ok(ImportReport {
                file,
                outcome: Some(outcome),
                violations: Vec::new(),
            })
        }
    }
}
