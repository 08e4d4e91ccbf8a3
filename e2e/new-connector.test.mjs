// New connector in the real app (issue 20): N opens the dialog; a bad slug cannot be submitted and
// says why; a plain-http docs URL gets check's own diagnostic under its field; a connector
// created through the dialog is three files on disk that pass `sentinel check`, a draft in the
// queue, and a prompt naming its slug and folder; an existing slug is refused and nothing is
// written. The screenshot for docs/app.md is the result with the prompt.

/* global document, window */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { clickWhenReady, openWorkspace, screenshot, sentinel, waitForText } from './harness.mjs';

const T = { timeout: 90_000 };
let ws;
let connectors;
let db;
let browser;

const $ = (sel) => browser.$(sel);
const click = (sel) => clickWhenReady(browser, sel);
const type = async (sel, value) => {
  const el = await $(sel);
  await el.waitForDisplayed({ timeout: 10_000 });
  await el.setValue(value);
};
const focused = () => browser.execute(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);
const dialog = '[data-testid="new-connector-dialog"]';
const closed = () => $(dialog).waitForExist({ reverse: true, timeout: 5_000 });
/** Every file under the connectors folder, with its bytes: what "nothing was written" compares
 * (but the sentinel's stat cache, which any sync, such as the folder watcher's, rewrites). */
const snapshot = () => {
  const out = {};
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (dir === connectors && e.name === '.godconfig') continue;
      if (e.isDirectory()) walk(p);
      else out[path.relative(connectors, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(connectors);
  return out;
};

before(async () => {
  ws = await openWorkspace({ fixtures: ['acme_forms'], sync: true, user: 'e2e-operator' });
  ({ connectors, db, browser } = ws);
  await waitForText(browser, '.queue-row', 'Acme Forms');
});

after(async () => {
  await ws?.close();
});

test('N opens New connector; a bad slug cannot be submitted and says why; Escape closes it', T, async () => {
  const before = snapshot();
  await browser.execute(() => document.activeElement?.blur());
  await browser.keys('n');
  await $(dialog).waitForExist({ timeout: 5_000 });
  assert.equal(await focused(), 'nc-slug', 'the slug field has the focus');
  assert.equal(await (await $('[data-testid="nc-create"]')).isEnabled(), false, 'nothing to create yet');

  await type('[data-testid="nc-slug"]', 'Acme-CRM');
  await waitForText(browser, '[data-testid="nc-slug-problem"]', 'Lowercase only');
  assert.equal(await (await $('[data-testid="nc-slug"]')).getAttribute('aria-invalid'), 'true');
  await type('[data-testid="nc-slug"]', 'acme-crm');
  const problem = await waitForText(browser, '[data-testid="nc-slug-problem"]', '“-” is not allowed');
  assert.match(await problem.getText(), /Use acme_crm/, 'the nearest valid slug is offered');
  assert.equal(await (await $('[data-testid="nc-create"]')).isEnabled(), false, 'a bad slug cannot be submitted');
  // Enter in the field submits the form: still refused, nothing sent.
  await (await $('[data-testid="nc-slug"]')).click();
  await browser.keys('Enter');
  await browser.pause(300);
  assert.ok(await $(dialog).isExisting(), 'the dialog stays');
  assert.equal(await $('[data-testid="nc-result"]').isExisting(), false);
  assert.deepEqual(snapshot(), before, 'nothing written');

  await browser.keys('Escape');
  await closed();
  assert.equal(await focused(), 'new-connector', 'the focus is back on the button that opened it');
});

test('a docs URL that is not https gets check\'s diagnostic under its field, and nothing is written', T, async () => {
  const before = snapshot();
  await click('[data-testid="queue-new-connector"]');
  await $(dialog).waitForExist({ timeout: 5_000 });
  await type('[data-testid="nc-slug"]', 'acme-crm');
  await click('[data-testid="nc-slug-suggestion"]');
  assert.equal(await (await $('[data-testid="nc-slug"]')).getValue(), 'acme_crm');
  await $('[data-testid="nc-slug-problem"]').waitForExist({ reverse: true, timeout: 2_000 });
  await type('[data-testid="nc-name"]', 'Acme CRM');
  await (await $('[data-testid="nc-auth"]')).selectByAttribute('value', 'oauth2');
  await type('[data-testid="nc-docs"]', 'http://acme.example.com/docs');
  await click('[data-testid="nc-create"]');
  const docs = await waitForText(browser, '[data-testid="nc-problems-docs"]', '[invalid-url]');
  const text = await docs.getText();
  assert.ok(text.includes(`${path.join(connectors, 'acme_crm', 'manifest.yaml')}:`), text);
  assert.match(text, /manifest\.yaml:\d+:\d+ \[invalid-url\]/);
  assert.match(text, /hint: /);
  assert.equal(await focused(), 'nc-docs', 'the field with the problem has the focus');
  assert.deepEqual(snapshot(), before, 'nothing written');
});

test('Create writes the three files, which pass check; the prompt names the slug and the folder; the draft is in the queue', T, async () => {
  await type('[data-testid="nc-docs"]', 'https://acme.example.com/docs');
  await $('[data-testid="nc-problems-docs"]').waitForExist({ reverse: true, timeout: 2_000 });
  await click('[data-testid="nc-create"]');
  const result = await $('[data-testid="nc-result"]');
  await result.waitForExist({ timeout: 30_000 });

  const folder = path.join(connectors, 'acme_crm');
  for (const file of ['manifest.yaml', 'service.py', 'README.md']) {
    assert.ok(fs.statSync(path.join(folder, file)).isFile(), `${file} is written`);
    await waitForText(browser, '[data-testid="nc-files"]', path.join(folder, file));
  }
  assert.deepEqual(fs.readdirSync(connectors).filter((n) => n.startsWith('.new-')), [], 'no temporary folder left');
  const manifest = fs.readFileSync(path.join(folder, 'manifest.yaml'), 'utf8');
  assert.match(manifest, /^display_name: "Acme CRM"$/m);
  assert.match(manifest, /^ {2}method: oauth2$/m);
  assert.match(manifest, /^docs_url: "https:\/\/acme\.example\.com\/docs"$/m);
  const check = sentinel(['check', connectors, '--format', 'json']);
  assert.equal(check.code, 0, `sentinel check passes:\n${check.stdout}${check.stderr}`);

  // The folder watcher may have registered it first: then this sync found it unchanged.
  const synced = await waitForText(browser, '[data-testid="nc-sync"]', 'Synced');
  assert.match(await synced.getText(), /acme_crm is (a draft )?in the review queue\.$/);
  const prompt = await (await $('[data-testid="nc-prompt"]')).getValue();
  assert.ok(prompt.includes('- Slug: acme_crm\n'), prompt);
  assert.ok(prompt.includes(`- Folder: ${folder} `), prompt);
  assert.ok(prompt.includes(`Follow ${path.join(connectors, 'AGENTS.md')}`), prompt);
  assert.ok(prompt.includes(`sentinel check ${connectors} --format json`), prompt);
  assert.match(prompt, /Never approve the connector/);
  assert.match(prompt, /Never write or read a `\.env` file/);
  assert.equal(await (await $('[data-testid="nc-prompt"]')).getAttribute('readonly'), 'true');
  assert.equal(await focused(), 'nc-copy', 'Copy prompt has the focus');
  await screenshot(browser, 'new-connector');

  await click('[data-testid="nc-copy"]');
  await waitForText(browser, '[data-testid="nc-copied"]', 'Copied to the clipboard.');
  const clip = await browser.execute(() => window.navigator.clipboard.readText().then((t) => t, (e) => `unreadable: ${e}`));
  if (!String(clip).startsWith('unreadable')) assert.equal(clip, prompt, 'the clipboard holds the prompt');

  const status = sentinel(['status', '--format', 'json', '--db', db]);
  const row = JSON.parse(status.stdout).connectors.find((c) => c.slug === 'acme_crm');
  assert.equal(row?.status, 'draft', 'the registry has it as a draft');

  await click('[data-testid="nc-open-queue"]');
  await closed();
  assert.match(await browser.execute(() => window.location.hash), /^#\/queue\?status=draft&q=acme_crm$/);
  assert.equal(await (await $('[data-testid="queue-search"]')).getValue(), 'acme_crm');
  await waitForText(browser, '.queue-row', 'Acme CRM');
  await waitForText(browser, '[data-testid="queue-count"]', '1 shown');
});

test('an existing slug shows the exists error with its hint, and nothing is written', T, async () => {
  const before = snapshot();
  await browser.execute(() => document.activeElement?.blur());
  await browser.keys('n');
  await $(dialog).waitForExist({ timeout: 5_000 });
  await type('[data-testid="nc-slug"]', 'acme_forms');
  await click('[data-testid="nc-create"]');
  const banner = await waitForText(browser, `${dialog} .error-banner[data-code="sentinel.exists"]`, 'That connector folder already exists');
  const text = await banner.getText();
  assert.ok(text.includes(`${path.join(connectors, 'acme_forms')} already exists`), text);
  assert.match(text, /Pick another slug, or move the existing folder away; nothing was written/);
  assert.equal(await focused(), 'nc-slug', 'the slug has the focus, to change it');
  assert.equal(await $('[data-testid="nc-result"]').isExisting(), false);
  assert.deepEqual(snapshot(), before, 'nothing written, the existing folder untouched');
  // Changing the slug clears the error.
  await type('[data-testid="nc-slug"]', 'acme_forms_2');
  await $(`${dialog} .error-banner`).waitForExist({ reverse: true, timeout: 2_000 });
  await browser.keys('Escape');
  await closed();
});
