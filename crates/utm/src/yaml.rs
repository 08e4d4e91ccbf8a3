//! Templates as a YAML file, for export and import. An import is checked like a manifest: every
//! problem at once, each with its line and column, and nothing is imported while any remains.

use crate::param::Param;
use crate::rules::Rules;
use crate::template::{check_template, UtmTemplate};
use crate::violation::Violation;
use godconfig_manifest::diagnostic::did_you_mean;
use serde::{Deserialize, Serialize};
use serde_saphyr::{Location, Spanned};
use std::collections::BTreeMap;

pub const FILE_VERSION: u32 = 1;

#[derive(Serialize)]
struct FileOut<'a> {
    version: u32,
    templates: &'a [UtmTemplate],
}

pub fn export_yaml(templates: &[UtmTemplate]) -> String {
    let body = serde_saphyr::to_string(&FileOut {
        version: FILE_VERSION,
        templates,
    })
    .expect("templates serialize");
    format!("# God Config UTM templates (import with `sentinel utm import` or the UTM builder).\n{body}")
}

/// A mapping key with its location, ordered by its text (the parser refuses duplicate keys).
struct Key(Spanned<String>);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Spanned::deserialize(d).map(Key)
    }
}
impl PartialEq for Key {
    fn eq(&self, o: &Self) -> bool {
        self.0.value == o.0.value
    }
}
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Key {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0.value.cmp(&o.0.value)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: Spanned<u32>,
    templates: Vec<Spanned<RawTemplate>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    content_type: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    params: BTreeMap<Key, Spanned<String>>,
    rules: Option<Spanned<RawRules>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    required: Option<Spanned<Vec<Spanned<String>>>>,
    lowercase: Option<bool>,
    allowed_chars: Option<Spanned<String>>,
    #[serde(default)]
    allowed_values: BTreeMap<Key, Spanned<Vec<String>>>,
    max_length: Option<Spanned<u32>>,
}

fn at(v: Violation, l: &Location) -> Violation {
    v.at(l.line() as u32, l.column() as u32)
}

fn param_of(key: &Spanned<String>, out: &mut Vec<Violation>, field: &str) -> Option<Param> {
    let p = Param::parse(&key.value);
    if p.is_none() {
        let fix = did_you_mean(&key.value, Param::keys()).map_or_else(
            || format!("UTM parameters: {}", Param::keys().join(", ")),
            |m| format!("did you mean `{m}`?"),
        );
        out.push(at(
            Violation::new(
                "utm.unknown_param",
                field,
                format!("`{}` is not a UTM parameter", key.value),
                fix,
            ),
            &key.referenced,
        ));
    }
    p
}

/// The templates of a YAML file, or every problem in it.
pub fn import_yaml(text: &str) -> Result<Vec<UtmTemplate>, Vec<Violation>> {
    let raw: RawFile =
        serde_saphyr::from_str_with_options(text, godconfig_manifest::yaml_options()).map_err(
            |e| {
                let (line, column, message, hint) = godconfig_manifest::yaml_error(&e);
                vec![Violation::new("utm.yaml", "file", message, hint).at(line, column)]
            },
        )?;
    let mut out = Vec::new();
    if raw.version.value != FILE_VERSION {
        out.push(at(
            Violation::new(
                "utm.yaml",
                "version",
                format!("version {} is not supported", raw.version.value),
                format!("this God Config reads version {FILE_VERSION}"),
            ),
            &raw.version.referenced,
        ));
    }
    let mut templates = Vec::new();
    let mut seen: BTreeMap<String, ()> = BTreeMap::new();
    for t in &raw.templates {
        let (built, places) = convert(&t.value, &mut out);
        if seen.insert(built.content_type.clone(), ()).is_some() {
            out.push(at(
                Violation::new(
                    "utm.duplicate",
                    "content_type",
                    format!("`{}` has two templates", built.content_type),
                    "keep one template per content type",
                ),
                &t.value.content_type.referenced,
            ));
        }
        for v in check_template(&built) {
            let loc = places.get(&v.field).unwrap_or(&t.referenced);
            out.push(at(v, loc));
        }
        templates.push(built);
    }
    if out.is_empty() {
        Ok(templates)
    } else {
        out.sort_by_key(|v| (v.line, v.column));
        Err(out)
    }
}

/// The template, and where each of its fields is in the file (by violation field name).
fn convert(t: &RawTemplate, out: &mut Vec<Violation>) -> (UtmTemplate, BTreeMap<String, Location>) {
    let mut places = BTreeMap::from([("content_type".to_string(), t.content_type.referenced)]);
    let mut params = BTreeMap::new();
    for (k, v) in &t.params {
        if let Some(p) = param_of(&k.0, out, &k.0.value) {
            places.insert(p.key().to_string(), v.referenced);
            params.insert(p, v.value.clone());
        }
    }
    let mut rules = Rules::default();
    if let Some(r) = &t.rules {
        let r = &r.value;
        if let Some(req) = &r.required {
            places.insert("rules.required".into(), req.referenced);
            rules.required = req
                .value
                .iter()
                .filter_map(|k| param_of(k, out, "rules.required"))
                .collect();
            for p in &rules.required {
                places.entry(p.key().to_string()).or_insert(req.referenced);
            }
        }
        if let Some(l) = r.lowercase {
            rules.lowercase = l;
        }
        if let Some(c) = &r.allowed_chars {
            places.insert("rules.allowed_chars".into(), c.referenced);
            rules.allowed_chars = c.value.clone();
        }
        if let Some(m) = &r.max_length {
            places.insert("rules.max_length".into(), m.referenced);
            rules.max_length = m.value;
        }
        for (k, v) in &r.allowed_values {
            if let Some(p) = param_of(&k.0, out, "rules.allowed_values") {
                places.insert(format!("rules.allowed_values.{p}"), v.referenced);
                rules.allowed_values.insert(p, v.value.clone());
            }
        }
    }
    let built = UtmTemplate {
        content_type: t.content_type.value.clone(),
        description: t.description.clone(),
        params,
        rules,
    };
    (built, places)
}
