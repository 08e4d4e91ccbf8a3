//! The validated manifest: plain values, what the registry and codegen consume.

pub use crate::raw::AuthMethod;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub provider_slug: String,
    pub display_name: String,
    pub version: Option<String>,
    pub description: Option<String>,
    pub docs_url: Option<String>,
    pub auth: Option<Auth>,
    pub secrets: Vec<String>,
    pub scopes: Vec<Scope>,
    pub kpis: Vec<Kpi>,
    pub utm_capabilities: Vec<String>,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Auth {
    pub method: AuthMethod,
    pub token_url: Option<String>,
    pub header_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scope {
    pub name: String,
    pub description: Option<String>,
    pub requires_firearm: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kpi {
    pub raw: String,
    pub standard: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    pub name: String,
    pub description: Option<String>,
    pub scope: String,
    pub input_schema: Option<serde_json::Value>,
}

impl Manifest {
    pub fn scope(&self, name: &str) -> Option<&Scope> {
        self.scopes.iter().find(|s| s.name == name)
    }

    /// The vault account name of one of this connector's secrets: `PROVIDER_{SLUG}_{KEY}`.
    pub fn vault_key(&self, secret: &str) -> String {
        format!("PROVIDER_{}_{}", self.provider_slug.to_uppercase(), secret)
    }
}
