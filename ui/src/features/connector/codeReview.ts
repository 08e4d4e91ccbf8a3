import type { CodeReview, FileDiff } from "../../bindings";

/** The first 12 characters of a hash, or a dash when there is none yet. */
export function short(hash: string | null | undefined): string {
  return hash ? hash.slice(0, 12) : "—";
}

/** One line over the whole review: unchanged, never approved, or what changed. */
export function headline(r: CodeReview): string {
  if (r.approved_fingerprint === null) {
    return `Never approved: ${r.files.length} file${r.files.length === 1 ? "" : "s"} to review`;
  }
  const changed = r.files.filter((f) => f.state !== "same");
  if (!changed.length && !r.tools.length) return `Unchanged since the approval (files ${short(r.approved_fingerprint)})`;
  const parts = [];
  if (changed.length) parts.push(`${changed.length} file${changed.length === 1 ? "" : "s"} changed`);
  if (r.tools.length) parts.push(`${r.tools.length} tool${r.tools.length === 1 ? "" : "s"} changed`);
  return `Since the approval: ${parts.join(", ")} (files ${short(r.approved_fingerprint)} → ${short(r.fingerprint)})`;
}

/** `service.py — changed, +3 −1`, or the sizes of a binary file. */
export function fileSummary(f: FileDiff): string {
  if (f.binary) return `${f.path} — ${f.state}, binary (${f.old_size ?? 0} → ${f.new_size ?? 0} bytes)`;
  if (f.state === "same") return `${f.path} — unchanged`;
  return `${f.path} — ${f.state}, +${f.added} −${f.removed}`;
}

/** Files to show open: what changed since an approval; when never approved, every file (small ones first is the caller's choice). */
export function openByDefault(r: CodeReview, f: FileDiff): boolean {
  if (f.state === "same") return false;
  return r.approved_fingerprint !== null || r.files.length <= 3;
}
