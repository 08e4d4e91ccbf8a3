//! A template's governance rules, and the check of one parameter value against them.

use crate::param::Param;
use crate::violation::Violation;
use godconfig_manifest::diagnostic::did_you_mean;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const DEFAULT_CHARS: &str = "a-z0-9_.-";
pub const DEFAULT_MAX_LENGTH: u32 = 100;
/// Longer values make URLs that mail clients and sheets truncate.
pub const MAX_MAX_LENGTH: u32 = 500;

/// Every field is always present (YAML files get the defaults in `yaml.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Rules {
    /// Parameters that must have a non-empty value.
    pub required: Vec<Param>,
    /// No capital letters (analytics tools treat `Email` and `email` as two mediums).
    pub lowercase: bool,
    /// The characters a value may use: ranges like `a-z` and single characters.
    pub allowed_chars: String,
    /// Per parameter, the only values it may take (empty: any).
    pub allowed_values: BTreeMap<Param, Vec<String>>,
    /// In characters, per value.
    pub max_length: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            required: Param::DEFAULT_REQUIRED.to_vec(),
            lowercase: true,
            allowed_chars: DEFAULT_CHARS.into(),
            allowed_values: BTreeMap::new(),
            max_length: DEFAULT_MAX_LENGTH,
        }
    }
}

/// The parsed `allowed_chars`: inclusive ranges.
#[derive(Debug, Clone)]
pub struct CharSet(Vec<(char, char)>);

impl CharSet {
    /// `a-z0-9_.-`: `x-y` is a range, a `-` first or last is itself.
    pub fn parse(spec: &str) -> Result<CharSet, String> {
        let cs: Vec<char> = spec.chars().collect();
        if cs.is_empty() {
            return Err("the allowed characters are empty".into());
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < cs.len() {
            if i + 2 < cs.len() && cs[i + 1] == '-' {
                let (a, b) = (cs[i], cs[i + 2]);
                if a > b {
                    return Err(format!("the range `{a}-{b}` is backwards"));
                }
                out.push((a, b));
                i += 3;
            } else {
                out.push((cs[i], cs[i]));
                i += 1;
            }
        }
        Ok(CharSet(out))
    }

    pub fn allows(&self, c: char) -> bool {
        self.0.iter().any(|&(a, b)| a <= c && c <= b)
    }
}

impl Rules {
    pub fn charset(&self) -> CharSet {
        CharSet::parse(&self.allowed_chars)
            .unwrap_or_else(|_| CharSet::parse(DEFAULT_CHARS).expect("the default parses"))
    }

    /// The closest value these rules accept: lowercased, other characters replaced, shortened.
    pub fn suggest(&self, value: &str) -> String {
        let set = self.charset();
        let filler = ['_', '-', '.'].into_iter().find(|c| set.allows(*c));
        let mut out = String::new();
        let text = if self.lowercase {
            value.to_lowercase()
        } else {
            value.to_string()
        };
        for c in text.trim().chars() {
            if set.allows(c) {
                out.push(c);
            } else if let Some(f) = filler.filter(|f| !out.ends_with(*f) && !out.is_empty()) {
                out.push(f);
            }
        }
        out.chars().take(self.max_length as usize).collect()
    }

    /// Every rule `value` breaks as the value of `param` (`field` names it for the UI).
    pub fn check(&self, param: Param, value: &str, field: &str) -> Vec<Violation> {
        let mut out = Vec::new();
        let fix = || format!("use `{}`", self.suggest(value));
        if self.lowercase && value.chars().any(char::is_uppercase) {
            out.push(Violation::new(
                "utm.lowercase",
                field,
                format!("{param} `{value}` has capital letters; this template enforces lowercase"),
                fix(),
            ));
        }
        let set = self.charset();
        let bad: Vec<char> = value
            .chars()
            // A capital whose lowercase is allowed is the lowercase rule's, not reported twice.
            .filter(|c| {
                let lowered = self.lowercase && c.is_uppercase();
                let fine = set.allows(*c)
                    || (lowered && set.allows(c.to_lowercase().next().unwrap_or(*c)));
                !fine
            })
            .collect();
        if !bad.is_empty() {
            let shown: String = bad
                .iter()
                .map(|c| {
                    if *c == ' ' {
                        "a space".to_string()
                    } else {
                        format!("`{c}`")
                    }
                })
                .collect::<Vec<_>>()
                .join(", ");
            out.push(Violation::new(
                "utm.chars",
                field,
                format!(
                    "{param} `{value}` uses {shown}, outside the allowed characters {}",
                    self.allowed_chars
                ),
                fix(),
            ));
        }
        if let Some(allowed) = self.allowed_values.get(&param).filter(|a| !a.is_empty()) {
            if !allowed.iter().any(|a| a == value) {
                let hint = match did_you_mean(value, allowed.iter().map(String::as_str)) {
                    Some(m) => format!("did you mean `{m}`? allowed: {}", allowed.join(", ")),
                    None => format!("use one of: {}", allowed.join(", ")),
                };
                out.push(Violation::new(
                    "utm.not_allowed",
                    field,
                    format!("{param} `{value}` is not in its allowed values"),
                    hint,
                ));
            }
        }
        let n = value.chars().count();
        if n > self.max_length as usize {
            out.push(Violation::new(
                "utm.too_long",
                field,
                format!(
                    "{param} is {n} characters; the limit is {}",
                    self.max_length
                ),
                fix(),
            ));
        }
        out
    }
}
