//! The app's review story through its services, on a real SQLite file and a real PostgreSQL
//! database: open a workspace, sync with progress, read the queue, approve a ready connector,
//! see a refused gate, reject, revoke, and read the audit log.

use godconfig_desktop::{App, ApproveItem, SettingsFile, SyncProgress};
use godconfig_registry::{Action, Status};
use godconfig_testkit::repo;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The example connectors plus the always-ready fixture, in a temp folder.
fn workspace_dir(tmp: &Path) -> PathBuf {
    let dir = tmp.join("connectors");
    for (src, names) in [
        (repo().join("connectors"), None),
        (repo().join("e2e/fixtures"), Some(["acme_forms"])),
    ] {
        for entry in std::fs::read_dir(&src).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().to_string();
            if !entry.path().join("manifest.yaml").is_file()
                || names.is_some_and(|n| !n.contains(&name.as_str()))
            {
                continue;
            }
            std::fs::create_dir_all(dir.join(&name)).unwrap();
            std::fs::copy(
                entry.path().join("manifest.yaml"),
                dir.join(&name).join("manifest.yaml"),
            )
            .unwrap();
        }
    }
    dir
}

async fn story(registry: &str, tmp: &Path) {
    let dir = workspace_dir(tmp);
    let app = App::new(SettingsFile::at(tmp.join("settings.json"))).unwrap();
    app.set_reviewer_name(Some("Ana Operator".into())).unwrap();
    let info = app.open(dir.to_str().unwrap(), registry).await.unwrap();
    assert_eq!(info.reviewer, "Ana Operator");
    assert!(!info.registry.contains("hunter2"));
    let remembered = format!("{:?}", app.settings());
    assert!(!remembered.contains("hunter2"), "{remembered}");
    let file = std::fs::read_to_string(tmp.join("settings.json")).unwrap();
    assert!(!file.contains("hunter2"), "{file}");

    // Sync with progress: every example arrives as a draft.
    let steps = Mutex::new(Vec::new());
    let summary = app.sync(&|p| steps.lock().unwrap().push(p)).await.unwrap();
    assert_eq!(summary.added.len(), 10);
    assert!(summary.rejected.is_empty());
    assert!(matches!(
        steps.lock().unwrap()[0],
        SyncProgress::Scanned { connectors: 10 }
    ));

    let ws = app.workspace().await.unwrap();
    let queue = ws.registry.queue().await.unwrap();
    assert_eq!(queue.len(), 10);
    assert!(queue.iter().all(|r| r.status == Status::Draft));
    let acme = queue.iter().find(|r| r.slug == "acme_forms").unwrap();
    assert_eq!((acme.missing, acme.gated, acme.metrics), (0, 0, 0));
    let shopify = queue.iter().find(|r| r.slug == "shopify").unwrap();
    let gate = ws.registry.gate("shopify").await.unwrap();
    assert_eq!(shopify.missing as usize, gate.missing.len());
    assert!(shopify.missing > 0 && shopify.gated > 0);

    // A refused gate approves nothing, even in a batch with a ready connector.
    let items = |slugs: &[&str]| -> Vec<godconfig_registry::ApproveRequest> {
        slugs
            .iter()
            .map(|s| {
                let row = queue.iter().find(|r| r.slug == *s).unwrap();
                ApproveItem {
                    slug: s.to_string(),
                    manifest_hash: row.manifest_hash.clone(),
                    fingerprint: row.fingerprint.clone(),
                }
                .into()
            })
            .collect()
    };
    let err = ws
        .registry
        .approve(&items(&["acme_forms", "shopify"]), &app.reviewer())
        .await
        .unwrap_err();
    assert_eq!(
        godconfig_desktop::AppError::from(err).to_ipc().code,
        "review.gate_refused"
    );
    assert_eq!(
        ws.registry.detail("acme_forms").await.unwrap().status,
        Status::Draft
    );

    let approved = ws
        .registry
        .approve(&items(&["acme_forms"]), &app.reviewer())
        .await
        .unwrap();
    assert_eq!(approved[0].approved_by, "Ana Operator");
    let queue = ws.registry.queue().await.unwrap();
    assert_eq!(
        queue
            .iter()
            .find(|r| r.slug == "acme_forms")
            .unwrap()
            .status,
        Status::Approved
    );

    // Reject needs a reason; revoke goes back to draft.
    let blank = ws
        .registry
        .decide("stripe", Action::Reject, "Ana", "  ")
        .await
        .unwrap_err();
    assert_eq!(blank.code(), "review.reason_required");
    ws.registry
        .decide("stripe", Action::Reject, "Ana", "too broad")
        .await
        .unwrap();
    ws.registry
        .decide("acme_forms", Action::Revoke, "Ana", "re-check")
        .await
        .unwrap();
    let audit = ws.registry.audit(Some("acme_forms"), 10).await.unwrap();
    let actions: Vec<_> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions[..2], ["operator.revoked", "operator.approved"]);

    // A re-sync changes nothing.
    let again = app.sync(&|_| {}).await.unwrap();
    assert_eq!((again.added.len(), again.unchanged), (0, 10));
}

#[tokio::test(flavor = "multi_thread")]
async fn story_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("registry.db");
    story(db.to_str().unwrap(), tmp.path()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn story_on_postgres() {
    let pg = godconfig_testkit::PgDb::new();
    let tmp = tempfile::tempdir().unwrap();
    // With trust authentication the server ignores a password, so one is added to prove that
    // it never reaches the settings file, the UI or an error.
    let mut url = url::Url::parse(&pg.url).unwrap();
    if url.password().is_none() {
        url.set_password(Some("hunter2")).unwrap();
    }
    story(url.as_str(), tmp.path()).await;
}
