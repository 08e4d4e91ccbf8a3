// The UTM builder in the real app: define a template (a rule violation shows inline on its field
// and blocks saving until fixed), build a link with a live preview, see a rule violation with its
// fix, fix it, copy the result, then clone it with another campaign and find it in the history.

/* global document */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { screenshot, sentinel, waitForText, clickWhenReady, goTo, openWorkspace } from './harness.mjs';

const T = { timeout: 90_000 };
let ws;
let db;
let browser;

const $ = (sel) => browser.$(sel);
const go = (hash) => goTo(browser, hash);
const click = (sel) => clickWhenReady(browser, sel);
const type = async (sel, value) => {
  const el = await $(sel);
  await el.waitForDisplayed({ timeout: 10_000 });
  await el.scrollIntoView({ block: 'center' });
  await el.setValue(value);
};
const LINK = 'https://forms.example.com/survey?ref=nav&utm_source=acme_forms&utm_medium=email&utm_campaign=spring_sale&utm_content=hero#top';

before(async () => {
  ws = await openWorkspace({ fixtures: ['acme_forms'], sync: true, user: 'e2e-admin' });
  ({ db, browser } = ws);
});

after(async () => {
  await ws?.close();
});

test('a template is defined; a rule violation shows on its field and blocks saving until fixed', T, async () => {
  await go('#/utm');
  await waitForText(browser, '[data-testid="utm-templates-empty"]', 'No templates yet');
  await click('[data-testid="utm-new"]');
  await type('[data-testid="utm-content-type"]', 'email');
  await type('[data-testid="utm-param-utm_medium"]', 'Email');
  await type('[data-testid="utm-param-utm_content"]', '{variant}');
  const problem = await waitForText(browser, '[data-testid="problems-utm-utm_medium"]', 'has capital letters');
  assert.match(await problem.getText(), /Fix: use `email`/);
  assert.equal(await (await $('[data-testid="utm-save"]')).isEnabled(), false, 'a broken rule cannot be saved');
  await screenshot(browser, 'utm-template-violation');
  await type('[data-testid="utm-param-utm_medium"]', 'email');
  await waitForText(browser, '[data-testid="utm-template-preview"]', 'utm_medium=email');
  await click('[data-testid="utm-save"]');
  await waitForText(browser, '[data-testid="utm-templates-result"]', 'Saved the email template.');
  await waitForText(browser, '[data-testid="utm-row-email"]', 'utm_content={variant}');
  const templates = JSON.parse(sentinel(['utm', 'templates', '--format', 'json', '--db', db]).stdout).templates;
  assert.equal(templates[0].changed_by, 'e2e-admin');
});

test('a link is built live; a violation says how to fix it; the fixed link is copied and kept', T, async () => {
  await (await $('[data-testid="utm-connector"]')).selectByAttribute('value', 'acme_forms');
  await waitForText(browser, '[data-testid="utm-link-content-type"]', 'email');
  await type('[data-testid="utm-base-url"]', 'https://forms.example.com/survey?ref=nav#top');
  await type('[data-testid="utm-campaign"]', 'Spring Sale');
  await type('[data-testid="utm-var-variant"]', 'hero');
  const problem = await waitForText(browser, '[data-testid="problems-utm-f-campaign"]', 'has capital letters');
  assert.match(await problem.getText(), /Fix: use `spring_sale`/);
  assert.equal(await (await $('[data-testid="utm-copy"]')).isEnabled(), false);
  await screenshot(browser, 'utm-link-violation');
  await type('[data-testid="utm-campaign"]', 'spring_sale');
  await waitForText(browser, '[data-testid="utm-link-preview"]', LINK);
  await click('[data-testid="utm-copy"]');
  await waitForText(browser, '[data-testid="utm-copied"]', `Copied ${LINK}`);
  const clip = await browser.execute(() => navigator.clipboard.readText().then((t) => t, (e) => `unreadable: ${e}`));
  if (!String(clip).startsWith('unreadable')) assert.equal(clip, LINK, 'the clipboard holds the link');
  await waitForText(browser, '[data-testid="utm-history"]', LINK);
  await screenshot(browser, 'utm-builder');
});

test('a link is cloned with another campaign, and the history is searchable', T, async () => {
  await click('[data-testid="utm-clone"]');
  const campaign = await $('[data-testid="utm-campaign"]');
  assert.equal(await campaign.getValue(), '', 'the clone asks for a new campaign');
  assert.equal(await (await $('[data-testid="utm-base-url"]')).getValue(), 'https://forms.example.com/survey?ref=nav#top');
  await type('[data-testid="utm-campaign"]', 'black_friday');
  await waitForText(browser, '[data-testid="utm-link-preview"]', 'utm_campaign=black_friday');
  await click('[data-testid="utm-copy"]');
  await browser.waitUntil(async () => (await browser.$$('[data-testid="utm-history-row"]')).length === 2, { timeout: 10_000 });
  await type('[data-testid="utm-history-search"]', 'black');
  await browser.waitUntil(async () => (await browser.$$('[data-testid="utm-history-row"]')).length === 1, { timeout: 10_000 });
});

test('a javascript: URL is refused on its field', T, async () => {
  await type('[data-testid="utm-base-url"]', 'javascript:alert(1)');
  const problem = await waitForText(browser, '[data-testid="problems-utm-f-base_url"]', 'refused');
  assert.match(await problem.getText(), /Fix: give an http\(s\) address/);
  assert.equal(await (await $('[data-testid="utm-copy"]')).isEnabled(), false);
});

test('the connector page shows which content types have a template', T, async () => {
  await go('#/connector/acme_forms');
  await waitForText(browser, '[data-testid="utm-cap-email"]', 'template');
  assert.doesNotMatch(await (await $('[data-testid="utm-cap-email"]')).getText(), /no template/);
  const count = await browser.execute(() => document.querySelectorAll('[data-testid="connector-utm"] .pill.warn').length);
  assert.equal(count, 0);
});
