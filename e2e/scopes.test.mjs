// The scope manager in the real app: bulk-gate a connector's suggested scopes, give them
// firearm types with the searchable select, see the approval gate pass, then ungate a declared
// gated scope with a reason and find the audit entry. Then the firearm-type registry.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { screenshot, waitForText, clickWhenReady, goTo, openWorkspace } from './harness.mjs';

const T = { timeout: 90_000 };
let ws;
let connectors;
let browser;

const $ = (sel) => browser.$(sel);
const go = (hash) => goTo(browser, hash);
const click = (sel) => clickWhenReady(browser, sel);
const rowsShown = async () => (await browser.$$('[data-testid="scope-row"]')).length;
const waitForRows = (n) =>
  browser.waitUntil(async () => (await rowsShown()) === n, {
    timeout: 10_000,
    timeoutMsg: `expected ${n} scope rows`,
  });
const mcp = () => fs.readFileSync(path.join(connectors, 'acme_shop', 'mcp.py'), 'utf8');

before(async () => {
  ws = await openWorkspace({ examples: true, fixtures: ['acme_shop'], sync: true, user: 'e2e-admin' });
  ({ connectors, browser } = ws);
});

after(async () => {
  await ws?.close();
});

test('suggested write and send scopes are bulk-gated with one confirmation', T, async () => {
  assert.doesNotMatch(mcp(), /update_price[\s\S]*?destructiveHint=True/, 'catalogue:write starts ungated');
  await go('#/scopes?connector=acme_shop');
  await waitForRows(4);
  await screenshot(browser, 'scope-manager');
  await (await $('[data-testid="scopes-gating"]')).selectByAttribute('value', 'suggested');
  await waitForRows(2);
  await click('[data-testid="select-all"]');
  await click('[data-testid="bulk-gate"]');
  const dialog = await waitForText(browser, '[data-testid="gating-summary"]', '2 scopes in 1 connector');
  assert.match(await dialog.getText(), /2 scopes in 1 connector/);
  await click('[data-testid="confirm-gating"]');
  await waitForText(browser, '[data-testid="gating-result"]', 'Gated 2 scopes');
  // The stub follows the effective gating at once.
  await browser.waitUntil(() => /update_price[\s\S]*?destructiveHint=True/.test(mcp()), {
    timeout: 5_000,
    timeoutMsg: 'mcp.py did not mark update_price destructive',
  });
});

test('firearm types are set in bulk with the searchable select, and the gate passes', T, async () => {
  await (await $('[data-testid="scopes-gating"]')).selectByAttribute('value', 'missing_type');
  await waitForRows(3);
  await click('[data-testid="select-all"]');
  await click('[data-testid="bulk-set-type"]');
  const select = await $('[data-testid="gating-dialog"] [data-testid="firearm-type-select"]');
  await select.waitForDisplayed({ timeout: 5_000 });
  await select.setValue('writes');
  await click('[data-testid="firearm-option-writes_data"]');
  await screenshot(browser, 'scope-manager-set-type');
  await click('[data-testid="confirm-gating"]');
  await waitForText(browser, '[data-testid="gating-result"]', 'Set the firearm type of 3 scopes to writes_data');
  await waitForRows(0);

  await go('#/connector/acme_shop');
  await waitForText(browser, '[data-testid="gate-summary"]', 'Ready to approve');
  await click('[data-testid="approve"]');
  await click('[data-testid="approve-confirm"]');
  await $('[data-testid="connector-page"][data-status="approved"]').waitForExist({ timeout: 10_000 });
});

test('ungating a declared gated scope needs a reason, sends the connector back, and is audited', T, async () => {
  await go('#/scopes?connector=acme_shop');
  await waitForRows(4);
  await (await $('[data-testid="scopes-search"]')).setValue('customers:delete');
  await waitForRows(1);
  await click('[data-testid="select-all"]');
  await click('[data-testid="bulk-ungate"]');
  await waitForText(browser, '[data-testid="gating-sent-back"]', 'acme_shop is approved and will go back to review');
  const confirm = await $('[data-testid="confirm-gating"]');
  assert.equal(await confirm.isEnabled(), false, 'no reason, no ungating');
  await (await $('[data-testid="gating-reason"]')).setValue('Deletion is soft and reversible for 30 days');
  await click('[data-testid="confirm-gating"]');
  await waitForText(browser, '[data-testid="gating-result"]', 'Ungated 1 scope. acme_shop went back to review.');

  await go('#/audit?connector=acme_shop');
  const audit = await waitForText(browser, '[data-testid="audit-table"]', 'scopes.ungated');
  assert.match(await audit.getText(), /e2e-admin[\s\S]*scopes\.back_to_draft[\s\S]*approved → draft/);
  assert.match(await audit.getText(), /soft and reversible/);
  await screenshot(browser, 'scope-manager-audit');
});

test('the firearm-type registry adds and retires types, and keeps used ones', T, async () => {
  await go('#/firearm-types');
  await waitForText(browser, 'main', 'Writes data');
  await (await $('[data-testid="type-slug"]')).setValue('exports_data');
  await (await $('[data-testid="type-name"]')).setValue('Exports data');
  await (await $('[data-testid="type-description"]')).setValue('Bulk exports of customer records');
  await (await $('[data-testid="type-risk"]')).selectByAttribute('value', 'high');
  await click('[data-testid="type-save"]');
  const row = await waitForText(browser, '[data-testid="type-row-exports_data"]', 'Exports data');
  assert.match(await row.getText(), /high/);
  const used = await waitForText(browser, '[data-testid="type-row-writes_data"]', 'acme_shop');
  assert.equal(await (await used.$('[data-testid="type-delete-writes_data"]')).isEnabled(), false, 'a used type cannot be deleted');
  await click('[data-testid="type-retire-exports_data"]');
  await $('[data-testid="type-row-exports_data"][data-retired="true"]').waitForExist({ timeout: 10_000 });
  await screenshot(browser, 'firearm-types');
});
