//! Manifest diagnostics: one per problem, with a stable code, a location and a hint.

use serde::Serialize;
use std::fmt;

/// Stable diagnostic codes. The string form is part of the CLI and JSON contract: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Code {
    Io,
    TooLarge,
    NotUtf8,
    YamlSyntax,
    LimitExceeded,
    UnknownField,
    MissingField,
    InvalidType,
    DuplicateKey,
    InvalidValue,
    InvalidPattern,
    InvalidLength,
    ControlCharacter,
    SlugMismatch,
    DuplicateName,
    UnknownScope,
    InvalidUrl,
    InvalidVersion,
    AuthFieldNotAllowed,
    InvalidInputSchema,
    EmptyScopes,
    MissingManifest,
    /// A connector folder holds something that is not a regular file or folder (a symlink, a
    /// FIFO…), so its code cannot be fingerprinted.
    UnsupportedFile,
    /// `service.py` does not parse as Python.
    PythonSyntax,
    /// An operation has no top-level function of its name in `service.py`.
    MissingFunction,
    /// A function cannot be called the way `mcp.py` calls it: `service.<op>(**arguments)`.
    FunctionSignature,
    /// A `.env` file in a connector folder: secrets live in the vault, never in files.
    EnvFile,
    /// A manifest declares operations and its folder has no `service.py`.
    MissingService,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Io => "io",
            Code::TooLarge => "too-large",
            Code::NotUtf8 => "not-utf8",
            Code::YamlSyntax => "yaml-syntax",
            Code::LimitExceeded => "limit-exceeded",
            Code::UnknownField => "unknown-field",
            Code::MissingField => "missing-field",
            Code::InvalidType => "invalid-type",
            Code::DuplicateKey => "duplicate-key",
            Code::InvalidValue => "invalid-value",
            Code::InvalidPattern => "invalid-pattern",
            Code::InvalidLength => "invalid-length",
            Code::ControlCharacter => "control-character",
            Code::SlugMismatch => "slug-mismatch",
            Code::DuplicateName => "duplicate-name",
            Code::UnknownScope => "unknown-scope",
            Code::InvalidUrl => "invalid-url",
            Code::InvalidVersion => "invalid-version",
            Code::AuthFieldNotAllowed => "auth-field-not-allowed",
            Code::InvalidInputSchema => "invalid-input-schema",
            Code::EmptyScopes => "empty-scopes",
            Code::MissingManifest => "missing-manifest",
            Code::UnsupportedFile => "unsupported-file",
            Code::PythonSyntax => "python-syntax",
            Code::MissingFunction => "missing-function",
            Code::FunctionSignature => "function-signature",
            Code::EnvFile => "env-file",
            Code::MissingService => "missing-service",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column, plus the byte range it covers in the source (for miette labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    pub offset: usize,
    pub length: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Diagnostic {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub hint: String,
    #[serde(skip)]
    pub offset: usize,
    #[serde(skip)]
    pub length: usize,
}

impl Diagnostic {
    pub fn error(
        path: &str,
        pos: Position,
        code: Code,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.to_string(),
            line: pos.line.max(1),
            column: pos.column.max(1),
            severity: Severity::Error,
            code,
            message: message.into(),
            hint: hint.into(),
            offset: pos.offset,
            length: pos.length,
        }
    }

    pub fn warning(
        path: &str,
        code: Code,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        let mut d = Diagnostic::error(path, Position::default(), code, message, hint);
        d.severity = Severity::Warning;
        d
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The compiler-style line: `path:line:col: error[CODE]: message`, then the hint on its own line.
    pub fn render_plain(&self) -> String {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!(
            "{}:{}:{}: {}[{}]: {}\n  hint: {}",
            self.path, self.line, self.column, sev, self.code, self.message, self.hint
        )
    }

    /// A miette report with the source snippet and a label under the offending span.
    pub fn to_report(&self, source: &str) -> miette::Report {
        let len = self.length.min(source.len().saturating_sub(self.offset));
        let diag = miette::MietteDiagnostic::new(self.message.clone())
            .with_code(format!("{}", self.code))
            .with_help(self.hint.clone())
            .with_severity(match self.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            })
            .with_label(miette::LabeledSpan::at(
                self.offset..self.offset + len,
                "here",
            ));
        miette::Report::new(diag).with_source_code(miette::NamedSource::new(
            self.path.clone(),
            source.to_string(),
        ))
    }
}

/// Version of the JSON document printed by `--format json`. Bump on any breaking change.
pub const REPORT_VERSION: u32 = 1;

/// The machine-readable report shared by `check --format json` and `sync --format json`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CheckReport {
    pub version: u32,
    pub checked: usize,
    pub valid: usize,
    pub invalid: usize,
    pub diagnostics: Vec<Diagnostic>,
}

/// Maps 1-based line/column (in characters) to byte offsets, and back.
pub struct LineIndex<'a> {
    src: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(src: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { src, starts }
    }

    /// Byte offset of a 1-based (line, column in chars); clamps to the end of the source.
    pub fn offset(&self, line: u32, column: u32) -> usize {
        let Some(&start) = self.starts.get(line.saturating_sub(1) as usize) else {
            return self.src.len();
        };
        let rest = &self.src[start..];
        rest.char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map(|(i, _)| start + i)
            .unwrap_or(self.src.len())
    }

    /// Position of a 1-based line/column, spanning to the end of the token there.
    pub fn position(&self, line: u32, column: u32) -> Position {
        let offset = self.offset(line, column);
        let rest = &self.src[offset..];
        let length = rest.find(['\n', '\r']).unwrap_or(rest.len());
        Position {
            line,
            column,
            offset,
            length,
        }
    }

    /// 1-based line/column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.src.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = self.src[start..offset].chars().count() + 1;
        (line as u32, col as u32)
    }
}

/// The closest candidate within a small edit distance, for "did you mean" hints.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Hint for an unknown field: "did you mean" the closest known one, else the known fields.
/// Also returns the suggestion, if any.
pub fn unknown_field_hint<'a>(field: &str, known: &[&'a str]) -> (Option<&'a str>, String) {
    match did_you_mean(field, known.iter().copied()) {
        Some(m) => (Some(m), format!("did you mean `{m}`?")),
        None => (None, format!("known fields here: {}", known.join(", "))),
    }
}

/// Hint for a value outside a fixed set: "did you mean" the closest one, and the set.
pub fn allowed_values_hint(value: &str, allowed: &[&str]) -> String {
    match did_you_mean(value, allowed.iter().copied()) {
        Some(m) => format!("did you mean `{m}`? allowed: {}", allowed.join(", ")),
        None => format!("allowed values: {}", allowed.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_round_trips() {
        let src = "a: 1\nbé: 2\n";
        let idx = LineIndex::new(src);
        assert_eq!(idx.offset(2, 1), 5);
        assert_eq!(idx.offset(2, 3), 8);
        assert_eq!(idx.line_col(8), (2, 3));
        assert_eq!(idx.position(2, 1).length, 6);
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("scopez", ["scopes", "kpis"]), Some("scopes"));
        assert_eq!(did_you_mean("zzz", ["scopes", "kpis"]), None);
    }
}
