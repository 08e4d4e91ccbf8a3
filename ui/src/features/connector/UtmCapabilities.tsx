import { useCallback } from "react";
import { commands } from "../../bindings";
import { unwrap } from "../../shared/errors";
import { useLive } from "../../shared/live";
import { href } from "../../shared/router";

/** The content types a connector declares, each with its template or flagged without one (a
 * warning: it does not block approval). */
export function UtmCapabilities({ slug, declared }: { slug: string; declared: string[] }) {
  const load = useCallback(async () => unwrap(await commands.utmTemplates()), []);
  const templates = useLive(load);
  const has = new Set((templates.data ?? []).map((t) => t.template.content_type));
  const missing = templates.data ? declared.filter((ct) => !has.has(ct)) : [];
  return (
    <section aria-labelledby="utm-title" data-testid="connector-utm">
      <h2 id="utm-title">UTM capabilities ({declared.length})</h2>
      {declared.length === 0 ? <p className="muted">None declared.</p> : (
        <ul>
          {declared.map((ct) => (
            <li key={ct} data-testid={`utm-cap-${ct}`}>
              <code>{ct}</code>{" "}
              {!templates.data ? null : has.has(ct) ? <span className="pill ok">template</span> : <span className="pill warn" title="Links cannot be built for it until an admin adds a template">no template</span>}
            </li>
          ))}
        </ul>
      )}
      {missing.length > 0 && <p className="muted small-note">{missing.length} content type{missing.length === 1 ? " has" : "s have"} no template: a warning, not a block on approval.</p>}
      {declared.length > 0 && <p><a href={href({ page: "utm", connector: slug })}>Build a link →</a></p>}
    </section>
  );
}
