//! Every shipped connector's service.py against a local fake of its provider's API (issue 20,
//! "connectors that behave"): the Python suite in tests/connectors_api/ gives every manifest
//! operation a success, a 4xx, a 403, the provider's rate limit, a 429 with Retry-After and a
//! 5xx, and fails when an operation has no tests. No Python is a failure, never a skip.

use std::path::PathBuf;
use std::process::Command;

/// `GODCONFIG_PYTHON`, else the repository's venv (`./dev setup` makes it), else `python3`.
fn interpreter() -> String {
    if std::env::var_os("GODCONFIG_PYTHON").is_none() {
        let venv = if cfg!(windows) {
            ".venv/Scripts/python.exe"
        } else {
            ".venv/bin/python"
        };
        let venv = godconfig_testkit::repo().join(venv);
        if venv.is_file() {
            return venv.display().to_string();
        }
    }
    godconfig_testkit::python()
}

#[test]
fn every_connector_operation_behaves_against_a_fake_of_its_api() {
    let suite = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/connectors_api");
    let python = interpreter();
    let out = Command::new(&python)
        .args(["-m", "unittest", "discover", "-v", "-s"])
        .arg(&suite)
        // No __pycache__ in connectors/ (every folder there is a connector) or in the suite.
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `{python}` (set GODCONFIG_PYTHON, or run ./dev setup): {e}")
        });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "the connector API tests failed ({}) with `{python}`:\n{text}",
        out.status
    );
    // unittest exits 0 on an empty discovery before Python 3.12: make sure the suite ran.
    assert!(
        !text.contains("Ran 0 tests") && text.contains("\nOK"),
        "the connector API suite did not run with `{python}`:\n{text}"
    );
}
