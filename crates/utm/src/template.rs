//! One UTM template per content type: a pattern per parameter, and the rules its values follow.

use crate::param::Param;
use crate::pattern::Pattern;
use crate::rules::{CharSet, Rules, MAX_MAX_LENGTH};
use crate::violation::Violation;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UtmTemplate {
    /// The content type connectors declare in `utm_capabilities` (`email`, `social`, …).
    pub content_type: String,
    pub description: String,
    /// A value or pattern per parameter; a parameter not listed is not set.
    pub params: BTreeMap<Param, String>,
    pub rules: Rules,
}

/// The content-type rule of the manifest contract (`utm_capabilities`).
pub fn content_type_problem(ct: &str) -> Option<String> {
    let ok = ct.len() <= 32
        && ct.starts_with(|c: char| c.is_ascii_lowercase())
        && ct
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    (!ok).then(|| format!("`{ct}` is not a content type: 1–32 characters of a-z, 0-9 and _, starting with a letter (like paid_search)"))
}

impl UtmTemplate {
    /// The parsed patterns (a parameter whose pattern does not parse is left out).
    pub fn patterns(&self) -> BTreeMap<Param, Pattern> {
        self.params
            .iter()
            .filter_map(|(p, t)| Pattern::parse(t).ok().map(|pat| (*p, pat)))
            .collect()
    }

    /// Every input the link builder must ask for: `campaign` and the free variables, once each.
    pub fn variables(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for pat in self.patterns().values() {
            for v in pat.variables() {
                if !out.contains(&v) {
                    out.push(v);
                }
            }
        }
        out
    }
}

/// Every problem of a template, before it is saved or imported; empty when it is sound.
pub fn check_template(t: &UtmTemplate) -> Vec<Violation> {
    let mut out = Vec::new();
    if let Some(why) = content_type_problem(&t.content_type) {
        out.push(Violation::new(
            "utm.content_type",
            "content_type",
            why,
            "rename it to match the connectors' utm_capabilities",
        ));
    }
    let r = &t.rules;
    if let Err(why) = CharSet::parse(&r.allowed_chars) {
        out.push(Violation::new(
            "utm.bad_rule",
            "rules.allowed_chars",
            why,
            format!(
                "list ranges and characters, like {}",
                crate::rules::DEFAULT_CHARS
            ),
        ));
    }
    if r.max_length == 0 || r.max_length > MAX_MAX_LENGTH {
        out.push(Violation::new(
            "utm.bad_rule",
            "rules.max_length",
            format!("a maximum length of {} is out of range", r.max_length),
            format!("use 1–{MAX_MAX_LENGTH} (100 is usual)"),
        ));
    }
    for p in Param::ALL {
        let field = p.key();
        let text = t.params.get(&p).map(String::as_str);
        if r.required.contains(&p) && text.is_none_or(|s| s.trim().is_empty()) {
            out.push(Violation::new(
                "utm.required",
                field,
                format!("{p} is required but has no value"),
                format!("give {p} a value or a pattern like {{campaign}}, or make it optional"),
            ));
            continue;
        }
        let Some(text) = text else { continue };
        if text.trim().is_empty() {
            out.push(Violation::new(
                "utm.bad_pattern",
                field,
                format!("{p} is empty"),
                "give it a value, or remove it to leave it unset",
            ));
            continue;
        }
        let pat = match Pattern::parse(text) {
            Ok(pat) => pat,
            Err((code, message, fix)) => {
                out.push(Violation::new(code, field, message, fix));
                continue;
            }
        };
        match pat.literal() {
            // A fixed value must pass every rule itself.
            Some(value) => out.extend(r.check(p, &value, field)),
            // Literal parts cannot be checked against allowed values, only their characters.
            None => {
                let lits: String = pat.literal_parts().collect();
                let mut parts = r.clone();
                parts.allowed_values.clear();
                parts.max_length = u32::MAX;
                out.extend(parts.check(p, &lits, field).into_iter().map(|mut v| {
                    v.message = format!("the fixed text of {p} (`{text}`): {}", v.message);
                    v
                }));
            }
        }
    }
    for (p, values) in &r.allowed_values {
        let field = format!("rules.allowed_values.{p}");
        let mut plain = r.clone();
        plain.allowed_values.clear();
        for v in values {
            out.extend(plain.check(*p, v, &field).into_iter().map(|mut x| {
                x.message = format!("allowed value: {}", x.message);
                x
            }));
        }
    }
    out
}
