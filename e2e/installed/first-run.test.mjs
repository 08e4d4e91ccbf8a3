// The installed .deb (issue 22), run by `./dev test` after `apt-get install` (scripts/package.sh):
// the app at /usr/bin/godconfig, with a new user's home, opens on the welcome screen; "Create
// from the examples" copies the packaged examples (/usr/share/godconfig/examples), the sync
// registers them and the queue lists them; Sync now then finds them unchanged; the installed
// `sentinel` sees the same registry; a second start opens on the populated queue (its time is
// printed). The user's data is left in GODCONFIG_INSTALLED_HOME for the script to check after
// the package is removed.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { clickWhenReady, startApp, waitForText } from '../harness.mjs';

const APP = '/usr/bin/godconfig';
const SENTINEL = '/usr/bin/sentinel';
const EXAMPLES_DIR = '/usr/share/godconfig/examples';
const home = process.env.GODCONFIG_INSTALLED_HOME;
const T = { timeout: 180_000 };

test('the installed app: welcome, examples, sync, queue; the installed CLI sees the same registry', T, async () => {
  assert.ok(home, 'GODCONFIG_INSTALLED_HOME is not set: run this through ./dev test, which installs the .deb first');
  for (const file of [APP, SENTINEL]) assert.ok(fs.existsSync(file), `${file} is not installed: the .deb must be installed first`);
  const examples = fs.readdirSync(EXAMPLES_DIR).filter((n) => fs.existsSync(path.join(EXAMPLES_DIR, n, 'manifest.yaml'))).sort();
  assert.ok(examples.length > 0, `no example connector in ${EXAMPLES_DIR}`);
  const folder = path.join(home, 'GodConfig', 'connectors');

  let app = await startApp({ app: APP, home });
  try {
    const { browser } = app;
    await waitForText(browser, 'h1', 'Welcome to God Config', 30_000);
    await waitForText(browser, '[data-testid="welcome"]', `${examples.length} example connectors`);
    await clickWhenReady(browser, '[data-testid="welcome-examples"]');
    await waitForText(browser, '[data-testid="tab-draft"]', String(examples.length), 30_000);
    for (const slug of examples) assert.ok(fs.existsSync(path.join(folder, slug, 'mcp.py')), `${slug} synced (mcp.py generated)`);

    await clickWhenReady(browser, '[data-testid="sync-now"]');
    const summary = await waitForText(browser, '[data-testid="sync-summary"]', 'unchanged', 30_000);
    assert.match(await summary.getText(), new RegExp(`0 added, 0 changed, 0 removed, ${examples.length} unchanged, 0 rejected`));
    await browser.keys('Escape');
    await waitForText(browser, '.queue-row', 'Stripe');
  } finally {
    await app.stop();
  }

  const status = spawnSync(SENTINEL, ['status', '--format', 'json'], { env: { ...process.env, ...app.env }, encoding: 'utf8' });
  assert.equal(status.status, 0, status.stderr);
  const drafts = JSON.parse(status.stdout).connectors.filter((c) => c.status === 'draft').map((c) => c.slug).sort();
  assert.deepEqual(drafts, examples, 'the installed sentinel reads the registry the app wrote');

  // The second start: the remembered workspace, straight to the populated queue.
  app = await startApp({ app: APP, home });
  try {
    await waitForText(app.browser, '[data-testid="tab-draft"]', String(examples.length), 30_000);
    console.log(`installed app: launch -> populated queue (${examples.length} drafts) in ${Date.now() - app.spawnedAt} ms (a WebDriver session included)`);
  } finally {
    await app.stop();
  }
});
