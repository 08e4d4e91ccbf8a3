//! Building a tagged link, and checking a link someone else built.

use crate::param::Param;
use crate::pattern::Inputs;
use crate::template::UtmTemplate;
use crate::violation::Violation;
use chrono::NaiveDate;
use godconfig_manifest::diagnostic::did_you_mean;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use url::Url;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LinkRequest {
    pub connector: String,
    pub content_type: String,
    pub base_url: String,
    pub campaign: Option<String>,
    /// Free variables by name.
    pub vars: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Link {
    pub url: String,
    /// The parameters set, in URL order.
    pub params: Vec<(Param, String)>,
}

const UNSAFE_SCHEMES: [&str; 4] = ["javascript", "data", "vbscript", "file"];

/// The base URL, if it is an absolute http(s) URL.
pub fn parse_base(text: &str) -> Result<Url, Violation> {
    let text = text.trim();
    let url = Url::parse(text).map_err(|e| {
        Violation::new(
            "utm.bad_url",
            "base_url",
            format!("`{text}` is not a URL ({e})"),
            "give a full address, like https://example.com/spring-sale",
        )
    })?;
    match url.scheme() {
        // Links are shared and kept in the history: never with credentials in them.
        "http" | "https" if !url.username().is_empty() || url.password().is_some() => {
            Err(Violation::new(
                "utm.bad_url",
                "base_url",
                "the URL carries a user name or password",
                "remove the `user:password@` part: tagged links are shared and kept in the history",
            ))
        }
        "http" | "https" if url.host().is_some() => Ok(url),
        s if UNSAFE_SCHEMES.contains(&s) => Err(Violation::new(
            "utm.unsafe_url",
            "base_url",
            format!(
                "a {s}: URL is refused: it does not lead to a page and can run code or read files"
            ),
            "give an http(s) address, like https://example.com/spring-sale",
        )),
        s => Err(Violation::new(
            "utm.bad_url",
            "base_url",
            format!("only http and https links can be tagged, not {s}:"),
            "give an http(s) address, like https://example.com/spring-sale",
        )),
    }
}

/// `utm_source=x` (in any encoding of the key) is a UTM parameter.
fn is_utm_pair(part: &str) -> bool {
    let key = part.split('=').next().unwrap_or("");
    url::form_urlencoded::parse(key.as_bytes())
        .next()
        .is_some_and(|(k, _)| Param::parse(&k).is_some())
}

/// The tagged URL, or every problem at once (nothing is built while any remains).
pub fn build_link(
    t: &UtmTemplate,
    req: &LinkRequest,
    today: NaiveDate,
) -> Result<Link, Vec<Violation>> {
    let mut problems = Vec::new();
    let base = parse_base(&req.base_url).map_err(|v| problems.push(v)).ok();
    let inputs = Inputs {
        connector: &req.connector,
        content_type: &t.content_type,
        campaign: req.campaign.as_deref(),
        vars: &req.vars,
        today,
    };
    let mut params = Vec::new();
    for (p, pat) in t.patterns() {
        match pat.render(&inputs) {
            Ok(v) if v.is_empty() => {}
            Ok(v) => {
                problems.extend(t.rules.check(p, &v, p.key()));
                params.push((p, v));
            }
            Err(var) => {
                let field = if var == "campaign" {
                    "campaign".to_string()
                } else {
                    format!("vars.{var}")
                };
                if !problems.iter().any(|x: &Violation| x.field == field) {
                    problems.push(Violation::new(
                        "utm.missing_var",
                        field,
                        format!("{p} needs `{{{var}}}`, which is empty"),
                        format!("fill in {var}"),
                    ));
                }
            }
        }
    }
    for p in &t.rules.required {
        if !t.params.contains_key(p) {
            problems.push(Violation::new(
                "utm.required",
                p.key(),
                format!("{p} is required but the template gives it no value"),
                "add it to the template",
            ));
        }
    }
    let Some(mut url) = base.filter(|_| problems.is_empty()) else {
        return Err(problems);
    };
    params.sort_by_key(|(p, _)| *p);
    // The base URL's own parameters stay as written, in order; any UTM parameter already there
    // goes (a pasted tagged link must not keep stale tags), and the template's follow.
    let mut query: Vec<String> = url
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|part| !part.is_empty() && !is_utm_pair(part))
        .map(str::to_string)
        .collect();
    if !params.is_empty() {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        s.extend_pairs(params.iter().map(|(p, v)| (p.key(), v.as_str())));
        query.push(s.finish());
    }
    url.set_query((!query.is_empty()).then(|| query.join("&")).as_deref());
    Ok(Link {
        url: url.into(),
        params,
    })
}

/// Every rule a finished link breaks against a template (for a campaign sheet).
pub fn check_url(t: &UtmTemplate, text: &str) -> Vec<Violation> {
    let url = match parse_base(text) {
        Ok(u) => u,
        Err(v) => {
            return vec![Violation {
                field: "url".into(),
                ..v
            }]
        }
    };
    let mut out = Vec::new();
    let mut seen: BTreeMap<Param, String> = BTreeMap::new();
    for (k, v) in url.query_pairs() {
        if !k.starts_with("utm_") {
            continue;
        }
        let Some(p) = Param::parse(&k) else {
            let fix = did_you_mean(&k, Param::keys()).map_or_else(
                || format!("UTM parameters: {}", Param::keys().join(", ")),
                |m| format!("did you mean `{m}`?"),
            );
            out.push(Violation::new(
                "utm.unknown_param",
                k.to_string(),
                format!("`{k}` is not a UTM parameter"),
                fix,
            ));
            continue;
        };
        if seen.insert(p, v.to_string()).is_some() {
            out.push(Violation::new(
                "utm.duplicate",
                p.key(),
                format!("{p} appears more than once"),
                "keep one",
            ));
            continue;
        }
        out.extend(t.rules.check(p, &v, p.key()));
        if let Some(fixed) = t
            .patterns()
            .get(&p)
            .and_then(|pat| pat.literal())
            .filter(|f| *f != v)
        {
            out.push(Violation::new(
                "utm.not_allowed",
                p.key(),
                format!(
                    "{p} is `{v}`; the {} template sets `{fixed}`",
                    t.content_type
                ),
                format!("use `{fixed}`"),
            ));
        }
    }
    for p in &t.rules.required {
        if !seen.contains_key(p) {
            out.push(Violation::new(
                "utm.required",
                p.key(),
                format!("{p} is missing"),
                format!(
                    "add {p}; the {} template's link builder sets it",
                    t.content_type
                ),
            ));
        }
    }
    out
}

/// The template a finished link was most likely built from: the one whose fixed utm_medium it
/// carries (the medium is what a content type is about).
pub fn template_for<'a>(templates: &'a [UtmTemplate], text: &str) -> Option<&'a UtmTemplate> {
    let url = Url::parse(text.trim()).ok()?;
    let medium = url
        .query_pairs()
        .find(|(k, _)| k == "utm_medium")?
        .1
        .into_owned();
    templates.iter().find(|t| {
        t.patterns()
            .get(&Param::Medium)
            .and_then(|p| p.literal())
            .as_deref()
            == Some(medium.as_str())
    })
}
