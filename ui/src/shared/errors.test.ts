import { describe, expect, it } from "vitest";
import type { ErrorCodeId } from "../bindings";
import bindingsSource from "../bindings.ts?raw";
import { describeError, errorOf, IpcFailure, isKnownCode, toErrorCode, unwrap } from "./errors";

describe("describeError", () => {
  it("gives a title and a way out for known codes", () => {
    const s = describeError({ code: "registry.connect", message: "cannot open the registry at x" });
    expect(s.title).toBe("Cannot open the registry");
    expect(s.message).toContain("cannot open");
    expect(s.recovery).toEqual({ kind: "route", label: "Open the workspace screen", href: "#/workspace" });
  });

  it("knows team mode's codes: offline is retried, a refusal by role or by four-eyes is not", () => {
    expect(describeError({ code: "registry.offline", message: "m" })).toMatchObject({ title: "Offline: the registry cannot be reached", recovery: { kind: "retry" } });
    expect(describeError({ code: "registry.forbidden", message: "m" })).toMatchObject({ title: "Your role may not do this", recovery: { kind: "none" } });
    expect(describeError({ code: "review.four_eyes", message: "m" }).title).toBe("Four-eyes rule: another operator must approve");
  });

  it("offers a retry for transient failures", () => {
    expect(describeError({ code: "registry.busy", message: "m" }).recovery.kind).toBe("retry");
    expect(describeError({ code: "review.hash_mismatch", message: "m" }).recovery.kind).toBe("retry");
  });

  it("knows the scope manager's codes", () => {
    const c = describeError({ code: "registry.conflict", message: "someone else changed notion/write" });
    expect(c.title).toBe("Someone else changed this");
    expect(c.recovery).toEqual({ kind: "retry", label: "Reload" });
    expect(describeError({ code: "firearms.retired", message: "m" }).recovery).toEqual({ kind: "route", label: "Open firearm types", href: "#/firearm-types" });
    for (const code of <ErrorCodeId[]>["scopes.unknown_scope", "scopes.not_gated", "scopes.reason_required", "scopes.empty_selection", "firearms.unknown_type", "firearms.exists", "firearms.in_use", "firearms.invalid"])
      expect(describeError({ code, message: "m" }).title).not.toBe("Something went wrong");
  });

  it("falls back for unknown codes without losing the message", () => {
    const s = describeError({ code: "future.thing" as ErrorCodeId, message: "details" });
    expect(s.title).toBe("Something went wrong");
    expect(s.message).toBe("details");
    expect(s.recovery.kind).toBe("none");
  });
});

describe("every code of the bindings", () => {
  // tsc already refuses a code without an entry; this also catches a union the test cannot see.
  const union = /export type ErrorCodeId = ([^;]+);/.exec(bindingsSource);
  const codes = [...(union?.[1] ?? "").matchAll(/"([a-z_]+\.[a-z_]+)"/g)].map((m) => m[1]);

  it("are read from bindings.ts", () => {
    expect(codes.length).toBeGreaterThan(60);
    expect(codes).toContain("vault.unavailable");
  });

  it("each has its own title and a recovery", () => {
    const titles = new Set<string>();
    for (const code of codes) {
      expect(isKnownCode(code), code).toBe(true);
      const shown = describeError({ code: code as ErrorCodeId, message: "m" });
      expect(shown.title, code).not.toBe("Something went wrong");
      expect(titles.has(shown.title), `${code}: "${shown.title}" is another code's title`).toBe(false);
      titles.add(shown.title);
      expect(["route", "retry", "none"], code).toContain(shown.recovery.kind);
    }
  });

  it("gives the vault's codes a way to the vault or a retry", () => {
    expect(describeError({ code: "vault.missing", message: "m" }).recovery).toEqual({ kind: "route", label: "Open the vault", href: "#/vault" });
    expect(describeError({ code: "vault.unavailable", message: "m" }).recovery.kind).toBe("retry");
    expect(describeError({ code: "app.bad_rotation", message: "m" }).title).toBe("The rotation age is not valid");
    expect(describeError({ code: "team.needs_postgres", message: "m" }).title).toBe("Team mode needs a PostgreSQL registry");
  });
});

describe("toErrorCode", () => {
  it("keeps an IPC error as is", () => {
    expect(toErrorCode({ code: "a.b", message: "m" })).toEqual({ code: "a.b", message: "m" });
  });
  it("wraps JS errors and strings", () => {
    expect(toErrorCode(new Error("boom"))).toEqual({ code: "ipc.unexpected", message: "boom" });
    expect(toErrorCode("command not allowed")).toEqual({ code: "ipc.unexpected", message: "command not allowed" });
  });
});

describe("unwrap", () => {
  it("returns data or throws the typed error", () => {
    expect(unwrap({ status: "ok", data: 3 })).toBe(3);
    try {
      unwrap({ status: "error", error: { code: "review.not_found", message: "no" } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(IpcFailure);
      expect(errorOf(e).code).toBe("review.not_found");
    }
  });
});
