import type { PendingCall } from "../../bindings";
import { waitingCount } from "./pending";
import { useNow } from "./useNow";

/** The sidebar's count of calls a person can still answer; its own clock, so only it re-renders. */
export function PendingBadge({ calls }: { calls: PendingCall[] | undefined }) {
  const now = useNow(1000);
  const waiting = waitingCount(calls, now);
  if (waiting === 0) return null;
  return <span className="badge" data-testid="pending-badge" aria-label={`${waiting} waiting`}>{waiting}</span>;
}
