//! The keyring service is the app's identifier (tauri.conf.json), with `.dev` for debug builds,
//! so renaming the app cannot silently orphan every stored key.

#[test]
fn the_service_is_the_app_identifier() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../src-tauri/tauri.conf.json"
    );
    let conf: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let id = conf["identifier"]
        .as_str()
        .expect("tauri.conf.json has an identifier");
    let expected = if cfg!(debug_assertions) {
        format!("{id}.dev")
    } else {
        id.to_string()
    };
    assert_eq!(godconfig_vault::SERVICE, expected);
}
