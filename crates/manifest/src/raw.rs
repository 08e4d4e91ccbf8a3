//! The manifest as written: every value keeps its location so that validation can point at it.
//! The same types generate the JSON Schema that editors use.

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;
use std::borrow::Cow;
use std::cell::Cell;

/// A value with its source location. Transparent for serde and for the JSON Schema.
#[derive(Debug, Clone)]
pub struct Sp<T>(pub Spanned<T>);

thread_local! {
    // Locations cost about a third of parsing; they are only needed to report problems.
    static WITH_LOCATIONS: Cell<bool> = const { Cell::new(true) };
}

/// Runs `f` with every `Sp` deserialized without its location (`Location::UNKNOWN`).
pub(crate) fn without_locations<R>(f: impl FnOnce() -> R) -> R {
    let before = WITH_LOCATIONS.with(|w| w.replace(false));
    let out = f();
    WITH_LOCATIONS.with(|w| w.set(before));
    out
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if WITH_LOCATIONS.with(Cell::get) {
            Spanned::deserialize(d).map(Sp)
        } else {
            let unknown = serde_saphyr::Location::UNKNOWN;
            T::deserialize(d).map(|v| Sp(Spanned::new(v, unknown, unknown)))
        }
    }
}

impl<T> Sp<T> {
    pub fn get(&self) -> &T {
        &self.0.value
    }
    pub fn line(&self) -> u32 {
        self.0.referenced.line() as u32
    }
    pub fn column(&self) -> u32 {
        self.0.referenced.column() as u32
    }
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
    fn inline_schema() -> bool {
        T::inline_schema()
    }
}

/// Connector manifest, version 1 (`connectors/<slug>/manifest.yaml`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "God Config connector manifest v1")]
pub struct RawManifest {
    /// The connector's identifier; equal to its folder's name.
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9_]{0,62}$"))]
    pub provider_slug: Sp<String>,
    /// Human-readable name, 1 to 100 characters.
    #[schemars(length(min = 1, max = 100))]
    pub display_name: Sp<String>,
    /// Semantic version of the connector, such as `1.4.0`.
    #[serde(default)]
    pub version: Option<Sp<String>>,
    /// Free text, at most 2,000 characters. It is data, never code.
    #[serde(default)]
    #[schemars(length(max = 2000))]
    pub description: Option<Sp<String>>,
    /// Absolute `https://` URL of the provider's documentation.
    #[serde(default)]
    #[schemars(regex(pattern = r"^https://"))]
    pub docs_url: Option<Sp<String>>,
    #[serde(default)]
    pub auth: Option<Sp<RawAuth>>,
    /// Keys stored in the vault as `PROVIDER_{SLUG}_{KEY}`.
    #[serde(default)]
    #[schemars(inner(regex(pattern = r"^[A-Z][A-Z0-9_]{0,62}$")))]
    pub secrets: Option<Sp<Vec<Sp<String>>>>,
    /// The provider's real scope strings. At least one.
    #[schemars(length(min = 1))]
    pub scopes: Sp<Vec<Sp<RawScope>>>,
    /// Platform metrics this connector reports.
    #[serde(default)]
    pub kpis: Option<Sp<Vec<Sp<RawKpi>>>>,
    /// Content types this connector can tag links for (`email`, `social`, ...).
    #[serde(default)]
    #[schemars(inner(regex(pattern = r"^[a-z][a-z0-9_]{0,31}$")))]
    pub utm_capabilities: Option<Sp<Vec<Sp<String>>>>,
    /// The connector's actions, each exposed as an MCP tool.
    #[serde(default)]
    pub operations: Option<Sp<Vec<Sp<RawOperation>>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    Oauth2,
    ApiKey,
    Bearer,
    Basic,
    None,
}

impl AuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::Oauth2 => "oauth2",
            AuthMethod::ApiKey => "api_key",
            AuthMethod::Bearer => "bearer",
            AuthMethod::Basic => "basic",
            AuthMethod::None => "none",
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAuth {
    pub method: Sp<AuthMethod>,
    /// oauth2 only: https URL; `{placeholder}` parts are allowed.
    #[serde(default)]
    #[schemars(regex(pattern = r"^https://"))]
    pub token_url: Option<Sp<String>>,
    /// api_key only: the HTTP header carrying the key.
    #[serde(default)]
    pub header_name: Option<Sp<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScope {
    /// The provider's real scope string: 1 to 256 characters, no whitespace.
    #[schemars(regex(pattern = r"^[^\s\x00-\x1f\x7f]{1,256}$"))]
    pub name: Sp<String>,
    #[serde(default)]
    pub description: Option<Sp<String>>,
    /// Declared gating: true for scopes that move money, delete data, send messages or read personal data.
    #[serde(default)]
    pub requires_firearm: Option<Sp<bool>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawKpi {
    /// The platform metric's name.
    #[schemars(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$"))]
    pub raw: Sp<String>,
    /// The core KPI the author suggests.
    #[serde(default)]
    pub standard: Option<Sp<String>>,
    #[serde(default)]
    pub description: Option<Sp<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOperation {
    #[schemars(regex(pattern = r"^[a-z][a-z0-9_]{0,63}$"))]
    pub name: Sp<String>,
    #[serde(default)]
    pub description: Option<Sp<String>>,
    /// Must name a scope declared in `scopes`.
    pub scope: Sp<String>,
    /// A JSON Schema object describing the operation's input.
    #[serde(default)]
    pub input_schema: Option<Sp<serde_json::Map<String, serde_json::Value>>>,
}
