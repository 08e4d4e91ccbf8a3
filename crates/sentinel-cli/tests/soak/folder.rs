//! The soak's folder side: a process that keeps changing manifests, replaced whole.

use crate::Rng;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Keeps changing the folder: a display name, and a gated scope and a metric coming and going
/// (a risk change that sends an approved connector back to review). Files are replaced whole.
pub fn mutator(dir: PathBuf, slugs: Vec<String>, stop: Arc<AtomicBool>) {
    let mut rng = Rng(42);
    let mut i = 0u64;
    while !stop.load(Ordering::Relaxed) {
        let slug = &slugs[rng.next(slugs.len())];
        let path = dir.join(slug).join("manifest.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let new = if text.contains("soak_write") {
            text.replace(
                "  - name: soak_write\n    description: soak\n    requires_firearm: true\n",
                "",
            )
            .replace("  - raw: soak_metric\n    description: soak\n", "")
        } else {
            text.replacen("scopes:\n", "scopes:\n  - name: soak_write\n    description: soak\n    requires_firearm: true\n", 1)
                .replacen("kpis:\n", "kpis:\n  - raw: soak_metric\n    description: soak\n", 1)
        };
        let new = match new.find("display_name: ") {
            Some(at) => {
                let end = at + new[at..].find('\n').unwrap();
                format!("{}display_name: Soak {i}{}", &new[..at], &new[end..])
            }
            None => new,
        };
        i += 1;
        write_whole(&path, &new);
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn write_whole(path: &Path, text: &str) {
    let tmp = path.with_extension("yaml.tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}
