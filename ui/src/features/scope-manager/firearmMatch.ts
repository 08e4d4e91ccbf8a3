// The firearm-type picker's matching, apart from React so it can be unit-tested in node.
import type { FirearmType } from "../../bindings";

/** Types that can be given to scopes (not retired) whose slug, name or description contains the query. */
export function matchTypes(types: readonly FirearmType[], query: string): FirearmType[] {
  const q = query.trim().toLowerCase();
  return types.filter(
    (t) => !t.retired && (q === "" || t.slug.toLowerCase().includes(q) || t.name.toLowerCase().includes(q) || t.description.toLowerCase().includes(q)),
  );
}
