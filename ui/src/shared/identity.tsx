// The current user's identity for every screen: loaded once the workspace is open, and again
// when the registry changes (an owner may have granted a role meanwhile).
import { createContext, useCallback, useContext, type ReactNode } from "react";
import { commands, type Identity } from "../bindings";
import { unwrap } from "./errors";
import { useLive } from "./live";
import { permit, type Permission, type Role } from "./roles";

const IdentityContext = createContext<Identity | undefined>(undefined);

export function IdentityProvider({ open, children }: { open: boolean; children: ReactNode }) {
  const load = useCallback(async () => (open ? unwrap(await commands.whoami()) : undefined), [open]);
  const id = useLive(load);
  return <IdentityContext.Provider value={id.data}>{children}</IdentityContext.Provider>;
}

export function useIdentity(): Identity | undefined {
  return useContext(IdentityContext);
}

export function usePermission(role: Role): Permission {
  return permit(useIdentity(), role);
}

/** The reason under a disabled action, for aria-describedby and sight. */
export function Why({ id, permission }: { id: string; permission: Permission }) {
  if (permission.allowed) return null;
  return <p className="muted why" id={id} data-testid="role-why">{permission.why}</p>;
}

/** What needs `role`: its controls are disabled (a disabled fieldset) and the reason shows above. */
export function Guarded({ role, children }: { role: Role; children: ReactNode }) {
  const p = usePermission(role);
  return (
    <>
      <Why id={`${role}-why`} permission={p} />
      <fieldset className="bare" disabled={!p.allowed} aria-describedby={p.allowed ? undefined : `${role}-why`}>
        {children}
      </fieldset>
    </>
  );
}
