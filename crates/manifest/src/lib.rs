//! Connector manifest v1: the strict model, its validation and its diagnostics.
//! Contract: `shared/manifest-v1.md`.

mod checks;
pub mod diagnostic;
pub mod limits;
pub mod model;
mod parse;
pub mod raw;
pub mod schema;
mod structure;
mod tree;
mod validate;

pub use diagnostic::{CheckReport, Code, Diagnostic, Severity, REPORT_VERSION};
pub use model::{Auth, AuthMethod, Kpi, Manifest, Operation, Scope};
pub use parse::{options as yaml_options, yaml_error};
pub use schema::{json_schema, json_schema_text, SCHEMA_FILE};
pub use validate::is_provider_slug;

use sha2::{Digest, Sha256};

/// The manifest's content hash: sha256 of the file's bytes, hex.
pub fn content_hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Parses and validates one manifest. `path` is used in diagnostics; `folder` is the name of the
/// connector folder that must equal `provider_slug`, when the manifest lives in one.
pub fn parse_manifest(
    path: &str,
    bytes: &[u8],
    folder: Option<&str>,
) -> Result<Manifest, Vec<Diagnostic>> {
    let text = parse::decode(path, bytes).map_err(|d| vec![d])?;
    let src = parse::Source { path, text };
    // Fast path: most manifests are valid, and a valid one needs no locations.
    if let Ok(raw) = raw::without_locations(|| parse::parse_raw(&src)) {
        if let Ok(m) = validate::validate(path, text, &raw, folder) {
            return Ok(m);
        }
    }
    let raw = match parse::parse_raw(&src) {
        Ok(raw) => raw,
        // serde stops at the first problem; a second pass over a generic tree reports every
        // structural one.
        Err(first) => {
            let tree = parse::parse_tree(&src).map_err(|d| vec![d])?;
            let structural = structure::check(path, text, &tree);
            return Err(if structural.is_empty() {
                vec![first]
            } else {
                structural
            });
        }
    };
    validate::validate(path, text, &raw, folder)
}

/// Where each operation's `name` is written in a manifest, for diagnostics about the code that
/// implements it. Empty when the manifest does not parse.
pub fn operation_positions(path: &str, bytes: &[u8]) -> Vec<(String, diagnostic::Position)> {
    let Ok(text) = parse::decode(path, bytes) else {
        return Vec::new();
    };
    let Ok(raw) = parse::parse_raw(&parse::Source { path, text }) else {
        return Vec::new();
    };
    let index = diagnostic::LineIndex::new(text);
    let ops = raw.operations.as_ref().map(|o| o.get().as_slice());
    (ops.unwrap_or_default().iter())
        .map(|op| {
            let name = &op.get().name;
            (
                name.get().clone(),
                index.position(name.line(), name.column()),
            )
        })
        .collect()
}
