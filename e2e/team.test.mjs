// Team mode in the real app: two instances on one real PostgreSQL, as two people. The database
// says who they are and what they may do (`sentinel db init-roles`); the app shows it, disables
// what a role may not do and says why; an approval in one app shows in the other within a
// second; and the audit log names the database user who approved.

/* global document, window, MutationObserver */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { clickWhenReady, connectorsFolder, goTo, screenshot, sentinel, startApp, waitForText } from './harness.mjs';

const T = { timeout: 90_000 };
const PG = process.env.GODCONFIG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TAG = `${process.pid}`;
const DB = `godconfig_e2e_team_${TAG}`;
const DEV = `gc_e2e_dev_${TAG}`;
const OP = `gc_e2e_op_${TAG}`;
const base = PG.slice(0, PG.lastIndexOf('/'));
const ownerUrl = `${base}/${DB}`;
const as = (user) => ownerUrl.replace('postgres@', `${user}@`);

let folder;
let dev;
let op;

/** Runs SQL with psql; returns its unaligned output. */
function psql(url, sql) {
  return execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { encoding: 'utf8' }).trim();
}

function cli(args) {
  const r = sentinel(args);
  assert.equal(r.code, 0, `sentinel ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  assert.ok(PG.includes('postgres@'), 'the test server URL must name the user postgres');
  folder = connectorsFolder({ fixtures: ['acme_forms'], prefix: 'godconfig-e2e-team-' });
  const { connectors } = folder;
  psql(PG, `CREATE DATABASE ${DB}`);
  cli(['sync', connectors, '--db', ownerUrl]);
  assert.match(cli(['db', 'init-roles', '--db', ownerUrl]), /team mode is on/);
  psql(ownerUrl, `DROP ROLE IF EXISTS ${DEV}; DROP ROLE IF EXISTS ${OP};
    CREATE ROLE ${DEV} LOGIN; GRANT godconfig_developer TO ${DEV};
    CREATE ROLE ${OP} LOGIN; GRANT godconfig_operator TO ${OP};`);
  dev = await startApp({ connectorsDir: connectors, env: { GODCONFIG_DATABASE_URL: as(DEV), USER: 'claims-to-be-dev' } });
  op = await startApp({ connectorsDir: connectors, env: { GODCONFIG_DATABASE_URL: as(OP), USER: 'claims-to-be-op' } });
});

after(async () => {
  await dev?.stop();
  await op?.stop();
  try {
    psql(PG, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    psql(PG, `DROP ROLE IF EXISTS ${DEV}; DROP ROLE IF EXISTS ${OP}`);
  } finally {
    folder?.remove();
  }
});

test('each app shows who the database says the user is, and disables what the role may not do, saying why', T, async () => {
  const b = dev.browser;
  await waitForText(b, '[data-testid="whoami"]', `${DEV} · developer`);
  await goTo(b, '#/connector/acme_forms');
  await b.$('[data-testid="connector-page"][data-status="draft"]').waitForExist({ timeout: 10_000 });
  const approve = await b.$('[data-testid="approve"]');
  assert.equal(await approve.isEnabled(), false, 'a developer must not be offered Approve');
  assert.equal(await approve.getAttribute('aria-describedby'), 'decide-why');
  const why = await waitForText(b, '#decide-why', 'Only the operator role can approve');
  assert.match(await why.getText(), new RegExp(`You are ${DEV} \\(developer\\); an owner grants it with GRANT godconfig_operator TO ${DEV}`));
  assert.equal(await (await b.$('[data-testid="sync-now"]')).isEnabled(), false, 'syncing is the sentinel role\'s');
  await screenshot(b, 'team-developer');
  await goTo(b, '#/settings');
  await waitForText(b, '[data-testid="team-policy"]', 'team mode');
  assert.equal(await (await b.$('[data-testid="policy-four-eyes"]')).isEnabled(), false);
  await waitForText(b, '#policy-why', 'Only the admin role can');
  // Admin screens: every control disabled (a disabled fieldset), with the reason above.
  await goTo(b, '#/firearm-types');
  await waitForText(b, '#admin-why', 'Only the admin role can change gating, firearm types');
  await b.$('[data-testid="type-save"]').waitForExist({ timeout: 10_000 });
  assert.equal(await (await b.$('[data-testid="type-save"]')).isEnabled(), false);
  assert.equal(await (await b.$('[data-testid="type-slug"]')).isEnabled(), false);
  // Back on the connector, where the next test watches for the approval.
  await goTo(b, '#/connector/acme_forms');
  await b.$('[data-testid="connector-page"][data-status="draft"]').waitForExist({ timeout: 10_000 });

  await waitForText(op.browser, '[data-testid="whoami"]', `${OP} · operator`);
  await goTo(op.browser, '#/connector/acme_forms');
  await clickWhenReady(op.browser, '[data-testid="approve"]');
  assert.equal(await op.browser.$$('#decide-why').then((l) => l.length), 0);
  // The dialog names who the database will record, not the OS user the app was started as.
  await waitForText(op.browser, '[data-testid="approve-dialog"]', OP);
});

test('an approval in one app shows in the other within a second, recorded under the database user', T, async () => {
  // The developer's app watches for the change and notes when it painted it.
  await dev.browser.execute(() => {
    window.__seenAt = null;
    const seen = () => document.querySelector('[data-testid="connector-page"][data-status="approved"]');
    new MutationObserver((_, mo) => {
      if (seen()) {
        window.__seenAt = Date.now();
        mo.disconnect();
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  // The operator confirms the approval dialog opened by the previous test; the click time is noted.
  const confirm = await op.browser.$('[data-testid="approve-confirm"]');
  await confirm.waitForClickable({ timeout: 10_000 });
  await op.browser.execute(() => {
    window.__clickedAt = null;
    document.querySelector('[data-testid="approve-confirm"]').addEventListener('click', () => { window.__clickedAt = Date.now(); }, { capture: true, once: true });
  });
  await confirm.click();
  await op.browser.$('[data-testid="connector-page"][data-status="approved"]').waitForExist({ timeout: 10_000 });
  await dev.browser.$('[data-testid="connector-page"][data-status="approved"]').waitForExist({ timeout: 5_000 });
  const clickedAt = await op.browser.execute(() => window.__clickedAt);
  const seenAt = await dev.browser.execute(() => window.__seenAt);
  const ms = seenAt - clickedAt;
  console.log(`# approval clicked in one app -> shown in the other: ${ms} ms`);
  assert.ok(clickedAt && seenAt && ms <= 1_000, `the other app showed the approval ${ms} ms after the click`);

  // The approval and its audit entry name the database user, not the OS user the app was given.
  assert.equal(psql(ownerUrl, "SELECT actor FROM audit_log WHERE action = 'operator.approved'"), OP);
  assert.equal(psql(ownerUrl, "SELECT approved_by FROM connector_approvals WHERE provider_slug = 'acme_forms'"), OP);
  // The developer still may not revoke it, and is told why.
  const revoke = await dev.browser.$('[data-testid="revoke"]');
  assert.equal(await revoke.isEnabled(), false);
  await screenshot(dev.browser, 'team-live-approval');
});
