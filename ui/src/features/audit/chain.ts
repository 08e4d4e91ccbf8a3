import type { ChainBreak, ChainReport } from "../../bindings";

const WHY: Record<ChainBreak, string> = {
  unchained: "it has no place in the chain: it was written around the registry",
  gap: "entries before it are missing: they were removed",
  link: "it does not follow the entry before it: that entry was changed or removed",
  content: "its content does not match its hash: it was changed after it was written",
};

/** What a verification found, as one sentence and the way out. */
export function chainSummary(r: ChainReport): { ok: boolean; text: string; fix: string | null } {
  const bad = r.first_bad;
  if (!bad) {
    if (!r.head) return { ok: true, text: "The audit log is empty: nothing to verify yet.", fix: null };
    return {
      ok: true,
      text: `Intact: ${r.checked} ${r.checked === 1 ? "entry" : "entries"} chained, last hash ${r.head.slice(0, 12)}…`,
      fix: `Keep the last hash (${r.head}) somewhere else: a later check that does not reach it means entries were cut from the end.`,
    };
  }
  const what = bad.provider_slug ? `${bad.action} ${bad.provider_slug}` : bad.action;
  return {
    ok: false,
    text: `Broken at entry ${bad.id} (${what}, ${bad.at}): ${WHY[bad.problem]}. ${before(r.checked)}`,
    fix: `The registry never changes or deletes entries, so this was done to the database directly: restore it from a backup taken before ${bad.at}, and find out who could write to it.`,
  };
}

function before(n: number): string {
  if (n === 0) return "No entry comes before it.";
  return n === 1 ? "The entry before it is intact." : `The ${n} entries before it are intact.`;
}
