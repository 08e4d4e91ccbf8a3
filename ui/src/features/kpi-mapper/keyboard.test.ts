import { describe, expect, it } from "vitest";
import { centreOn, nextTarget, stepOf } from "./keyboard";

const ORDER = ["orders", "revenue", "sessions"];

describe("keyboard drag", () => {
  it("maps arrows to steps and ignores other keys", () => {
    expect(stepOf("ArrowDown")).toBe("next");
    expect(stepOf("ArrowRight")).toBe("next");
    expect(stepOf("ArrowUp")).toBe("previous");
    expect(stepOf("ArrowLeft")).toBe("previous");
    expect(stepOf("KeyA")).toBeNull();
  });

  it("starts on the suggestion, else at the end the arrow points to", () => {
    expect(nextTarget(ORDER, null, "next", "revenue")).toBe("revenue");
    expect(nextTarget(ORDER, null, "next", null)).toBe("orders");
    expect(nextTarget(ORDER, null, "previous", null)).toBe("sessions");
    expect(nextTarget(ORDER, null, "next", "retired_one")).toBe("orders");
  });

  it("steps through targets and stops at the ends", () => {
    expect(nextTarget(ORDER, "orders", "next", null)).toBe("revenue");
    expect(nextTarget(ORDER, "revenue", "previous", null)).toBe("orders");
    expect(nextTarget(ORDER, "sessions", "next", null)).toBe("sessions");
    expect(nextTarget(ORDER, "orders", "previous", null)).toBe("orders");
    expect(nextTarget([], null, "next", null)).toBeNull();
  });

  it("centres the dragged box on the target", () => {
    expect(centreOn({ left: 100, top: 200, width: 200, height: 60 }, { left: 0, top: 0, width: 100, height: 40 })).toEqual({ x: 150, y: 210 });
  });
});
