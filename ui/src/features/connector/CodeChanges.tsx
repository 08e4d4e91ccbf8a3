import { useEffect, useState } from "react";
import { commands, type CodeReview, type ErrorCode, type FileDiff } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { fileSummary, headline, openByDefault } from "./codeReview";

/** The connector's files and tools against its approval: a line diff per file, with line numbers. */
export function CodeChanges({ slug, fingerprint, approved }: { slug: string; fingerprint: string; approved: string | null }) {
  const [review, setReview] = useState<CodeReview | null>(null);
  const [error, setError] = useState<ErrorCode>();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    commands.connectorCodeReview(slug).then((r) => { if (live) { setReview(unwrap(r)); setError(undefined); } }).catch((e) => { if (live) setError(errorOf(e)); });
    return () => { live = false; };
  }, [slug, fingerprint, approved, attempt]);

  if (error) return <ErrorBanner error={error} onRetry={() => setAttempt((a) => a + 1)} />;
  if (!review) return <p className="muted">Loading the code…</p>;
  const changed = review.files.filter((f) => f.state !== "same");
  const same = review.files.filter((f) => f.state === "same");
  return (
    <section aria-labelledby="code-title" className="code-review" data-testid="code-review">
      <h2 id="code-title">Code</h2>
      <p data-testid="code-headline">{headline(review)}</p>
      {review.tools.length > 0 && (
        <ul data-testid="tool-changes">
          {review.tools.map((t) => <li key={t.name}><code>{t.name}</code> {t.state}: {t.what.join("; ")}</li>)}
        </ul>
      )}
      {changed.map((f) => <FileView key={f.path} file={f} open={openByDefault(review, f)} />)}
      {same.length > 0 && <p className="muted">Unchanged: {same.map((f) => f.path).join(", ")}</p>}
    </section>
  );
}

function FileView({ file, open }: { file: FileDiff; open: boolean }) {
  return (
    <details className="file-diff" open={open} data-testid="file-diff" data-path={file.path} data-state={file.state}>
      <summary>{fileSummary(file)}</summary>
      {file.hunks.length > 0 && (
        <table className="diff" aria-label={`Changes in ${file.path}`}>
          <thead><tr><th scope="col">Old</th><th scope="col">New</th><th scope="col">Line</th></tr></thead>
          {file.hunks.map((h, i) => (
            <tbody key={i}>
              {i > 0 && <tr className="diff-gap"><td colSpan={3}>⋯</td></tr>}
              {h.lines.map((l, j) => (
                <tr key={j} className={`diff-${l.kind}`}>
                  <td className="ln">{l.old_line ?? ""}</td>
                  <td className="ln">{l.new_line ?? ""}</td>
                  <td className="code"><span className="sign" aria-label={l.kind === "context" ? undefined : l.kind}>{l.kind === "added" ? "+" : l.kind === "removed" ? "−" : " "}</span>{l.text}</td>
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      )}
    </details>
  );
}
