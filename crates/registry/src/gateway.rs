//! The MCP gateway's rules (issue 19): what an agent sees of a connector's tools, whether a call
//! goes through, waits for a person or is blocked, and what its receipt holds. Pure;
//! `tables/tool_policies.rs`, `tables/pending_calls.rs` and `tables/receipts.rs` read and write.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Between the slug and the operation in a published tool name: `shopify__list_orders`.
pub const SEPARATOR: &str = "__";

/// How long a call that asks a person waits for an answer before it counts as a denial.
pub const DEFAULT_ASK_TIMEOUT_SECS: u64 = 120;

/// What happens to a call of one tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Policy {
    /// Forwarded at once.
    Allow,
    /// Waits for a person's *Allow once* or *Deny*.
    Ask,
    /// Refused, and not listed.
    Block,
}

impl Policy {
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Allow => "allow",
            Policy::Ask => "ask",
            Policy::Block => "block",
        }
    }

    pub fn parse(s: &str) -> Option<Policy> {
        match s {
            "allow" => Some(Policy::Allow),
            "ask" => Some(Policy::Ask),
            "block" => Some(Policy::Block),
            _ => None,
        }
    }
}

/// The policy of a tool no admin has set: a person answers for every firearm.
pub fn default_policy(gated: bool) -> Policy {
    if gated {
        Policy::Ask
    } else {
        Policy::Allow
    }
}

/// The policy in force: the admin's, else the default for the scope's gating.
pub fn effective_policy(set: Option<Policy>, gated: bool) -> Policy {
    set.unwrap_or_else(|| default_policy(gated))
}

/// The name an agent sees.
pub fn tool_name(slug: &str, operation: &str) -> String {
    format!("{slug}{SEPARATOR}{operation}")
}

/// A person's answer to a call that asked, or the clock's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Answer {
    Allow,
    Deny,
    Timeout,
}

impl Answer {
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Allow => "allow",
            Answer::Deny => "deny",
            Answer::Timeout => "timeout",
        }
    }

    pub fn parse(s: &str) -> Option<Answer> {
        match s {
            "allow" => Some(Answer::Allow),
            "deny" => Some(Answer::Deny),
            "timeout" => Some(Answer::Timeout),
            _ => None,
        }
    }
}

/// How a call ended, as its receipt says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Outcome {
    /// Forwarded, and the connector answered (even with a tool error of its own).
    Allowed,
    /// Refused by a rule before anyone was asked: not approved, changed, key missing, blocked.
    Refused,
    /// A person said no.
    Denied,
    /// Nobody answered in time.
    TimedOut,
    /// Allowed, but the connector could not be started or did not answer.
    Failed,
    /// The client cancelled it before it ended (a call waiting for a person is closed).
    Cancelled,
}

/// sha256 (hex) of the arguments as canonical JSON (keys in order): the receipt proves which
/// arguments were sent without keeping them.
pub fn arguments_hash(arguments: &Value) -> String {
    let canonical = crate::tools::canonical(arguments).to_string();
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// One call's receipt: an `mcp.call` entry in the audit log. Never the arguments, never a key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Receipt {
    pub connector: String,
    pub tool: String,
    pub scope: Option<String>,
    pub firearm_type: Option<String>,
    /// The MCP client's name and version, from `initialize`.
    pub client: Option<String>,
    pub policy: Option<Policy>,
    /// Who answered an `ask` (a login name), or `timeout`.
    pub answered_by: Option<String>,
    pub pending_id: Option<i64>,
    pub outcome: Outcome,
    /// Why it was refused, denied or failed, in a sentence.
    pub reason: Option<String>,
    pub duration_ms: u64,
    pub arguments_sha256: String,
    /// The fingerprint of the files the call ran on (or was refused for).
    pub fingerprint: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn gated_tools_ask_by_default_and_an_admin_choice_wins() {
        assert_eq!(effective_policy(None, true), Policy::Ask);
        assert_eq!(effective_policy(None, false), Policy::Allow);
        assert_eq!(effective_policy(Some(Policy::Allow), true), Policy::Allow);
        assert_eq!(effective_policy(Some(Policy::Block), false), Policy::Block);
    }

    #[test]
    fn names_and_words_round_trip() {
        assert_eq!(tool_name("shopify", "list_orders"), "shopify__list_orders");
        for p in [Policy::Allow, Policy::Ask, Policy::Block] {
            assert_eq!(Policy::parse(p.as_str()), Some(p));
        }
        for a in [Answer::Allow, Answer::Deny, Answer::Timeout] {
            assert_eq!(Answer::parse(a.as_str()), Some(a));
        }
        assert_eq!(Policy::parse("maybe"), None);
    }

    #[test]
    fn the_arguments_hash_ignores_key_order_but_not_values() {
        let a = arguments_hash(&json!({"a": 1, "b": {"c": 2, "d": 3}}));
        let b = arguments_hash(&json!({"b": {"d": 3, "c": 2}, "a": 1}));
        let c = arguments_hash(&json!({"a": 1, "b": {"c": 2, "d": 4}}));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.len(), 64);
    }
}
