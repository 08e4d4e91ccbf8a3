//! Tool calls waiting for a person (issue 19): which ones this app has not announced yet, and
//! what the desktop notification says. The live task looks after every registry change.

use chrono::{DateTime, Utc};
use godconfig_registry::gateway::tool_name;
use godconfig_registry::PendingCall;
use std::collections::HashSet;

/// The calls already announced. Only ids still waiting are kept, so it stays small.
#[derive(Debug, Default)]
pub struct Announced {
    seen: HashSet<i64>,
}

impl Announced {
    /// The calls in `waiting` that are new since the last look and still before their deadline.
    pub fn news<'a>(
        &mut self,
        waiting: &'a [PendingCall],
        now: DateTime<Utc>,
    ) -> Vec<&'a PendingCall> {
        let fresh = (waiting.iter())
            .filter(|c| c.answer.is_none() && c.deadline > now && !self.seen.contains(&c.id))
            .collect();
        self.seen = waiting.iter().map(|c| c.id).collect();
        fresh
    }
}

/// The notification's title and body: which tool, what kind of firearm, who asks, how long
/// is left. Never the arguments (the panel shows them).
pub fn notification(call: &PendingCall, now: DateTime<Utc>) -> (String, String) {
    let title = format!(
        "An agent asks to run {}",
        tool_name(&call.connector, &call.operation)
    );
    let kind = match &call.firearm_type {
        Some(t) => format!("{t} (scope {})", call.scope),
        None => format!("scope {}", call.scope),
    };
    let client = call.client.as_deref().unwrap_or("an MCP client");
    let secs = (call.deadline - now).num_seconds().max(0);
    let body = format!(
        "{kind}, from {client}. Allow once or deny in God Config's Pending calls within {secs} s, or it is denied."
    );
    (title, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use serde_json::json;

    fn call(id: i64, now: DateTime<Utc>, left: i64) -> PendingCall {
        PendingCall {
            id,
            connector: "stripe".into(),
            operation: "refund".into(),
            scope: "charges:write".into(),
            firearm_type: Some("money_movement".into()),
            arguments: Some(json!({"charge": "ch_1", "secret_note": "x"})),
            client: Some("claude-code 1.0".into()),
            requested_by: "ana".into(),
            requested_at: now,
            deadline: now + Duration::seconds(left),
            answer: None,
            answered_by: None,
            answered_at: None,
        }
    }

    #[test]
    fn each_waiting_call_is_announced_once() {
        let now = Utc::now();
        let mut announced = Announced::default();
        let first = [call(1, now, 120)];
        assert_eq!(announced.news(&first, now).len(), 1);
        assert!(announced.news(&first, now).is_empty(), "not twice");
        let both = [call(1, now, 120), call(2, now, 120)];
        let news: Vec<i64> = announced.news(&both, now).iter().map(|c| c.id).collect();
        assert_eq!(news, [2]);
        // Answered calls leave the list and the memory; a call past its deadline is not news.
        let later = [call(3, now, -1)];
        assert!(announced.news(&later, now).is_empty());
        assert_eq!(announced.seen, HashSet::from([3]));
    }

    #[test]
    fn the_notification_names_the_tool_and_the_firearm_but_not_the_arguments() {
        let now = Utc::now();
        let (title, body) = notification(&call(7, now, 90), now);
        assert_eq!(title, "An agent asks to run stripe__refund");
        assert!(
            body.starts_with("money_movement (scope charges:write), from claude-code 1.0."),
            "{body}"
        );
        assert!(body.contains("within 90 s"), "{body}");
        assert!(
            !body.contains("ch_1") && !body.contains("secret_note"),
            "{body}"
        );
    }
}
