import { describe, expect, it } from "vitest";
import { isShortcut } from "./shortcut";

const key = (over: Partial<Parameters<typeof isShortcut>[0]> = {}) => ({
  key: "n", ctrlKey: false, metaKey: false, altKey: false, repeat: false, target: { tagName: "BODY" } as unknown as EventTarget, ...over,
});

describe("the N shortcut", () => {
  it("opens on a plain N (Shift+N too) outside fields", () => {
    expect(isShortcut(key(), false)).toBe(true);
    expect(isShortcut(key({ key: "N" }), false)).toBe(true);
    expect(isShortcut(key({ target: { tagName: "BUTTON" } as unknown as EventTarget }), false)).toBe(true);
  });

  it("leaves typing, other keys, modifiers and open dialogs alone", () => {
    for (const tagName of ["INPUT", "TEXTAREA", "SELECT"]) expect(isShortcut(key({ target: { tagName } as unknown as EventTarget }), false)).toBe(false);
    expect(isShortcut(key({ target: { tagName: "DIV", isContentEditable: true } as unknown as EventTarget }), false)).toBe(false);
    expect(isShortcut(key({ key: "m" }), false)).toBe(false);
    expect(isShortcut(key({ ctrlKey: true }), false)).toBe(false);
    expect(isShortcut(key({ metaKey: true }), false)).toBe(false);
    expect(isShortcut(key({ altKey: true }), false)).toBe(false);
    expect(isShortcut(key({ repeat: true }), false)).toBe(false);
    expect(isShortcut(key(), true)).toBe(false);
  });
});
