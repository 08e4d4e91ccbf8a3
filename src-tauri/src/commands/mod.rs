//! Tauri commands: each takes the state, calls the domain, maps the error. They are async so
//! database work never runs on the UI thread.

pub mod audit;
pub mod gateway;
pub mod kpis;
pub mod new_connector;
pub mod review;
pub mod scopes;
pub mod sync;
pub mod team;
pub mod utm;
pub mod vault;
pub mod watcher;
pub mod workspace;

use godconfig_desktop::App;
use tauri::State;

pub type AppState<'a> = State<'a, App>;

/// Which native file dialog to show.
pub enum Ask {
    Folder,
    Save,
    Open,
}

/// Shows a native dialog, opened from Rust so the webview never names a path, and waits for
/// the answer; None when it was cancelled.
pub async fn ask_path(
    dialog: tauri_plugin_dialog::FileDialogBuilder<tauri::Wry>,
    ask: Ask,
) -> Option<std::path::PathBuf> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let reply = move |p| {
        let _ = tx.send(p);
    };
    match ask {
        Ask::Folder => dialog.pick_folder(reply),
        Ask::Save => dialog.save_file(reply),
        Ask::Open => dialog.pick_file(reply),
    }
    rx.await
        .ok()
        .flatten()
        .and_then(|p: tauri_plugin_dialog::FilePath| p.into_path().ok())
}
