//! A connector's hand-written files: the fingerprint an approval binds, and which file changes
//! send an approved connector back to review. Pure functions; `tables/files.rs` stores them.

use crate::diff::ListDiff;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The manifest's own file: its changes are judged by the manifest diff, not as code.
pub const MANIFEST_PATH: &str = "manifest.yaml";

/// One hand-written file of a connector folder, as the sentinel read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderFile {
    /// Relative to the connector folder, with `/` separators (`service.py`, `lib/http.py`).
    pub path: String,
    /// sha256 of the bytes, hex.
    pub hash: String,
    pub bytes: Vec<u8>,
}

/// A file as the registry keeps it: where, and which content.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FileRef {
    pub path: String,
    pub hash: String,
}

/// The fingerprint of a set of files: sha256 over each `path NUL hash LF`, in path order, so
/// that a rename changes it as much as an edit does.
pub fn fingerprint<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let sorted: BTreeMap<&str, &str> = files.into_iter().collect();
    let mut h = Sha256::new();
    for (path, hash) in sorted {
        h.update(path.as_bytes());
        h.update([0]);
        h.update(hash.as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

/// (path, hash) of each file, as `fingerprint` and `diff` take them.
pub fn refs(files: &[FileRef]) -> impl Iterator<Item = (&str, &str)> {
    files.iter().map(|f| (f.path.as_str(), f.hash.as_str()))
}

/// Files added, removed and changed between two sets of (path, hash).
pub fn diff<'a>(
    old: impl IntoIterator<Item = (&'a str, &'a str)>,
    new: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> ListDiff {
    let (o, n): (Vec<_>, Vec<_>) = (old.into_iter().collect(), new.into_iter().collect());
    crate::diff::diff_by(&o, &n, |f: &(&str, &str)| f.0)
}

/// Documentation: a change to it alone keeps an approval (and is recorded).
pub fn is_documentation(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".md")
}

/// Why a change of files raises the risk: every file but documentation and the manifest (whose
/// own diff judges it) is code that runs with the connector's keys.
pub fn risk(files: &ListDiff) -> Vec<String> {
    let code = |p: &&String| p.as_str() != MANIFEST_PATH && !is_documentation(p);
    let mut out = Vec::new();
    for (what, list) in [
        ("file added", &files.added),
        ("file changed", &files.changed),
        ("file removed", &files.removed),
    ] {
        out.extend(list.iter().filter(code).map(|p| format!("{what}: {p}")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_covers_names_and_contents_in_any_order() {
        let a = fingerprint([("service.py", "h1"), ("manifest.yaml", "h2")]);
        assert_eq!(
            a,
            fingerprint([("manifest.yaml", "h2"), ("service.py", "h1")])
        );
        assert_ne!(
            a,
            fingerprint([("manifest.yaml", "h2"), ("service.py", "h3")])
        );
        assert_ne!(
            a,
            fingerprint([("manifest.yaml", "h2"), ("client.py", "h1")])
        );
        assert_ne!(a, fingerprint([("manifest.yaml", "h2")]));
        // The separator keeps "ab"+"c" apart from "a"+"bc".
        assert_ne!(fingerprint([("ab", "c")]), fingerprint([("a", "bc")]));
    }

    #[test]
    fn code_changes_are_risky_and_documentation_or_the_manifest_are_not() {
        let d = diff(
            [
                ("manifest.yaml", "1"),
                ("service.py", "2"),
                ("README.md", "3"),
                ("old.py", "4"),
            ],
            [
                ("manifest.yaml", "9"),
                ("service.py", "8"),
                ("README.md", "7"),
                ("new.py", "6"),
            ],
        );
        assert_eq!(d.added, ["new.py"]);
        assert_eq!(d.removed, ["old.py"]);
        assert_eq!(d.changed, ["README.md", "manifest.yaml", "service.py"]);
        assert_eq!(
            risk(&d),
            [
                "file added: new.py",
                "file changed: service.py",
                "file removed: old.py"
            ]
        );
        let docs = diff(
            [("README.md", "1")],
            [("README.md", "2"), ("docs/USAGE.MD", "3")],
        );
        assert!(risk(&docs).is_empty());
        assert!(is_documentation("docs/USAGE.MD"));
        assert!(!is_documentation("readme.md.py"));
    }
}
