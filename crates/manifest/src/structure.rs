//! Manifest v1's shape, checked over the generic tree so that every structural problem is
//! reported, each at its own location.

use crate::diagnostic::{allowed_values_hint, unknown_field_hint, Code, Diagnostic, LineIndex};
use crate::tree::Node;
use serde_saphyr::Spanned;

enum Shape {
    Str,
    Bool,
    Enum(&'static [&'static str]),
    List(&'static Shape),
    Map(&'static [Field]),
    /// A free-form mapping (an operation's input_schema).
    AnyMap,
}

struct Field(&'static str, bool, Shape);

const AUTH: &[Field] = &[
    Field(
        "method",
        true,
        Shape::Enum(&["oauth2", "api_key", "bearer", "basic", "none"]),
    ),
    Field("token_url", false, Shape::Str),
    Field("header_name", false, Shape::Str),
];
const SCOPE: &[Field] = &[
    Field("name", true, Shape::Str),
    Field("description", false, Shape::Str),
    Field("requires_firearm", false, Shape::Bool),
];
const KPI: &[Field] = &[
    Field("raw", true, Shape::Str),
    Field("standard", false, Shape::Str),
    Field("description", false, Shape::Str),
];
const OPERATION: &[Field] = &[
    Field("name", true, Shape::Str),
    Field("description", false, Shape::Str),
    Field("scope", true, Shape::Str),
    Field("input_schema", false, Shape::AnyMap),
];
const MANIFEST: &[Field] = &[
    Field("provider_slug", true, Shape::Str),
    Field("display_name", true, Shape::Str),
    Field("version", false, Shape::Str),
    Field("description", false, Shape::Str),
    Field("docs_url", false, Shape::Str),
    Field("auth", false, Shape::Map(AUTH)),
    Field("secrets", false, Shape::List(&Shape::Str)),
    Field("scopes", true, Shape::List(&Shape::Map(SCOPE))),
    Field("kpis", false, Shape::List(&Shape::Map(KPI))),
    Field("utm_capabilities", false, Shape::List(&Shape::Str)),
    Field("operations", false, Shape::List(&Shape::Map(OPERATION))),
];

struct Walk<'a> {
    path: &'a str,
    index: LineIndex<'a>,
    out: Vec<Diagnostic>,
}

impl Walk<'_> {
    fn report<T>(&mut self, at: &Spanned<T>, code: Code, msg: String, hint: String) {
        let pos = self
            .index
            .position(at.referenced.line() as u32, at.referenced.column() as u32);
        self.out
            .push(Diagnostic::error(self.path, pos, code, msg, hint));
    }

    fn node(&mut self, node: &Spanned<Node>, shape: &Shape, what: &str) {
        let found = node.value.kind();
        match (shape, &node.value) {
            (Shape::Str, Node::Str(_))
            | (Shape::Bool, Node::Bool)
            | (Shape::AnyMap, Node::Map(_)) => {}
            (Shape::Bool, Node::Str(s)) => self.report(
                node,
                Code::InvalidType,
                format!("`{what}` must be true or false, not `{s}`"),
                "write `true` or `false`, unquoted (YAML 1.2 has no yes/no booleans)".into(),
            ),
            (Shape::Enum(allowed), Node::Str(s)) => {
                if !allowed.contains(&s.as_str()) {
                    let hint = allowed_values_hint(s, allowed);
                    self.report(
                        node,
                        Code::InvalidValue,
                        format!("`{what}` has unknown value `{s}`"),
                        hint,
                    );
                }
            }
            (Shape::List(item), Node::Seq(items)) => {
                items.iter().for_each(|i| self.node(i, item, what))
            }
            (Shape::Map(fields), Node::Map(entries)) => self.map(node, fields, entries),
            (Shape::Str | Shape::Enum(_), _) => {
                let hint = match &node.value {
                    Node::Int | Node::Float | Node::Bool => "quote it if it is text".to_string(),
                    _ => "give a single text value".to_string(),
                };
                self.report(
                    node,
                    Code::InvalidType,
                    format!("`{what}` must be a string, found {found}"),
                    hint,
                );
            }
            (Shape::Bool, _) => self.report(
                node,
                Code::InvalidType,
                format!("`{what}` must be true or false, found {found}"),
                "write `true` or `false`".into(),
            ),
            (Shape::List(_), _) => self.report(
                node,
                Code::InvalidType,
                format!("`{what}` must be a list, found {found}"),
                "write a list: `[a, b]`, or one `- item` per line".into(),
            ),
            (Shape::Map(_) | Shape::AnyMap, _) => self.report(
                node,
                Code::InvalidType,
                format!("`{what}` must be a mapping, found {found}"),
                "write `key: value` pairs".into(),
            ),
        }
    }

    fn map(
        &mut self,
        node: &Spanned<Node>,
        fields: &[Field],
        entries: &[(Spanned<String>, Spanned<Node>)],
    ) {
        // A misspelt required field is reported once, as unknown with a suggestion.
        let mut suggested = Vec::new();
        for (key, value) in entries {
            match fields.iter().find(|f| f.0 == key.value) {
                // An empty optional field reads as absent, as serde does.
                Some(f) if !f.1 && matches!(value.value, Node::Null) => {}
                Some(f) => self.node(value, &f.2, f.0),
                None => {
                    let names: Vec<&str> = fields.iter().map(|f| f.0).collect();
                    let (suggestion, hint) = unknown_field_hint(&key.value, &names);
                    suggested.extend(suggestion);
                    self.report(
                        key,
                        Code::UnknownField,
                        format!("unknown field `{}`", key.value),
                        hint,
                    );
                }
            }
        }
        for f in fields.iter().filter(|f| f.1 && !suggested.contains(&f.0)) {
            if !entries.iter().any(|(k, _)| k.value == f.0) {
                self.report(
                    node,
                    Code::MissingField,
                    format!("missing required field `{}`", f.0),
                    format!("add `{}:` to this mapping (see `sentinel schema`)", f.0),
                );
            }
        }
    }
}

/// Every structural problem of a manifest tree, in source order.
pub fn check(path: &str, text: &str, root: &Spanned<Node>) -> Vec<Diagnostic> {
    let mut walk = Walk {
        path,
        index: LineIndex::new(text),
        out: Vec::new(),
    };
    if matches!(root.value, Node::Null) {
        let hint = "start from the example in connectors/AGENTS.md, or see `sentinel schema`";
        walk.report(
            root,
            Code::MissingField,
            "manifest is empty".into(),
            hint.into(),
        );
        return walk.out;
    }
    walk.node(root, &Shape::Map(MANIFEST), "manifest");
    walk.out.sort_by_key(|d| (d.line, d.column));
    walk.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(fields: &[Field]) -> Vec<&str> {
        let mut v: Vec<&str> = fields.iter().map(|f| f.0).collect();
        v.sort();
        v
    }

    fn schema_names(schema: &serde_json::Value) -> Vec<String> {
        let mut v: Vec<String> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        v.sort();
        v
    }

    #[test]
    fn shape_matches_the_typed_model() {
        let schema = crate::json_schema();
        let defs = &schema["definitions"];
        assert_eq!(names(MANIFEST), schema_names(&schema));
        for (fields, def) in [
            (AUTH, "RawAuth"),
            (SCOPE, "RawScope"),
            (KPI, "RawKpi"),
            (OPERATION, "RawOperation"),
        ] {
            assert_eq!(names(fields), schema_names(&defs[def]), "{def}");
        }
        let required = |s: &serde_json::Value| {
            let mut v: Vec<String> = s["required"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect();
            v.sort();
            v
        };
        let req = |fields: &[Field]| {
            let mut v: Vec<String> = fields
                .iter()
                .filter(|f| f.1)
                .map(|f| f.0.to_string())
                .collect();
            v.sort();
            v
        };
        assert_eq!(req(MANIFEST), required(&schema));
        assert_eq!(req(SCOPE), required(&defs["RawScope"]));
        assert_eq!(req(OPERATION), required(&defs["RawOperation"]));
    }
}
