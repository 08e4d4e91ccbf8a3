//! Writes `mcp.py` beside each valid manifest, atomically, and only when it is out of date.

use crate::error::SentinelError;
use crate::scan::MCP_FILE;
use godconfig_codegen::{generator_fingerprint, read_header, render_mcp, McpStub, McpTool};
use godconfig_manifest::Manifest;
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// A tool is read-only when its scope only reads and is not gated.
fn read_only(scope: &str, gated: bool) -> bool {
    let s = scope.to_ascii_lowercase();
    !gated && s.contains("read") && !s.contains("write")
}

pub fn stub_for(m: &Manifest, hash: &str, gated: &BTreeSet<String>) -> McpStub {
    let tools = m
        .operations
        .iter()
        .map(|o| {
            let is_gated = gated.contains(&o.scope);
            McpTool {
                name: o.name.clone(),
                description: o.description.clone(),
                scope: o.scope.clone(),
                gated: is_gated,
                read_only: read_only(&o.scope, is_gated),
                input_schema: o
                    .input_schema
                    .clone()
                    .unwrap_or_else(|| serde_json::json!({"type": "object", "properties": {}})),
            }
        })
        .collect();
    McpStub {
        slug: m.provider_slug.clone(),
        display_name: m.display_name.clone(),
        description: m.description.clone(),
        manifest_hash: hash.to_string(),
        tools,
    }
}

/// True when the file at `path` was generated from this manifest hash by this generator.
pub fn is_current(path: &Path, hash: &str) -> bool {
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = [0u8; 1024];
    let n = f.read(&mut head).unwrap_or(0);
    let head = String::from_utf8_lossy(&head[..n]);
    read_header(&head).is_some_and(|(h, fp)| h == hash && fp == generator_fingerprint())
}

/// Renders and writes through a temp file and a rename, so readers (and a sync killed midway)
/// see the old or the new file, never a mix. No fsync: a crash of the machine itself may lose the
/// new file, and the next sync regenerates it (the header no longer matches).
pub fn write_stub(dir: &Path, stub: &McpStub) -> Result<PathBuf, SentinelError> {
    let path = dir.join(MCP_FILE);
    let code = render_mcp(stub).map_err(|e| SentinelError::Codegen {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    let werr = |e: std::io::Error| SentinelError::Write {
        path: path.clone(),
        reason: e.to_string(),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(werr)?;
    tmp.write_all(code.as_bytes()).map_err(werr)?;
    tmp.persist(&path).map_err(|e| werr(e.error))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::read_only;

    #[test]
    fn read_only_needs_a_read_scope_that_is_not_gated() {
        assert!(read_only("read_orders", false));
        assert!(read_only("channels:read", false));
        assert!(!read_only("read_orders", true));
        assert!(!read_only("read_write", false));
        assert!(!read_only("https://www.googleapis.com/auth/adwords", false));
    }
}
