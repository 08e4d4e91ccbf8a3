//! The scope manager's domain rules on a real SQLite file and a real PostgreSQL server: batches
//! with one audit entry, compare-and-set, overrides surviving re-sync, type retirement, and an
//! approved connector going back to review when its gating changes.

use godconfig_registry::{
    ApproveRequest, DbTarget, FirearmOp, FirearmTypeFields, GatingChange, GatingOp, Registry,
    RiskLevel, ScopeRef, ScopeRow, Status,
};
use godconfig_testkit::*;

fn refs(rows: &[ScopeRow], names: &[&str]) -> Vec<ScopeRef> {
    names
        .iter()
        .map(|n| {
            let r = rows.iter().find(|r| r.name == *n).expect(n);
            ScopeRef {
                connector: r.connector.clone(),
                scope: r.name.clone(),
                version: r.version,
            }
        })
        .collect()
}

fn change(op: GatingOp, scopes: Vec<ScopeRef>, reason: Option<&str>) -> GatingChange {
    GatingChange {
        op,
        scopes,
        reason: reason.map(str::to_string),
    }
}

fn typed(t: &str) -> Option<String> {
    Some(t.to_string())
}

async fn story(url: &str, dir: &std::path::Path) {
    let target = DbTarget::parse(url).unwrap();
    let reg = Registry::open(&target).await.unwrap();
    let rows = reg.scopes(Some("notion")).await.unwrap();
    assert_eq!(rows.len(), 7);
    let insert = rows.iter().find(|r| r.name == "insert_content").unwrap();
    assert!(!insert.declared_gated && !insert.effective_gated && insert.version == 0);
    assert!(reg.scopes(None).await.unwrap().len() > rows.len());
    assert_eq!(
        reg.scopes(Some("notio")).await.unwrap_err().code(),
        "review.not_found"
    );

    // A batch: one audit entry, who and when on every row, versions bumped.
    let out = reg
        .change_gating(
            &change(
                GatingOp::Gate {
                    firearm_type: typed("writes_data"),
                },
                refs(
                    &rows,
                    &["insert_content", "update_content", "insert_comments"],
                ),
                None,
            ),
            "ana",
        )
        .await
        .unwrap();
    assert_eq!((out.changed, out.unchanged), (3, 0));
    assert_eq!(out.regated, ["notion"], "insert_content became gated");
    assert_eq!(audit_actions(url, "scopes.gated"), 1);
    let after = reg.scopes(Some("notion")).await.unwrap();
    let insert = after.iter().find(|r| r.name == "insert_content").unwrap();
    assert_eq!(insert.gating_override, Some(true));
    assert!(insert.effective_gated && insert.disagrees());
    assert_eq!(insert.firearm_type.as_deref(), Some("writes_data"));
    assert_eq!(insert.changed_by.as_deref(), Some("ana"));
    assert!(insert.changed_at.is_some());
    assert_eq!(insert.version, 1);

    // A stale version (another admin got there first): refused, nothing written.
    let err = reg
        .change_gating(
            &change(GatingOp::Ungate, refs(&rows, &["insert_content"]), None),
            "bob",
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "registry.conflict");
    assert!(err.to_string().contains("notion/insert_content"), "{err}");
    assert_eq!(audit_actions(url, "scopes.ungated"), 0);

    // Bad input changes nothing.
    let bad = [
        (
            GatingOp::SetType {
                firearm_type: typed("no_such_type"),
            },
            &["read_content"][..],
            "firearms.unknown_type",
        ),
        (
            GatingOp::SetType {
                firearm_type: typed("moves_money"),
            },
            &["read_content"][..],
            "scopes.not_gated",
        ),
        (
            GatingOp::Ungate,
            &["update_content"][..],
            "scopes.reason_required",
        ),
    ];
    for (op, names, code) in bad {
        let e = reg
            .change_gating(&change(op, refs(&after, names), Some(" ")), "bob")
            .await
            .unwrap_err();
        assert_eq!(e.code(), code);
    }
    assert_eq!(reg.scopes(Some("notion")).await.unwrap(), after);

    // Overrides survive a re-sync of a changed manifest.
    edit(
        &dir.join("notion/manifest.yaml"),
        "Search pages shared",
        "Search the pages shared",
    );
    register(dir, url);
    let resynced = reg.scopes(Some("notion")).await.unwrap();
    assert_eq!(
        resynced, after,
        "the sentinel never touches operator gating"
    );

    // Retired types stay on their scopes but cannot be given to more; used ones cannot go.
    let types = reg.firearm_types().await.unwrap();
    let writes = types.iter().find(|t| t.slug == "writes_data").unwrap();
    assert_eq!(writes.usage[0].connector, "notion");
    assert_eq!(writes.usage[0].scopes, 3);
    let retired = reg
        .change_firearm_type(
            &FirearmOp::Retire {
                slug: "writes_data".into(),
                version: writes.version,
            },
            "ana",
        )
        .await
        .unwrap()
        .unwrap();
    assert!(retired.retired);
    let e = reg
        .change_firearm_type(
            &FirearmOp::Delete {
                slug: "writes_data".into(),
                version: retired.version,
            },
            "ana",
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "firearms.in_use");
    assert!(e.to_string().contains("notion (3 scope(s))"), "{e}");
    let e = reg
        .change_gating(
            &change(
                GatingOp::SetType {
                    firearm_type: typed("writes_data"),
                },
                refs(&resynced, &["read_user_with_email"]),
                None,
            ),
            "ana",
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "firearms.retired");
    let fields = FirearmTypeFields {
        name: "Exports data".into(),
        description: "Bulk exports of records".into(),
        risk_level: RiskLevel::High,
    };
    let added = reg
        .change_firearm_type(
            &FirearmOp::Add {
                slug: "exports_data".into(),
                fields: fields.clone(),
            },
            "ana",
        )
        .await
        .unwrap()
        .unwrap();
    let e = reg
        .change_firearm_type(
            &FirearmOp::Add {
                slug: "exports_data".into(),
                fields,
            },
            "ana",
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "firearms.exists");
    assert!(reg
        .change_firearm_type(
            &FirearmOp::Delete {
                slug: "exports_data".into(),
                version: added.version,
            },
            "ana"
        )
        .await
        .unwrap()
        .is_none());

    // Type the last gated scope, map the metrics, approve: the gate passes.
    reg.change_gating(
        &change(
            GatingOp::SetType {
                firearm_type: typed("reads_personal_data"),
            },
            refs(&resynced, &["read_user_with_email"]),
            None,
        ),
        "ana",
    )
    .await
    .unwrap();
    exec(url, "INSERT INTO kpi_mappings (provider_slug, metric_raw, not_a_kpi, reason) \
         SELECT provider_slug, raw, TRUE, 'test' FROM platform_metrics WHERE provider_slug = 'notion'");
    assert!(reg.gate("notion").await.unwrap().passes());
    reg.approve(
        &[ApproveRequest {
            slug: "notion".into(),
            ..Default::default()
        }],
        "olga",
    )
    .await
    .unwrap();

    // Dismissing a suggestion changes no risk: still approved.
    let now = reg.scopes(Some("notion")).await.unwrap();
    let out = reg
        .change_gating(
            &change(GatingOp::Dismiss, refs(&now, &["read_content"]), None),
            "ana",
        )
        .await
        .unwrap();
    assert!(out.sent_back.is_empty());
    assert_eq!(reg.gate("notion").await.unwrap().status, Status::Approved);

    // Ungating with a reason sends it back to review, with the reason in the audit log.
    let now = reg.scopes(Some("notion")).await.unwrap();
    let out = reg
        .change_gating(
            &change(
                GatingOp::Ungate,
                refs(&now, &["insert_comments"]),
                Some("comments are reviewed by the customer first"),
            ),
            "ana",
        )
        .await
        .unwrap();
    assert_eq!(out.sent_back, ["notion"]);
    assert_eq!(reg.gate("notion").await.unwrap().status, Status::Draft);
    assert_eq!(audit_actions(url, "scopes.back_to_draft"), 1);
    let detail = one(
        url,
        "SELECT CAST(detail AS TEXT) FROM audit_log WHERE action = 'scopes.ungated'",
    );
    assert!(
        detail.contains("comments are reviewed by the customer first"),
        "{detail}"
    );

    // A gated scope without a type blocks approval again.
    let now = reg.scopes(Some("notion")).await.unwrap();
    reg.change_gating(
        &change(
            GatingOp::Gate { firearm_type: None },
            refs(&now, &["read_comments"]),
            None,
        ),
        "ana",
    )
    .await
    .unwrap();
    let gate = reg.gate("notion").await.unwrap();
    assert_eq!(gate.missing.len(), 1, "{:?}", gate.missing);
    reg.close().await;
}

fn run_story(url: &str, dir: &std::path::Path) {
    copy_connectors(dir, &["notion", "slack"]);
    register(dir, url);
    block_on_story(story(url, dir));
}

#[test]
fn scope_manager_story_on_sqlite() {
    on_sqlite(run_story);
}

#[test]
fn scope_manager_story_on_postgres() {
    on_postgres(run_story);
}
