// The keyboard logic of the searchable selects (ARIA 1.2 combobox), apart from React so it can be
// unit-tested in node.

export interface ComboState {
  open: boolean;
  /** Index of the highlighted option, -1 for none. */
  active: number;
}

export const CLOSED: ComboState = { open: false, active: -1 };

export interface KeyResult {
  state: ComboState;
  /** The option Enter picked. */
  pick: number | null;
  /** The key was ours: the caller prevents its default (Escape must not also close a modal). */
  handled: boolean;
}

/** The ARIA combobox keys: ArrowDown/Up open and move (wrapping), Enter picks, Escape closes. */
export function comboKey(s: ComboState, key: string, count: number): KeyResult {
  const none = { state: s, pick: null, handled: false };
  switch (key) {
    case "ArrowDown":
    case "ArrowUp": {
      const down = key === "ArrowDown";
      let active: number;
      if (count === 0) active = -1;
      // Opening keeps the highlight, or starts at the end the arrow points to.
      else if (!s.open) active = s.active >= 0 && s.active < count ? s.active : down ? 0 : count - 1;
      else if (s.active < 0) active = down ? 0 : count - 1;
      else active = (s.active + (down ? 1 : count - 1)) % count;
      return { state: { open: true, active }, pick: null, handled: true };
    }
    case "Enter": {
      if (!s.open) return none;
      const i = s.active >= 0 && s.active < count ? s.active : count === 1 ? 0 : -1;
      if (i < 0) return { state: s, pick: null, handled: true };
      return { state: CLOSED, pick: i, handled: true };
    }
    case "Escape":
      return s.open ? { state: CLOSED, pick: null, handled: true } : none;
    case "Tab":
      return { state: CLOSED, pick: null, handled: false };
    default:
      return none;
  }
}

/** After typing: the list opens on the first match, so Enter takes it. */
export function afterTyping(count: number): ComboState {
  return { open: true, active: count > 0 ? 0 : -1 };
}

export interface Option {
  value: string;
  /** Shown after the value, muted (a count, a coverage). */
  detail?: string;
}

export interface Matches {
  shown: Option[];
  /** Matches left out of `shown`: the user types more to reach them. */
  more: number;
}

/** Options whose value contains the query: exact first, then those starting with it, then the
 * rest, each in the given order; at most `limit` of them, so 10,000 connectors cost no DOM. */
export function matchOptions(options: readonly Option[], query: string, limit: number): Matches {
  const q = query.trim().toLowerCase();
  if (q === "") return { shown: options.slice(0, limit), more: Math.max(0, options.length - limit) };
  const exact: Option[] = [];
  const starts: Option[] = [];
  const within: Option[] = [];
  for (const o of options) {
    const v = o.value.toLowerCase();
    if (v === q) exact.push(o);
    else if (v.startsWith(q)) starts.push(o);
    else if (v.includes(q)) within.push(o);
  }
  const all = exact.concat(starts, within);
  return { shown: all.slice(0, limit), more: Math.max(0, all.length - limit) };
}
