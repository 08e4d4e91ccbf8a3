//! New connector: the app's order form. It writes what `sentinel new` writes (the same
//! `scaffold::create`) in the workspace's connectors folder, gives the prompt to hand to a coding
//! agent, then runs the app's normal sync so the draft is in the queue at once.

use crate::error::{AppError, ErrorCode, Result};
use crate::sync::SyncSummary;
use crate::App;
use godconfig_manifest::Diagnostic;
use godconfig_sentinel::scaffold::{self, Order, Ordered};
use serde::{Deserialize, Serialize};

/// What the form sends: the fields of `sentinel new`. A blank name or docs URL is left out.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct NewConnector {
    pub slug: String,
    pub name: Option<String>,
    pub auth: String,
    pub docs: Option<String>,
}

/// The form field a diagnostic is about, when it is about one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Slug,
    Name,
    Auth,
    Docs,
}

/// One of `check`'s diagnostics on the manifest the form would write.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct FieldProblem {
    pub field: Option<Field>,
    pub diagnostic: Diagnostic,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NewConnectorOutcome {
    /// The folder was written. `synced` is the sync that followed it, or `sync_error` why that
    /// sync did not run (the folder stays; Sync now or the watcher registers it).
    Created {
        slug: String,
        folder: String,
        files: Vec<String>,
        prompt: String,
        synced: Option<Box<SyncSummary>>,
        sync_error: Option<ErrorCode>,
    },
    /// The manifest does not pass `check` (a bad slug, a bad docs URL): nothing was written.
    Invalid { problems: Vec<FieldProblem> },
}

/// A trimmed value, none when blank.
fn given(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The field whose line of the generated manifest a diagnostic points at.
pub fn field_of(manifest: &str, line: u32) -> Option<Field> {
    let text = manifest.lines().nth(line.checked_sub(1)? as usize)?;
    match text.trim_start().split(':').next()? {
        "provider_slug" => Some(Field::Slug),
        "display_name" | "description" => Some(Field::Name),
        "method" => Some(Field::Auth),
        "docs_url" => Some(Field::Docs),
        _ => None,
    }
}

/// Orders the connector in the open workspace's connectors folder, then syncs. An existing
/// folder is `sentinel.exists`; a registry that cannot sync still leaves the folder written.
pub async fn create(app: &App, req: NewConnector) -> Result<NewConnectorOutcome> {
    let ws = app.workspace().await?;
    let order = Order {
        slug: req.slug,
        name: given(req.name),
        auth: req.auth.trim().to_string(),
        docs: given(req.docs),
    };
    let folder = match scaffold::create(&ws.connectors_dir, &order)? {
        Ordered::Created(folder) => folder,
        Ordered::Invalid(diagnostics) => {
            let manifest = scaffold::scaffold(&order).manifest;
            let problems = diagnostics
                .into_iter()
                .map(|d| FieldProblem {
                    field: field_of(&manifest, d.line),
                    diagnostic: d,
                })
                .collect();
            return Ok(NewConnectorOutcome::Invalid { problems });
        }
    };
    let prompt = scaffold::agent_prompt(&order, &folder);
    let files = [godconfig_sentinel::MANIFEST_FILE, "service.py", "README.md"]
        .iter()
        .map(|f| folder.join(f).display().to_string())
        .collect();
    // A sync already running (Sync now, the folder watcher) may have scanned before the folder
    // appeared: wait for it, then sync once more (unchanged if it did see it).
    let mut run = app.sync(&|_| {}).await;
    if matches!(run, Err(AppError::SyncRunning)) {
        app.sync_finished().await;
        run = app.sync(&|_| {}).await;
    }
    let (synced, sync_error) = match run {
        Ok(summary) => (Some(Box::new(summary)), None),
        Err(e) => (None, Some(e.to_ipc())),
    };
    Ok(NewConnectorOutcome::Created {
        slug: order.slug,
        folder: folder.display().to_string(),
        files,
        prompt,
        synced,
        sync_error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_belongs_to_the_field_on_its_line() {
        let order = |slug: &str| Order {
            slug: slug.into(),
            name: None,
            auth: "api_key".into(),
            docs: Some("http://x.example.com".into()),
        };
        let m = scaffold::scaffold(&order("Bad-Slug")).manifest;
        let Err(diags) = godconfig_manifest::parse_manifest("m", m.as_bytes(), None) else {
            panic!("{m}")
        };
        let fields: Vec<_> = diags.iter().map(|d| field_of(&m, d.line)).collect();
        assert_eq!(fields, [Some(Field::Slug), Some(Field::Docs)], "{diags:?}");
        assert_eq!(field_of(&m, 0), None);
        assert_eq!(field_of(&m, 1), None, "the modeline");
        assert_eq!(given(Some("  ".into())), None);
    }
}
