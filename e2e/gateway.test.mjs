// The MCP gateway in the real app (issue 19): the real `sentinel mcp serve`, driven by the real
// Python MCP client (crates/sentinel-cli/tests/gateway/driver.py), calls a tool whose policy is
// `ask`; the call appears in the pending-calls panel (badge, details, countdown, a desktop
// notification on the session bus) and a click on *Allow once* lets it through: the agent gets
// the connector's result and the receipt names who answered. *Deny* from the keyboard refuses
// the next one. The connector page blocks the tool and the agent is refused. The Connect screen
// (HOME pointed at a temporary folder) writes Claude Code's file, keeping the rest of it and a
// backup, and lists the recent calls; the audit log filters tool calls.

/* global document -- callbacks passed to browser.execute run inside the webview */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { after, before, test } from 'node:test';
import { clickWhenReady, goTo, openWorkspace, repoRoot, screenshot, sentinel, sentinelBinary, tempDir, VAULT_SERVICE, waitForText } from './harness.mjs';

const T = { timeout: 120_000 };
const SLUG = 'gwtest';
const KEY = 'PROVIDER_GWTEST_API_KEY';
const TOOL = `${SLUG}__send`;
const USER = 'e2e-ana';
const FIXTURE = path.join(repoRoot, 'crates', 'sentinel-cli', 'tests', 'fixtures', 'gateway', SLUG);
const DRIVER = path.join(repoRoot, 'crates', 'sentinel-cli', 'tests', 'gateway', 'driver.py');
const PYTHON = process.env.GODCONFIG_PYTHON || path.join(repoRoot, '.venv', 'bin', 'python');
// How long one answer of the driver may take (the connector's first start included).
const ANSWER_MS = 60_000;

let ws;
let browser;
let db;
let connectors;
let agent;
let home;
let monitor;
let notifications = '';

const $ = (sel) => browser.$(sel);
const go = (hash) => goTo(browser, hash);
const click = (sel) => clickWhenReady(browser, sel);
const clearKey = () => spawnSync('secret-tool', ['clear', 'service', VAULT_SERVICE, 'username', KEY]);

/** `sentinel ARGS --db DB`, which must succeed; `input` goes to its stdin. */
function cli(args, input) {
  const run = input === undefined
    ? sentinel([...args, '--db', db])
    : spawnSync(sentinelBinary, [...args, '--db', db], { input, encoding: 'utf8', timeout: 60_000 });
  const code = run.code ?? run.status;
  assert.equal(code, 0, `sentinel ${args.join(' ')} (exit ${code}):\n${run.stdout}${run.stderr}`);
  return run.stdout;
}

/**
 * The Python MCP client with `sentinel mcp serve` as its server: one JSON command per line in,
 * one JSON answer per line out (driver.py's protocol).
 */
function startAgent() {
  const args = [DRIVER, sentinelBinary, 'mcp', 'serve', '--dir', connectors, '--db', db, '--python', PYTHON];
  const child = spawn(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, USER: 'e2e-gateway' } });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
  const lines = [];
  const waiters = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter(line);
    else lines.push(line);
  });
  const read = () => {
    if (lines.length) return Promise.resolve(JSON.parse(lines.shift()));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the MCP driver did not answer within ${ANSWER_MS} ms; its stderr:\n${stderr}`)), ANSWER_MS);
      waiters.push((line) => { clearTimeout(timer); resolve(JSON.parse(line)); });
    });
  };
  const send = (cmd) => {
    child.stdin.write(`${JSON.stringify(cmd)}\n`);
    return read();
  };
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.stdin.write(`${JSON.stringify({ op: 'quit' })}\n`);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return { read, send, stop, stderr: () => stderr };
}

/** The tool's reply as JSON (the connector's result), or its text. */
const replyOf = (r) => {
  try {
    return JSON.parse(r.text);
  } catch {
    return r.text;
  }
};

/** The call waiting in the panel, once it shows `text`. */
const waitingCall = (text) => waitForText(browser, '[data-testid="pending-call"]', text, 30_000);

before(async () => {
  clearKey();
  home = tempDir('godconfig-e2e-home-');
  // What a user already had in Claude Code's file: kept as it was.
  fs.writeFileSync(path.join(home, '.claude.json'), `${JSON.stringify({ theme: 'dark', mcpServers: { other: { command: 'other-server' } } }, null, 2)}\n`);
  ws = await openWorkspace({
    prepare: (dir) => fs.cpSync(FIXTURE, path.join(dir, SLUG), { recursive: true }),
    sync: true,
    user: USER,
    // The Connect screen writes into HOME and XDG_CONFIG_HOME: never the real ones.
    env: { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), GODCONFIG_LOG: 'warn,godconfig_app=info' },
  });
  ({ browser, db, connectors } = ws);
  // Approved as it is on disk, its key in the keyring, its gated scope typed.
  cli(['vault', 'set', KEY], `sk_test_gw_${Date.now().toString(36)}`);
  cli(['scopes', 'set-type', '--connector', SLUG, 'things:send', '--type', 'sends_messages', '--yes']);
  cli(['approve', SLUG, '--yes', '--as', 'olga']);
  // Every desktop notification the app sends on the session bus (there is no notification
  // server under ./dev e2e: the call is seen, and its failure must be harmless).
  monitor = spawn('dbus-monitor', ['--session', "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"], { stdio: ['ignore', 'pipe', 'ignore'] });
  monitor.stdout.setEncoding('utf8').on('data', (chunk) => { notifications += chunk; });
  const unwatched = (why) => {
    console.log(`desktop notifications not checked: dbus-monitor ${why}`);
    monitor = null;
  };
  monitor.on('error', (e) => unwatched(`did not start (${e.message})`));
  monitor.on('exit', (code) => monitor && unwatched(`exited (${code})`));
  agent = startAgent();
  assert.deepEqual(await agent.read(), { ok: true }, 'the MCP handshake');
});

after(async () => {
  await agent?.stop();
  const m = monitor;
  monitor = null;
  m?.kill();
  clearKey();
  await ws?.close();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

test('a call that asks appears in the panel and is allowed by a click; the agent gets the result and the receipt names who answered', T, async () => {
  await go('#/pending');
  await waitForText(browser, '[data-testid="pending-empty"]', 'No tool call is waiting');
  assert.equal((await browser.$$('[data-testid="pending-badge"]')).length, 0, 'no badge while nothing waits');

  assert.deepEqual(await agent.send({ op: 'call_async', name: TOOL, args: { to: 'ana-zqx' } }), { started: true });

  // It appears at once (live), with everything a person needs to decide.
  const card = await waitingCall(TOOL);
  await waitForText(browser, '[data-testid="pending-badge"]', '1');
  const text = await card.getText();
  for (const expected of ['sends_messages', 'things:send', 'godconfig-test-client 1.0', SLUG]) {
    assert.ok(text.includes(expected), `the card shows ${expected}: ${text}`);
  }
  const args = await (await $('[data-testid="call-arguments"]')).getText();
  assert.deepEqual(JSON.parse(args), { to: 'ana-zqx' });
  assert.match(args, /\n {2}"to": "ana-zqx"/, 'pretty-printed');
  const left = await (await $('[data-testid="time-left"]')).getText();
  assert.match(left, /^[0-2]:\d\d left$/, `a countdown to the automatic denial: ${left}`);
  const before = await (await $('[data-testid="time-left"]')).getText();
  await browser.waitUntil(async () => (await (await $('[data-testid="time-left"]')).getText()) !== before, { timeout: 5_000, timeoutMsg: 'the countdown does not tick' });
  await screenshot(browser, 'gateway-pending');

  // A desktop notification was sent for it (when dbus-monitor could watch the bus).
  if (monitor) {
    await browser.waitUntil(async () => notifications.includes(TOOL), { timeout: 10_000, timeoutMsg: `no Notify call on the session bus named ${TOOL}:\n${notifications}` });
    assert.ok(!notifications.includes('ana-zqx'), 'the notification does not carry the arguments');
  }

  await click('[data-testid="allow-call"]');
  await waitForText(browser, '[data-testid="pending-notice"]', `Allowed once: ${TOOL}`);
  await waitForText(browser, '[data-testid="pending-empty"]', 'No tool call is waiting');
  assert.equal((await browser.$$('[data-testid="pending-badge"]')).length, 0, 'the badge is gone');

  // The agent gets the connector's result.
  const reply = await agent.send({ op: 'result' });
  assert.equal(reply.is_error, false, JSON.stringify(reply));
  assert.deepEqual(replyOf(reply), { sent_to: 'ana-zqx' });

  // The receipt: allowed, answered by the app's user, the arguments only as a hash.
  const audit = JSON.parse(cli(['audit', '--connector', SLUG, '--format', 'json']));
  const receipt = audit.entries.find((e) => e.action === 'mcp.call' && e.detail?.connector === SLUG && e.detail?.tool === 'send');
  assert.ok(receipt, `an mcp.call receipt: ${JSON.stringify(audit.entries.map((e) => e.action))}`);
  assert.equal(receipt.detail.outcome, 'allowed');
  assert.equal(receipt.detail.answered_by, USER);
  assert.equal(receipt.detail.policy, 'ask');
  assert.equal(receipt.detail.client, 'godconfig-test-client 1.0');
  assert.match(receipt.detail.arguments_sha256, /^[0-9a-f]{64}$/);
  assert.ok(!JSON.stringify(receipt).includes('ana-zqx'), 'no argument in the receipt');
  const answered = audit.entries.find((e) => e.action === 'mcp.call_answered');
  assert.equal(answered?.actor, USER);
});

test('Deny, from the keyboard, refuses the next call', T, async () => {
  await go('#/pending');
  assert.deepEqual(await agent.send({ op: 'call_async', name: TOOL, args: { to: 'bob-zqx' } }), { started: true });
  await waitingCall('bob-zqx');
  await browser.execute(() => document.querySelector('[data-testid="deny-call"]').focus());
  await browser.keys('Enter');
  await waitForText(browser, '[data-testid="pending-notice"]', `Denied: ${TOOL}`);
  const reply = await agent.send({ op: 'result' });
  assert.equal(reply.is_error, true, JSON.stringify(reply));
  assert.match(reply.text, new RegExp(`${USER} denied`));
});

test('the connector page sets a tool\'s policy: blocked, the agent is refused; back to the default', T, async () => {
  await go(`#/connector/${SLUG}`);
  const row = `[data-testid="tools"] tr[data-tool="send"]`;
  await waitForText(browser, row, TOOL);
  assert.equal(await (await $(row)).getAttribute('data-policy'), 'ask');
  assert.equal(await (await $(row)).getAttribute('data-policy-set'), 'false');
  assert.equal(await (await $('[data-testid="policy-send"]')).getValue(), 'default');
  assert.equal(await (await $('[data-testid="tools"] tr[data-tool="echo"]')).getAttribute('data-policy'), 'allow', 'an ungated tool is allowed by default');

  await (await $('[data-testid="policy-send"]')).selectByAttribute('value', 'block');
  await waitForText(browser, '[data-testid="policy-notice"]', `${TOOL}: ask → block`);
  await browser.waitUntil(async () => (await (await $(row)).getAttribute('data-policy-set')) === 'true', { timeout: 5_000 });
  const refused = await agent.send({ op: 'call', name: TOOL, args: { to: 'carl' } });
  assert.equal(refused.is_error, true, JSON.stringify(refused));
  assert.match(refused.text, /blocked by policy/);

  await (await $('[data-testid="policy-send"]')).selectByAttribute('value', 'default');
  await waitForText(browser, '[data-testid="policy-notice"]', `${TOOL}: block → ask (the default)`);
});

test('the Connect screen writes Claude Code\'s file, keeping the rest and a backup, and lists the recent calls', T, async () => {
  await go('#/agents');
  const rows = '[data-testid="agent-clients"] tbody tr';
  await waitForText(browser, rows, 'Claude Desktop');
  const clients = await browser.execute(
    (sel) => [...document.querySelectorAll(sel)].map((tr) => [tr.dataset.client, tr.dataset.configured, tr.querySelector('[data-testid="client-path"]').textContent]),
    rows,
  );
  assert.deepEqual(clients, [
    ['claude-desktop', 'false', path.join(home, '.config', 'Claude', 'claude_desktop_config.json')],
    ['claude-code', 'false', path.join(home, '.claude.json')],
    ['cursor', 'false', path.join(home, '.cursor', 'mcp.json')],
    ['vscode', 'false', path.join(home, '.config', 'Code', 'User', 'mcp.json')],
  ]);
  // The sentinel beside the app, this workspace's folder and registry.
  const command = await (await $('[data-testid="gateway-command"]')).getText();
  assert.equal(command, `${sentinelBinary} mcp serve --dir ${connectors} --db ${db}`);
  await waitForText(browser, '[data-testid="gateway-sentinel"]', 'beside this app');

  // The recent calls, newest first: the blocked one, the denied one, the allowed one.
  const calls = '[data-testid="recent-calls"] tbody tr';
  await waitForText(browser, calls, TOOL);
  const outcomes = await browser.execute((sel) => [...document.querySelectorAll(sel)].map((tr) => [tr.dataset.outcome, tr.querySelector('[data-testid="answered-by"]').textContent]), calls);
  assert.deepEqual(outcomes.slice(0, 3), [['refused', '—'], ['denied', USER], ['allowed', USER]]);

  await click('[data-testid="connect-claude-code"]');
  await waitForText(browser, '[data-testid="connect-path"]', path.join(home, '.claude.json'));
  const entry = JSON.parse(await (await $('[data-testid="connect-entry"]')).getText());
  const expected = { type: 'stdio', command: sentinelBinary, args: ['mcp', 'serve', '--dir', connectors, '--db', db] };
  assert.deepEqual(entry, { mcpServers: { godconfig: expected } }, 'the confirmation shows the entry');
  await click('[data-testid="connect-confirm"]');
  await waitForText(browser, '[data-testid="connect-notice"]', `Claude Code: added the godconfig server to ${path.join(home, '.claude.json')}`);
  await browser.waitUntil(async () => (await (await $(`${rows}[data-client="claude-code"]`)).getAttribute('data-configured')) === 'true', { timeout: 5_000, timeoutMsg: 'Claude Code is not shown as connected' });
  await screenshot(browser, 'connect-agent');

  // The file: the entry added, the rest as it was, the old file kept beside it.
  const written = JSON.parse(fs.readFileSync(path.join(home, '.claude.json'), 'utf8'));
  assert.deepEqual(Object.keys(written), ['theme', 'mcpServers']);
  assert.equal(written.theme, 'dark');
  assert.deepEqual(written.mcpServers, { other: { command: 'other-server' }, godconfig: expected });
  const backups = fs.readdirSync(home).filter((f) => f.startsWith('.claude.json.godconfig-backup-'));
  assert.equal(backups.length, 1, `one backup: ${fs.readdirSync(home)}`);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(home, backups[0]), 'utf8')).mcpServers, { other: { command: 'other-server' } });
  // Nothing else of the user's was touched.
  assert.ok(!fs.existsSync(path.join(home, '.cursor')), 'Cursor untouched');
});

test('the audit log filters tool calls', T, async () => {
  await go('#/audit');
  await waitForText(browser, '[data-testid="audit-table"]', 'mcp.call');
  await (await $('[data-testid="audit-action"]')).selectByAttribute('value', 'mcp.call');
  await waitForText(browser, '#audit-title', 'Tool calls');
  await browser.waitUntil(async () => {
    const actions = await browser.execute(() => [...document.querySelectorAll('[data-testid="audit-table"] tbody tr')].map((tr) => tr.dataset.action));
    return actions.length === 3 && actions.every((a) => a === 'mcp.call');
  }, { timeout: 10_000, timeoutMsg: 'the filter does not show exactly the three tool calls' });
  await waitForText(browser, '[data-testid="audit-table"]', `${TOOL} · allowed · answered by ${USER} · from godconfig-test-client 1.0`);
});
