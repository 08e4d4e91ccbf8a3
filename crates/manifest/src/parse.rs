//! Bytes to `RawManifest`: size, encoding and YAML limits first, then strict serde.

use crate::diagnostic::{
    allowed_values_hint, unknown_field_hint, Code, Diagnostic, LineIndex, Position,
};
use crate::limits::*;
use crate::raw::RawManifest;
use serde_saphyr::{DuplicateKeyPolicy, Error as YamlError, MergeKeyPolicy, Options};

/// The source text, once it is known to be small enough and valid UTF-8.
pub struct Source<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

/// Checks size and encoding. On success returns the text without a UTF-8 BOM.
pub fn decode<'a>(path: &str, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            path,
            Position::default(),
            Code::TooLarge,
            format!("manifest is {} bytes; the limit is {} bytes (1 MiB)", bytes.len(), MAX_FILE_BYTES),
            "keep manifests small: long descriptions belong in the provider's docs, linked by docs_url",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        // The prefix is valid UTF-8 by construction.
        let text = std::str::from_utf8(valid).unwrap_or_default();
        let (line, column) = LineIndex::new(text).line_col(text.len());
        Diagnostic::error(
            path,
            Position {
                line,
                column,
                offset: 0,
                length: 0,
            },
            Code::NotUtf8,
            format!(
                "manifest is not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
            "save the file as UTF-8",
        )
    })
}

/// The hardened parser options (limits, strict booleans, no duplicate keys), shared with the
/// other YAML files God Config reads (UTM templates).
pub fn options() -> Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_anchors = MAX_ANCHORS;
    budget.max_aliases = MAX_ALIASES;
    budget.max_events = MAX_EVENTS;
    budget.max_nodes = MAX_NODES;
    budget.max_documents = 1;
    budget.max_total_scalar_bytes = MAX_FILE_BYTES;
    budget.max_reader_input_bytes = Some(MAX_FILE_BYTES);
    let mut opts = Options::default();
    opts.budget = Some(budget);
    opts.alias_limits.max_total_replayed_events = MAX_EVENTS;
    opts.alias_limits.max_alias_expansions_per_anchor = MAX_ALIASES;
    opts.duplicate_keys = DuplicateKeyPolicy::Error;
    opts.merge_keys = MergeKeyPolicy::Error;
    opts.strict_booleans = true;
    opts.no_schema = true;
    opts.reject_unsupported_tags = true;
    opts.legacy_octal_numbers = false;
    opts.with_snippet = false;
    opts
}

/// Parses into a generic tree with locations (syntax, duplicate keys and limits are checked here).
pub fn parse_tree(
    src: &Source<'_>,
) -> Result<serde_saphyr::Spanned<crate::tree::Node>, Diagnostic> {
    serde_saphyr::from_str_with_options(src.text, options()).map_err(|e| yaml_diagnostic(src, &e))
}

/// Parses strictly. serde stops at the first structural problem, so this yields one diagnostic.
pub fn parse_raw(src: &Source<'_>) -> Result<RawManifest, Diagnostic> {
    serde_saphyr::from_str_with_options::<RawManifest>(src.text, options())
        .map_err(|e| yaml_diagnostic(src, &e))
}

fn yaml_diagnostic(src: &Source<'_>, err: &YamlError) -> Diagnostic {
    let index = LineIndex::new(src.text);
    let pos = err
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| index.position(l.line() as u32, l.column() as u32))
        .unwrap_or(Position {
            line: 1,
            column: 1,
            offset: 0,
            length: 0,
        });
    let (code, message, hint) = describe(err);
    Diagnostic::error(src.path, pos, code, message, hint)
}

/// A YAML error from any God Config file as (line, column, message, hint), 1-based.
pub fn yaml_error(err: &YamlError) -> (u32, u32, String, String) {
    let (line, column) = err
        .location()
        .filter(|l| l.line() > 0)
        .map_or((1, 1), |l| (l.line() as u32, l.column() as u32));
    let (_, message, hint) = describe(err);
    (line, column, message, hint)
}

fn describe(err: &YamlError) -> (Code, String, String) {
    match err {
        YamlError::SerdeUnknownField { field, expected, .. } => {
            let (_, hint) = unknown_field_hint(field, expected);
            (Code::UnknownField, format!("unknown field `{field}`"), hint)
        }
        YamlError::SerdeUnknownVariant { variant, expected, .. } => {
            let hint = allowed_values_hint(variant, expected);
            (Code::InvalidValue, format!("unknown value `{variant}`"), hint)
        }
        YamlError::SerdeMissingField { field, .. } => (
            Code::MissingField,
            format!("missing required field `{field}`"),
            format!("add `{field}:` to this mapping (see `sentinel schema`)"),
        ),
        YamlError::SerdeInvalidType { unexpected, expected, .. } => (
            Code::InvalidType,
            format!("wrong type: found {unexpected}, expected {expected}"),
            type_hint(expected),
        ),
        YamlError::InvalidBooleanStrict { .. } => (
            Code::InvalidType,
            "not a boolean: only `true` and `false` are booleans (YAML 1.2)".into(),
            "write `true` or `false`, unquoted".into(),
        ),
        YamlError::DuplicateMappingKey { key, .. } => (
            Code::DuplicateKey,
            match key {
                Some(k) => format!("key `{k}` appears twice in the same mapping"),
                None => "a key appears twice in the same mapping".into(),
            },
            "remove one of the two entries; YAML mappings cannot repeat a key".into(),
        ),
        YamlError::Budget { breach, .. } => (
            Code::LimitExceeded,
            format!("manifest exceeds a parser limit: {breach:?}"),
            format!(
                "flatten the document: at most {MAX_DEPTH} levels of nesting, {MAX_ANCHORS} anchors and {MAX_ALIASES} aliases"
            ),
        ),
        YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. } => (
            Code::LimitExceeded,
            "aliases expand past the allowed bound".into(),
            "write the values out instead of using anchors and aliases".into(),
        ),
        YamlError::MultipleDocuments { .. } => (
            Code::YamlSyntax,
            "the file holds more than one YAML document".into(),
            "a manifest is a single document: remove the extra `---`".into(),
        ),
        YamlError::Eof { .. } => (
            Code::MissingField,
            "manifest is empty".into(),
            "start from the example in connectors/AGENTS.md or `sentinel schema`".into(),
        ),
        YamlError::NullIntoString { .. } => (
            Code::InvalidType,
            "wrong type: found null, expected a string".into(),
            "give a value, or remove the key if the field is optional".into(),
        ),
        YamlError::QuotingRequired { value, .. } => (
            Code::InvalidType,
            format!("wrong type: `{value}` is not a string here"),
            format!("quote it if it is text: \"{value}\""),
        ),
        other => {
            let message = plain_message(other);
            if message.contains("limit") {
                let hint = format!("flatten the document: at most {MAX_DEPTH} levels of nesting");
                (Code::LimitExceeded, message, hint)
            } else {
                (Code::YamlSyntax, message, "fix the YAML syntax at this position".into())
            }
        }
    }
}

fn type_hint(expected: &str) -> String {
    if expected.contains("bool") {
        "write `true` or `false`, unquoted".into()
    } else if expected.contains("string") {
        "quote the value: numbers and booleans are not strings".into()
    } else if expected.contains("sequence") {
        "write a list: `[a, b]` or one `- item` per line".into()
    } else {
        format!("give {expected} here")
    }
}

/// The library's message without its location suffix, since the diagnostic carries the location.
fn plain_message(err: &YamlError) -> String {
    let mut opts = serde_saphyr::RenderOptions::default();
    opts.snippets = serde_saphyr::SnippetMode::Off;
    let text = err.render_with_options(opts);
    let first = text.lines().next().unwrap_or("invalid YAML").trim();
    match first.find(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}
