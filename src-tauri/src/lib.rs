//! The God Config desktop app: a thin Tauri adapter over the domain crates. Commands live in
//! `commands/` (not here: `collect_commands!` and `generate_handler!` would clash).

mod commands;
mod error;
mod live;

use godconfig_desktop::{App, SettingsFile};
use tauri::Manager;
use tauri_specta::{collect_commands, collect_events, Builder};

pub use live::{RegistryChanged, RegistryConnection, WatcherChanged};

/// The command and event list, shared by the app and the bindings export.
pub fn specta_builder() -> Builder<tauri::Wry> {
    use commands::{
        audit, gateway, kpis, review, scopes, sync, team, utm, vault, watcher, workspace,
    };
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            workspace::workspace_info,
            workspace::get_settings,
            workspace::set_reviewer_name,
            workspace::pick_connectors_dir,
            workspace::pick_registry_file,
            workspace::open_workspace,
            workspace::pick_new_folder,
            workspace::create_workspace,
            workspace::about,
            workspace::retry_settings,
            workspace::move_settings_aside,
            sync::sync_now,
            commands::new_connector::new_connector,
            review::review_queue,
            review::queue_keys,
            review::connector_detail,
            review::connector_code_review,
            review::approve,
            review::reject,
            review::revoke,
            audit::audit_log,
            audit::verify_audit,
            audit::export_audit_csv,
            scopes::scopes_list,
            scopes::change_gating,
            scopes::firearm_types,
            scopes::change_firearm_type,
            kpis::kpi_metrics,
            kpis::change_mapping,
            kpis::accept_suggestions,
            kpis::kpi_coverage,
            kpis::core_kpis,
            kpis::change_core_kpi,
            utm::utm_templates,
            utm::change_utm_template,
            utm::utm_preview_template,
            utm::utm_preview_link,
            utm::build_utm_link,
            utm::utm_links,
            utm::utm_capabilities,
            utm::export_utm_templates,
            utm::import_utm_templates,
            vault::vault_status,
            vault::vault_set_key,
            vault::vault_delete_key,
            vault::set_rotation_days,
            team::whoami,
            team::team_policy,
            team::set_team_policy,
            gateway::pending_calls,
            gateway::answer_call,
            gateway::tool_policies,
            gateway::set_tool_policy,
            gateway::agent_clients,
            gateway::connect_agent,
            gateway::recent_calls,
            watcher::watcher_state,
            watcher::set_watcher,
        ])
        .events(collect_events![
            RegistryChanged,
            RegistryConnection,
            WatcherChanged
        ])
        // Counts and audit ids are far below 2^53, so numbers are exact.
        .dangerously_cast_bigints_to_number()
        // Values only flow out of Rust as results; one shape per type keeps the bindings readable.
        .disable_serde_phases()
}

/// Writes `ui/src/bindings.ts` (called by the drift test).
pub fn export_bindings(path: &std::path::Path) -> Result<(), String> {
    specta_builder()
        .export(specta_typescript::Typescript::default(), path)
        .map_err(|e| e.to_string())
}

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("GODCONFIG_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .init();
    let settings = SettingsFile::default_location().and_then(App::new);
    let app = match settings {
        Ok(app) => app,
        Err(e) => {
            eprintln!("error[{}]: {e}\nhint: {}", e.code(), e.hint());
            std::process::exit(2);
        }
    };
    let builder = specta_builder();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        // Used from Rust only (live.rs): the webview gets no notification permission.
        .plugin(tauri_plugin_notification::init())
        .manage(app)
        .manage(live::LiveTask::default())
        .invoke_handler(builder.invoke_handler())
        .setup(move |tauri_app| {
            builder.mount_events(tauri_app);
            let handle = tauri_app.handle().clone();
            live::forward_watcher(&handle);
            tauri::async_runtime::spawn(async move { open_at_start(&handle).await });
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing stops the watcher and lets a sync in progress finish: the registry commits
            // whole or not at all, and no sync starts after the window is gone.
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                let app = window.state::<App>();
                if app.busy() {
                    api.prevent_close();
                    let window = window.clone();
                    tauri::async_runtime::spawn(async move {
                        window.state::<App>().shutdown().await;
                        let _ = window.destroy();
                    });
                }
            }
        })
        .run(tauri::generate_context!())
        .expect("error while running God Config");
}

/// Opens the workspace named by the environment or remembered from last time, then follows
/// the registry and (unless turned off) watches the connectors folder.
pub(crate) async fn open_at_start(handle: &tauri::AppHandle) {
    let app = handle.state::<App>();
    if app.open_at_start().await {
        live::restart(handle).await;
        app.restart_watcher().await;
    }
}
