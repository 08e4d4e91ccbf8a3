// Every command must be listed here: Tauri then generates one `allow-<command>` permission per
// command, and the capability in capabilities/main.json grants only the set in permissions/.
const COMMANDS: &[&str] = &[
    "workspace_info",
    "get_settings",
    "set_reviewer_name",
    "pick_connectors_dir",
    "pick_registry_file",
    "open_workspace",
    "sync_now",
    "review_queue",
    "connector_detail",
    "connector_code_review",
    "approve",
    "reject",
    "revoke",
    "audit_log",
    "verify_audit",
    "export_audit_csv",
    "scopes_list",
    "change_gating",
    "firearm_types",
    "change_firearm_type",
    "kpi_metrics",
    "change_mapping",
    "accept_suggestions",
    "kpi_coverage",
    "core_kpis",
    "change_core_kpi",
    "utm_templates",
    "change_utm_template",
    "utm_preview_template",
    "utm_preview_link",
    "build_utm_link",
    "utm_links",
    "utm_capabilities",
    "export_utm_templates",
    "import_utm_templates",
    "vault_status",
    "vault_set_key",
    "vault_delete_key",
    "set_rotation_days",
    "whoami",
    "team_policy",
    "set_team_policy",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
