//! Parameter patterns: literal text with placeholders. `{connector}`, `{content_type}`,
//! `{campaign}` and `{date:%Y%m%d}` are built in; any other `{name}` is a free variable the
//! link builder must fill. Braces always open a placeholder (UTM values never need them).

use chrono::format::{Item, StrftimeItems};
use chrono::NaiveDate;
use godconfig_manifest::diagnostic::did_you_mean;
use std::collections::BTreeMap;

const BUILTINS: [&str; 4] = ["connector", "content_type", "campaign", "date"];
const DEFAULT_DATE: &str = "%Y%m%d";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Lit(String),
    Connector,
    ContentType,
    /// Filled by the link builder, like a free variable, but every template knows it.
    Campaign,
    Date(String),
    Var(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern(pub Vec<Segment>);

/// Why a pattern does not parse: (code, message, fix).
pub type PatternError = (&'static str, String, String);

/// What a pattern is filled with.
pub struct Inputs<'a> {
    pub connector: &'a str,
    pub content_type: &'a str,
    pub campaign: Option<&'a str>,
    pub vars: &'a BTreeMap<String, String>,
    pub today: NaiveDate,
}

fn is_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|f| f.is_ascii_lowercase())
        && s.len() <= 32
        && c.all(|x| x.is_ascii_lowercase() || x.is_ascii_digit() || x == '_')
}

fn placeholder(inner: &str) -> Result<Segment, PatternError> {
    let (name, arg) = match inner.split_once(':') {
        Some((n, a)) => (n, Some(a)),
        None => (inner, None),
    };
    let unknown = |why: String| {
        let fix = match did_you_mean(&name.to_ascii_lowercase(), BUILTINS) {
            Some(b) => format!("did you mean `{{{b}}}`? Placeholders: {{connector}}, {{content_type}}, {{campaign}}, {{date:%Y%m%d}}, or a free variable like {{region}}"),
            None => "use {connector}, {content_type}, {campaign}, {date:%Y%m%d}, or a free variable named in a-z, 0-9 and _ (like {region})".into(),
        };
        Err(("utm.unknown_placeholder", why, fix))
    };
    match (name, arg) {
        ("connector", None) => Ok(Segment::Connector),
        ("content_type", None) => Ok(Segment::ContentType),
        ("campaign", None) => Ok(Segment::Campaign),
        ("date", None) => Ok(Segment::Date(DEFAULT_DATE.into())),
        ("date", Some(f)) => {
            // A time or zone code (%H, %z…) cannot format a date: chrono would fail at build time.
            let bad = f.is_empty()
                || StrftimeItems::new(f).any(|i| matches!(i, Item::Error))
                || format_date(NaiveDate::MIN, f).is_none();
            if bad {
                return Err((
                    "utm.unknown_placeholder",
                    format!("`{{date:{f}}}` is not a valid date format"),
                    "use date codes only (no time or zone), like {date:%Y%m%d} or {date:%Y-%m}"
                        .into(),
                ));
            }
            Ok(Segment::Date(f.to_string()))
        }
        (n, Some(_)) if BUILTINS.contains(&n) => {
            unknown(format!("`{{{inner}}}`: only {{date:…}} takes a format"))
        }
        (n, Some(_)) => unknown(format!("unknown placeholder `{{{n}:…}}`")),
        (n, None) if !is_name(n) => unknown(format!("unknown placeholder `{{{n}}}`")),
        // A near miss of a built-in is a typo, not a new free variable.
        (n, None) => match did_you_mean(n, BUILTINS).filter(|b| strsim_close(n, b)) {
            Some(_) => unknown(format!("unknown placeholder `{{{n}}}`")),
            None => Ok(Segment::Var(n.to_string())),
        },
    }
}

/// `compaign` is a typo of `campaign`; `region` is a free variable.
fn strsim_close(a: &str, b: &str) -> bool {
    a.len() >= 4 && strsim::levenshtein(a, b) <= 2
}

/// The date in `f`, or None when `f` needs more than a date (checked when the pattern parses).
fn format_date(d: NaiveDate, f: &str) -> Option<String> {
    use std::fmt::Write;
    let mut out = String::new();
    write!(out, "{}", d.format(f)).ok().map(|_| out)
}

impl Pattern {
    pub fn parse(text: &str) -> Result<Pattern, PatternError> {
        let mut out = Vec::new();
        let mut lit = String::new();
        let mut rest = text;
        while let Some(i) = rest.find(['{', '}']) {
            lit.push_str(&rest[..i]);
            if rest[i..].starts_with('}') {
                return Err((
                    "utm.bad_pattern",
                    format!("`}}` without a `{{` in `{text}`"),
                    "remove it, or open the placeholder with `{`".into(),
                ));
            }
            let after = &rest[i + 1..];
            let Some(end) = after
                .find(['{', '}'])
                .filter(|&e| after[e..].starts_with('}'))
            else {
                return Err((
                    "utm.bad_pattern",
                    format!("`{{` is not closed in `{text}`"),
                    "close the placeholder with `}`, like {campaign}".into(),
                ));
            };
            if !lit.is_empty() {
                out.push(Segment::Lit(std::mem::take(&mut lit)));
            }
            out.push(placeholder(&after[..end])?);
            rest = &after[end + 1..];
        }
        lit.push_str(rest);
        if !lit.is_empty() {
            out.push(Segment::Lit(lit));
        }
        Ok(Pattern(out))
    }

    /// The inputs the link builder must give: `campaign` and free variables, in order, once.
    pub fn variables(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in &self.0 {
            let name = match s {
                Segment::Campaign => "campaign",
                Segment::Var(v) => v,
                _ => continue,
            };
            if !out.iter().any(|o| o == name) {
                out.push(name.to_string());
            }
        }
        out
    }

    /// The literal text, or None when the pattern has a placeholder.
    pub fn literal(&self) -> Option<String> {
        self.0
            .iter()
            .map(|s| {
                if let Segment::Lit(l) = s {
                    Some(l.as_str())
                } else {
                    None
                }
            })
            .collect()
    }

    pub fn literal_parts(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|s| {
            if let Segment::Lit(l) = s {
                Some(l.as_str())
            } else {
                None
            }
        })
    }

    /// The value, or the first variable with no (or a blank) value.
    pub fn render(&self, inputs: &Inputs) -> Result<String, String> {
        let mut out = String::new();
        for s in &self.0 {
            let given = |name: &str, v: Option<&str>| {
                v.map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
                    .ok_or_else(|| name.to_string())
            };
            match s {
                Segment::Lit(l) => out.push_str(l),
                Segment::Connector => out.push_str(inputs.connector),
                Segment::ContentType => out.push_str(inputs.content_type),
                Segment::Campaign => out.push_str(&given("campaign", inputs.campaign)?),
                Segment::Date(f) => out.push_str(&format_date(inputs.today, f).unwrap_or_default()),
                Segment::Var(v) => out.push_str(&given(v, inputs.vars.get(v).map(String::as_str))?),
            }
        }
        Ok(out)
    }
}
