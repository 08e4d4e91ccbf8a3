//! The first run: with no workspace known, the app offers a new connectors folder, filled with
//! the bundled example connectors or left empty, opened on the embedded SQLite registry. The
//! examples ship with the package (`/usr/share/godconfig/examples`); a source build finds the
//! repository's `connectors/`.

use crate::error::{AppError, Result};
use crate::workspace::{default_registry, App, WorkspaceInfo};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Overrides where the bundled examples are (tests; a packager's own layout).
pub const EXAMPLES_DIR_ENV: &str = "GODCONFIG_EXAMPLES_DIR";

/// How a new workspace starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Start {
    /// A copy of the bundled example connectors.
    Examples,
    /// An empty folder, for a first connector ordered from the app.
    Empty,
}

/// What the welcome screen offers.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct FirstRun {
    /// The folder a new workspace is created in: the one picked, else `~/GodConfig/connectors`.
    pub new_folder: Option<String>,
    /// Where the bundled examples are; None when this build has none.
    pub examples: Option<String>,
    /// How many example connectors there are.
    pub example_count: u32,
}

/// The bundled examples: `GODCONFIG_EXAMPLES_DIR`, else beside the installed binary
/// (`<prefix>/bin/godconfig` → `<prefix>/share/godconfig/examples`), else a source build's
/// `connectors/` (`target/<profile>/godconfig` → `connectors`). Only a folder holding at least
/// one connector counts.
pub fn examples_dir(exe: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(EXAMPLES_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir)).filter(|d| count_connectors(d) > 0);
    }
    let bin = exe?.parent()?;
    [
        bin.join("../share/godconfig/examples"),
        bin.join("../../connectors"),
    ]
    .into_iter()
    .find(|d| count_connectors(d) > 0)
    .map(|d| d.canonicalize().unwrap_or(d))
}

/// `~/GodConfig/connectors`: visible in the home folder, where a person looks for it.
pub fn default_new_folder() -> Option<PathBuf> {
    directories::UserDirs::new().map(|u| u.home_dir().join("GodConfig").join("connectors"))
}

/// Sub-folders holding a `manifest.yaml`.
fn count_connectors(dir: &Path) -> u32 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| is_connector(&e.path()))
        .count() as u32
}

/// Copies `from` into `to`: folders and regular files only (a symlink is skipped, never
/// followed), without caches (Python's, the sentinel's `.godconfig/` of a source build's
/// folder), and of `from`'s own entries only those `keep` accepts.
/// Returns how many files were copied.
fn copy_tree(from: &Path, to: &Path, keep: &dyn Fn(&Path) -> bool) -> std::io::Result<u32> {
    std::fs::create_dir_all(to)?;
    let mut copied = 0;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let name = entry.file_name();
        if name == "__pycache__" || name == ".godconfig" || !keep(&entry.path()) {
            continue;
        }
        if kind.is_dir() {
            copied += copy_tree(&entry.path(), &to.join(&name), &|_| true)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(&name))?;
            copied += 1;
        }
    }
    Ok(copied)
}

/// Whether `path` is a connector's folder.
fn is_connector(path: &Path) -> bool {
    path.join("manifest.yaml").is_file()
}

/// A folder a new workspace may be created in: missing, or empty.
fn check_new_folder(dir: &Path) -> Result<()> {
    match std::fs::read_dir(dir).map(|mut entries| entries.next().is_some()) {
        Ok(true) => Err(AppError::FolderNotEmpty(dir.display().to_string())),
        Ok(false) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(AppError::cannot_write(dir, e)),
    }
}

impl App {
    /// The welcome screen's offer.
    pub fn first_run(&self) -> FirstRun {
        let examples = examples_dir(std::env::current_exe().ok().as_deref());
        FirstRun {
            new_folder: self.new_folder().map(|d| d.display().to_string()),
            example_count: examples.as_deref().map(count_connectors).unwrap_or(0),
            examples: examples.map(|d| d.display().to_string()),
        }
    }

    fn new_folder(&self) -> Option<PathBuf> {
        self.picks()
            .new_folder
            .map(PathBuf::from)
            .or_else(default_new_folder)
    }

    /// Creates the new workspace's folder (refused when it holds anything), fills it as `start`
    /// says, and opens it on the embedded SQLite registry. Nothing is copied over a file.
    pub async fn create_workspace(&self, start: Start) -> Result<WorkspaceInfo> {
        let dir = self.new_folder().ok_or(AppError::NoFolderPicked)?;
        check_new_folder(&dir)?;
        // Both starts get the guide for coding agents (AGENTS.md, .agent/), which the New
        // connector prompt points to; only the examples' start gets their connectors.
        let examples = examples_dir(std::env::current_exe().ok().as_deref());
        match (start, examples) {
            (Start::Examples, None) => return Err(AppError::NoExamples),
            (Start::Examples, Some(from)) => copy_tree(&from, &dir, &|_| true),
            (Start::Empty, Some(from)) => copy_tree(&from, &dir, &|p| !is_connector(p)),
            (Start::Empty, None) => std::fs::create_dir_all(&dir).map(|_| 0),
        }
        .map_err(|e| AppError::cannot_write(&dir, e))?;
        let info = self
            .open(&dir.display().to_string(), &default_registry())
            .await?;
        self.clear_picks();
        Ok(info)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connector(root: &Path, slug: &str) {
        std::fs::create_dir_all(root.join(slug).join("__pycache__")).unwrap();
        std::fs::write(root.join(slug).join("manifest.yaml"), "slug: x\n").unwrap();
        std::fs::write(root.join(slug).join("__pycache__/x.pyc"), "").unwrap();
    }

    #[test]
    fn finds_the_examples_of_an_install_and_of_a_source_build() {
        let root = tempfile::tempdir().unwrap();
        let installed = root.path().join("usr");
        connector(&installed.join("share/godconfig/examples"), "stripe");
        std::fs::create_dir_all(installed.join("bin")).unwrap();
        let found = examples_dir(Some(&installed.join("bin/godconfig"))).unwrap();
        assert!(found.ends_with("share/godconfig/examples"), "{found:?}");

        let repo = root.path().join("repo");
        connector(&repo.join("connectors"), "slack");
        std::fs::create_dir_all(repo.join("target/debug")).unwrap();
        let found = examples_dir(Some(&repo.join("target/debug/godconfig"))).unwrap();
        assert_eq!(found, repo.join("connectors").canonicalize().unwrap());

        // A folder without any connector does not count.
        std::fs::create_dir_all(root.path().join("share/godconfig/examples/empty")).unwrap();
        assert_eq!(examples_dir(Some(&root.path().join("bin/godconfig"))), None);
        assert_eq!(examples_dir(None), None);
    }

    #[test]
    fn copies_files_and_folders_but_no_symlink_or_cache() {
        let root = tempfile::tempdir().unwrap();
        let from = root.path().join("from");
        connector(&from, "stripe");
        std::fs::write(from.join("AGENTS.md"), "guide").unwrap();
        std::os::unix::fs::symlink("/etc/hostname", from.join("stripe/link")).unwrap();
        let to = root.path().join("to/connectors");
        assert_eq!(copy_tree(&from, &to, &|_| true).unwrap(), 2);
        assert!(to.join("stripe/manifest.yaml").is_file());
        assert!(to.join("AGENTS.md").is_file());
        assert!(!to.join("stripe/link").exists());
        assert!(!to.join("stripe/__pycache__").exists());

        // An empty start: the guide, no connector.
        let empty = root.path().join("empty");
        assert_eq!(copy_tree(&from, &empty, &|p| !is_connector(p)).unwrap(), 1);
        assert!(empty.join("AGENTS.md").is_file());
        assert!(!empty.join("stripe").exists());
    }

    #[test]
    fn a_new_workspace_needs_a_missing_or_empty_folder() {
        let root = tempfile::tempdir().unwrap();
        assert!(check_new_folder(&root.path().join("missing")).is_ok());
        assert!(check_new_folder(root.path()).is_ok());
        std::fs::write(root.path().join("notes.txt"), "mine").unwrap();
        let err = check_new_folder(root.path()).unwrap_err();
        assert_eq!(err.code(), crate::error::Code::AppFolderNotEmpty);
    }
}
