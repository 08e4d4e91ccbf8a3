//! The committed JSON Schema matches the model, and accepts every example connector.

use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn committed_schema_has_not_drifted() {
    let path = repo().join(godconfig_manifest::SCHEMA_FILE);
    let fresh = godconfig_manifest::json_schema_text();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} is out of date: run `sentinel schema > {}` (or UPDATE_SCHEMA=1 cargo test)",
        path.display(),
        godconfig_manifest::SCHEMA_FILE
    );
}

#[test]
fn schema_is_draft_07_and_strict() {
    let schema = godconfig_manifest::json_schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema["additionalProperties"], false);
    assert!(schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r == "scopes"));
}

#[test]
fn schema_accepts_every_example_and_rejects_unknown_fields() {
    let validator = jsonschema::draft7::new(&godconfig_manifest::json_schema()).unwrap();
    let mut seen = 0;
    for entry in std::fs::read_dir(repo().join("connectors")).unwrap() {
        let path = entry.unwrap().path().join("manifest.yaml");
        if !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let value: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        let mut bad = value.clone();
        bad["scopez"] = serde_json::json!([]);
        assert!(!validator.is_valid(&bad));
        seen += 1;
    }
    assert!(
        seen >= 8,
        "expected at least 8 example connectors, found {seen}"
    );
}
