import { useState } from "react";
import { commands, type Answer, type ErrorCode, type PendingCall } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { useIdentity, Why } from "../../shared/identity";
import type { Live } from "../../shared/live";
import { permit, type Permission } from "../../shared/roles";
import { href } from "../../shared/router";
import { answered, describeLeft, describeRisk, isWaiting, prettyArguments, secondsLeft, toolName } from "./pending";
import { useNow } from "./useNow";

/**
 * Tool calls whose policy is `ask`, waiting for a person: *Allow once* sends this one call on to
 * the connector, *Deny* refuses it; no answer before the deadline is a denial. The list is the
 * app's live one (`App` loads it for the sidebar's badge too).
 */
export function PendingCallsPage({ pending }: { pending: Live<PendingCall[]> }) {
  const now = useNow();
  const id = useIdentity();
  // In team mode an operator or an admin answers (the database checks it too).
  const operator = permit(id, "operator");
  const may: Permission = operator.allowed || permit(id, "admin").allowed ? { allowed: true, why: null } : operator;
  const [notice, setNotice] = useState<string | null>(null);
  const calls = (pending.data ?? []).filter((c) => c.answer === null);
  const waiting = calls.filter((c) => isWaiting(c, now));
  const ended = calls.filter((c) => !isWaiting(c, now));

  return (
    <section className="page pending" aria-labelledby="pending-title" data-testid="pending-page">
      <header className="page-header">
        <div>
          <h1 id="pending-title">Pending calls {waiting.length > 0 && <span className="count">({waiting.length})</span>}</h1>
          <p className="muted">
            An agent called a tool whose policy is <strong>ask</strong>: the call waits here until a person allows it once or denies it.
            No answer in time is a denial.
          </p>
        </div>
        <div className="header-actions">
          <a href={href({ page: "agents" })}>Connect an agent →</a>
        </div>
      </header>
      <Why id="answer-why" permission={may} />
      {pending.error && <ErrorBanner error={pending.error} onRetry={pending.reload} />}
      {notice && <p className="notice" role="status" data-testid="pending-notice">{notice}</p>}
      {pending.data && waiting.length === 0 && (
        <div className="empty" data-testid="pending-empty">
          <p>No tool call is waiting for an answer.</p>
          <p className="small-note">When an agent calls a tool set to <em>ask</em>, it appears here at once, with a desktop notification.</p>
        </div>
      )}
      {waiting.length > 0 && (
        <ul className="pending-list" data-testid="pending-list">
          {waiting.map((c) => (
            <CallCard key={c.id} call={c} now={now} disabled={!may.allowed} onAnswered={(done) => { setNotice(answered(done)); pending.reload(); }} onFailed={pending.reload} />
          ))}
        </ul>
      )}
      {ended.length > 0 && (
        <p className="muted small-note" data-testid="pending-ended">
          {ended.length} call{ended.length === 1 ? "" : "s"} ran out of time without an answer and {ended.length === 1 ? "is" : "are"} denied
          {" "}(its gateway closes it, or closed it if it stopped).
        </p>
      )}
    </section>
  );
}

function CallCard({ call, now, disabled, onAnswered, onFailed }: {
  call: PendingCall;
  now: number;
  disabled: boolean;
  onAnswered: (c: PendingCall) => void;
  onFailed: () => void;
}) {
  const [busy, setBusy] = useState<Answer | null>(null);
  const [error, setError] = useState<ErrorCode | null>(null);
  const tool = toolName(call.connector, call.operation);
  const left = secondsLeft(call.deadline, now, call.requested_at);
  const titleId = `call-${call.id}-title`;
  const answer = async (a: Answer) => {
    setBusy(a);
    setError(null);
    try {
      onAnswered(unwrap(await commands.answerCall(call.id, a)));
    } catch (e) {
      setError(errorOf(e));
      setBusy(null);
      onFailed();
    }
  };
  const off = disabled || busy !== null || left <= 0;
  return (
    <li className="pending-call" aria-labelledby={titleId} data-testid="pending-call" data-id={call.id} data-tool={tool}>
      <div className="pending-head">
        <h2 id={titleId}><code>{tool}</code></h2>
        <span className="pill warn" title="The firearm type of the tool's scope">{describeRisk(call)}</span>
        <span className={left <= 15 ? "time-left urgent" : "time-left"} data-testid="time-left" role="timer" aria-live="off">
          {describeLeft(left)}
        </span>
      </div>
      <dl className="facts">
        <dt>Connector</dt><dd><a href={href({ page: "connector", slug: call.connector, focus: null })}>{call.connector}</a></dd>
        <dt>Scope</dt><dd><code>{call.scope}</code>{call.firearm_type ? <> · firearm type <strong>{call.firearm_type}</strong></> : null}</dd>
        <dt>Client</dt><dd data-testid="call-client">{call.client ?? "unknown MCP client"} <span className="muted">(gateway run by {call.requested_by})</span></dd>
        <dt>Asked</dt><dd><time dateTime={call.requested_at}>{new Date(call.requested_at).toLocaleTimeString()}</time>; denied automatically at <time dateTime={call.deadline}>{new Date(call.deadline).toLocaleTimeString()}</time></dd>
      </dl>
      <h3 className="small-heading">Arguments</h3>
      <pre className="arguments" data-testid="call-arguments">{prettyArguments(call.arguments)}</pre>
      {error && <ErrorBanner error={error} />}
      <div className="actions">
        <button type="button" className="danger" onClick={() => void answer("deny")} disabled={off} aria-describedby={disabled ? "answer-why" : undefined} aria-label={`Deny ${tool} (call #${call.id})`} data-testid="deny-call">
          {busy === "deny" ? "Denying…" : "Deny"}
        </button>
        <button type="button" className="primary" onClick={() => void answer("allow")} disabled={off} aria-describedby={disabled ? "answer-why" : undefined} aria-label={`Allow ${tool} once (call #${call.id})`} data-testid="allow-call">
          {busy === "allow" ? "Allowing…" : "Allow once"}
        </button>
      </div>
    </li>
  );
}
