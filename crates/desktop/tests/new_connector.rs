//! New connector through the app's services, on SQLite and PostgreSQL: the folder `sentinel new`
//! writes, in the workspace's connectors folder, synced at once as a draft, with the prompt for a
//! coding agent; a bad slug or URL gives `check`'s diagnostics on their field and writes nothing;
//! an existing folder is `sentinel.exists`, untouched.

use godconfig_desktop::new_connector::{create, Field, NewConnector, NewConnectorOutcome};
use godconfig_desktop::{App, SettingsFile};
use godconfig_registry::Status;
use std::path::Path;

fn order(slug: &str, docs: Option<&str>) -> NewConnector {
    NewConnector {
        slug: slug.into(),
        name: Some("  Acme CRM ".into()),
        auth: "oauth2".into(),
        docs: docs.map(String::from),
    }
}

async fn story(registry: &str, tmp: &Path) {
    let dir = tmp.join("connectors");
    godconfig_testkit::copy_connectors(&dir, &["stripe"]);
    let app = App::new(SettingsFile::at(tmp.join("settings.json"))).unwrap();
    let refused = create(&app, order("acme_crm", None)).await.unwrap_err();
    assert_eq!(refused.code().as_str(), "app.no_workspace");
    app.open(dir.to_str().unwrap(), registry).await.unwrap();
    app.sync(&|_| {}).await.unwrap();

    // A bad slug and a plain-http docs URL: each diagnostic on its field, nothing written.
    let before = godconfig_testkit::entries(&dir);
    let out = create(&app, order("Acme-CRM", Some("http://acme.example.com")))
        .await
        .unwrap();
    let NewConnectorOutcome::Invalid { problems } = out else {
        panic!("{out:?}")
    };
    let got: Vec<_> = problems
        .iter()
        .map(|p| (p.field, p.diagnostic.code.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (Some(Field::Slug), "invalid-pattern"),
            (Some(Field::Docs), "invalid-url")
        ]
    );
    let slug = &problems[0].diagnostic;
    assert!(slug.path.ends_with("Acme-CRM/manifest.yaml"), "{slug:?}");
    assert_eq!((slug.line, slug.column), (4, 16));
    assert!(!slug.hint.is_empty());
    assert_eq!(godconfig_testkit::entries(&dir), before, "nothing written");

    // Created: the three files, the prompt, and the sync that registers the draft.
    let docs = "https://acme.example.com/docs";
    let out = create(&app, order("acme_crm", Some(docs))).await.unwrap();
    let NewConnectorOutcome::Created {
        slug,
        folder,
        files,
        prompt,
        synced,
        sync_error,
    } = out
    else {
        panic!("{out:?}")
    };
    assert_eq!(slug, "acme_crm");
    assert_eq!(folder, dir.join("acme_crm").display().to_string());
    for (file, name) in files
        .iter()
        .zip(["manifest.yaml", "service.py", "README.md"])
    {
        assert_eq!(*file, dir.join("acme_crm").join(name).display().to_string());
        assert!(Path::new(file).is_file(), "{file}");
    }
    let manifest = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        manifest.contains("display_name: \"Acme CRM\""),
        "{manifest}"
    );
    assert!(
        manifest.contains(&format!("docs_url: \"{docs}\"")),
        "{manifest}"
    );
    assert!(prompt.contains(&format!("- Folder: {folder} ")), "{prompt}");
    assert!(prompt.contains("- Slug: acme_crm\n"), "{prompt}");
    assert!(sync_error.is_none(), "{sync_error:?}");
    let synced = synced.unwrap();
    let added: Vec<_> = synced.added.iter().map(|c| c.slug.as_str()).collect();
    assert_eq!((added, synced.unchanged), (vec!["acme_crm"], 1));
    let ws = app.workspace().await.unwrap();
    let queue = ws.registry.queue().await.unwrap();
    let row = queue.iter().find(|r| r.slug == "acme_crm").unwrap();
    assert_eq!(
        (row.status, row.display_name.as_str()),
        (Status::Draft, "Acme CRM")
    );

    // Ordered again: refused, the folder untouched, nothing else written.
    std::fs::write(dir.join("acme_crm/service.py"), "# mine\n").unwrap();
    let before = godconfig_testkit::entries(&dir);
    let exists = create(&app, order("acme_crm", None)).await.unwrap_err();
    assert_eq!(exists.code().as_str(), "sentinel.exists");
    assert!(exists.to_ipc().message.contains("nothing was written"));
    assert_eq!(
        std::fs::read_to_string(dir.join("acme_crm/service.py")).unwrap(),
        "# mine\n"
    );
    assert_eq!(godconfig_testkit::entries(&dir), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn new_connector_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("registry.db");
    story(db.to_str().unwrap(), tmp.path()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn new_connector_on_postgres() {
    let pg = godconfig_testkit::PgDb::new();
    let tmp = tempfile::tempdir().unwrap();
    story(&pg.url, tmp.path()).await;
}
