// Connection loss in the real app: the app's PostgreSQL (a private cluster made for this test
// with pg_createcluster, so the shared server never stops) is stopped with pg_ctlcluster. The app
// says "offline, reconnecting", refuses an approval with a clear error and changes nothing; once
// the server is back it reconnects by itself, and live updates work again.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { clickWhenReady, goTo, openWorkspace, screenshot, sentinel, waitForText } from './harness.mjs';

const T = { timeout: 120_000 };
const NAME = `gce2e${process.pid}`;
let version;
let port;
let url;
let ws;
let app;

const pgctl = (...args) => execFileSync('pg_ctlcluster', [version, NAME, ...args], { stdio: 'pipe' });
const psql = (sql) => execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { encoding: 'utf8' }).trim();

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

function cli(args) {
  const r = sentinel([...args, '--db', url]);
  assert.equal(r.code, 0, `sentinel ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  version = fs.readdirSync('/etc/postgresql').sort().at(-1);
  port = await freePort();
  execFileSync('pg_createcluster', [version, NAME, '-p', String(port), '--', '--auth=trust'], { stdio: 'pipe' });
  pgctl('start');
  execFileSync('psql', [`postgres://postgres@127.0.0.1:${port}/postgres`, '-qc', 'CREATE DATABASE registry']);
  // A password in the URL (trust authentication ignores it): it must never be shown or saved.
  url = `postgres://postgres:hunter2@127.0.0.1:${port}/registry`;
  ws = await openWorkspace({ fixtures: ['acme_forms'], registry: url, sync: true, prefix: 'godconfig-e2e-offline-' });
  app = ws.app;
});

after(async () => {
  try {
    await ws?.close();
  } finally {
    execFileSync('pg_dropcluster', ['--stop', version, NAME], { stdio: 'pipe' });
  }
});

test('the workspace screen says the connection is encrypted, and never shows the password', T, async () => {
  const b = app.browser;
  await goTo(b, '#/workspace');
  // pg_createcluster serves TLS (Debian's default certificate); sslmode=prefer uses it.
  await waitForText(b, '[data-testid="workspace-encryption"]', 'Encrypted (TLS)', 15_000);
  const facts = await (await b.$('[data-testid="workspace-open"]')).getText();
  assert.ok(facts.includes('postgres:***@127.0.0.1'), facts);
  assert.ok(!facts.includes('hunter2'), facts);
  const settings = fs.readFileSync(path.join(app.env.XDG_CONFIG_HOME, 'godconfig', 'settings.json'), 'utf8');
  assert.ok(!settings.includes('hunter2'), settings);
});

test('the server stops: offline, reconnecting; an approval is refused and nothing is written', T, async () => {
  const b = app.browser;
  await goTo(b, '#/connector/acme_forms');
  await b.$('[data-testid="connector-page"][data-status="draft"]').waitForExist({ timeout: 15_000 });
  pgctl('stop', '-m', 'immediate');
  const banner = await waitForText(b, '[data-testid="connection-banner"]', 'Offline, reconnecting', 10_000);
  assert.ok(!(await banner.getText()).includes('hunter2'));
  assert.equal(await banner.getAttribute('data-online'), 'false');
  await screenshot(b, 'offline-banner');

  await clickWhenReady(b, '[data-testid="approve"]');
  await clickWhenReady(b, '[data-testid="approve-confirm"]');
  const refused = await b.$('[data-testid="approve-dialog"] [data-code="registry.offline"]');
  await refused.waitForExist({ timeout: 15_000 });
  assert.match(await refused.getText(), /Offline: the registry cannot be reached/);
  assert.match(await refused.getText(), /nothing was changed/);
  await b.keys('Escape');

  pgctl('start');
  assert.equal(psql("SELECT status FROM connector_providers WHERE slug = 'acme_forms'"), 'draft');
  assert.equal(psql("SELECT COUNT(*) FROM audit_log WHERE action = 'operator.approved'"), '0');
});

test('the server is back: the app reconnects by itself and live updates resume', T, async () => {
  const b = app.browser;
  // Backoff: the next attempt is at most 15 s away.
  await b.$('[data-testid="connection-banner"][data-online="true"]').waitForExist({ timeout: 20_000 });
  // A change made elsewhere (the CLI) shows without a reload: the listener subscribed again.
  cli(['approve', 'acme_forms', '--yes']);
  await b.$('[data-testid="connector-page"][data-status="approved"]').waitForExist({ timeout: 5_000 });
});
