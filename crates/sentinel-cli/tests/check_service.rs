//! `sentinel check` reads service.py with a Python parser (issue 20, the contract): an operation
//! with no function, a function that cannot take the schema's properties as keywords, a syntax
//! error and a `.env` file are file:line:col diagnostics with a code and a hint; such a
//! connector is not registered and the others are.

mod common;
use common::*;
use std::path::Path;

/// A scaffolded connector (`list_items(*, limit=50)`, `create_item(*, title)`) with `service`
/// as its service.py.
fn connector(dir: &Path, slug: &str, service: &str) {
    std::fs::create_dir_all(dir).unwrap();
    sentinel()
        .args(["new", slug, "--dir"])
        .arg(dir)
        .assert()
        .success();
    std::fs::write(dir.join(slug).join("service.py"), service).unwrap();
}

fn check_json(dir: &Path) -> serde_json::Value {
    let out = sentinel()
        .args(["check", "--format", "json"])
        .arg(dir)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).expect("check --format json prints JSON")
}

/// `code line:col message` of each diagnostic on `file`, paths shortened.
fn found(report: &serde_json::Value, file: &str) -> Vec<String> {
    let diags = report["diagnostics"].as_array().unwrap();
    (diags.iter())
        .filter(|d| d["path"].as_str().unwrap().ends_with(file))
        .map(|d| {
            format!(
                "{} {}:{} {}",
                d["code"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["message"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn every_way_a_function_can_miss_the_contract_is_reported_where_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // `list_items` is misspelt; `create_item` (line 6) takes `title` positionally only and
    // needs an argument the schema does not know.
    connector(
        dir,
        "acme_bad",
        "import os\n\n\
         def list_itmes(*, limit=50):\n    return {}\n\n\
         def create_item(title, /, page, *, extra=None):\n    return {}\n",
    );
    let report = check_json(dir);
    assert_eq!(report["invalid"], 1, "{report:#}");
    insta::assert_snapshot!(found(&report, "acme_bad/service.py").join("\n"), @r"
    function-signature 6:17 `create_item` cannot take the required property `title` as a keyword argument: it is positional-only (before `/`)
    function-signature 6:27 `create_item` needs the argument `page`: `page` is not in the input schema, so mcp.py never passes it
    ");
    let manifest = found(&report, "acme_bad/manifest.yaml");
    assert_eq!(manifest.len(), 1, "{manifest:?}");
    assert!(manifest[0].starts_with("missing-function "), "{manifest:?}");
    let hint = &report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "missing-function")
        .unwrap()["hint"];
    assert!(
        hint.as_str()
            .unwrap()
            .contains("did you mean `list_itmes`?"),
        "{hint}"
    );
    assert!(
        hint.as_str()
            .unwrap()
            .contains("def list_items(*, limit=None):"),
        "{hint}"
    );
}

#[test]
fn keyword_arguments_in_any_form_are_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // Plain parameters, **kwargs, an imported function: all callable with keywords.
    connector(
        dir,
        "acme_ok",
        "from json import dumps as list_items\n\n\
         def create_item(title, note=None, **rest):\n    return {}\n",
    );
    connector(
        dir,
        "acme_kw",
        "def list_items(**arguments):\n    return {}\n\n\
         def create_item(*, title, limit=3):\n    return {}\n",
    );
    // Defined in a block (an `if`), or resolved by a module `__getattr__`: not checkable, accepted.
    connector(
        dir,
        "acme_blocks",
        "import os\n\n\
         if os.name == 'posix':\n    def list_items(*, limit=50):\n        return {}\n\n\
         def __getattr__(name):\n    raise AttributeError(name)\n",
    );
    let report = check_json(dir);
    assert_eq!(report["invalid"], 0, "{report:#}");
    sentinel().arg("check").arg(dir).assert().success();
}

#[test]
fn a_syntax_error_an_async_function_and_a_missing_service_are_located() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    connector(
        dir,
        "acme_syntax",
        "def list_items(*, limit=50)\n    return {}\n",
    );
    connector(
        dir,
        "acme_async",
        "async def list_items(*, limit=50):\n    return {}\n\n\
         def create_item(*, title):\n    return {}\n",
    );
    connector(dir, "acme_later", "");
    std::fs::remove_file(dir.join("acme_later/service.py")).unwrap();
    let report = check_json(dir);
    let syntax = found(&report, "acme_syntax/service.py");
    assert_eq!(syntax.len(), 1, "{syntax:?}");
    assert!(syntax[0].starts_with("python-syntax 1:28 "), "{syntax:?}");
    let asynced = found(&report, "acme_async/service.py");
    assert_eq!(asynced.len(), 1, "{asynced:?}");
    assert!(asynced[0].starts_with("function-signature 1:11 `list_items` is `async def`"));
    // No service.py yet: a warning on the first operation, the connector still valid.
    let later = found(&report, "acme_later/manifest.yaml");
    assert_eq!(later.len(), 1, "{later:?}");
    assert!(later[0].starts_with("missing-service "), "{later:?}");
    assert_eq!(report["invalid"], 2, "{report:#}");
    assert_eq!(report["valid"], 1, "{report:#}");
    // The plain output names file:line:col, the code and the hint.
    let out = sentinel().arg("check").arg(dir).output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("acme_syntax/service.py:1:28"), "{text}");
    assert!(text.contains("python-syntax"), "{text}");
    assert!(text.contains("py_compile"), "{text}");
}

#[test]
fn a_dot_env_file_is_refused_and_never_stored_or_echoed() {
    on_sqlite(|url, dir| {
        connector(dir, "acme_env", "def list_items(*, limit=50):\n    return {}\n\ndef create_item(*, title):\n    return {}\n");
        connector(dir, "acme_fine", "def list_items(*, limit=50):\n    return {}\n\ndef create_item(*, title):\n    return {}\n");
        let secret = "sk_live_do_not_store_me";
        std::fs::write(
            dir.join("acme_env/.env"),
            format!("PROVIDER_ACME_ENV_API_KEY={secret}\n"),
        )
        .unwrap();
        let report = check_json(dir);
        let env = found(&report, "acme_env/.env");
        assert_eq!(env.len(), 1, "{env:?}");
        assert!(env[0].starts_with("env-file 1:1 "), "{env:?}");
        let sync = sync_cmd(dir, url).output().unwrap();
        let printed = String::from_utf8_lossy(&sync.stdout).to_string()
            + &String::from_utf8_lossy(&sync.stderr);
        assert!(printed.contains("env-file"), "{printed}");
        assert!(!printed.contains(secret), "{printed}");
        // The other connector registers; this one does not, and its key is nowhere in the registry.
        assert_eq!(status(url, "acme_fine"), "draft");
        assert_eq!(
            one(
                url,
                "SELECT CAST(count(*) AS TEXT) FROM connector_providers WHERE slug = 'acme_env'"
            ),
            "0"
        );
        assert!(
            !dump(Path::new(url)).contains(secret),
            "the .env content reached the registry"
        );
    });
}
