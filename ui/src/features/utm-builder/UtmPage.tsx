import { useCallback, useMemo, useState } from "react";
import { commands, type LinkRecord, type LinkRequest } from "../../bindings";
import { copyText } from "../../shared/clipboard";
import { unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { Guarded } from "../../shared/identity";
import { useLive } from "../../shared/live";
import { capabilities } from "./form";
import { EMPTY_REQUEST, LinkBuilder } from "./LinkBuilder";
import { TemplatesPanel } from "./TemplatesPanel";

const HISTORY = 100;

/** The UTM builder: build a link (live preview, copy), its history (search, copy, clone), and
 * the templates (one per content type). */
export function UtmPage({ connector }: { connector: string | null }) {
  const loadTemplates = useCallback(async () => unwrap(await commands.utmTemplates()), []);
  const templates = useLive(loadTemplates);
  const loadCaps = useCallback(async () => unwrap(await commands.utmCapabilities()), []);
  const capsLive = useLive(loadCaps);
  const [search, setSearch] = useState("");
  const loadLinks = useCallback(async () => unwrap(await commands.utmLinks(search.trim() || null, HISTORY)), [search]);
  const links = useLive(loadLinks);

  const caps = useMemo(() => capabilities(capsLive.data ?? []), [capsLive.data]);
  const templated = useMemo(() => new Set((templates.data ?? []).map((t) => t.template.content_type)), [templates.data]);
  const [request, setRequest] = useState<LinkRequest>(() => ({ ...EMPTY_REQUEST, connector: connector ?? "" }));
  // A link from another page (a connector's "Build a link") picks its first content type.
  if (connector && request.connector === connector && request.content_type === "" && caps.get(connector)?.length) {
    setRequest({ ...request, content_type: caps.get(connector)![0] });
  }
  const clone = (l: LinkRecord) => {
    setRequest({ ...l.request, campaign: "" });
    document.getElementById("utm-builder-title")?.scrollIntoView();
    setTimeout(() => document.querySelector<HTMLInputElement>('[data-testid="utm-campaign"]')?.focus(), 0);
  };
  const error = templates.error ?? capsLive.error ?? links.error;

  return (
    <section className="page utm" aria-labelledby="utm-title">
      <header className="page-header">
        <div>
          <h1 id="utm-title">UTM builder</h1>
          <p className="muted">Tag marketing links the same way everywhere: one template per content type, with rules every link must follow.</p>
        </div>
      </header>
      {error && <ErrorBanner error={error} onRetry={() => { templates.reload(); capsLive.reload(); links.reload(); }} />}
      {capsLive.data && capsLive.data.length === 0 && <p className="empty">No connector declares a content type (<code>utm_capabilities</code> in its manifest) yet.</p>}
      <LinkBuilder caps={caps} templated={templated} request={request} setRequest={setRequest} onBuilt={() => links.reload()} />
      <section aria-labelledby="utm-history-title">
        <div className="toolbar">
          <h2 id="utm-history-title">History</h2>
          <input type="search" placeholder="Search URL, connector or campaign" aria-label="Search links" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="utm-history-search" />
        </div>
        {links.data && links.data.length === 0 && <p className="muted" data-testid="utm-history-empty">{search ? "No link matches." : "Links you copy appear here."}</p>}
        {links.data && links.data.length > 0 && (
          <table className="table" data-testid="utm-history">
            <thead><tr><th>Link</th><th>Connector</th><th>Campaign</th><th>By</th><th><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {links.data.map((l) => (
                <tr key={l.id} data-testid="utm-history-row">
                  <td><code className="wrap">{l.url}</code></td>
                  <td>{l.request.connector} <span className="muted">{l.request.content_type}</span></td>
                  <td>{l.request.campaign}</td>
                  <td className="small-note">{l.created_by}<div className="muted">{new Date(l.created_at).toLocaleString()}</div></td>
                  <td className="type-actions">
                    <button type="button" className="small" onClick={() => void copyText(l.url)}>Copy</button>
                    <button type="button" className="small" onClick={() => clone(l)} title="Same link, another campaign" data-testid="utm-clone">Clone…</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {templates.data && <Guarded role="admin"><TemplatesPanel templates={templates.data} reload={templates.reload} /></Guarded>}
    </section>
  );
}
