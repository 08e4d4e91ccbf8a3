//! In team mode the database holds an approval's rules whoever writes (issue 18). Each attack
//! is plain SQL, as psql would send it, by the role best placed to try it: every one is refused,
//! or leaves the connector back in draft with an audit entry. The same rules let the real CLI
//! work: a documentation change keeps an approval, a code change ends it.

mod common;
use common::team::*;
use common::*;
use predicates::prelude::*;

fn approve(url: &str, slug: &str) {
    sentinel()
        .args(["approve", slug, "--yes", "--db", url])
        .assert()
        .success();
}

/// The connector is back in draft, sent there by the database (not by the app).
fn sent_back(owner: &str, slug: &str, why: &str) {
    assert_eq!(status(owner, slug), "draft");
    let reason = one(
        owner,
        &format!(
            "SELECT detail ->> 'reason' FROM audit_log WHERE action = 'registry.back_to_draft' \
             AND provider_slug = '{slug}' AND detail ->> 'enforced_by' = 'database' ORDER BY seq DESC LIMIT 1"
        ),
    );
    assert!(reason.contains(why), "{reason}");
}

fn scalar(url: &str, sql: &str) -> String {
    one(url, sql)
}

const SLACK_APPROVE_SQL: &str =
    "UPDATE connector_providers SET status = 'approved', is_approved = TRUE WHERE slug = 'slack'";

#[test]
fn the_database_holds_the_approval_rules() {
    let db = PgDb::new();
    let owner = db.url.as_str();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    copy_connectors(&dir, &["notion", "slack"]);
    std::fs::write(dir.join("notion/README.md"), "# Notion\n").unwrap();
    sync_cmd(&dir, owner).assert().success();
    sentinel()
        .args(["db", "init-roles", "--db", owner])
        .assert()
        .success();
    let (_people, urls) = People::new(
        &db,
        &[
            ("rci", &["sentinel"]),
            ("radm", &["admin"]),
            ("rop", &["operator"]),
            ("rlead", &["admin", "operator"]),
            ("rdev", &["developer"]),
        ],
    );
    let [ci, adm, op, lead, dev] = [0, 1, 2, 3, 4].map(|i| urls[i].as_str());
    // The admin settles notion's gate; an operator approves it.
    make_ready(adm, "notion");
    approve(op, "notion");
    let approved_at = || {
        scalar(
            owner,
            "SELECT approved_at::text FROM connector_approvals WHERE provider_slug = 'notion'",
        )
    };
    let at = approved_at();

    // An approval is never a plain UPDATE, nor a record made up for the occasion.
    let m = refused(op, SLACK_APPROVE_SQL);
    assert!(m.contains("needs its approval record"), "{m}");
    let slack = |col: &str| {
        scalar(
            owner,
            &format!("SELECT {col} FROM connector_providers WHERE slug = 'slack'"),
        )
    };
    let forged = format!(
        "INSERT INTO connector_approvals (provider_slug, approved_by, approved_at, manifest_hash, \
         manifest_snapshot, fingerprint) VALUES ('slack', 'x', '2000-01-01', '{}', '{{}}', 'forged'); {SLACK_APPROVE_SQL}",
        slack("manifest_hash")
    );
    let m = refused(op, &forged);
    assert!(
        m.contains("must be for its registered manifest and files"),
        "{m}"
    );
    assert_eq!(status(owner, "slack"), "draft");

    // An approval in force is not rewritten: not its time, not its snapshot, not deleted.
    for sql in [
        "UPDATE connector_approvals SET approved_at = now() + interval '1 year' WHERE provider_slug = 'notion'",
        "UPDATE connector_approvals SET manifest_snapshot = '{}' WHERE provider_slug = 'notion'",
        "DELETE FROM connector_approvals WHERE provider_slug = 'notion'",
    ] {
        refused(op, sql);
    }
    assert_eq!(approved_at(), at);
    assert_eq!(status(owner, "notion"), "approved");

    // The sentinel's login changes what notion can do: back to draft, inside the database.
    let risky: [(&str, &str, &str); 4] = [
        (
            "INSERT INTO connector_scopes (provider_slug, name, position, requires_firearm) \
             VALUES ('notion', 'admin_everything', 99, FALSE)",
            "DELETE FROM connector_scopes WHERE name = 'admin_everything'",
            "scope added or requires_firearm flipped: admin_everything",
        ),
        (
            "UPDATE connector_scopes SET requires_firearm = NOT requires_firearm \
             WHERE provider_slug = 'notion' AND name = 'update_content'",
            "UPDATE connector_scopes SET requires_firearm = NOT requires_firearm \
             WHERE provider_slug = 'notion' AND name = 'update_content'",
            "requires_firearm flipped: update_content",
        ),
        (
            "INSERT INTO connector_operations (provider_slug, name, position, scope_name) \
             VALUES ('notion', 'drop_workspace', 99, 'update_content')",
            "DELETE FROM connector_operations WHERE name = 'drop_workspace'",
            "operation added or moved to another scope: drop_workspace",
        ),
        (
            "UPDATE connector_providers SET fingerprint = 'f00' WHERE slug = 'notion'",
            "",
            "its code changed since it was approved",
        ),
    ];
    for (attack, undo, why) in risky {
        try_sql(ci, attack).unwrap_or_else(|e| panic!("{attack}: {e:?}"));
        sent_back(owner, "notion", why);
        if undo.is_empty() {
            sync_cmd(&dir, ci).assert().success();
        } else {
            exec(ci, undo);
        }
        approve(op, "notion");
    }
    // Files made up to look like the approved ones do not hash to the fingerprint they claim.
    let fp = scalar(
        owner,
        "SELECT fingerprint FROM connector_providers WHERE slug = 'notion'",
    );
    try_sql(
        ci,
        &format!(
            "INSERT INTO fingerprint_files (fingerprint, path, file_hash) \
             SELECT 'made_up', path, file_hash FROM fingerprint_files WHERE fingerprint = '{fp}'; \
             UPDATE connector_providers SET fingerprint = 'made_up' WHERE slug = 'notion'"
        ),
    )
    .unwrap();
    sent_back(owner, "notion", "its code changed since it was approved");
    sync_cmd(&dir, ci).assert().success();
    approve(op, "notion");
    // Nor can the approval be moved to other code, or a file stored under a false hash.
    let m = refused(
        ci,
        "UPDATE connector_approvals SET fingerprint = 'f00' WHERE provider_slug = 'notion'",
    );
    assert!(m.contains("cannot move to files whose code differs"), "{m}");
    refused(
        ci,
        "INSERT INTO file_blobs (hash, size, content) VALUES (repeat('0', 64), 4, 'evil')",
    );

    // Through the real CLI: a documentation change keeps the approval (moved to the new
    // files, still the operator's); a code change ends it.
    let approver = login_name(op);
    std::fs::write(dir.join("notion/README.md"), "# Notion\n\nMore.\n").unwrap();
    sync_cmd(&dir, ci).assert().success();
    assert_eq!(status(owner, "notion"), "approved");
    assert_eq!(
        scalar(
            owner,
            "SELECT approved_by FROM connector_approvals WHERE provider_slug = 'notion'"
        ),
        approver
    );
    edit(
        &dir.join("notion/service.py"),
        "import json",
        "import json  # changed",
    );
    sync_cmd(&dir, ci).assert().success();
    assert_eq!(status(owner, "notion"), "draft");
    approve(op, "notion");

    four_eyes(owner, [adm, op, lead]);

    // Everyone's audit entries carry the server's time; nobody edits or deletes them.
    try_sql(
        dev,
        "INSERT INTO audit_log (at, actor, action) VALUES ('2000-01-01', 'x', 'test.backdated')",
    )
    .unwrap();
    assert_eq!(
        scalar(
            owner,
            "SELECT (at > now() - interval '1 hour')::text FROM audit_log WHERE action = 'test.backdated'"
        ),
        "true"
    );
    for who in [dev, op, adm, ci, owner] {
        let e = try_sql(who, "UPDATE audit_log SET actor = 'x'").unwrap_err();
        assert_eq!(e.0, "42501", "{e:?}");
        let e = try_sql(who, "DELETE FROM audit_log").unwrap_err();
        assert_eq!(e.0, "42501", "{e:?}");
    }
    sentinel()
        .args(["audit", "verify", "--db", dev])
        .assert()
        .success();
}

/// Four-eyes over every gating and mapping change since the last approval, kept in an
/// append-only log with the server's time, that no session-made object can stand in for.
fn four_eyes(owner: &str, [adm, op, lead]: [&str; 3]) {
    sentinel()
        .args(["revoke", "notion", "--reason", "four-eyes", "--db", op])
        .assert()
        .success();
    // The lead changes notion's gating and tries to hide it: the time and name are the
    // server's, and the log keeps the change whatever happens to the row.
    exec(lead, "UPDATE scope_gating SET firearm_type = 'deletes_data' WHERE provider_slug = 'notion' AND scope_name = 'update_content'");
    exec(
        lead,
        "UPDATE scope_gating SET changed_at = '2000-01-01', changed_by = 'someone' WHERE provider_slug = 'notion'",
    );
    assert_eq!(
        scalar(
            owner,
            "SELECT DISTINCT (changed_at > now() - interval '1 hour')::text || ' ' || changed_by \
             FROM scope_gating WHERE provider_slug = 'notion' AND scope_name = 'update_content'"
        ),
        format!("true {}", login_name(lead))
    );
    for sql in [
        "DELETE FROM review_log",
        "UPDATE review_log SET changed_by = 'someone'",
    ] {
        refused(lead, sql);
        refused(owner, sql);
    }
    // Someone else makes a later change: the lead's is still there to be seen.
    exec(
        adm,
        "UPDATE kpi_mappings SET reason = 'still not tracked' WHERE provider_slug = 'notion'",
    );
    sentinel()
        .args(["approve", "notion", "--yes", "--db", lead])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[review.four_eyes]"));
    // Shadowing the policy and the log with temporary tables changes nothing.
    let shadowed = "CREATE TEMP TABLE team_policy AS SELECT 1 AS id, FALSE AS four_eyes; \
        CREATE TEMP TABLE review_log (id BIGINT, provider_slug TEXT, kind TEXT, item TEXT, changed_by TEXT, changed_at TIMESTAMPTZ); \
        CREATE TEMP TABLE connector_approvals AS SELECT * FROM public.connector_approvals; \
        SET search_path = pg_temp, public; \
        INSERT INTO public.connector_approvals (provider_slug, approved_by, approved_at, manifest_hash, manifest_snapshot, fingerprint) \
            SELECT slug, 'x', now(), manifest_hash, '{}', fingerprint FROM public.connector_providers WHERE slug = 'notion' \
            ON CONFLICT (provider_slug) DO UPDATE SET approved_at = excluded.approved_at, manifest_hash = excluded.manifest_hash, fingerprint = excluded.fingerprint; \
        UPDATE public.connector_providers SET status = 'approved', is_approved = TRUE WHERE slug = 'notion'";
    let e = try_sql(lead, shadowed).unwrap_err();
    assert_eq!(e.0, "GC4EY", "{e:?}");
    assert_eq!(status(owner, "notion"), "draft");
    approve(op, "notion");

    // A policy change is audited by the database, whoever makes it and however.
    exec(
        adm,
        "UPDATE team_policy SET approval_expiry_days = 90, version = version + 1",
    );
    assert_eq!(
        scalar(
            owner,
            "SELECT actor || ' ' || (after_json ->> 'approval_expiry_days') FROM audit_log \
             WHERE action = 'team.policy_changed' ORDER BY seq DESC LIMIT 1"
        ),
        format!("{} 90", login_name(adm))
    );
}
