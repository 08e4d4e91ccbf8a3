//! Team mode over TLS, against a private PostgreSQL cluster that serves TLS with a CA made for the
//! test and rejects every connection that is not encrypted (`hostnossl … reject`): so a client
//! that connects at all has encrypted. `sslmode=require` and `verify-full` with the right CA
//! connect; `verify-full` with another CA is refused with `registry.tls`, a hint, and no password;
//! `disable` is refused by the server; the registry says whether its connection is encrypted.

mod common;
use common::cluster::{Certs, Cluster};
use common::*;
use godconfig_registry::{DbTarget, Registry};

fn encrypted(url: &str) -> Option<bool> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let reg = Registry::open(&DbTarget::parse(url).unwrap())
            .await
            .unwrap();
        let encrypted = reg.encrypted();
        reg.close().await;
        encrypted
    })
}

#[test]
fn a_team_registry_over_tls_verifies_the_server_and_says_it_is_encrypted() {
    let tmp = tempfile::tempdir().unwrap();
    let certs = Certs::make(tmp.path());
    let cluster = Cluster::create_tls_only(&certs);
    let dir = tmp.path().join("connectors");
    copy_connectors(&dir, &["notion"]);
    let base = format!(
        "postgres://postgres:hunter2@127.0.0.1:{}/registry",
        cluster.port
    );
    let ca = certs.ca.display();
    let wrong = certs.wrong_ca.display();

    // Encrypted without checking who answers, then verified against the test CA.
    let require = format!("{base}?sslmode=require");
    sync_cmd(&dir, &require).assert().success();
    let verified = format!("{base}?sslmode=verify-full&sslrootcert={ca}");
    sync_cmd(&dir, &verified).assert().success();
    assert_eq!(status(&verified, "notion"), "draft");
    assert_eq!(encrypted(&verified), Some(true));
    // The default (`prefer`) encrypts when the server can.
    assert_eq!(encrypted(&base), Some(true));

    // Another CA: refused before anything is sent, with a coded error and a way out.
    let out = sync_cmd(
        &dir,
        format!("{base}?sslmode=verify-full&sslrootcert={wrong}"),
    )
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error[registry.tls]"), "{stderr}");
    assert!(
        stderr.contains("hint: ") && stderr.contains("sslrootcert"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");

    // Plain text: this server refuses it, and says so.
    let out = sync_cmd(&dir, format!("{base}?sslmode=disable"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error[registry.connect]"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

/// The shared test server, reached without TLS on purpose: the registry says so.
#[test]
fn a_plain_connection_is_reported_as_not_encrypted() {
    let pg = PgDb::new();
    let url = format!("{}?sslmode=disable", pg.url);
    assert_eq!(encrypted(&url), Some(false));
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("r.db");
    assert_eq!(encrypted(db.to_str().unwrap()), None);
}
