// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    software_rendering_without_gpu();
    godconfig_app::run()
}

/// WebKitGTK's DMA-BUF renderer is very slow without a GPU (VMs, Xvfb, remote desktops): every
/// repaint costs 100-450 ms and the web process holds ~60 MB more. Without a render node, use
/// the plain renderer, unless the user chose otherwise. Runs before any thread starts.
fn software_rendering_without_gpu() {
    const VAR: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";
    let has_render_node = std::fs::read_dir("/dev/dri").is_ok_and(|dir| {
        dir.flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    });
    if cfg!(target_os = "linux") && !has_render_node && std::env::var_os(VAR).is_none() {
        // Single-threaded at this point: nothing else reads the environment yet.
        std::env::set_var(VAR, "1");
    }
}
