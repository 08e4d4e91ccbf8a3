//! The build-connector skill (issue 20): every command it names runs, in order, on a scratch
//! folder, and leaves a connector registered as a draft; it never tells an agent to approve.

mod common;
use common::*;
use std::path::Path;

const SKILL: &str = "connectors/.agent/skills/build-connector/SKILL.md";

/// The lines of the skill's ```sh blocks, in order.
fn commands(skill: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in skill.lines() {
        match line.trim() {
            "```sh" => inside = true,
            "```" if inside => inside = false,
            l if inside && !l.is_empty() => out.push(l.to_string()),
            _ => {}
        }
    }
    out
}

#[test]
fn the_skill_is_an_agent_skill_with_a_worked_example_that_exists() {
    let text = std::fs::read_to_string(repo().join(SKILL)).unwrap();
    assert!(
        text.starts_with("---\nname: build-connector\ndescription: "),
        "frontmatter"
    );
    for must in [
        "PROVIDER_{SLUG}_{KEY}",
        "sentinel check --format json",
        "requires_firearm: true",
        "Never approve",
        "Never write a `.env`",
        "connectors/AGENTS.md",
    ] {
        assert!(text.contains(must), "the skill says {must}");
    }
    // The worked example points at a shipped connector and at functions it really has.
    let stripe = repo().join("connectors/stripe");
    let service = std::fs::read_to_string(stripe.join("service.py")).unwrap();
    for f in [
        "def _call(",
        "def retrieve_payment_intent(",
        "def create_refund(",
    ] {
        assert!(service.contains(f), "connectors/stripe/service.py has {f}");
    }
    let manifest = std::fs::read_to_string(stripe.join("manifest.yaml")).unwrap();
    assert!(manifest.contains("docs_url: https://docs.stripe.com/keys/permissions-reference"));
    assert!(text.contains("https://docs.stripe.com/keys/permissions-reference"));
}

#[test]
fn the_commands_it_names_run_in_order_and_leave_a_draft() {
    let text = std::fs::read_to_string(repo().join(SKILL)).unwrap();
    let cmds = commands(&text);
    let programs: Vec<&str> = (cmds.iter())
        .map(|c| c.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        cmds.iter().filter(|c| c.starts_with("sentinel")).count(),
        4,
        "new, check, sync, show: {cmds:?}"
    );
    assert!(
        programs.iter().all(|p| ["sentinel", "python3"].contains(p)),
        "{cmds:?}"
    );
    assert!(!cmds.iter().any(|c| c.contains("approve")), "{cmds:?}");

    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    let db = root.join("registry.db");
    let bin = assert_cmd::cargo::cargo_bin("sentinel");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for cmd in &cmds {
        let line = cmd
            .replace("<slug>", "acme_forms")
            .replace("<Name>", "Acme Forms")
            .replace("<method>", "api_key")
            .replace("<url>", "https://acme.example.com/docs/scopes");
        let out = std::process::Command::new("bash")
            .args(["-c", &line])
            .current_dir(root)
            .env("PATH", &path)
            .env("GODCONFIG_DATABASE_URL", &db)
            .env("HOME", root)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "`{line}` failed:\n{said}");
        if line.contains("--format json") {
            let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(report["invalid"], 0, "{report:#}");
            assert_eq!(report["diagnostics"], serde_json::json!([]), "{report:#}");
        }
    }
    assert!(Path::new(&root.join("connectors/acme_forms/service.py")).exists());
    assert!(!root.join("connectors/acme_forms/.env").exists());
    assert_eq!(status(db.to_str().unwrap(), "acme_forms"), "draft");
}
