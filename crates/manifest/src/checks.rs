//! Checks of single fields that need more than a pattern: URLs, auth, input schemas.

use crate::diagnostic::Code;
use crate::model::Auth;
use crate::raw::{AuthMethod, Sp};
use crate::validate::Ctx;
use regex::Regex;
use std::sync::LazyLock;

static HEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$").unwrap());
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{[A-Za-z_][A-Za-z0-9_]*\}").unwrap());

pub(crate) fn check_https(cx: &mut Ctx<'_>, v: &Sp<String>, field: &str, placeholders: bool) {
    let text = if placeholders {
        PLACEHOLDER.replace_all(v.get(), "x").into_owned()
    } else {
        v.get().clone()
    };
    let ok = url::Url::parse(&text)
        .is_ok_and(|u| u.scheme() == "https" && u.host_str().is_some_and(|h| !h.is_empty()));
    if !ok {
        let extra = if placeholders {
            " (`{placeholder}` parts are allowed)"
        } else {
            ""
        };
        cx.err(
            v,
            Code::InvalidUrl,
            format!("`{field}` `{}` is not an absolute https:// URL", v.get()),
            format!("write a full URL starting with https://{extra}"),
        );
    }
}

pub(crate) fn check_auth(cx: &mut Ctx<'_>, a: &Sp<crate::raw::RawAuth>) -> Auth {
    let a = a.get();
    let method = *a.method.get();
    if let Some(t) = &a.token_url {
        if method == AuthMethod::Oauth2 {
            check_https(cx, t, "token_url", true);
        } else {
            cx.err(
                t,
                Code::AuthFieldNotAllowed,
                format!(
                    "`token_url` is only allowed with `method: oauth2`, not `{}`",
                    method.as_str()
                ),
                "remove `token_url`, or set `method: oauth2`",
            );
        }
    }
    if let Some(h) = &a.header_name {
        if method != AuthMethod::ApiKey {
            cx.err(
                h,
                Code::AuthFieldNotAllowed,
                format!(
                    "`header_name` is only allowed with `method: api_key`, not `{}`",
                    method.as_str()
                ),
                "remove `header_name`, or set `method: api_key`",
            );
        } else if !HEADER.is_match(h.get()) {
            cx.err(
                h,
                Code::InvalidPattern,
                format!("`{}` is not a valid HTTP header name", h.get()),
                "use a header name such as `X-Api-Key`",
            );
        }
    }
    Auth {
        method,
        token_url: a.token_url.as_ref().map(|t| t.get().clone()),
        header_name: a.header_name.as_ref().map(|h| h.get().clone()),
    }
}

pub(crate) fn check_input_schema(
    cx: &mut Ctx<'_>,
    s: &Sp<serde_json::Map<String, serde_json::Value>>,
) -> serde_json::Value {
    let value = serde_json::Value::Object(s.get().clone());
    if let Some(t) = s.get().get("type") {
        if t != "object" {
            cx.err(
                s,
                Code::InvalidInputSchema,
                format!("input_schema has `type: {t}`; tool inputs must be objects"),
                "set `type: object` and describe the arguments under `properties`",
            );
        }
    }
    if let Err(e) = jsonschema::meta::validate(&value) {
        cx.err(
            s,
            Code::InvalidInputSchema,
            format!("input_schema is not a valid JSON Schema: {e}"),
            "fix the schema; see https://json-schema.org/understanding-json-schema",
        );
    } else if let Err(e) = needs_compiling(&value)
        .then(|| jsonschema::validator_for(&value))
        .transpose()
    {
        cx.err(
            s,
            Code::InvalidInputSchema,
            format!("input_schema cannot be compiled: {e}"),
            "remove `$ref`s to other documents: schemas must be self-contained",
        );
    }
    value
}

/// Compiling catches what the meta-schema cannot: unresolvable `$ref`s and bad regexes. A schema
/// without either compiles whenever it is valid, so skip the cost.
fn needs_compiling(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Object(m) => m.iter().any(|(k, v)| {
            k == "$ref" || k == "pattern" || k == "patternProperties" || needs_compiling(v)
        }),
        serde_json::Value::Array(a) => a.iter().any(needs_compiling),
        _ => false,
    }
}
