import type { ErrorCode } from "../bindings";
import { describeError } from "./errors";

export function ErrorBanner({ error, onRetry }: { error: ErrorCode; onRetry?: () => void }) {
  const shown = describeError(error);
  const r = shown.recovery;
  return (
    <div className="error-banner" role="alert" data-code={error.code}>
      <strong>{shown.title}</strong>
      <p>{shown.message}</p>
      {r.kind === "route" && <a className="button" href={r.href}>{r.label}</a>}
      {r.kind === "retry" && onRetry && (
        <button type="button" onClick={onRetry}>
          {r.label}
        </button>
      )}
      <code className="error-code">{error.code}</code>
    </div>
  );
}
