//! The firearm type registry from the CLI, after the scopes story gated scopes with types:
//! list with usage, add, edit, retire, restore, delete, and the typed refusals.

use crate::common::*;
use crate::{line, stdout};
use predicates::prelude::*;

pub fn story(url: &str) {
    let cli = |args: &[&str]| {
        let mut c = sentinel();
        c.args(args).args(["--db", url]);
        c
    };
    let out = stdout(&mut cli(&["firearms", "list"]));
    assert!(
        line(&out, "reads_personal_data").ends_with("medium    -        used by shopify (5)"),
        "{out}"
    );
    assert!(
        line(&out, "writes_data").contains("used by notion (4), shopify ("),
        "{out}"
    );
    assert!(line(&out, "moves_money").ends_with("unused"), "{out}");
    assert!(out.ends_with("7 firearm type(s), 0 retired\n"), "{out}");
    let ty = |slug: &str| {
        rows(
            url,
            &format!(
                "SELECT name, description, risk_level, CASE WHEN retired THEN 'retired' ELSE 'active' END \
                 FROM firearm_types WHERE slug = '{slug}'"
            ),
        )
    };
    cli(&[
        "firearms",
        "add",
        "ships_goods",
        "--name",
        "Ships goods",
        "--description",
        "Creates shipments that leave the warehouse",
        "--risk",
        "high",
    ])
    .assert()
    .success()
    .stdout("added firearm type ships_goods: Ships goods (high risk)\n");
    cli(&[
        "firearms",
        "add",
        "ships_goods",
        "--name",
        "x",
        "--description",
        "y",
        "--risk",
        "low",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains("error[firearms.exists]"));
    cli(&[
        "firearms",
        "add",
        "Bad-Slug",
        "--name",
        "x",
        "--description",
        "y",
        "--risk",
        "low",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains("error[firearms.invalid]"));
    cli(&[
        "firearms",
        "edit",
        "ships_goods",
        "--name",
        "Ships parcels",
        "--risk",
        "medium",
    ])
    .assert()
    .success()
    .stdout("updated firearm type ships_goods: Ships parcels (medium risk)\n");
    assert_eq!(
        ty("ships_goods"),
        [[
            "Ships parcels",
            "Creates shipments that leave the warehouse",
            "medium",
            "active"
        ]]
    );
    cli(&["firearms", "edit", "ships_good", "--risk", "low"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error[firearms.unknown_type]: no firearm type `ships_good` (did you mean `ships_goods`?)",
        ));
    cli(&["firearms", "edit", "ships_goods"]).assert().code(2);
    cli(&["firearms", "retire", "ships_goods"])
        .assert()
        .success();
    assert_eq!(ty("ships_goods")[0][3], "retired");
    let out = stdout(&mut cli(&["firearms", "list"]));
    assert!(
        line(&out, "ships_goods").contains("retired  unused"),
        "{out}"
    );
    cli(&["firearms", "restore", "ships_goods"])
        .assert()
        .success();
    assert_eq!(ty("ships_goods")[0][3], "active");
    cli(&["firearms", "delete", "reads_personal_data"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error[firearms.in_use]: firearm type `reads_personal_data` is still used by shopify (5 scope(s))",
        ));
    cli(&["firearms", "delete", "ships_goods", "--as", "ana"])
        .assert()
        .success()
        .stdout("deleted firearm type ships_goods\n");
    assert!(ty("ships_goods").is_empty());
    assert_eq!(
        rows(
            url,
            "SELECT action FROM audit_log WHERE action LIKE 'firearms.%' ORDER BY id"
        ),
        [
            "firearms.retired",
            "firearms.restored",
            "firearms.added",
            "firearms.updated",
            "firearms.retired",
            "firearms.restored",
            "firearms.deleted",
        ]
        .map(|a| vec![a.to_string()])
    );
    let out = stdout(&mut cli(&["firearms", "list", "--format", "json"]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let types = doc["firearm_types"].as_array().unwrap();
    assert_eq!(types.len(), 7);
    let rpd = types
        .iter()
        .find(|t| t["slug"] == "reads_personal_data")
        .unwrap();
    assert_eq!(
        rpd["usage"],
        serde_json::json!([{ "connector": "shopify", "scopes": 5 }])
    );
}
