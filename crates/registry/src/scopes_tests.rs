use super::*;
use crate::firearms::*;

fn row(connector: &str, name: &str, declared: bool) -> ScopeRow {
    ScopeRow {
        connector: connector.into(),
        connector_status: Status::Draft,
        name: name.into(),
        description: None,
        declared_gated: declared,
        gating_override: None,
        effective_gated: declared,
        firearm_type: None,
        reason: None,
        changed_by: None,
        changed_at: None,
        version: 0,
        suggestion_dismissed: false,
        suggestion: None,
    }
}

fn types() -> Vec<EntryState<'static>> {
    vec![
        EntryState {
            slug: "moves_money",
            retired: false,
        },
        EntryState {
            slug: "old_type",
            retired: true,
        },
    ]
}

fn change(op: GatingOp, rows: &[&ScopeRow], reason: Option<&str>) -> GatingChange {
    GatingChange {
        op,
        scopes: rows
            .iter()
            .map(|r| ScopeRef {
                connector: r.connector.clone(),
                scope: r.name.clone(),
                version: r.version,
            })
            .collect(),
        reason: reason.map(str::to_string),
    }
}

fn run<'a>(c: &GatingChange, rows: &[&'a ScopeRow]) -> Result<Vec<Planned<'a>>> {
    let current: Vec<Option<&ScopeRow>> = rows.iter().map(|r| Some(*r)).collect();
    plan(c, &current, &types(), |_| vec!["write_orders".into()])
}

#[test]
fn suggestions_match_the_dangerous_words() {
    assert_eq!(suggest("write_orders").unwrap().firearm_type, "writes_data");
    assert_eq!(suggest("Payments.Create").unwrap().keyword, "payment");
    assert_eq!(
        suggest("refunds:write").unwrap().firearm_type,
        "moves_money"
    );
    assert_eq!(
        suggest("https://www.googleapis.com/auth/gmail.send")
            .unwrap()
            .keyword,
        "send"
    );
    assert_eq!(suggest("admin.users").unwrap().keyword, "admin");
    assert_eq!(suggest("manage_pages").unwrap().keyword, "manage");
    assert_eq!(suggest("delete_repo").unwrap().keyword, "delete");
    assert_eq!(suggest("read_orders"), None);
    assert_eq!(suggest("readwrite").unwrap().keyword, "write");
    assert_eq!(
        suggest("https://www.googleapis.com/auth/tagmanager.readonly"),
        None,
        "a word that only contains a keyword is not a match"
    );
}

#[test]
fn a_suggestion_is_open_until_gated_or_dismissed() {
    let mut r = row("shop", "write_orders", false);
    assert!(r.suggestion().is_some());
    r.suggestion_dismissed = true;
    assert!(r.suggestion().is_none());
    let g = row("shop", "write_orders", true);
    assert!(g.suggestion().is_none());
}

#[test]
fn filters_combine_connector_state_and_text() {
    let mut typed = row("shop", "write_orders", true);
    typed.firearm_type = Some("writes_data".into());
    let untyped = row("shop", "delete_orders", true);
    let mut overridden = row("mail", "send_email", false);
    overridden.gating_override = Some(true);
    overridden.effective_gated = true;
    let plain = row("mail", "read_email", false);
    let all = [&typed, &untyped, &overridden, &plain];
    let keep = |f: ScopeFilter| -> Vec<&str> {
        all.iter()
            .filter(|r| f.keeps(r))
            .map(|r| r.name.as_str())
            .collect()
    };
    let by = |g| ScopeFilter {
        gating: Some(g),
        ..Default::default()
    };
    assert_eq!(
        keep(by(GatingFilter::Gated)),
        ["write_orders", "delete_orders", "send_email"]
    );
    assert_eq!(keep(by(GatingFilter::Ungated)), ["read_email"]);
    assert_eq!(
        keep(by(GatingFilter::MissingType)),
        ["delete_orders", "send_email"]
    );
    assert_eq!(keep(by(GatingFilter::Overridden)), ["send_email"]);
    assert!(keep(by(GatingFilter::Suggested)).is_empty());
    assert_eq!(
        keep(ScopeFilter {
            connector: Some("shop".into()),
            text: Some("  WRITES_".into()),
            ..Default::default()
        }),
        ["write_orders"]
    );
}

#[test]
fn gate_sets_the_override_and_keeps_or_sets_the_type() {
    let r = row("shop", "write_orders", false);
    let p = run(
        &change(
            GatingOp::Gate {
                firearm_type: Some("moves_money".into()),
            },
            &[&r],
            None,
        ),
        &[&r],
    )
    .unwrap();
    assert_eq!(p[0].after.gating_override, Some(true));
    assert_eq!(p[0].after.firearm_type.as_deref(), Some("moves_money"));
    assert!(p[0].changes_risk());
}

#[test]
fn ungating_a_declared_gated_scope_needs_a_reason() {
    let mut r = row("shop", "refunds", true);
    r.firearm_type = Some("moves_money".into());
    let err = run(&change(GatingOp::Ungate, &[&r], Some("  ")), &[&r]).unwrap_err();
    assert_eq!(err.code(), "scopes.reason_required");
    let p = run(
        &change(GatingOp::Ungate, &[&r], Some("read-only in practice")),
        &[&r],
    )
    .unwrap();
    assert_eq!(p[0].after.gating_override, Some(false));
    assert_eq!(
        p[0].after.firearm_type, None,
        "an ungated scope has no type"
    );
    // Not declared gated: no reason needed.
    let plain = row("shop", "write_orders", false);
    assert!(run(&change(GatingOp::Ungate, &[&plain], None), &[&plain]).is_ok());
}

#[test]
fn types_must_exist_and_not_be_retired() {
    let r = row("shop", "refunds", true);
    let set = |t: &str| {
        change(
            GatingOp::SetType {
                firearm_type: Some(t.into()),
            },
            &[&r],
            None,
        )
    };
    let err = run(&set("moves_mony"), &[&r]).unwrap_err();
    assert_eq!(err.code(), "firearms.unknown_type");
    assert!(
        err.to_string().contains("did you mean `moves_money`"),
        "{err}"
    );
    assert_eq!(
        run(&set("old_type"), &[&r]).unwrap_err().code(),
        "firearms.retired"
    );
    let plain = row("shop", "read_orders", false);
    let err = run(
        &change(
            GatingOp::SetType {
                firearm_type: Some("moves_money".into()),
            },
            &[&plain],
            None,
        ),
        &[&plain],
    )
    .unwrap_err();
    assert_eq!(err.code(), "scopes.not_gated");
}

#[test]
fn unknown_scopes_stale_versions_and_empty_batches_are_refused() {
    let r = row("shop", "write_order", false);
    let c = change(GatingOp::Gate { firearm_type: None }, &[&r], None);
    let err = plan(&c, &[None], &types(), |_| vec!["write_orders".into()]).unwrap_err();
    assert_eq!(err.code(), "scopes.unknown_scope");
    assert!(
        err.to_string().contains("did you mean `write_orders`"),
        "{err}"
    );

    let mut newer = r.clone();
    newer.version = 3;
    let err = run(&c, &[&newer]).unwrap_err();
    assert_eq!(err.code(), "registry.conflict");
    assert!(err.to_string().contains("shop/write_order"), "{err}");

    let empty = GatingChange {
        op: GatingOp::Dismiss,
        scopes: vec![],
        reason: None,
    };
    assert_eq!(
        run(&empty, &[]).unwrap_err().code(),
        "scopes.empty_selection"
    );
}

#[test]
fn dismissing_or_retyping_an_ungated_scope_does_not_change_risk() {
    let r = row("shop", "write_orders", false);
    let p = run(&change(GatingOp::Dismiss, &[&r], None), &[&r]).unwrap();
    assert!(p[0].after.dismissed && !p[0].changes_risk());
    let mut typed = row("shop", "refunds", true);
    typed.firearm_type = Some("a".into());
    let p = run(
        &change(
            GatingOp::SetType {
                firearm_type: Some("moves_money".into()),
            },
            &[&typed],
            None,
        ),
        &[&typed],
    )
    .unwrap();
    assert!(
        p[0].changes_risk(),
        "a new type on a gated scope is a risk change"
    );
}

#[test]
fn only_approved_connectors_whose_risk_changes_go_back_and_regating_is_listed_once() {
    let mut approved = row("shop", "refunds", false);
    approved.connector_status = Status::Approved;
    let mut other = row("shop", "orders", false);
    other.connector_status = Status::Approved;
    let draft = row("mail", "send", false);
    let gate = GatingOp::Gate {
        firearm_type: Some("moves_money".into()),
    };
    let rows = [&approved, &other, &draft];
    let p = run(&change(gate, &rows, None), &rows).unwrap();
    assert_eq!(sent_back(&p), ["shop", "shop"], "deduplicated when written");
    assert_eq!(regated(&p), ["mail", "shop"]);
    let dismiss = run(&change(GatingOp::Dismiss, &[&approved], None), &[&approved]).unwrap();
    assert!(sent_back(&dismiss).is_empty() && regated(&dismiss).is_empty());
    let blank = change(GatingOp::Dismiss, &[], Some("  "));
    assert_eq!(blank.reason(), None);
    assert_eq!(
        change(GatingOp::Dismiss, &[], Some(" why ")).reason(),
        Some("why")
    );
}

#[test]
fn type_fields_are_checked() {
    assert!(check_type_slug("moves_money").is_ok());
    for bad in ["", "M", "9lives", "has space", "dash-ed"] {
        assert_eq!(check_type_slug(bad).unwrap_err().code(), "firearms.invalid");
    }
    let f = check_type_fields(&FirearmTypeFields {
        name: "  Exports data ".into(),
        description: "Bulk exports".into(),
        risk_level: RiskLevel::High,
    })
    .unwrap();
    assert_eq!(f.name, "Exports data");
    assert!(check_type_fields(&FirearmTypeFields {
        name: " ".into(),
        description: "x".into(),
        risk_level: RiskLevel::Low,
    })
    .is_err());
}
