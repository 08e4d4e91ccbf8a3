//! The first run through the app's services, on real files and the real embedded SQLite default:
//! the welcome screen's offer, a new folder from the examples that syncs every one as a draft,
//! a folder one already has (Choose folder…) opened on the same default,
//! an empty start with only the agents' guide, a folder holding anything refused and untouched,
//! and a build without examples refused before any folder is made. One test: it sets the
//! process's environment (the data dir, the examples' folder).

use godconfig_desktop::first_run::{Start, EXAMPLES_DIR_ENV};
use godconfig_desktop::{App, RegistryChoice, SettingsFile};

#[tokio::test]
async fn a_first_run_creates_a_workspace_from_the_examples_or_empty() {
    let tmp = tempfile::tempdir().unwrap();
    std::env::set_var("XDG_DATA_HOME", tmp.path().join("data"));
    std::env::set_var(
        EXAMPLES_DIR_ENV,
        godconfig_testkit::repo().join("connectors"),
    );
    let examples = godconfig_testkit::all_examples();

    // The offer: the examples found, a new folder proposed.
    let app = App::new(SettingsFile::at(tmp.path().join("settings.json"))).unwrap();
    app.open_at_start().await;
    let offer = app
        .state()
        .await
        .first_run
        .expect("offered while no workspace is open");
    assert_eq!(offer.example_count as usize, examples.len());
    assert!(offer.new_folder.unwrap().ends_with("GodConfig/connectors"));

    // From the examples: copied, opened on the embedded default, every one a draft after a sync.
    let dir = tmp.path().join("mine/connectors");
    app.pick_new_folder(dir.display().to_string());
    let info = app.create_workspace(Start::Examples).await.unwrap();
    assert_eq!(info.connectors_dir, dir.display().to_string());
    assert_eq!(info.backend, "sqlite");
    let default_db = tmp.path().join("data/godconfig/registry.db");
    assert_eq!(info.registry, format!("sqlite:{}", default_db.display()));
    assert!(default_db.is_file());
    for slug in &examples {
        assert!(dir.join(slug).join("manifest.yaml").is_file(), "{slug}");
    }
    assert!(dir.join("AGENTS.md").is_file());
    let summary = app.sync(&|_| {}).await.unwrap();
    assert_eq!(summary.added.len(), examples.len(), "{summary:?}");
    assert!(summary.rejected.is_empty(), "{summary:?}");
    let state = app.state().await;
    assert!(
        state.first_run.is_none(),
        "no offer once a workspace is open"
    );
    assert_eq!(state.picks.new_folder, None, "the pick is used up");
    let saved = SettingsFile::at(tmp.path().join("settings.json"))
        .load()
        .unwrap();
    assert_eq!(saved.connectors_dir, Some(dir.display().to_string()));

    // A folder that holds anything is refused, and left as it was.
    let app = App::new(SettingsFile::at(tmp.path().join("other.json"))).unwrap();
    let taken = tmp.path().join("taken");
    std::fs::create_dir_all(&taken).unwrap();
    std::fs::write(taken.join("notes.txt"), "mine").unwrap();
    app.pick_new_folder(taken.display().to_string());
    let err = app.create_workspace(Start::Examples).await.unwrap_err();
    assert_eq!(err.code().as_str(), "app.folder_not_empty");
    assert!(err
        .to_ipc()
        .message
        .contains("Open it as your connectors folder"));
    assert_eq!(godconfig_testkit::entries(&taken), ["notes.txt"]);
    assert!(app.workspace().await.is_err(), "nothing opened");

    // Empty: the guide for coding agents, no connector.
    let empty = tmp.path().join("empty/connectors");
    app.pick_new_folder(empty.display().to_string());
    app.create_workspace(Start::Empty).await.unwrap();
    assert_eq!(godconfig_testkit::entries(&empty), [".agent", "AGENTS.md"]);

    // Choose folder…: a folder of connectors one already has, opened on the embedded default.
    let app = App::new(SettingsFile::at(tmp.path().join("fourth.json"))).unwrap();
    app.pick_connectors_dir(dir.display().to_string());
    let info = app.open_choice(RegistryChoice::Default).await.unwrap();
    assert_eq!(info.connectors_dir, dir.display().to_string());
    assert_eq!(info.registry, format!("sqlite:{}", default_db.display()));
    assert_eq!(
        app.sync(&|_| {}).await.unwrap().unchanged as usize,
        examples.len()
    );

    // A build without examples: refused before any folder is made.
    std::env::set_var(EXAMPLES_DIR_ENV, tmp.path().join("no-examples"));
    let app = App::new(SettingsFile::at(tmp.path().join("third.json"))).unwrap();
    let none = tmp.path().join("none");
    app.pick_new_folder(none.display().to_string());
    let err = app.create_workspace(Start::Examples).await.unwrap_err();
    assert_eq!(err.code().as_str(), "app.no_examples");
    assert!(!none.exists());
}
