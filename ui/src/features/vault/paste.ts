// What the VaultWriter does with typed or pasted text. Pure, so it is unit-tested.

export interface Cleaned {
  value: string;
  /** Shown under the field; the value is still accepted (PEM keys are multi-line). */
  warning: string | null;
}

/** Trims surrounding whitespace (a copied trailing newline, spaces) and warns about inner line breaks. */
export function cleanPaste(text: string): Cleaned {
  const value = text.trim();
  const trimmed = value.length !== text.length;
  if (/[\r\n]/.test(value)) {
    return { value, warning: "The pasted text has a line break inside it. Check that you copied only the key." };
  }
  return { value, warning: trimmed ? "Spaces and line breaks around the pasted key were removed." : null };
}

/** Why the form cannot be sent yet, or null. */
export function valueProblem(value: string): string | null {
  if (value.trim() === "") return "Paste or type the key.";
  return null;
}
