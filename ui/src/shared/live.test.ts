import { describe, expect, it } from "vitest";
import { applyDelta, mergeNamed } from "./live";

type Row = { slug: string; n: number };
const slug = (r: Row) => r.slug;
const held: Row[] = [
  { slug: "a", n: 1 },
  { slug: "b", n: 1 },
  { slug: "c", n: 1 },
];

describe("applyDelta", () => {
  it("takes a whole list as it is", () => {
    const rows = [{ slug: "z", n: 9 }];
    expect(applyDelta(held, { version: 2, whole: true, rows }, slug)).toBe(rows);
    expect(applyDelta(undefined, { version: 1, whole: true, rows }, slug)).toBe(rows);
  });
  it("replaces only the changed rows, in place, and keeps the others' identity", () => {
    const next = applyDelta(held, { version: 2, whole: false, rows: [{ slug: "b", n: 2 }] }, slug);
    expect(next).toEqual([
      { slug: "a", n: 1 },
      { slug: "b", n: 2 },
      { slug: "c", n: 1 },
    ]);
    expect(next[0]).toBe(held[0]);
    expect(next[2]).toBe(held[2]);
  });
  it("keeps the same list when nothing changed, so nothing re-renders", () => {
    expect(applyDelta(held, { version: 3, whole: false, rows: [] }, slug)).toBe(held);
  });
});

describe("mergeNamed", () => {
  it("unites the connectors a burst names, and one unnamed change makes it anything", () => {
    const a = mergeNamed(undefined, ["stripe"]);
    expect([...(a ?? [])]).toEqual(["stripe"]);
    expect([...(mergeNamed(a, ["slack", "stripe"]) ?? [])].sort()).toEqual(["slack", "stripe"]);
    expect(mergeNamed(a, null)).toBeNull();
    expect(mergeNamed(null, ["slack"])).toBeNull();
  });
});
