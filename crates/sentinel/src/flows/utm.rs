//! The UTM builder's flows that the CLI and the app share: links dated by the user's calendar
//! day, and templates imported from or exported to YAML.

use godconfig_registry::utm::{ImportOutcome, LinkRecord};
use godconfig_registry::{Registry, RegistryError};
use godconfig_utm::{LinkRequest, UtmTemplate, Violation};

/// Links are dated by the user's calendar day.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Builds the link with its content type's template and keeps it in the history.
pub async fn build_link(
    registry: &Registry,
    req: &LinkRequest,
    actor: &str,
) -> Result<LinkRecord, RegistryError> {
    registry.build_utm_link(req, actor, today()).await
}

/// Parses and checks `text`, then imports it all or nothing. `Ok(Err(violations))`: the file has
/// problems and nothing was imported.
pub async fn import_templates(
    registry: &Registry,
    text: &str,
    replace: bool,
    actor: &str,
) -> Result<Result<ImportOutcome, Vec<Violation>>, RegistryError> {
    match godconfig_utm::import_yaml(text) {
        Err(violations) => Ok(Err(violations)),
        Ok(templates) => Ok(Ok(registry
            .import_utm_templates(&templates, replace, actor)
            .await?)),
    }
}

/// Every template as one YAML document, and how many it holds.
pub struct Export {
    pub yaml: String,
    pub templates: usize,
}

pub async fn export_templates(registry: &Registry) -> Result<Export, RegistryError> {
    let templates: Vec<UtmTemplate> = (registry.utm_templates().await?.into_iter())
        .map(|s| s.template)
        .collect();
    Ok(Export {
        yaml: godconfig_utm::export_yaml(&templates),
        templates: templates.len(),
    })
}
