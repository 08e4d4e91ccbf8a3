// Smoke test: the real app starts on a copy of the example connectors and a fresh SQLite
// registry, serves the embedded UI, and its window is titled "God Config".

/* global window -- callbacks passed to browser.execute* run inside the webview */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openWorkspace } from './harness.mjs';

const TITLE = 'God Config';

let ws;
let app;

before(async () => {
  ws = await openWorkspace({ examples: true });
  app = ws.app;
  console.log(`session started in ${app.sessionStartMs} ms`);
});

after(async () => {
  await ws?.close();
});

test('the app window is titled "God Config"', { timeout: 30_000 }, async () => {
  const { browser } = app;
  await browser.waitUntil(async () => (await browser.getTitle()) === TITLE, {
    timeout: 15_000,
    timeoutMsg: `the document title never became ${JSON.stringify(TITLE)}`,
  });
  assert.equal(await browser.getTitle(), TITLE);
});

test('the UI is served from the embedded assets', { timeout: 30_000 }, async () => {
  const url = await app.browser.getUrl();
  // Release-style builds serve ui/dist through the custom protocol, never a dev server.
  assert.match(url, /^tauri:\/\/localhost/, `unexpected app URL ${url}`);
});

test('the webview may call only God Config commands: no dialog, notification, file or shell access', { timeout: 30_000 }, async () => {
  const call = (cmd, args) =>
    app.browser.executeAsync(
      (c, a, done) =>
        window.__TAURI_INTERNALS__.invoke(c, a).then(
          () => done('allowed'),
          (e) => done(`refused: ${typeof e === 'string' ? e : JSON.stringify(e)}`),
        ),
      cmd,
      args,
    );
  for (const [cmd, args] of [
    ['plugin:dialog|open', { options: {} }],
    ['plugin:dialog|save', { options: {} }],
    // Desktop notifications are sent from Rust (src-tauri/src/live.rs), never by the webview.
    ['plugin:notification|notify', { options: { title: 'from the webview' } }],
    ['plugin:fs|read_text_file', { path: '/etc/passwd' }],
    ['plugin:shell|execute', { program: 'sh', args: [] }],
  ]) {
    const result = await call(cmd, args);
    assert.match(result, /^refused: /, `${cmd} must be refused, got ${result}`);
  }
  // Our own commands answer (with data or a typed error, never an ACL refusal).
  assert.equal(await call('get_settings', {}), 'allowed');
});
