import { describe, expect, it } from "vitest";
import { rowRange } from "./rowWindow";

describe("rowRange", () => {
  const at = (top: number, height = 560, count = 100_000) => rowRange({ top, height }, count, 56, 36, 4);

  it("renders the rows under the header at the top, plus the overscan below", () => {
    // The 524 px below the 36 px header hold rows 0..9.
    expect(at(0)).toEqual({ start: 0, end: 14 });
  });

  it("follows the scroll position and keeps the overscan above", () => {
    // 36 px of header then 56 px rows: scrollTop 36 + 56 * 1000 puts row 1000 at the top.
    expect(at(36 + 56 * 1000)).toEqual({ start: 996, end: 1014 });
  });

  it("counts a partly visible row at both edges", () => {
    expect(at(36 + 56 * 10 + 30, 100)).toEqual({ start: 6, end: 17 });
  });

  it("stops at the last row", () => {
    expect(at(36 + 56 * 99_995)).toEqual({ start: 99_991, end: 100_000 });
    expect(at(10_000_000)).toEqual({ start: 100_000, end: 100_000 });
  });

  it("renders nothing without rows, and a few rows when the list is short", () => {
    expect(at(0, 560, 0)).toEqual({ start: 0, end: 0 });
    expect(at(0, 560, 3)).toEqual({ start: 0, end: 3 });
  });

  it("survives an unmeasured (zero-height) viewport", () => {
    expect(at(0, 0)).toEqual({ start: 0, end: 4 });
  });
});
