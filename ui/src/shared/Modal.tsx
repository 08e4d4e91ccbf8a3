// A modal on the native <dialog>: focus is trapped and Escape closes it, with no library.
import { useLayoutEffect, useRef, type ReactNode } from "react";

export function Modal({ title, onClose, children, testId }: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  // Layout effect: close() must run before React removes the element, or WebKit can keep the
  // top-layer backdrop painted after the dialog is gone.
  useLayoutEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={ref} className="modal" onCancel={(e) => { e.preventDefault(); onClose(); }} data-testid={testId} aria-labelledby="modal-title">
      <h2 id="modal-title">{title}</h2>
      {children}
    </dialog>
  );
}
