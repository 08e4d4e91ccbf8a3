// The vault in the real app with the real OS keyring (gnome-keyring under ./dev e2e): a key is
// set through the VaultWriter (masked, a paste trimmed with a warning), the connector's secret
// health turns green, the key is replaced, then deleted and health goes back to missing.
// `secret-tool` (another process) checks what the keyring holds at each step. Then the leak
// check: the values are nowhere in IPC responses, the page, the database or the logs, and no
// screenshot could show one (checked before each is taken).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { clickWhenReady, goTo, screenshot, sentinel, VAULT_SERVICE, waitForText, openWorkspace } from './harness.mjs';

const T = { timeout: 90_000 };
const KEY = 'PROVIDER_ACME_FORMS_API_KEY';
const stamp = `${Date.now().toString(36)}${process.pid}`;
const FIRST = `sk_test_first_${stamp}`;
const SECOND = `sk_test_second_${stamp}`;
let ws;
let app;
let db;
let browser;
const shots = [];

const $ = (sel) => browser.$(sel);
const go = (hash) => goTo(browser, hash);
const click = (sel) => clickWhenReady(browser, sel);
const lookup = () => {
  const r = spawnSync('secret-tool', ['lookup', 'service', VAULT_SERVICE, 'username', KEY], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : null;
};
const clear = () => spawnSync('secret-tool', ['clear', 'service', VAULT_SERVICE, 'username', KEY]);
const health = async () => (await $(`[data-testid="secrets"] li[data-key="${KEY}"]`)).getAttribute('data-health');
/**
 * A screenshot, after checking what it can show: no key value in the painted text, and a field
 * holding one is masked (type=password paints bullets). Searching the PNG's bytes for the text
 * would prove nothing (rendered text is pixels).
 */
const shot = async (name) => {
  const painted = await browser.execute(`return {
    text: document.body.innerText,
    fields: [...document.querySelectorAll('input, textarea')].map((el) => ({ type: el.type, value: el.value })),
  }`);
  for (const value of [FIRST, SECOND]) {
    assert.ok(!painted.text.includes(value), `${name}: a key value is painted as text`);
    for (const field of painted.fields.filter((f) => f.value.includes(value))) {
      assert.equal(field.type, 'password', `${name}: a key value sits in an unmasked field`);
    }
  }
  shots.push(await screenshot(browser, name));
};

/**
 * Records every IPC response the webview receives, for the leak check. Tauri's `invoke` cannot be
 * replaced (a read-only property), but on Linux it talks to the backend with `fetch` on the
 * `ipc:` custom protocol, read at call time: wrap that.
 */
const RECORD_IPC = `
  if (!window.__ipcLog) {
    window.__ipcLog = [];
    const original = window.fetch.bind(window);
    window.fetch = async (input, init) => {
      const response = await original(input, init);
      const url = String(input?.url ?? input);
      if (url.includes('ipc')) {
        window.__ipcLog.push(url + ' ' + (await response.clone().text()));
      }
      return response;
    };
  }`;

/** A paste as the webview delivers it: a ClipboardEvent carrying text. */
const PASTE = `
  const [selector, text] = arguments;
  const el = document.querySelector(selector);
  el.focus();
  const data = new DataTransfer();
  data.setData('text/plain', text);
  el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));`;

before(async () => {
  clear();
  ws = await openWorkspace({ fixtures: ['acme_forms'], sync: true, user: 'e2e-dev' });
  ({ app, db, browser } = ws);
});

after(async () => {
  clear();
  await ws?.close();
});

test('a key is set through the VaultWriter, replaced, then deleted; health follows', T, async () => {
  await go('#/connector/acme_forms');
  await waitForText(browser, '[data-testid="secrets"]', `${KEY} missing`);
  await browser.execute(RECORD_IPC);

  // Set: a masked field, no reveal button; a paste is trimmed, with a warning.
  await click(`[data-testid="secrets"] li[data-key="${KEY}"] [data-testid="secret-manage"]`);
  const input = await $('[data-testid="vault-value"]');
  await input.waitForDisplayed();
  assert.equal(await input.getAttribute('type'), 'password');
  const buttons = await browser.execute('return [...document.querySelectorAll(\'[data-testid="vault-writer"] button\')].map((b) => b.textContent)');
  assert.deepEqual(buttons, ['Cancel', 'Store the key'], 'no reveal button');
  await browser.execute(PASTE, '[data-testid="vault-value"]', `  ${FIRST}\n`);
  await waitForText(browser, '[data-testid="vault-paste-warning"]', 'were removed');
  assert.equal(await input.getValue(), FIRST, 'the paste is trimmed');
  await (await $('[data-testid="vault-label"]')).setValue('e2e test form');
  await shot('vault-writer');
  await click('[data-testid="vault-save"]');
  await waitForText(browser, '[data-testid="connector-notice"]', `Stored ${KEY} in the OS keyring.`);
  await browser.waitUntil(async () => (await health()) === 'present', { timeout: 5_000 });
  assert.equal(lookup(), FIRST, 'another process reads the key from the keyring');

  // Replace: only "set on <date> by <name>" is shown, never the value.
  await click(`[data-testid="secrets"] li[data-key="${KEY}"] [data-testid="secret-manage"]`);
  const info = await waitForText(browser, '[data-testid="vault-set-info"]', 'by e2e-dev');
  assert.match(await info.getText(), /^Set on \d{4}-\d{2}-\d{2} by e2e-dev\.$/);
  assert.equal((await browser.$$('[data-testid="vault-value"]')).length, 0, 'no field until Replace');
  await shot('vault-writer-set');
  await click('[data-testid="vault-replace"]');
  await (await $('[data-testid="vault-value"]')).setValue(SECOND);
  await click('[data-testid="vault-save"]');
  await waitForText(browser, '[data-testid="connector-notice"]', `Replaced ${KEY} in the OS keyring.`);
  assert.equal(lookup(), SECOND);
  await waitForText(browser, `[data-testid="secrets"] li[data-key="${KEY}"]`, 'replaced on');

  // Delete, with a confirmation first: health goes back to missing.
  await click(`[data-testid="secrets"] li[data-key="${KEY}"] [data-testid="secret-manage"]`);
  await click('[data-testid="vault-delete"]');
  await waitForText(browser, '[data-testid="vault-writer"]', 'cannot be undone');
  assert.equal(lookup(), SECOND, 'nothing is deleted before the confirmation');
  await click('[data-testid="vault-delete-confirm"]');
  await waitForText(browser, '[data-testid="connector-notice"]', `Deleted ${KEY} from the OS keyring.`);
  await browser.waitUntil(async () => (await health()) === 'missing', { timeout: 5_000 });
  assert.equal(lookup(), null);
  await shot('vault-connector-missing');

  // The audit log has who did what, never a value.
  const audit = JSON.parse(sentinel(['audit', '--connector', 'acme_forms', '--format', 'json', '--db', db]).stdout);
  const actions = JSON.stringify(audit).match(/vault\.key_[a-z]+/g);
  assert.deepEqual(actions?.sort(), ['vault.key_deleted', 'vault.key_rotated', 'vault.key_set']);

  // The leak check: IPC responses, the page, the database, the app's logs, the screenshots.
  const ipc = await browser.execute('return window.__ipcLog');
  assert.ok(ipc.some((line) => line.includes('vault_set_key') && line.includes('e2e-dev')), `the IPC log recorded the writes and their answers: ${ipc.slice(0, 3)}`);
  const page = await browser.getPageSource();
  const places = { ipc: ipc.join('\n'), page, logs: app.logs() };
  for (const file of [db, `${db}-wal`]) {
    if (fs.existsSync(file)) places[file] = fs.readFileSync(file).toString('latin1');
  }
  for (const value of [FIRST, SECOND]) {
    for (const [where, text] of Object.entries(places)) {
      assert.ok(!text.includes(value), `a key value leaked into ${where}`);
    }
  }
  assert.equal(shots.length, 3, 'each screenshot was checked for painted values');
});

test('the vault screen lists every required key; the review queue warns about missing keys', T, async () => {
  await go('#/vault');
  const row = await waitForText(browser, '[data-testid="vault-table"] tr', KEY);
  assert.equal(await row.getAttribute('data-health'), 'missing');
  await waitForText(browser, '[data-testid="vault-summary"]', '1 missing');
  await (await $('[data-testid="vault-search"]')).setValue('no-such-key');
  await waitForText(browser, '.vault', 'No key matches the filter.');
  await go('#/vault');

  // Set it from the vault screen this time.
  await click(`[data-testid="vault-table"] tr[data-key="${KEY}"] [data-testid="vault-open"]`);
  await (await $('[data-testid="vault-value"]')).setValue(FIRST);
  await click('[data-testid="vault-save"]');
  await waitForText(browser, '[data-testid="vault-notice"]', `Stored ${KEY}`);
  await waitForText(browser, '[data-testid="vault-summary"]', '1 present');
  await shot('vault-screen');

  await go('#/queue?status=draft');
  await waitForText(browser, '[data-testid="queue-keys"]', 'keys set');
  clear();
  // Another process removed it: the queue says so on the next load.
  await go('#/vault');
  await go('#/queue?status=draft');
  await waitForText(browser, '[data-testid="queue-keys"]', '1 key missing');
});
