//! The UTM parameters a template can set: the five classic ones, `utm_id`, and GA4's newer three.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Param {
    #[serde(rename = "utm_source")]
    Source,
    #[serde(rename = "utm_medium")]
    Medium,
    #[serde(rename = "utm_campaign")]
    Campaign,
    #[serde(rename = "utm_term")]
    Term,
    #[serde(rename = "utm_content")]
    Content,
    #[serde(rename = "utm_id")]
    Id,
    #[serde(rename = "utm_source_platform")]
    SourcePlatform,
    #[serde(rename = "utm_creative_format")]
    CreativeFormat,
    #[serde(rename = "utm_marketing_tactic")]
    MarketingTactic,
}

impl Param {
    /// In the order a tagged URL lists them.
    pub const ALL: [Param; 9] = [
        Param::Source,
        Param::Medium,
        Param::Campaign,
        Param::Term,
        Param::Content,
        Param::Id,
        Param::SourcePlatform,
        Param::CreativeFormat,
        Param::MarketingTactic,
    ];

    /// Required unless a template says otherwise.
    pub const DEFAULT_REQUIRED: [Param; 3] = [Param::Source, Param::Medium, Param::Campaign];

    /// The query-string key.
    pub fn key(self) -> &'static str {
        match self {
            Param::Source => "utm_source",
            Param::Medium => "utm_medium",
            Param::Campaign => "utm_campaign",
            Param::Term => "utm_term",
            Param::Content => "utm_content",
            Param::Id => "utm_id",
            Param::SourcePlatform => "utm_source_platform",
            Param::CreativeFormat => "utm_creative_format",
            Param::MarketingTactic => "utm_marketing_tactic",
        }
    }

    pub fn parse(key: &str) -> Option<Param> {
        Param::ALL.into_iter().find(|p| p.key() == key)
    }

    pub fn keys() -> Vec<&'static str> {
        Param::ALL.iter().map(|p| p.key()).collect()
    }
}

impl std::fmt::Display for Param {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}
