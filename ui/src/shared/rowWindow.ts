// Windowing for long lists of fixed-height rows. With a fixed height the rows on screen are
// arithmetic on scrollTop, so a new row count costs nothing; TanStack Virtual rebuilds a
// measurement per row (100,000 objects) on every count change, which is most of a keystroke.
import { useLayoutEffect, useState, type RefObject } from "react";

export interface RowRange {
  /** First row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
}

export interface Viewport {
  /** The scroller's scrollTop. */
  top: number;
  /** The scroller's visible height. */
  height: number;
}

/**
 * The rows that intersect the viewport, plus `overscan` on each side. `offset` is the height
 * above the first row inside the scroller (a sticky header).
 */
export function rowRange(view: Viewport, count: number, rowHeight: number, offset: number, overscan: number): RowRange {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const top = view.top - offset;
  const first = Math.floor(Math.max(0, top) / rowHeight);
  const last = Math.ceil(Math.max(0, top + Math.max(0, view.height)) / rowHeight);
  return {
    start: Math.min(count, Math.max(0, first - overscan)),
    end: Math.min(count, last + overscan),
  };
}

/** The scroller's scroll position and height, following scrolls and resizes. */
export function useViewport(ref: RefObject<HTMLElement | null>, initial: Viewport): Viewport {
  const [view, setView] = useState(initial);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () =>
      setView((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
    update();
    el.addEventListener("scroll", update, { passive: true });
    const resized = new ResizeObserver(update);
    resized.observe(el);
    return () => {
      el.removeEventListener("scroll", update);
      resized.disconnect();
    };
  }, [ref]);
  return view;
}
