//! `sentinel new` black-box (issue 20, the order): the folder it writes passes `check` and
//! registers as a draft, its service.py imports and names every operation; an existing folder
//! and a bad slug are refused with nothing written, the slug with `check`'s own diagnostic; the
//! prompt for a coding agent it prints names the connector, its folder and the rules.

mod common;
use common::*;
use predicates::prelude::*;

#[test]
fn a_new_connector_passes_check_and_registers_as_a_draft() {
    on_sqlite(|url, dir| {
        for (slug, auth) in [
            ("acme_forms", "api_key"),
            ("acme_login", "oauth2"),
            ("acme_open", "none"),
        ] {
            sentinel()
                .args([
                    "new",
                    slug,
                    "--auth",
                    auth,
                    "--docs",
                    "https://acme.example.com/docs",
                    "--dir",
                ])
                .arg(dir)
                .assert()
                .success()
                .stdout(predicate::str::contains(format!(
                    "created {}",
                    dir.join(slug).display()
                )));
        }
        sentinel().arg("check").arg(dir).assert().success();
        sync_cmd(dir, url).assert().success();
        assert_eq!(status(url, "acme_forms"), "draft");
        let folder = dir.join("acme_forms");
        let manifest = std::fs::read_to_string(folder.join("manifest.yaml")).unwrap();
        assert!(
            manifest.starts_with("# yaml-language-server: $schema="),
            "{manifest}"
        );
        assert!(manifest.contains("# kpis:") && manifest.contains("# utm_capabilities:"));
        assert!(std::fs::read_to_string(folder.join("README.md"))
            .unwrap()
            .contains("sentinel check"));
        // service.py imports, takes the schema's properties as keyword-only arguments, reads its
        // key from the environment, and is not written yet.
        let probe = "import inspect, service\n\
            for name in ('list_items', 'create_item'):\n\
            \x20   f = getattr(service, name)\n\
            \x20   kinds = {p.kind for p in inspect.signature(f).parameters.values()}\n\
            \x20   assert kinds == {inspect.Parameter.KEYWORD_ONLY}, (name, kinds)\n\
            try:\n    service.create_item(title='x')\nexcept RuntimeError as e:\n    print('no key:', e)\n";
        let out = std::process::Command::new(python())
            .args(["-c", probe])
            .current_dir(&folder)
            .env_remove("PROVIDER_ACME_FORMS_API_KEY")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("PROVIDER_ACME_FORMS_API_KEY is not set")
        );
        let out = std::process::Command::new(python())
            .args(["-c", "import service; service.list_items(limit=1)"])
            .current_dir(&folder)
            .env("PROVIDER_ACME_FORMS_API_KEY", "k")
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stderr).contains("NotImplementedError"));
    });
}

#[test]
fn an_existing_folder_and_a_bad_slug_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    std::fs::create_dir_all(dir.join("taken")).unwrap();
    std::fs::write(dir.join("taken/notes.txt"), "mine").unwrap();
    sentinel()
        .args(["new", "taken", "--dir"])
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[sentinel.exists]"))
        .stdout(predicate::str::contains("coding agent").not());
    assert_eq!(
        std::fs::read_to_string(dir.join("taken/notes.txt")).unwrap(),
        "mine"
    );
    sentinel()
        .args(["new", "Bad-Slug", "--dir"])
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "manifest.yaml:4:16: error[invalid-pattern]",
        ))
        .stderr(predicate::str::contains("nothing was written"));
    sentinel()
        .args(["new", "insecure", "--docs", "http://x.example.com", "--dir"])
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error[invalid-url]"));
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        ["taken"],
        "nothing else was written, no temporary folder left"
    );
}

#[test]
fn the_prompt_for_a_coding_agent_names_the_connector_its_folder_and_the_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    let out = sentinel()
        .args([
            "new",
            "acme_forms",
            "--name",
            "Acme Forms Pro",
            "--auth",
            "oauth2",
        ])
        .args(["--docs", "https://acme.example.com/docs/scopes", "--dir"])
        .arg(&dir)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let (_, prompt) = out
        .split_once("\nHand this to your coding agent:\n\n")
        .unwrap_or_else(|| panic!("no prompt heading in:\n{out}"));
    let full = std::fs::canonicalize(&dir).unwrap();
    let full = full.display();
    for needle in [
        "Build the God Config connector for Acme Forms Pro.".to_string(),
        "- Slug: acme_forms\n".into(),
        "- Auth method: oauth2, keys PROVIDER_ACME_FORMS_CLIENT_ID".into(),
        "- API documentation: https://acme.example.com/docs/scopes\n".into(),
        format!("- Folder: {full}/acme_forms "),
        format!("Follow {full}/AGENTS.md "),
        format!("the skill {full}/.agent/skills/build-connector/SKILL.md"),
        "the provider's real scope strings".into(),
        "`requires_firearm: true` on every dangerous scope".into(),
        format!("`sentinel check {full} --format json`"),
        format!("`sentinel sync {full}`"),
        "Never approve the connector".into(),
        "Never write or read a `.env` file".into(),
    ] {
        assert!(prompt.contains(&needle), "{needle:?} not in:\n{prompt}");
    }
    // The commands it gives pass on the folder as ordered.
    sentinel()
        .args(["check", "--format", "json"])
        .arg(&dir)
        .assert()
        .success();
}
