//! `sentinel watch`: registers what changes in the connectors folder until Ctrl-C. Parsing and
//! printing only; the loop is `godconfig_sentinel::watch`.

use crate::output;
use crate::Format;
use godconfig_registry::{DbTarget, Registry};
use godconfig_sentinel::watch::{watch, WatchEvent, WatchOptions};
use godconfig_sentinel::SentinelError;
use serde_json::json;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;
use tokio::signal::unix::{signal, SignalKind};

pub async fn run(
    dir: &Path,
    db: Option<&str>,
    debounce_ms: u64,
    format: Format,
) -> Result<ExitCode, SentinelError> {
    let target = DbTarget::resolve(db)?;
    let store = Registry::open(&target).await?;
    let mut opts = WatchOptions::new(godconfig_sentinel::os_user());
    opts.debounce = Duration::from_millis(debounce_ms);
    opts.settle = Duration::from_millis(debounce_ms);
    // Registered before the first sync, so a Ctrl-C during it waits for it instead of killing
    // the process midway.
    let signal_err = |e: std::io::Error| SentinelError::Watch {
        path: dir.to_path_buf(),
        reason: format!("cannot listen for Ctrl-C: {e}"),
    };
    let mut interrupt = signal(SignalKind::interrupt()).map_err(signal_err)?;
    let mut terminate = signal(SignalKind::terminate()).map_err(signal_err)?;
    let stop = async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
        if format != Format::Json {
            eprintln!("stopping (a sync in progress finishes first)…");
        }
    };
    let on = |e: WatchEvent| print(&e, &target, format);
    let result = watch(dir, &store, &opts, &on, stop).await;
    store.close().await;
    result?;
    Ok(ExitCode::SUCCESS)
}

fn now() -> String {
    chrono::Local::now().format("%H:%M:%S").to_string()
}

fn print(e: &WatchEvent, target: &DbTarget, format: Format) {
    // The start of a sync is for the app's state; the CLI reports each sync once it ran.
    if matches!(e, WatchEvent::Syncing { .. }) {
        return;
    }
    if format == Format::Json {
        println!("{}", json_line(e, target));
        return;
    }
    match e {
        WatchEvent::Watching { dir } => println!(
            "watching {} → {} (Ctrl-C to stop)",
            dir.display(),
            target.display()
        ),
        WatchEvent::Synced {
            folders,
            outcome,
            since,
            ..
        } => {
            let what = match folders {
                Some(f) => f.iter().cloned().collect::<Vec<_>>().join(", "),
                None => "the whole folder".to_string(),
            };
            let ms = since.elapsed().as_millis();
            println!("{} synced {what} ({ms} ms after the change)", now());
            output::sync(outcome, target, false, format);
        }
        WatchEvent::SyncFailed { error } => {
            eprintln!("{} sync failed; what is registered is unchanged", now());
            output::error(error);
        }
        WatchEvent::FolderGone => println!(
            "{} the folder is gone; nothing is removed, waiting for it to come back",
            now()
        ),
        WatchEvent::WatchError { message } => {
            eprintln!("{} watcher: {message}; syncing the whole folder", now())
        }
        WatchEvent::Stopped => println!("stopped"),
        WatchEvent::Syncing { .. } => {}
    }
}

/// One JSON object per line, for scripts and tests.
fn json_line(e: &WatchEvent, target: &DbTarget) -> serde_json::Value {
    match e {
        WatchEvent::Watching { dir } => {
            json!({"event": "watching", "dir": dir, "registry": target.display()})
        }
        WatchEvent::Synced {
            folders,
            outcome,
            since,
            changes,
        } => {
            let r = &outcome.report;
            let slugs = |c: &[godconfig_registry::ConnectorChange]| {
                c.iter().map(|c| c.slug.clone()).collect::<Vec<_>>()
            };
            json!({
                "event": "synced", "folders": folders, "changes": changes,
                "ms": since.elapsed().as_millis() as u64,
                "run_id": r.run_id,
                "added": slugs(&r.added), "changed": slugs(&r.changed), "removed": slugs(&r.removed),
                "unchanged": r.unchanged, "rejected": r.rejected,
                "generated": outcome.written.len(),
                "diagnostics": outcome.check.diagnostics,
            })
        }
        WatchEvent::SyncFailed { error } => json!({
            "event": "sync_failed", "code": error.code().as_str(),
            "message": error.to_string(), "hint": error.hint(),
        }),
        WatchEvent::FolderGone => json!({"event": "folder_gone"}),
        WatchEvent::WatchError { message } => json!({"event": "watch_error", "message": message}),
        WatchEvent::Stopped => json!({"event": "stopped"}),
        WatchEvent::Syncing { folders } => json!({"event": "syncing", "folders": folders}),
    }
}
