//! In team mode the database holds the gateway's rules (issue 19) whoever writes: only admins
//! set tool policies; a call that asks is stamped with the server's time and login, answered
//! once, by an operator or an admin, before its deadline; its arguments leave with the answer.

mod common;
use common::team::*;
use common::*;

#[test]
fn the_database_holds_the_gateway_rules() {
    let db = PgDb::new();
    let owner = db.url.as_str();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("connectors");
    let from = repo().join("crates/sentinel-cli/tests/fixtures/gateway/gwtest");
    std::fs::create_dir_all(dir.join("gwtest")).unwrap();
    for f in ["manifest.yaml", "service.py"] {
        std::fs::copy(from.join(f), dir.join("gwtest").join(f)).unwrap();
    }
    sync_cmd(&dir, owner).assert().success();
    sentinel()
        .args(["db", "init-roles", "--db", owner])
        .assert()
        .success();
    let (people, urls) = People::new(
        &db,
        &[
            ("gadm", &["admin"]),
            ("gop", &["operator"]),
            ("gdev", &["developer"]),
            ("gci", &["sentinel"]),
        ],
    );
    let [adm, op, dev, ci] = [&urls[0], &urls[1], &urls[2], &urls[3]];
    let [adm_name, op_name, dev_name, _] = [
        &people.names[0],
        &people.names[1],
        &people.names[2],
        &people.names[3],
    ];

    // Tool policies: admins only, stamped with the login whatever `--as` says.
    refused(
        dev,
        "INSERT INTO tool_policies VALUES ('gwtest', 'send', 'allow', 'x', now())",
    );
    sentinel()
        .args([
            "mcp",
            "policy",
            "gwtest",
            "send",
            "block",
            "--as",
            "someone-else",
            "--db",
            adm,
        ])
        .assert()
        .success();
    assert_eq!(
        one(
            owner,
            "SELECT changed_by FROM tool_policies WHERE operation = 'send'"
        ),
        *adm_name
    );
    // Audited once, by the database; a change in plain SQL too.
    assert_eq!(audit_actions(owner, "mcp.policy_changed"), 1);
    try_sql(
        adm,
        "UPDATE tool_policies SET policy = 'allow' WHERE operation = 'send'",
    )
    .unwrap();
    assert_eq!(audit_actions(owner, "mcp.policy_changed"), 2);
    assert_eq!(
        one(
            owner,
            "SELECT actor || ' ' || (detail ->> 'enforced_by') || ' ' || (after_json ->> 'policy') \
             FROM audit_log WHERE action = 'mcp.policy_changed' ORDER BY id DESC LIMIT 1"
        ),
        format!("{adm_name} database allow")
    );

    // A call that asks, opened by any login: the server's name and time, a deadline within a day.
    try_sql(
        dev,
        "INSERT INTO pending_calls (provider_slug, operation, scope_name, arguments, requested_by, \
         requested_at, deadline, answer, answered_by) VALUES ('gwtest', 'send', 'things:send', \
         '{\"to\": \"ana\"}', 'mallory', '2000-01-01', '2999-01-01', 'allow', 'mallory')",
    )
    .unwrap();
    let row = |sql: &str| one(owner, sql);
    assert_eq!(row("SELECT requested_by FROM pending_calls"), *dev_name);
    assert_eq!(
        row("SELECT CAST(answer IS NULL AS TEXT) FROM pending_calls"),
        "true"
    );
    assert_eq!(
        row("SELECT CAST(requested_at > now() - interval '1 minute' AND deadline <= now() + interval '1 day' AS TEXT) FROM pending_calls"),
        "true"
    );
    let id = row("SELECT CAST(id AS TEXT) FROM pending_calls");

    // Who may not answer: a developer allowing its own call, a stranger closing it early, any
    // change of what was asked, a deletion.
    let msg = refused(
        dev,
        &format!("UPDATE pending_calls SET answer = 'allow' WHERE id = {id}"),
    );
    assert!(msg.contains("may not answer"), "{msg}");
    refused(
        ci,
        &format!("UPDATE pending_calls SET answer = 'timeout' WHERE id = {id}"),
    );
    refused(
        op,
        &format!("UPDATE pending_calls SET operation = 'echo' WHERE id = {id}"),
    );
    refused(op, &format!("DELETE FROM pending_calls WHERE id = {id}"));

    // An operator answers through the CLI: stamped with the login, the arguments gone.
    sentinel()
        .args(["mcp", "answer", &id, "allow", "--as", "bob", "--db", op])
        .assert()
        .success();
    assert_eq!(row("SELECT answered_by FROM pending_calls"), *op_name);
    assert_eq!(
        row("SELECT CAST(arguments IS NULL AS TEXT) FROM pending_calls"),
        "true"
    );
    // Once.
    refused(
        adm,
        &format!("UPDATE pending_calls SET answer = 'deny' WHERE id = {id}"),
    );
    sentinel()
        .args(["audit", "verify", "--db", owner])
        .assert()
        .success();
}
