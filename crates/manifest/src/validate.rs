//! Semantic rules of manifest v1 that the types alone cannot express. Reports every problem found.

use crate::checks::{check_auth, check_https, check_input_schema};
use crate::diagnostic::{did_you_mean, Code, Diagnostic, LineIndex, Position};
use crate::model::{Kpi, Manifest, Operation, Scope};
use crate::raw::{RawManifest, Sp};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

static SLUG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[a-z0-9][a-z0-9_]{0,62}$").unwrap());
static SECRET: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Z][A-Z0-9_]{0,62}$").unwrap());
static METRIC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$").unwrap());
static CONTENT_TYPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z][a-z0-9_]{0,31}$").unwrap());
static OPERATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z][a-z0-9_]{0,63}$").unwrap());

const MAX_TEXT: usize = 2000;

/// Whether `s` is a valid `provider_slug` (and so a connector folder's name).
pub fn is_provider_slug(s: &str) -> bool {
    SLUG.is_match(s)
}

pub(crate) struct Ctx<'a> {
    pub path: &'a str,
    pub text: &'a str,
    /// Built on the first problem: valid manifests never need it.
    pub index: std::cell::OnceCell<LineIndex<'a>>,
    pub out: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn at<T>(&self, v: &Sp<T>) -> Position {
        self.index
            .get_or_init(|| LineIndex::new(self.text))
            .position(v.line(), v.column())
    }
    pub fn err<T>(
        &mut self,
        v: &Sp<T>,
        code: Code,
        msg: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let pos = self.at(v);
        self.out
            .push(Diagnostic::error(self.path, pos, code, msg, hint));
    }
    fn pattern(&mut self, v: &Sp<String>, re: &Regex, what: &str, hint: &str) {
        if !re.is_match(v.get()) {
            self.err(
                v,
                Code::InvalidPattern,
                format!("{what} `{}` does not match `{}`", v.get(), re.as_str()),
                hint,
            );
        }
    }
    fn text(
        &mut self,
        v: &Option<Sp<String>>,
        field: &str,
        max: usize,
        allow_control: bool,
    ) -> Option<String> {
        let v = v.as_ref()?;
        let s = v.get();
        let chars = s.chars().count();
        if chars > max {
            self.err(
                v,
                Code::InvalidLength,
                format!("`{field}` is {chars} characters; at most {max} are allowed"),
                "shorten it; link to longer documentation instead",
            );
        }
        if !allow_control && s.chars().any(char::is_control) {
            self.err(
                v,
                Code::ControlCharacter,
                format!("`{field}` contains a control character"),
                "remove tabs, newlines and other control characters",
            );
        }
        Some(s.clone())
    }
    fn unique<'v>(&mut self, items: impl IntoIterator<Item = &'v Sp<String>>, what: &str) {
        let mut seen: HashMap<&str, u32> = HashMap::new();
        for item in items {
            if let Some(first) = seen.insert(item.get(), item.line()) {
                seen.insert(item.get(), first);
                self.err(
                    item,
                    Code::DuplicateName,
                    format!("{what} `{}` is declared twice", item.get()),
                    format!("it was first declared on line {first}; remove one"),
                );
            }
        }
    }
}

fn list<T>(v: &Option<Sp<Vec<Sp<T>>>>) -> &[Sp<T>] {
    v.as_ref().map(|l| l.get().as_slice()).unwrap_or(&[])
}

/// Validates a parsed manifest. `folder` is the name of the folder holding it, when known.
pub fn validate(
    path: &str,
    text: &str,
    raw: &RawManifest,
    folder: Option<&str>,
) -> Result<Manifest, Vec<Diagnostic>> {
    let mut cx = Ctx {
        path,
        text,
        index: std::cell::OnceCell::new(),
        out: Vec::new(),
    };

    let slug = &raw.provider_slug;
    cx.pattern(
        slug,
        &SLUG,
        "provider_slug",
        "use lowercase letters, digits and `_`, starting with a letter or digit",
    );
    if let Some(folder) = folder {
        if slug.get() != folder {
            cx.err(
                slug,
                Code::SlugMismatch,
                format!(
                    "provider_slug `{}` differs from its folder `{folder}`",
                    slug.get()
                ),
                format!(
                    "set `provider_slug: {folder}` or rename the folder to `{}`",
                    slug.get()
                ),
            );
        }
    }
    let name = raw.display_name.get();
    if name.trim().is_empty() || name.chars().count() > 100 {
        cx.err(
            &raw.display_name,
            Code::InvalidLength,
            "display_name must be 1 to 100 characters",
            "give a short human-readable name, such as `Shopify`",
        );
    }
    if name.chars().any(char::is_control) {
        cx.err(
            &raw.display_name,
            Code::ControlCharacter,
            "display_name contains a control character",
            "remove tabs, newlines and other control characters",
        );
    }
    if let Some(v) = &raw.version {
        if semver::Version::parse(v.get()).is_err() {
            cx.err(
                v,
                Code::InvalidVersion,
                format!("version `{}` is not a semantic version", v.get()),
                "write MAJOR.MINOR.PATCH, such as `1.4.0`",
            );
        }
    }
    let description = cx.text(&raw.description, "description", MAX_TEXT, true);
    if let Some(u) = &raw.docs_url {
        check_https(&mut cx, u, "docs_url", false);
    }
    let auth = raw.auth.as_ref().map(|a| check_auth(&mut cx, a));

    let secrets = list(&raw.secrets);
    for s in secrets {
        cx.pattern(
            s,
            &SECRET,
            "secret",
            "use UPPER_SNAKE_CASE, such as `API_KEY`; the vault stores it as PROVIDER_{SLUG}_{KEY}",
        );
    }
    cx.unique(secrets, "secret");

    let scopes = raw.scopes.get();
    if scopes.is_empty() {
        cx.err(
            &raw.scopes,
            Code::EmptyScopes,
            "`scopes` is empty",
            "declare at least one scope, with the provider's real scope string",
        );
    }
    let mut out_scopes = Vec::with_capacity(scopes.len());
    for s in scopes {
        let s = s.get();
        let n = s.name.get();
        if n.is_empty()
            || n.chars().count() > 256
            || n.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            cx.err(&s.name, Code::InvalidPattern, format!("scope name `{}` must be 1 to 256 characters without whitespace", n.escape_debug()), "use the provider's exact scope string, such as `read_orders` or `https://www.googleapis.com/auth/adwords`");
        }
        let description = cx.text(&s.description, "description", MAX_TEXT, true);
        out_scopes.push(Scope {
            name: n.clone(),
            description,
            requires_firearm: s.requires_firearm.as_ref().is_some_and(|b| *b.get()),
        });
    }
    cx.unique(scopes.iter().map(|s| &s.get().name), "scope");

    let kpis = list(&raw.kpis);
    let mut out_kpis = Vec::with_capacity(kpis.len());
    for k in kpis {
        let k = k.get();
        cx.pattern(
            &k.raw,
            &METRIC,
            "metric",
            "use letters, digits and `_ . : -`, starting with a letter or digit",
        );
        let standard = cx.text(&k.standard, "standard", 128, false);
        let description = cx.text(&k.description, "description", MAX_TEXT, true);
        out_kpis.push(Kpi {
            raw: k.raw.get().clone(),
            standard,
            description,
        });
    }
    cx.unique(kpis.iter().map(|k| &k.get().raw), "metric");

    let utm = list(&raw.utm_capabilities);
    for u in utm {
        cx.pattern(
            u,
            &CONTENT_TYPE,
            "content type",
            "use lowercase letters, digits and `_`, such as `email` or `paid_search`",
        );
    }
    cx.unique(utm, "content type");

    let ops = list(&raw.operations);
    let mut out_ops = Vec::with_capacity(ops.len());
    for o in ops {
        let o = o.get();
        cx.pattern(
            &o.name,
            &OPERATION,
            "operation",
            "use lowercase snake_case, such as `create_product`",
        );
        if !scopes.iter().any(|s| s.get().name.get() == o.scope.get()) {
            let hint = match did_you_mean(
                o.scope.get(),
                scopes.iter().map(|s| s.get().name.get().as_str()),
            ) {
                Some(m) => {
                    format!("did you mean `{m}`? an operation's scope must be declared in `scopes`")
                }
                None => "declare this scope in `scopes`, or use one that is declared".to_string(),
            };
            cx.err(
                &o.scope,
                Code::UnknownScope,
                format!(
                    "operation `{}` uses undeclared scope `{}`",
                    o.name.get(),
                    o.scope.get()
                ),
                hint,
            );
        }
        let description = cx.text(&o.description, "description", MAX_TEXT, true);
        let input_schema = o
            .input_schema
            .as_ref()
            .map(|s| check_input_schema(&mut cx, s));
        out_ops.push(Operation {
            name: o.name.get().clone(),
            description,
            scope: o.scope.get().clone(),
            input_schema,
        });
    }
    cx.unique(ops.iter().map(|o| &o.get().name), "operation");

    if !cx.out.is_empty() {
        cx.out.sort_by_key(|d| (d.line, d.column));
        return Err(cx.out);
    }
    Ok(Manifest {
        provider_slug: slug.get().clone(),
        display_name: name.clone(),
        version: raw.version.as_ref().map(|v| v.get().clone()),
        description,
        docs_url: raw.docs_url.as_ref().map(|v| v.get().clone()),
        auth,
        secrets: secrets.iter().map(|s| s.get().clone()).collect(),
        scopes: out_scopes,
        kpis: out_kpis,
        utm_capabilities: utm.iter().map(|s| s.get().clone()).collect(),
        operations: out_ops,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_provider_slug_is_a_folder_name_never_a_path() {
        for ok in ["shopify", "google_ads", "3dcart"] {
            assert!(super::is_provider_slug(ok), "{ok}");
        }
        for bad in ["", "../etc", "a/b", "Shop", "_x", "a b"] {
            assert!(!super::is_provider_slug(bad), "{bad}");
        }
    }
}
