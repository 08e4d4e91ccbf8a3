//! One broken rule: what, where (the field the UI marks, and a line and column for YAML) and
//! how to fix it. Codes are stable: the CLI's JSON and the app match on them.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Violation {
    /// `utm.required`, `utm.lowercase`, `utm.chars`, `utm.not_allowed`, `utm.too_long`,
    /// `utm.missing_var`, `utm.unknown_placeholder`, `utm.bad_pattern`, `utm.bad_url`,
    /// `utm.unsafe_url`, `utm.bad_rule`, `utm.content_type`, `utm.unknown_param`,
    /// `utm.duplicate`, `utm.no_template`, `utm.yaml`.
    pub code: String,
    /// The field: a parameter (`utm_source`), `base_url`, `vars.<name>`, `content_type`,
    /// `rules.<rule>`, or `rules.allowed_values.<param>`.
    pub field: String,
    pub message: String,
    pub fix: String,
    /// 1-based, for YAML imports; 0 when the violation is not about a file.
    pub line: u32,
    pub column: u32,
}

impl Violation {
    pub fn new(
        code: &str,
        field: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Violation {
        Violation {
            code: code.to_string(),
            field: field.into(),
            message: message.into(),
            fix: fix.into(),
            line: 0,
            column: 0,
        }
    }

    pub fn at(mut self, line: u32, column: u32) -> Violation {
        self.line = line;
        self.column = column;
        self
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: ", self.line, self.column)?;
        }
        write!(
            f,
            "error[{}]: {}: {}\n  fix: {}",
            self.code, self.field, self.message, self.fix
        )
    }
}
