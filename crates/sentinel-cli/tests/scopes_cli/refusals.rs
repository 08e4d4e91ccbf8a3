//! The scope manager's refusals from the CLI: each is typed, names what to do, and changes
//! neither the gating nor the audit log.

use crate::common::*;
use crate::gating;
use predicates::prelude::*;

pub fn story(url: &str) {
    let cli = |args: &[&str]| {
        let mut c = sentinel();
        c.args(args).args(["--db", url]);
        c
    };
    let snapshot = (gating(url, "shopify"), audit_count(url, "1 = 1"));
    let refused = |args: &[&str], code: &str, text: &str| {
        cli(args).arg("--yes").assert().code(2).stderr(
            predicate::str::contains(format!("error[{code}]"))
                .and(predicate::str::contains(text))
                .and(predicate::str::contains("hint: ")),
        );
        assert_eq!(
            (gating(url, "shopify"), audit_count(url, "1 = 1")),
            snapshot
        );
    };
    refused(
        &[
            "scopes",
            "set-type",
            "--connector",
            "shopify",
            "read_inventory",
            "--type",
            "writes_data",
        ],
        "scopes.not_gated",
        "`shopify/read_inventory` is not gated",
    );
    refused(
        &[
            "scopes",
            "gate",
            "--connector",
            "shopify",
            "read_inventory",
            "read_order",
        ],
        "scopes.unknown_scope",
        "no scope `read_order` in connector `shopify` (did you mean `read_orders`?)",
    );
    refused(
        &[
            "scopes",
            "gate",
            "--connector",
            "shopify",
            "read_inventory",
            "--type",
            "moves_mony",
        ],
        "firearms.unknown_type",
        "(did you mean `moves_money`?)",
    );
    refused(
        &[
            "scopes",
            "ungate",
            "--connector",
            "shopify",
            "write_products",
            "read_orders",
        ],
        "scopes.reason_required",
        "a reason is required to ungate `shopify/write_products`",
    );
    cli(&["firearms", "retire", "sends_messages", "--as", "ana"])
        .assert()
        .success()
        .stdout("retired firearm type sends_messages: it stays on 0 scope(s) but cannot be given to more\n");
    let snapshot = (gating(url, "shopify"), audit_count(url, "1 = 1"));
    let refused = |args: &[&str], code: &str, text: &str| {
        cli(args).arg("--yes").assert().code(2).stderr(
            predicate::str::contains(format!("error[{code}]")).and(predicate::str::contains(text)),
        );
        assert_eq!(
            (gating(url, "shopify"), audit_count(url, "1 = 1")),
            snapshot
        );
    };
    refused(
        &[
            "scopes",
            "gate",
            "--connector",
            "shopify",
            "read_inventory",
            "--type",
            "sends_messages",
        ],
        "firearms.retired",
        "`sends_messages` is retired",
    );
    cli(&["firearms", "restore", "sends_messages"])
        .assert()
        .success()
        .stdout("restored firearm type sends_messages\n");
}
