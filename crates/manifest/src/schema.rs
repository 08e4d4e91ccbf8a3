//! JSON Schema (draft-07, which editors' YAML support understands) of manifest v1.

use crate::raw::RawManifest;
use schemars::generate::SchemaSettings;

/// Where the schema is published in this repository, for the yaml-language-server modeline.
pub const SCHEMA_FILE: &str = "schemas/manifest-v1.schema.json";

pub fn json_schema() -> serde_json::Value {
    let generator = SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<RawManifest>();
    serde_json::to_value(schema).expect("a schema is always serializable")
}

/// The schema as pretty JSON with a trailing newline, exactly as committed in `SCHEMA_FILE`.
pub fn json_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&json_schema()).expect("serializable");
    text.push('\n');
    text
}
