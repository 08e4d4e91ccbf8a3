import { useEffect } from "react";

/**
 * The keyring has no change events and other tools (secret-tool, Seahorse, the CLI) write to it:
 * secret health is read again whenever the window regains focus.
 */
export function useReloadOnFocus(reload: () => void) {
  useEffect(() => {
    window.addEventListener("focus", reload);
    return () => window.removeEventListener("focus", reload);
  }, [reload]);
}
