// Accessibility: axe-core (the engine of the browsers' accessibility audits) runs inside the
// real app's WebKitGTK on every main screen and on the dialogs a person meets first, and finds
// no serious or critical violation (contrast, names, roles, labels, keyboard traps).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { clickWhenReady, goTo, openWorkspace, seriousViolations, waitForText } from './harness.mjs';

const T = { timeout: 180_000 };
let ws;
let browser;

before(async () => {
  ws = await openWorkspace({ examples: true, watcher: false });
  ({ browser } = ws);
});

after(async () => {
  await ws?.close();
});

async function audit(where) {
  const found = await seriousViolations(browser);
  assert.deepEqual(found, [], `${where}:\n${found.join('\n')}`);
}

const SCREENS = [
  ['#/workspace', 'Workspace'],
  ['#/queue?status=draft', 'Review queue'],
  ['#/connector/stripe', 'Stripe'],
  ['#/scopes', 'Scopes'],
  ['#/firearm-types', 'Firearm types'],
  ['#/kpis', 'KPI mapper'],
  ['#/coverage', 'KPI coverage'],
  ['#/core-kpis', 'Core KPIs'],
  ['#/utm', 'UTM builder'],
  ['#/vault', 'Vault'],
  ['#/pending', 'Pending calls'],
  ['#/agents', 'Connect an agent'],
  ['#/audit', 'Audit log'],
  ['#/settings', 'Settings'],
];

test('the sync summary, the first dialog of an empty registry, has no serious violation', T, async () => {
  await clickWhenReady(browser, '[data-testid="sync-now"]');
  await waitForText(browser, '[data-testid="sync-summary"]', 'added', 30_000);
  await audit('the sync summary');
  await browser.keys('Escape');
  await browser.$('[data-testid="sync-result"]').waitForExist({ reverse: true, timeout: 5_000 });
});

for (const [hash, heading] of SCREENS) {
  test(`${heading}: no serious or critical violation`, T, async () => {
    await goTo(browser, hash);
    await waitForText(browser, 'main h1, .page h1', heading, 15_000);
    // Let the screen's data arrive: an empty state is audited too, but not a loading one.
    await browser.pause(500);
    await audit(heading);
  });
}

test('the approve and reject dialogs and New connector: no serious or critical violation', T, async () => {
  await goTo(browser, '#/connector/stripe');
  await clickWhenReady(browser, '[data-testid="approve"]');
  await browser.$('dialog[open]').waitForExist({ timeout: 10_000 });
  await audit('the approve dialog');
  await browser.keys('Escape');
  await browser.$('dialog[open]').waitForExist({ reverse: true, timeout: 5_000 });
  await clickWhenReady(browser, '[data-testid="reject"]');
  await browser.$('dialog[open]').waitForExist({ timeout: 10_000 });
  await audit('the reject dialog');
  await browser.keys('Escape');
  await browser.$('dialog[open]').waitForExist({ reverse: true, timeout: 5_000 });
  await browser.keys('n');
  await browser.$('[data-testid="new-connector-form"]').waitForExist({ timeout: 10_000 });
  await audit('New connector');
  await browser.keys('Escape');
  await browser.$('dialog[open]').waitForExist({ reverse: true, timeout: 5_000 });
});

test('the VaultWriter: no serious or critical violation', T, async () => {
  await goTo(browser, '#/vault');
  await clickWhenReady(browser, '[data-testid="vault-open"]');
  await browser.$('[data-testid="vault-value"]').waitForDisplayed({ timeout: 10_000 });
  await audit('the VaultWriter');
  await browser.keys('Escape');
});
