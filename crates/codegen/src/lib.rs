//! Renders `mcp.py`, the Python MCP server stub of one connector.
//!
//! Manifest values are untrusted text. The only way into the generated code is
//! a `{{ }}` in the template, and the formatter renders each one as an escaped
//! Python string literal, refusing every other kind of value.

use std::collections::HashSet;
use std::fmt::Write as _;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Serde, ValueKind};
use minijinja::{
    AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior, Value,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

const TEMPLATE: &str = include_str!("../templates/mcp.py.j2");
/// Bump when the Rust side of rendering changes (literal encoding, view shape),
/// so the fingerprint moves even though the template did not.
const RENDERER_REVISION: &str = "godconfig-codegen mcp.py renderer 1\n";
const HEADER_LINES: usize = 10;
const HASH_PREFIX: &str = "# godconfig-manifest-hash: ";
const GENERATOR_PREFIX: &str = "# godconfig-generator: ";
const GATING_PREFIX: &str = "# godconfig-gating: ";

/// Everything `mcp.py` needs to know about one connector.
#[derive(Debug, Clone, serde::Serialize)]
pub struct McpStub {
    pub slug: String,
    pub display_name: String,
    pub description: Option<String>,
    pub manifest_hash: String,
    /// `gating_fingerprint` of the operator overrides the tools' `gated` flags reflect.
    pub gating: String,
    pub tools: Vec<McpTool>,
}

/// What a generated file's header says it was generated from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StubHeader {
    pub manifest_hash: String,
    pub generator: String,
    pub gating: String,
}

/// One manifest operation, exposed as one MCP tool.
#[derive(Debug, Clone, serde::Serialize)]
pub struct McpTool {
    pub name: String,
    pub description: Option<String>,
    pub scope: String,
    pub gated: bool,
    pub read_only: bool,
    /// Published verbatim as the tool's inputSchema; must be a JSON object.
    pub input_schema: serde_json::Value,
}

#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    #[error("cannot render mcp.py: {0}")]
    Template(String),
    #[error("refusing to generate mcp.py: {what}")]
    Refused { what: String },
}

/// What the template sees: the schema arrives pre-serialized as a string.
#[derive(Serialize)]
struct StubView<'a> {
    slug: &'a str,
    display_name: &'a str,
    description: Option<&'a str>,
    manifest_hash: &'a str,
    generator: &'static str,
    gating: &'a str,
    tools: Vec<ToolView<'a>>,
}

#[derive(Serialize)]
struct ToolView<'a> {
    name: &'a str,
    description: Option<&'a str>,
    scope: &'a str,
    gated: bool,
    read_only: bool,
    input_schema_json: String,
}

/// Renders the connector's `mcp.py`; identical input gives identical bytes.
pub fn render_mcp(stub: &McpStub) -> Result<String, CodegenError> {
    let mut seen = HashSet::new();
    let mut tools = Vec::with_capacity(stub.tools.len());
    for tool in &stub.tools {
        if !is_identifier(&tool.name) {
            return Err(refused(format!(
                "tool name {:?} is not a Python identifier",
                tool.name
            )));
        }
        if !seen.insert(tool.name.as_str()) {
            return Err(refused(format!("tool name {:?} appears twice", tool.name)));
        }
        if !tool.input_schema.is_object() {
            return Err(refused(format!(
                "input schema of tool {:?} is not a JSON object",
                tool.name
            )));
        }
        let input_schema_json = serde_json::to_string(&sorted(&tool.input_schema))
            .map_err(|e| CodegenError::Template(e.to_string()))?;
        tools.push(ToolView {
            name: &tool.name,
            description: tool.description.as_deref(),
            scope: &tool.scope,
            gated: tool.gated,
            read_only: tool.read_only,
            input_schema_json,
        });
    }
    let view = StubView {
        slug: &stub.slug,
        display_name: &stub.display_name,
        description: stub.description.as_deref(),
        manifest_hash: &stub.manifest_hash,
        generator: generator_fingerprint(),
        gating: &stub.gating,
        tools,
    };
    let env = ENVIRONMENT
        .as_ref()
        .map_err(|e| CodegenError::Template(e.clone()))?;
    env.get_template("mcp.py.j2")
        .and_then(|t| t.render(Serde(&view)))
        .map_err(|e| CodegenError::Template(error_chain(&e)))
}

/// FNV-1a 64 of the template and renderer revision, as 16 hex digits.
pub fn generator_fingerprint() -> &'static str {
    FINGERPRINT
}

/// Fingerprint of a connector's operator gating overrides `(scope, requires_firearm)`, in any
/// order: `"none"` when there are none, else the SHA-256 of the sorted list. The declared gating
/// is covered by the manifest hash, so both together determine the gating in effect.
pub fn gating_fingerprint(overrides: &[(String, bool)]) -> String {
    if overrides.is_empty() {
        return "none".to_owned();
    }
    let mut sorted: Vec<&(String, bool)> = overrides.iter().collect();
    sorted.sort();
    // JSON keeps the encoding unambiguous whatever the scope names hold.
    let canonical = serde_json::to_string(&sorted).unwrap_or_default();
    Sha256::digest(canonical.as_bytes())
        .iter()
        .fold(String::with_capacity(64), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// Reads the header back from a generated file; `None` unless the first lines carry the
/// manifest hash, the generator and the gating fingerprint (older files lack the last).
pub fn read_header(existing: &str) -> Option<StubHeader> {
    let mut fields: [Option<String>; 3] = Default::default();
    let prefixes = [HASH_PREFIX, GENERATOR_PREFIX, GATING_PREFIX];
    for line in existing.lines().take(HEADER_LINES) {
        for (field, prefix) in fields.iter_mut().zip(prefixes) {
            if let Some(rest) = line.strip_prefix(prefix) {
                *field = serde_json::from_str::<String>(rest).ok();
            }
        }
    }
    let [hash, generator, gating] = fields;
    Some(StubHeader {
        manifest_hash: hash?,
        generator: generator?,
        gating: gating?,
    })
}

/// Built and compiled once: a sync renders thousands of stubs.
static ENVIRONMENT: std::sync::LazyLock<Result<Environment<'static>, String>> =
    std::sync::LazyLock::new(|| environment().map_err(|e| error_chain(&e)));

fn environment() -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()?,
    );
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // The formatter does all escaping; HTML escaping would only corrupt it.
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_formatter(python_literal);
    env.add_template("mcp.py.j2", TEMPLATE)?;
    Ok(env)
}

/// The one way template values reach the output: as Python string literals.
fn python_literal(out: &mut Output, _: &mut State, value: &Value) -> Result<(), Error> {
    match (value.kind(), value.as_str()) {
        (ValueKind::String, Some(text)) => Ok(out.write_str(&py_str(text))?),
        (kind, _) => Err(Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "only strings may be printed into mcp.py, got {kind}; use {{% if %}} for the rest"
            ),
        )),
    }
}

/// JSON string escapes mean the same in Python. On top, invisible and bidi
/// characters (all in the BMP, so `\uXXXX` works in both) are escaped so a
/// reviewer sees exactly what the literal holds.
fn py_str(text: &str) -> String {
    let json = serde_json::Value::from(text).to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if is_invisible(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{7f}'..='\u{9f}' | '\u{ad}' | '\u{61c}' | '\u{180e}' | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Object keys sorted at every depth, so output never depends on source order.
fn sorted(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sorted(v)))
                    .collect(),
            )
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.iter().map(sorted).collect())
        }
        other => other.clone(),
    }
}

fn refused(what: String) -> CodegenError {
    CodegenError::Refused { what }
}

fn error_chain(err: &Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let _ = write!(text, ": {cause}");
        source = cause.source();
    }
    text
}

const FINGERPRINT_HEX: [u8; 16] = hex(fnv1a(&[RENDERER_REVISION, TEMPLATE]));
const FINGERPRINT: &str = match std::str::from_utf8(&FINGERPRINT_HEX) {
    Ok(text) => text,
    Err(_) => panic!("hex digits are ASCII"),
};

const fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut p = 0;
    while p < parts.len() {
        let bytes = parts[p].as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            hash ^= bytes[i] as u64;
            hash = hash.wrapping_mul(0x0100_0000_01b3);
            i += 1;
        }
        p += 1;
    }
    hash
}

const fn hex(value: u64) -> [u8; 16] {
    let digits = b"0123456789abcdef";
    let mut out = [0u8; 16];
    let mut i = 0;
    while i < 16 {
        out[i] = digits[((value >> (60 - 4 * i)) & 0xf) as usize];
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_everything_python_could_misread() {
        assert_eq!(py_str("a\"b\\c\nd\u{0}"), r#""a\"b\\c\nd\u0000""#);
        assert_eq!(py_str("x\u{202e}y\u{2028}z"), r#""x\u202ey\u2028z""#);
        assert_eq!(py_str("café"), "\"café\"");
    }

    fn overrides(list: &[(&str, bool)]) -> Vec<(String, bool)> {
        list.iter().map(|(s, g)| (s.to_string(), *g)).collect()
    }

    #[test]
    fn gating_fingerprint_ignores_order_and_tells_overrides_apart() {
        let fp = |list: &[(&str, bool)]| gating_fingerprint(&overrides(list));
        assert_eq!(fp(&[]), "none");
        let ab = fp(&[("a", true), ("b", false)]);
        assert_eq!(ab, fp(&[("b", false), ("a", true)]));
        assert_eq!(ab.len(), 64);
        let others = [
            fp(&[("a", true)]),
            fp(&[("a", true), ("b", true)]),
            fp(&[("a", false), ("b", false)]),
            fp(&[("a", true), ("c", false)]),
            fp(&[("a\",true],[\"b", false)]),
        ];
        for other in &others {
            assert_ne!(&ab, other);
            assert_ne!(other, "none");
        }
    }

    #[test]
    fn header_without_gating_line_is_not_read() {
        let old =
            "# godconfig-manifest-hash: \"abc\"\n# godconfig-generator: \"0123\"\nimport os\n";
        assert_eq!(read_header(old), None);
        let new = old.replace("import os", "# godconfig-gating: \"none\"");
        assert_eq!(
            read_header(&new),
            Some(StubHeader {
                manifest_hash: "abc".into(),
                generator: "0123".into(),
                gating: "none".into(),
            })
        );
        assert_eq!(read_header(&new.replace("\"none\"", "none")), None);
    }

    #[test]
    fn formatter_refuses_non_strings() {
        let env = environment().unwrap();
        for source in [
            "{{ 1 }}",
            "{{ true }}",
            "{{ none }}",
            "{{ [1] }}",
            "{{ {'a': 1} }}",
            "{{ nope }}",
        ] {
            assert!(env.render_str(source, ()).is_err(), "{source} rendered");
        }
        assert_eq!(env.render_str("{{ 'x' | safe }}", ()).unwrap(), "\"x\"");
    }
}
