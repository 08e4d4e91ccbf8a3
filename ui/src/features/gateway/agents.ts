// The Connect screen's words: the gateway's command line as a shell would read it, where its
// program was found, and what connecting did.
import type { AgentClient, GatewayCommand, Installed, SentinelSource } from "../../bindings";

/** One argument, quoted for a POSIX shell only when it needs it. */
export function shellQuote(arg: string): string {
  if (arg !== "" && /^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** `/opt/godconfig/sentinel mcp serve --dir '/home/ana/my connectors' --db …`. */
export function commandLine(c: GatewayCommand): string {
  return [c.program, ...c.args].map(shellQuote).join(" ");
}

export const SENTINEL_NOTE: Record<SentinelSource, string> = {
  beside_app: "The gateway is the sentinel installed beside this app.",
  on_path: "The gateway is the sentinel found on the app's PATH.",
  not_found:
    "No sentinel was found beside the app or on its PATH: the entry names `sentinel`, which the client must find on its own PATH (install the sentinel CLI first).",
};

/** "Claude Code: added the godconfig server to /home/ana/.claude.json (the old file is kept as …). Restart Claude Code to load it." */
export function connectedLine(done: Installed, clients: AgentClient[]): string {
  const title = clients.find((c) => c.client === done.client)?.title ?? done.client;
  const verb = done.replaced ? "replaced the godconfig server in" : "added the godconfig server to";
  const backup = done.backup ? ` (the old file is kept as ${done.backup})` : "";
  return `${title}: ${verb} ${done.path}${backup}. Restart ${title} to load it.`;
}
