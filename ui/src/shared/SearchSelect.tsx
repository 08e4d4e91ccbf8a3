// A select for long lists (10,000 connectors): a text input on the ARIA 1.2 combobox pattern that
// lists at most LIMIT matches. A native <select> of 10,000 options took ~0.5 s to fill and made
// every re-render of its page reconcile 10,000 elements.
import { memo, useEffect, useId, useMemo, useState } from "react";
import { afterTyping, CLOSED, comboKey, matchOptions, type ComboState, type Option } from "./combobox";

const LIMIT = 50;

export const SearchSelect = memo(function SearchSelect({ options, value, onChange, label, nullLabel, emptyText, testId }: {
  options: readonly Option[];
  value: string | null;
  onChange: (value: string | null) => void;
  label: string;
  /** What `null` means ("All connectors"); when set, the clear button picks it. */
  nullLabel?: string;
  /** Shown in the open list while there are no options at all (still loading, say). */
  emptyText?: string;
  testId: string;
}) {
  const id = useId();
  const [text, setText] = useState(value ?? "");
  const [seen, setSeen] = useState(value);
  const [combo, setCombo] = useState<ComboState>(CLOSED);
  if (value !== seen) {
    setSeen(value);
    setText(value ?? "");
  }
  // While the input shows the current value, opening lists everything, not only that value.
  const query = text === (value ?? "") ? "" : text;
  const { shown, more } = useMemo(() => matchOptions(options, query, LIMIT), [options, query]);
  const active = combo.active < shown.length ? combo.active : -1;
  const optId = (i: number) => `${id}-opt-${i}`;

  useEffect(() => {
    if (combo.open && active >= 0) document.getElementById(`${id}-opt-${active}`)?.scrollIntoView({ block: "nearest" });
  }, [id, combo.open, active]);

  const pick = (v: string | null) => {
    setText(v ?? "");
    setCombo(CLOSED);
    if (v !== value) onChange(v);
  };
  const restore = () => {
    setText(value ?? "");
    setCombo(CLOSED);
  };

  return (
    <div className="search-select" data-testid={testId} data-options={options.length}>
      <input
        type="text"
        role="combobox"
        aria-label={label}
        aria-expanded={combo.open}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={combo.open && active >= 0 ? optId(active) : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder={nullLabel ?? "Type to search"}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setCombo(afterTyping(matchOptions(options, e.target.value, LIMIT).shown.length));
        }}
        onKeyDown={(e) => {
          if (e.key === "Escape" && !combo.open && text !== (value ?? "")) {
            e.preventDefault();
            restore();
            return;
          }
          const r = comboKey({ open: combo.open, active }, e.key, shown.length);
          if (r.handled) {
            e.preventDefault();
            e.stopPropagation();
          }
          setCombo(r.state);
          if (r.pick !== null) pick(shown[r.pick].value);
          else if (e.key === "Escape" && combo.open) setText(value ?? "");
        }}
        onClick={() => setCombo((s) => (s.open ? s : { open: true, active: -1 }))}
        onBlur={() => {
          // An exact value typed in full counts as picked, an emptied box as "all"; anything else
          // goes back to the value.
          const t = text.trim().toLowerCase();
          const exact = options.find((o) => o.value.toLowerCase() === t);
          if (exact) pick(exact.value);
          else if (t === "" && nullLabel !== undefined) pick(null);
          else restore();
        }}
        data-testid={`${testId}-input`}
      />
      {nullLabel !== undefined && value !== null && (
        <button type="button" className="small" aria-label={`Show ${nullLabel.toLowerCase()}`} title={nullLabel} onClick={() => pick(null)} data-testid={`${testId}-clear`}>×</button>
      )}
      {combo.open && (
        <ul id={`${id}-list`} role="listbox" aria-label={label} className="combo-list search-select-list" onMouseDown={(e) => e.preventDefault()}>
          {shown.map((o, i) => (
            <li key={o.value} id={optId(i)} role="option" aria-selected={i === active} className={i === active ? "active" : undefined} onClick={() => pick(o.value)}>
              {o.value}{o.detail && <span className="muted"> {o.detail}</span>}
            </li>
          ))}
          {shown.length === 0 && <li className="muted" aria-disabled="true">{options.length === 0 ? (emptyText ?? "Nothing to choose from.") : `No match for “${text}”.`}</li>}
          {more > 0 && <li className="muted" aria-disabled="true">{more.toLocaleString("en-US")} more: type to narrow.</li>}
        </ul>
      )}
    </div>
  );
});
