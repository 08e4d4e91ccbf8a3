//! Which paths a watcher reacts to, and the connector folder each one belongs to.

use crate::folder::SKIPPED_DIRS;
use std::collections::BTreeSet;
use std::path::{Component, Path};

/// Editors' temporary, swap and backup files, the atomic writes of tools (ours included) and
/// compiled Python: saving through one of them ends with an event on the real file.
pub fn is_transient(name: &str) -> bool {
    name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".swx")
        || name.ends_with('~')
        || name.ends_with(".tmp")
        || name.ends_with(".kate-swp")
        || name.ends_with(".pyc")
        || name.ends_with(".pyo")
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.starts_with(".tmp")
        || name.starts_with(".goutputstream-")
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
        || name == "4913"
        || name == ".DS_Store"
}

/// The connector folder a changed path belongs to, or `None` when the change can be ignored:
/// outside `dir`, a hidden or dunder entry of `dir` (the sentinel's own cache among them), a
/// connector's generated `mcp.py`, a cache folder, a transient file.
pub fn folder_of(dir: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(dir).ok()?;
    let parts: Vec<&str> = (rel.components())
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let (first, rest) = parts.split_first()?;
    if !crate::scan::is_connector_name(first) {
        return None;
    }
    if rest == [crate::MCP_FILE] {
        return None;
    }
    if rest.iter().any(|p| SKIPPED_DIRS.contains(p)) {
        return None;
    }
    match parts.last() {
        Some(name) if is_transient(name) => None,
        _ => Some(first.to_string()),
    }
}

/// The connector folders that `paths` touch.
pub fn folders_of<'a>(dir: &Path, paths: impl IntoIterator<Item = &'a Path>) -> BTreeSet<String> {
    paths
        .into_iter()
        .filter_map(|p| folder_of(dir, p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_map_to_their_connector_and_noise_is_ignored() {
        let dir = Path::new("/w/connectors");
        let of = |p: &str| folder_of(dir, &dir.join(p));
        assert_eq!(of("stripe/manifest.yaml").as_deref(), Some("stripe"));
        assert_eq!(of("stripe/service.py").as_deref(), Some("stripe"));
        assert_eq!(of("stripe/.env").as_deref(), Some("stripe"));
        assert_eq!(of("stripe/lib/util.py").as_deref(), Some("stripe"));
        assert_eq!(of("stripe").as_deref(), Some("stripe"));
        assert_eq!(of("new_one").as_deref(), Some("new_one"));
        for noise in [
            "stripe/mcp.py",
            "stripe/.tmpAbC123",
            "stripe/__pycache__/service.cpython-311.pyc",
            "stripe/.service.py.swp",
            "stripe/service.py~",
            "stripe/4913",
            "stripe/.#service.py",
            "stripe/#service.py#",
            "stripe/service.py___jb_tmp___",
            "stripe/.git/index",
            ".godconfig/scan-cache",
            ".agent/skills/build-connector/SKILL.md",
            "__pycache__/x.pyc",
        ] {
            assert_eq!(of(noise), None, "{noise}");
        }
        assert_eq!(
            folder_of(dir, Path::new("/elsewhere/stripe/manifest.yaml")),
            None
        );
        // A nested mcp.py is hand-written code, not the generated stub.
        assert_eq!(of("stripe/lib/mcp.py").as_deref(), Some("stripe"));
    }
}
