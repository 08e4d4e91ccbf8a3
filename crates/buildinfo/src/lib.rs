//! For the build scripts of the binaries (`sentinel`, the app): the git commit they are built
//! from, as the `GODCONFIG_COMMIT` environment variable of the crate (`env!("GODCONFIG_COMMIT")`),
//! shown by `sentinel --version` and the app's About. A package built outside a git checkout
//! passes it in `GODCONFIG_COMMIT`; otherwise it is `unknown`.

use std::path::PathBuf;
use std::process::Command;

/// Prints the `cargo:` lines: the commit, and what makes the build script run again (a new
/// commit, a checkout, the variable).
pub fn emit_commit() {
    println!("cargo:rerun-if-env-changed=GODCONFIG_COMMIT");
    let given = std::env::var("GODCONFIG_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty());
    let commit = given
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=GODCONFIG_COMMIT={commit}");
    for path in watched() {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

/// HEAD, the branch it names and the packed refs: a commit or a checkout changes one of them.
fn watched() -> Vec<PathBuf> {
    let (Some(dir), Some(common)) = (
        git(&["rev-parse", "--absolute-git-dir"]),
        git(&["rev-parse", "--path-format=absolute", "--git-common-dir"]),
    ) else {
        return vec![];
    };
    let (dir, common) = (PathBuf::from(dir), PathBuf::from(common));
    let mut paths = vec![dir.join("HEAD"), common.join("packed-refs")];
    if let Ok(head) = std::fs::read_to_string(dir.join("HEAD")) {
        if let Some(branch) = head.trim().strip_prefix("ref: ") {
            paths.push(common.join(branch));
        }
    }
    paths.retain(|p| p.exists());
    paths
}
