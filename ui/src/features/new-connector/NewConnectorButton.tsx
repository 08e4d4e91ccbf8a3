// The New connector button and its dialog. The sidebar's instance also answers the N key.
import { useEffect, useRef, useState } from "react";
import { NewConnectorDialog } from "./NewConnectorDialog";
import { isShortcut } from "./shortcut";

export function NewConnectorButton({ disabled, shortcut = false, testId = "new-connector", className, initiallyOpen = false, onFirstClose }: {
  disabled: boolean;
  /** Open the dialog at once (a link that orders a connector). */
  initiallyOpen?: boolean;
  /** Called when that dialog closes (to drop the link's request, say). */
  onFirstClose?: () => void;
  /** Whether N opens it (one instance only: the sidebar's). */
  shortcut?: boolean;
  testId?: string;
  className?: string;
}) {
  const [open, setOpen] = useState(initiallyOpen);
  const returnFocus = useRef(false);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!shortcut || disabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (!isShortcut(e, document.querySelector("dialog[open]") !== null)) return;
      e.preventDefault();
      setOpen(true);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [shortcut, disabled]);

  // Back to the button once the dialog is gone (a closed modal leaves the focus nowhere).
  useEffect(() => {
    if (!open && returnFocus.current) {
      returnFocus.current = false;
      button.current?.focus();
    }
  }, [open]);

  return (
    <>
      <button
        ref={button}
        type="button"
        className={className}
        onClick={() => setOpen(true)}
        disabled={disabled}
        title={shortcut ? "New connector (N)" : "New connector"}
        aria-keyshortcuts={shortcut ? "n" : undefined}
        data-testid={testId}
      >
        New connector…{shortcut && <kbd aria-hidden="true">N</kbd>}
      </button>
      {open && <NewConnectorDialog onClose={() => { returnFocus.current = true; setOpen(false); onFirstClose?.(); }} />}
    </>
  );
}
