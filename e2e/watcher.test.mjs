// The connectors folder's watcher in the real app, on by default: files saved on disk (never a
// CLI sync here) show on the open screens by themselves; a service.py missing a function is
// rejected and its problems show on the connector page; turned off, a save is not registered,
// and on again it is; the folder deleted and put back shows "folder gone", then watching again.
// Screenshot: docs/screenshots/watcher.png.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { clickWhenReady, goTo, openWorkspace, screenshot, sleep, waitForText } from './harness.mjs';

const T = { timeout: 90_000 };
// "Within a couple of seconds": the watcher's sync plus the screen's refetch.
const LIVE_MS = 3_000;
let ws;
let connectors;
let browser;
let folders;

const $ = (sel) => browser.$(sel);
const go = (hash) => goTo(browser, hash);
const manifest = () => path.join(connectors, 'acme_forms', 'manifest.yaml');
const setName = (name) =>
  fs.writeFileSync(manifest(), fs.readFileSync(manifest(), 'utf8').replace(/^display_name: .*$/m, `display_name: ${name}`));
const watcherIn = (state, timeout = 30_000) =>
  $(`[data-testid="watcher"][data-state="${state}"]`).waitForExist({ timeout, timeoutMsg: `the watcher never showed ${state}` });
const title = async () => (await $('#connector-title')).getText();

// acme_forms' code: one keyword-only function for its one operation.
const SERVICE = `"""Acme Forms connector (test): one function per manifest operation."""


def list_responses(*, form_id):
    """Lists the responses of one form."""
    return {"form_id": form_id, "responses": []}
`;

before(async () => {
  ws = await openWorkspace({
    fixtures: ['acme_forms', 'acme_shop', 'acme_metrics'],
    prepare: (dir) => fs.writeFileSync(path.join(dir, 'acme_forms', 'service.py'), SERVICE),
  });
  ({ connectors, browser } = ws);
  folders = fs.readdirSync(connectors).filter((name) => fs.existsSync(path.join(connectors, name, 'manifest.yaml'))).length;
});

after(async () => {
  await ws?.close();
});

test('on by default: the watcher registers the folder and says it is watching', T, async () => {
  await watcherIn('watching');
  await waitForText(browser, '[data-testid="watcher-headline"]', 'Watching connectors/');
  assert.equal(await (await $('[data-testid="watcher-toggle"]')).isSelected(), true);
  // Nobody clicked Sync now: the watcher's first sync registered every connector.
  await waitForText(browser, '[data-testid="tab-draft"]', String(folders));
  await waitForText(browser, '[data-testid="watcher-detail"]', 'the whole folder');
});

test('a manifest saved on disk shows in the open queue, then on the open connector page', T, async () => {
  await go('#/queue?status=draft');
  await waitForText(browser, '.queue-row', 'Acme Forms');
  setName('Acme Forms Live');
  await waitForText(browser, '.queue-row', 'Acme Forms Live', LIVE_MS);
  // Only the connector that changed was synced.
  await waitForText(browser, '[data-testid="watcher-detail"]', '(acme_forms): 1 changed', LIVE_MS);

  await go('#/connector/acme_forms');
  await waitForText(browser, '#connector-title', 'Acme Forms Live');
  fs.writeFileSync(manifest(), fs.readFileSync(manifest(), 'utf8').replace(/^description: .*$/m, 'description: Edited in an editor, seen live.'));
  await waitForText(browser, '.connector .page-header p.muted', 'Edited in an editor, seen live.', LIVE_MS);
});

test('a service.py missing a function is rejected and its problems show on the connector page', T, async () => {
  await go('#/connector/acme_forms');
  await waitForText(browser, '#connector-title', 'Acme Forms Live');
  const service = path.join(connectors, 'acme_forms', 'service.py');
  fs.writeFileSync(service, SERVICE.replace('def list_responses', 'def list_response'));
  const problems = await waitForText(browser, '[data-testid="problems"]', 'missing-function', LIVE_MS);
  assert.match(await problems.getText(), /list_responses/);
  assert.match(await problems.getText(), /did you mean `list_response`/);
  await waitForText(browser, '[data-testid="watcher-rejected"]', 'acme_forms');
  await waitForText(browser, '[data-testid="watcher-detail"]', '1 rejected');
  await screenshot(browser, 'watcher');

  fs.writeFileSync(service, SERVICE);
  await $('[data-testid="problems"]').waitForExist({ reverse: true, timeout: LIVE_MS, timeoutMsg: 'the problems stayed after the fix' });
  await $('[data-testid="watcher-rejected"]').waitForExist({ reverse: true, timeout: LIVE_MS });
});

test('turned off (from the keyboard), a save is not registered; on again, it is', T, async () => {
  await go('#/connector/acme_forms');
  await waitForText(browser, '#connector-title', 'Acme Forms Live');
  const toggle = await $('[data-testid="watcher-toggle"]');
  await browser.execute((el) => el.focus(), toggle);
  await browser.keys(' ');
  await watcherIn('paused', 10_000);
  await waitForText(browser, '[data-testid="watcher-headline"]', 'Paused');
  assert.equal(await toggle.isSelected(), false);
  const settings = JSON.parse(fs.readFileSync(path.join(ws.app.env.XDG_CONFIG_HOME, 'godconfig', 'settings.json'), 'utf8'));
  assert.equal(settings.watcher, false, 'the toggle is saved in the settings');

  setName('Acme Forms Offline Edit');
  await sleep(2_000);
  assert.match(await title(), /^Acme Forms Live\b/, 'a save while paused is not registered');

  await clickWhenReady(browser, '[data-testid="watcher-toggle"]');
  // On again: a full sync first, which registers what changed meanwhile.
  await waitForText(browser, '#connector-title', 'Acme Forms Offline Edit', 10_000);
  await watcherIn('watching', 10_000);
  assert.equal(await toggle.isSelected(), true);
  setName('Acme Forms Live');
  await waitForText(browser, '#connector-title', 'Acme Forms Live', LIVE_MS);
});

test('the folder deleted: folder gone, nothing removed; put back: watching and syncing again', T, async () => {
  const backup = `${connectors}.backup`;
  fs.cpSync(connectors, backup, { recursive: true });
  fs.rmSync(connectors, { recursive: true, force: true });
  await watcherIn('folder_gone', 10_000);
  await waitForText(browser, '[data-testid="watcher-headline"]', 'Folder gone — waiting');
  await go('#/queue?status=draft');
  await waitForText(browser, '[data-testid="tab-draft"]', String(folders));

  // Put back whole (a copy moved into place), as a restore or a checkout of the folder would.
  fs.renameSync(backup, connectors);
  await watcherIn('watching', 10_000);
  await waitForText(browser, '[data-testid="watcher-detail"]', 'the whole folder', LIVE_MS);
  await waitForText(browser, '[data-testid="tab-draft"]', String(folders));
  setName('Acme Forms Back');
  await waitForText(browser, '.queue-row', 'Acme Forms Back', LIVE_MS);
});

test('Sync now while the watcher runs waits its turn instead of failing', T, async () => {
  setName('Acme Forms Both');
  await clickWhenReady(browser, '[data-testid="sync-now"]');
  const result = await $('[data-testid="sync-result"]');
  await result.waitForExist({ timeout: 30_000 });
  await waitForText(browser, '[data-testid="sync-summary"]', 'unchanged', 30_000);
  await browser.keys('Escape');
  await waitForText(browser, '.queue-row', 'Acme Forms Both', LIVE_MS);
  await watcherIn('watching', 10_000);
});
