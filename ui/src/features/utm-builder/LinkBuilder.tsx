import { useEffect, useMemo, useState } from "react";
import { commands, type ErrorCode, type LinkRecord, type LinkRequest, type Preview } from "../../bindings";
import { copyText } from "../../shared/clipboard";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { byField } from "./form";
import { FieldProblems } from "./TemplateEditor";

export const EMPTY_REQUEST: LinkRequest = { connector: "", content_type: "", base_url: "", campaign: "", vars: {} };

/** Connector and content type, base URL, campaign and variables → the tagged URL, live. "Copy
 * link" builds it for good (kept in the history) and copies it. */
export function LinkBuilder({ caps, templated, request, setRequest, onBuilt }: {
  caps: Map<string, string[]>;
  /** Content types that have a template. */
  templated: Set<string>;
  request: LinkRequest;
  setRequest: (r: LinkRequest) => void;
  onBuilt: (link: LinkRecord) => void;
}) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<ErrorCode | null>(null);
  const [copied, setCopied] = useState("");
  const [busy, setBusy] = useState(false);
  const ready = request.connector !== "" && templated.has(request.content_type);
  useEffect(() => {
    if (!ready) return;
    let live = true;
    const timer = setTimeout(() => {
      void commands.utmPreviewLink(request).then((r) => {
        if (!live) return;
        if (r.status === "ok") {
          setPreview(r.data);
          setError(null);
        } else {
          // No stale URL to copy after an error.
          setPreview(null);
          setError(r.error);
        }
      });
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [request, ready]);
  const problems = useMemo(() => byField(ready ? (preview?.violations ?? []) : []), [preview, ready]);
  const types = caps.get(request.connector) ?? [];
  const set = (r: Partial<LinkRequest>) => {
    setCopied("");
    setRequest({ ...request, ...r });
  };
  const copy = async () => {
    setBusy(true);
    setError(null);
    try {
      const link = unwrap(await commands.buildUtmLink(request));
      await copyText(link.url);
      setCopied(`Copied ${link.url}`);
      onBuilt(link);
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(false);
    }
  };
  const url = ready ? preview?.url : null;
  const vars = (preview?.variables ?? []).filter((v) => v !== "campaign");
  return (
    <section className="utm-builder" aria-labelledby="utm-builder-title">
      <h2 id="utm-builder-title">Build a link</h2>
      <div className="toolbar">
        <label>Connector{" "}
          <select value={request.connector} onChange={(e) => set({ connector: e.target.value, content_type: (caps.get(e.target.value) ?? [])[0] ?? "" })} data-testid="utm-connector">
            <option value="">Choose…</option>
            {[...caps.keys()].map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
        <label>Content type{" "}
          <select value={request.content_type} onChange={(e) => set({ content_type: e.target.value })} disabled={types.length === 0} data-testid="utm-link-content-type">
            {types.map((t) => <option key={t} value={t}>{t}{templated.has(t) ? "" : " (no template)"}</option>)}
          </select>
        </label>
      </div>
      {request.connector !== "" && request.content_type !== "" && !templated.has(request.content_type) && (
        <p className="gate warn" data-testid="utm-no-template">No template for <code>{request.content_type}</code> yet: an admin defines one in Templates below.</p>
      )}
      <label className="field">
        <span className="label">Page URL</span>
        <input type="url" value={request.base_url} placeholder="https://example.com/spring-sale" spellCheck={false} aria-describedby="utm-f-base_url"
          onChange={(e) => set({ base_url: e.target.value })} data-testid="utm-base-url" />
        <FieldProblems list={problems.get("base_url")} id="utm-f-base_url" />
      </label>
      <label className="field">
        <span className="label">Campaign</span>
        <input type="text" value={request.campaign ?? ""} spellCheck={false} aria-describedby="utm-f-campaign" onChange={(e) => set({ campaign: e.target.value })} data-testid="utm-campaign" />
        <FieldProblems list={[...(problems.get("campaign") ?? []), ...(problems.get("utm_campaign") ?? [])]} id="utm-f-campaign" />
      </label>
      {vars.map((v) => (
        <label className="field" key={v}>
          <span className="label">{v}</span>
          <input type="text" value={request.vars[v] ?? ""} spellCheck={false} aria-describedby={`utm-f-var-${v}`}
            onChange={(e) => set({ vars: { ...request.vars, [v]: e.target.value } })} data-testid={`utm-var-${v}`} />
          <FieldProblems list={problems.get(`vars.${v}`)} id={`utm-f-var-${v}`} />
        </label>
      ))}
      <FieldProblems list={[...problems.entries()].filter(([f]) => f.startsWith("utm_") && f !== "utm_campaign").flatMap(([, l]) => l)} id="utm-f-params" />
      <div className="utm-preview" aria-live="polite" data-testid="utm-link-preview">
        <span className="label">Link</span> {url ? <code className="wrap">{url}</code> : <span className="muted">{ready ? "fix the fields marked above" : "choose a connector and a content type with a template"}</span>}
      </div>
      {error && <ErrorBanner error={error} />}
      <div className="actions">
        <span role="status" className="muted" data-testid="utm-copied">{copied}</span>
        <button type="button" className="primary" disabled={busy || !url} onClick={() => void copy()} data-testid="utm-copy">Copy link</button>
      </div>
    </section>
  );
}
