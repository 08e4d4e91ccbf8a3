//! The UTM builder's app-side steps: live previews (nothing saved) for the template form and the
//! link builder, and the YAML import report. The rules are `godconfig_utm`'s.

use crate::error::{AppError, Result};
use crate::workspace::Workspace;
use godconfig_registry::utm::{ImportOutcome, LinkRecord};
use godconfig_registry::RegistryError;
use godconfig_sentinel::flows;
use godconfig_utm::{build_link, check_template, LinkRequest, UtmTemplate, Violation};
use serde::Serialize;
use std::path::Path;

/// What the form shows as it is typed: the URL (when every rule holds), the violations, and the
/// inputs the link builder will ask for.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Preview {
    pub url: Option<String>,
    pub violations: Vec<Violation>,
    pub variables: Vec<String>,
}

pub use godconfig_sentinel::flows::utm::today;

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
    let (outcome, violations) =
        match flows::utm::import_templates(&ws.registry, text, replace, actor).await? {
            Ok(outcome) => (Some(outcome), Vec::new()),
            Err(violations) => (None, violations),
        };
    Ok(ImportReport {
        file,
        outcome,
        violations,
    })
}

/// Writes every template to `path` as YAML.
pub async fn export(ws: &Workspace, path: &Path) -> Result<()> {
    let export = flows::utm::export_templates(&ws.registry).await?;
    std::fs::write(path, export.yaml).map_err(|e| AppError::cannot_write(path, e))
}

/// Builds the link (dated today) and keeps it in the history.
pub async fn build(ws: &Workspace, req: &LinkRequest, actor: &str) -> Result<LinkRecord> {
    Ok(flows::utm::build_link(&ws.registry, req, actor).await?)
}
