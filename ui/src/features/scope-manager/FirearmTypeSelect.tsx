// A searchable select on the ARIA 1.2 combobox pattern: the input keeps focus, the listbox
// highlight moves with aria-activedescendant. Retired types are not offered.
import { useEffect, useId, useMemo, useState } from "react";
import type { FirearmType } from "../../bindings";
import { afterTyping, CLOSED, comboKey, type ComboState } from "../../shared/combobox";
import { matchTypes } from "./firearmMatch";

export function FirearmTypeSelect({ types, value, onChange, label, hint, autoFocus }: {
  types: readonly FirearmType[];
  value: string | null;
  onChange: (slug: string | null) => void;
  label: string;
  /** Shown under the input while no type is chosen. */
  hint: string;
  autoFocus?: boolean;
}) {
  const id = useId();
  const [text, setText] = useState(value ?? "");
  const [seen, setSeen] = useState(value);
  const [combo, setCombo] = useState<ComboState>(CLOSED);
  if (value !== seen) {
    // A type chosen from outside (a suggestion) shows in the input.
    setSeen(value);
    if (value !== null) setText(value);
  }
  // Once a type is picked the input shows its slug; reopening lists every type, not only that one.
  const query = value !== null && text === value ? "" : text;
  const options = useMemo(() => matchTypes(types, query), [types, query]);
  const active = combo.active < options.length ? combo.active : -1;
  const chosen = value === null ? undefined : types.find((t) => t.slug === value);
  const optId = (i: number) => `${id}-opt-${i}`;

  useEffect(() => {
    if (combo.open && active >= 0) document.getElementById(`${id}-opt-${active}`)?.scrollIntoView({ block: "nearest" });
  }, [id, combo.open, active]);

  const pick = (t: FirearmType) => {
    setText(t.slug);
    setCombo(CLOSED);
    setSeen(t.slug);
    onChange(t.slug);
  };

  return (
    <div className="combo field">
      <label htmlFor={id} className="label">{label}</label>
      <input
        id={id}
        type="text"
        role="combobox"
        aria-expanded={combo.open}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={combo.open && active >= 0 ? optId(active) : undefined}
        aria-describedby={`${id}-desc`}
        autoComplete="off"
        spellCheck={false}
        autoFocus={autoFocus}
        placeholder="Search by name, slug or description"
        value={text}
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          if (value !== null && t !== value) onChange(null);
          setCombo(afterTyping(matchTypes(types, t).length));
        }}
        onKeyDown={(e) => {
          const r = comboKey({ open: combo.open, active }, e.key, options.length);
          if (r.handled) {
            e.preventDefault();
            e.stopPropagation();
          }
          setCombo(r.state);
          if (r.pick !== null) pick(options[r.pick]);
        }}
        onClick={() => setCombo((s) => (s.open ? s : { open: true, active: -1 }))}
        onBlur={() => {
          setCombo(CLOSED);
          // A slug typed in full counts as picked.
          const exact = value === null && types.find((t) => !t.retired && t.slug === text.trim().toLowerCase());
          if (exact) pick(exact);
        }}
        data-testid="firearm-type-select"
      />
      <ul id={`${id}-list`} role="listbox" aria-label={label} className="combo-list" hidden={!combo.open || options.length === 0} onMouseDown={(e) => e.preventDefault()}>
        {options.map((t, i) => (
          <li
            key={t.slug}
            id={optId(i)}
            role="option"
            aria-selected={i === active}
            className={i === active ? "active" : undefined}
            onClick={() => pick(t)}
            data-testid={`firearm-option-${t.slug}`}
          >
            <span className="combo-name">{t.name}</span> <code>{t.slug}</code> <RiskPill level={t.risk_level} />
            <div className="muted combo-desc">{t.description}</div>
          </li>
        ))}
      </ul>
      {combo.open && options.length === 0 && <p className="muted">No active type matches “{text}”.</p>}
      <p id={`${id}-desc`} className="muted" data-testid="firearm-type-chosen">
        {chosen ? <>{chosen.name}, <RiskPill level={chosen.risk_level} /> risk: {chosen.description}</> : hint}
      </p>
    </div>
  );
}

export function RiskPill({ level }: { level: string }) {
  return <span className={`pill risk-${level}`}>{level}</span>;
}
