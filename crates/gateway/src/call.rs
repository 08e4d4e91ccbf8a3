//! One `tools/call`, from the name to the receipt: the tool must be served, its connector
//! approved as its files are on disk now, its policy must let it through (or a person must),
//! its keys must be in the keyring; then the call goes to the connector's own MCP server.
//! Whatever happens, one receipt is written.

use crate::children::{self, Launch};
use crate::Gateway;
use godconfig_registry::gateway::{arguments_hash, Answer, Outcome, Policy, Receipt};
use godconfig_registry::{NewPendingCall, RegistryError, ServedTool};
use godconfig_sentinel::flows::gateway as flow;
use godconfig_sentinel::SentinelError;
use rmcp::model::{CallToolRequestParams, CallToolResult, ContentBlock, JsonObject};
use serde_json::Value;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// The way out for a tool that is not approved.
const APPROVE: &str = "tools/list shows the approved tools; a connector's tools appear once an operator approves it in God Config (the review queue, or `sentinel approve SLUG`)";

/// How long a connector has to answer one call.
const CALL_TIMEOUT: Duration = Duration::from_secs(300);
/// How often a call that asked looks for the answer.
const ANSWER_POLL: Duration = Duration::from_millis(200);

/// A call that did not reach the connector, or did not come back: the sentence an agent reads.
struct Stop {
    outcome: Outcome,
    reason: String,
    fix: String,
}

impl Stop {
    fn refused(reason: impl Into<String>, fix: impl Into<String>) -> Stop {
        Stop {
            outcome: Outcome::Refused,
            reason: reason.into(),
            fix: fix.into(),
        }
    }

    fn cancelled() -> Stop {
        Stop {
            outcome: Outcome::Cancelled,
            reason: "the client cancelled the call".into(),
            fix: "call again if it is still wanted".into(),
        }
    }

    fn from_error(e: &SentinelError) -> Stop {
        match e {
            // The run rule's own words, with the gateway's way out for a connector that is
            // not approved (not the vault's `--draft`).
            SentinelError::Registry(RegistryError::RunRefused { slug, reason, hint }) => {
                let hint = match reason.contains("not approved") || reason.contains("rejected") {
                    true => APPROVE,
                    false => hint,
                };
                Stop::refused(format!("`{slug}` may not run now: {reason}"), hint)
            }
            _ => Stop::refused(e.to_string(), e.hint()),
        }
    }
}

/// What the receipt learns along the way.
struct Trail {
    tool: Option<ServedTool>,
    fingerprint: Option<String>,
    answered_by: Option<String>,
    pending_id: Option<i64>,
    /// The request's cancellation (the client's `notifications/cancelled`).
    cancel: CancellationToken,
}

impl Gateway {
    pub(crate) async fn call(
        &self,
        name: &str,
        arguments: Option<JsonObject>,
        client: Option<String>,
        cancel: CancellationToken,
    ) -> CallToolResult {
        let started = Instant::now();
        let args = Value::Object(arguments.clone().unwrap_or_default());
        let mut trail = Trail {
            tool: None,
            fingerprint: None,
            answered_by: None,
            pending_id: None,
            cancel,
        };
        let result = self
            .run(name, arguments, client.as_deref(), &mut trail)
            .await;
        let (outcome, reason, reply) = match result {
            Ok(reply) => (Outcome::Allowed, None, reply),
            Err(stop) => {
                let text = format!("{}\nfix: {}", stop.reason, stop.fix);
                (
                    stop.outcome,
                    Some(stop.reason),
                    CallToolResult::error(vec![ContentBlock::text(text)]),
                )
            }
        };
        let (connector, operation) = match &trail.tool {
            Some(t) => (t.connector.clone(), t.operation.clone()),
            None => split(name),
        };
        let receipt = Receipt {
            connector,
            tool: operation,
            scope: trail.tool.as_ref().map(|t| t.scope.clone()),
            firearm_type: trail.tool.as_ref().and_then(|t| t.firearm_type.clone()),
            client,
            policy: trail.tool.as_ref().map(|t| t.policy),
            answered_by: trail.answered_by,
            pending_id: trail.pending_id,
            outcome,
            reason,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            arguments_sha256: arguments_hash(&args),
            fingerprint: trail.fingerprint,
        };
        if let Err(e) = self
            .inner
            .store
            .record_call(&receipt, &self.inner.actor)
            .await
        {
            // A call whose receipt cannot be written does not count as done.
            tracing::error!("cannot write the receipt of {name}: {e}");
            return CallToolResult::error(vec![ContentBlock::text(format!(
                "the call ran but its receipt could not be written: {e}\nfix: {}",
                e.hint()
            ))]);
        }
        reply
    }

    async fn run(
        &self,
        name: &str,
        arguments: Option<JsonObject>,
        client: Option<&str>,
        trail: &mut Trail,
    ) -> Result<CallToolResult, Stop> {
        let listed = self.catalog().get(name).cloned();
        let Some(listed) = listed else {
            return Err(self.why_not(name).await);
        };
        // The registry now, not the list the agent saw: a revocation or a policy change counts
        // from the moment it commits.
        let tool = self.current(&listed).await?;
        trail.tool = Some(tool.clone());
        trail.fingerprint = Some(self.clear(&tool.connector).await?);
        match tool.policy {
            Policy::Allow => {}
            Policy::Block => return Err(blocked(name)),
            Policy::Ask => {
                self.ask(&tool, arguments.as_ref(), client, trail).await?;
                // The files may have changed while a person was deciding.
                trail.fingerprint = Some(self.clear(&tool.connector).await?);
            }
        }
        let peer = self.server_of(&tool.connector, trail).await?;
        let mut params = CallToolRequestParams::new(tool.operation.clone());
        if let Some(a) = arguments {
            params = params.with_arguments(a);
        }
        let answer = tokio::select! {
            a = tokio::time::timeout(CALL_TIMEOUT, peer.call_tool(params)) => a,
            _ = trail.cancel.cancelled() => return Err(Stop::cancelled()),
        };
        match answer {
            Ok(Ok(result)) => Ok(result),
            Ok(Err(e)) => Err(Stop {
                outcome: Outcome::Failed,
                reason: format!("the connector `{}` failed: {e}", tool.connector),
                fix: "try again: its server is started again on the next call; if it keeps failing, run its service.py with `sentinel vault exec` to see why".into(),
            }),
            Err(_) => Err(Stop {
                outcome: Outcome::Failed,
                reason: format!(
                    "the connector `{}` did not answer within {} s",
                    tool.connector,
                    CALL_TIMEOUT.as_secs()
                ),
                fix: "try again later; the provider may be slow or down".into(),
            }),
        }
    }

    /// Why a name that is not in the list is refused, as exactly as the registry can say.
    async fn why_not(&self, name: &str) -> Stop {
        let not_approved = || Stop::refused(format!("`{name}` is not an approved tool"), APPROVE);
        let (slug, operation) = split(name);
        let Ok(tools) = self.inner.store.tools_of(&slug).await else {
            return not_approved();
        };
        let Some(tool) = tools.into_iter().find(|t| t.operation == operation) else {
            return not_approved();
        };
        if let Err(stop) = self.clear(&slug).await {
            return stop;
        }
        match tool.policy {
            Policy::Block => blocked(name),
            _ => not_approved(),
        }
    }

    /// The tool as the registry serves it now.
    async fn current(&self, listed: &ServedTool) -> Result<ServedTool, Stop> {
        let now = self
            .inner
            .store
            .served_tools(Some(&listed.connector))
            .await
            .map_err(|e| Stop::refused(e.to_string(), e.hint()))?;
        now.into_iter()
            .find(|t| t.operation == listed.operation)
            .ok_or_else(|| {
                Stop::refused(
                    format!("`{}` is no longer approved", listed.connector),
                    "an operator approves it again in God Config (the review queue)",
                )
            })
    }

    /// The connector's files on disk must be those approved.
    async fn clear(&self, slug: &str) -> Result<String, Stop> {
        flow::clear_call(&self.inner.store, &self.inner.dir, slug)
            .await
            .map_err(|e| Stop::from_error(&e))
    }

    /// Waits for a person's answer (or the deadline).
    async fn ask(
        &self,
        tool: &ServedTool,
        arguments: Option<&JsonObject>,
        client: Option<&str>,
        trail: &mut Trail,
    ) -> Result<(), Stop> {
        let store = &self.inner.store;
        let args = Value::Object(arguments.cloned().unwrap_or_default());
        let timeout = self.inner.ask_timeout;
        let call = NewPendingCall {
            connector: &tool.connector,
            operation: &tool.operation,
            scope: &tool.scope,
            firearm_type: tool.firearm_type.as_deref(),
            arguments: &args,
            client,
            requested_by: &self.inner.actor,
            timeout: chrono::Duration::from_std(timeout).unwrap_or(chrono::Duration::MAX),
        };
        let pending = store
            .open_pending_call(call)
            .await
            .map_err(|e| Stop::refused(e.to_string(), e.hint()))?;
        trail.pending_id = Some(pending.id);
        eprintln!(
            "godconfig gateway: call #{} of {}__{} waits for a person (God Config, or `sentinel mcp answer {} allow|deny`)",
            pending.id, tool.connector, tool.operation, pending.id
        );
        let deadline = Instant::now() + timeout;
        let answered = loop {
            let now = store.pending_call(pending.id).await;
            match now {
                Ok(c) if c.answer.is_some() => break c,
                Ok(_) if Instant::now() >= deadline => {
                    break store
                        .close_pending_call(pending.id, &self.inner.actor)
                        .await
                        .map_err(|e| Stop::refused(e.to_string(), e.hint()))?
                }
                Ok(_) => {
                    let cancelled = tokio::select! {
                        _ = tokio::time::sleep(ANSWER_POLL) => false,
                        _ = trail.cancel.cancelled() => true,
                    };
                    if cancelled {
                        // Nobody may allow a call the agent no longer waits for.
                        let closed = store
                            .close_pending_call(pending.id, &self.inner.actor)
                            .await;
                        trail.answered_by = closed.ok().and_then(|c| c.answered_by);
                        return Err(Stop::cancelled());
                    }
                }
                Err(e) => return Err(Stop::refused(e.to_string(), e.hint())),
            }
        };
        trail.answered_by = answered.answered_by.clone();
        match answered.answer {
            Some(Answer::Allow) => Ok(()),
            Some(Answer::Deny) => Err(Stop {
                outcome: Outcome::Denied,
                reason: format!(
                    "{} denied this call of `{}__{}`",
                    answered.answered_by.as_deref().unwrap_or("a person"),
                    tool.connector,
                    tool.operation
                ),
                fix: "do not retry it unchanged; ask the person what they expect instead".into(),
            }),
            _ => Err(Stop {
                outcome: Outcome::TimedOut,
                reason: format!(
                    "nobody answered within {} s, so the call was denied",
                    timeout.as_secs()
                ),
                fix: "call again when someone can answer in God Config's pending calls (or `sentinel mcp answer`)".into(),
            }),
        }
    }

    /// The connector's server, started (or started again) if it is not running, runs other
    /// files than those just cleared, or its `mcp.py` is not the generated one.
    async fn server_of(
        &self,
        slug: &str,
        trail: &Trail,
    ) -> Result<rmcp::service::Peer<rmcp::service::RoleClient>, Stop> {
        let fingerprint = trail.fingerprint.clone().unwrap_or_default();
        let slot = self.inner.children.slot(slug);
        let mut guard = slot.lock().await;
        if let Some(child) = guard.as_ref() {
            let intact = flow::check_stub(&self.inner.dir, slug, &child.stub).is_ok();
            if child.is_alive() && child.fingerprint == fingerprint && intact {
                return Ok(child.peer());
            }
        }
        if let Some(old) = guard.take() {
            children::stop(old).await;
        }
        let store = &self.inner.store;
        let stub = flow::expected_stub(store, &self.inner.dir, slug)
            .await
            .map_err(|e| Stop::from_error(&e))?;
        let stub_path =
            flow::check_stub(&self.inner.dir, slug, &stub).map_err(|e| Stop::from_error(&e))?;
        let python = self
            .inner
            .python
            .get()
            .await
            .map_err(|(reason, hint)| Stop {
                outcome: Outcome::Failed,
                reason: format!("the connector `{slug}` cannot be started: {reason}"),
                fix: (*hint).to_string(),
            })?;
        let env = flow::server_env(store, &self.inner.vault, slug)
            .await
            .map_err(|e| Stop::from_error(&e))?;
        let launch = Launch {
            python,
            stub_path,
            env,
            fingerprint,
            stub,
        };
        let child = children::start(launch).await.map_err(|reason| Stop {
            outcome: Outcome::Failed,
            reason: format!("the connector `{slug}` could not be started: {reason}"),
            fix: "check that its service.py imports cleanly (`sentinel vault exec --connector SLUG -- python -c 'import service'`)".into(),
        })?;
        let peer = child.peer();
        *guard = Some(child);
        Ok(peer)
    }
}

fn blocked(name: &str) -> Stop {
    Stop::refused(
        format!("`{name}` is blocked by policy"),
        "an admin can allow it on the connector's page or with `sentinel mcp policy SLUG OPERATION allow|ask`",
    )
}

/// `slug__operation` for a name that is not served (best effort, for the receipt).
fn split(name: &str) -> (String, String) {
    match name.split_once(godconfig_registry::gateway::SEPARATOR) {
        Some((c, o)) => (c.to_string(), o.to_string()),
        None => (String::new(), name.to_string()),
    }
}
