//! The Python that runs the connectors' `mcp.py`: `--python`, else `GODCONFIG_PYTHON`, else the
//! project's `.venv` (beside the connectors folder or above the running binary), else `python3`
//! on the PATH; the first that can `import mcp` is used.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::SentinelError;

/// The candidates, in order; `explicit` is `--python` or `GODCONFIG_PYTHON`.
pub fn candidates(explicit: Option<&Path>, connectors: &Path) -> Vec<PathBuf> {
    if let Some(p) = explicit {
        return vec![p.to_path_buf()];
    }
    let mut out = Vec::new();
    let venv = |dir: &Path| dir.join(".venv").join("bin").join("python");
    let mut roots: Vec<PathBuf> = Vec::new();
    if let Ok(abs) = std::path::absolute(connectors) {
        roots.extend(abs.ancestors().skip(1).take(2).map(Path::to_path_buf));
    }
    if let Ok(exe) = std::env::current_exe() {
        roots.extend(exe.ancestors().skip(1).take(4).map(Path::to_path_buf));
    }
    for root in roots {
        let p = venv(&root);
        if p.is_file() && !out.contains(&p) {
            out.push(p);
        }
    }
    out.push(PathBuf::from("python3"));
    out
}

/// The first candidate that imports `mcp`.
pub fn find(explicit: Option<&Path>, connectors: &Path) -> Result<PathBuf, SentinelError> {
    let tried = candidates(explicit, connectors);
    for p in &tried {
        let ok = Command::new(p)
            .args(["-c", "import mcp, jsonschema"])
            .env_clear()
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return Ok(p.clone());
        }
    }
    Err(SentinelError::NoPython {
        tried: tried.iter().map(|p| p.display().to_string()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_python_is_the_only_candidate() {
        let c = candidates(
            Some(Path::new("/opt/py/bin/python")),
            Path::new("connectors"),
        );
        assert_eq!(c, [PathBuf::from("/opt/py/bin/python")]);
    }

    #[test]
    fn a_python_that_does_not_exist_is_refused_with_what_was_tried() {
        let e = find(Some(Path::new("/nonexistent/python")), Path::new(".")).unwrap_err();
        assert_eq!(e.code(), "mcp.python");
        assert!(e.to_string().contains("/nonexistent/python"));
    }
}
