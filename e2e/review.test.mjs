// The review story in the real app: sync, a refused gate, a fix made through the CLI showing up
// live, an approval, and a risky manifest change sending the connector back to review.
// Screenshots of each main screen land in docs/screenshots/.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { screenshot, sentinel, waitForText, clickWhenReady, goTo, VAULT_SERVICE, openWorkspace } from './harness.mjs';

const T = { timeout: 60_000 };
let ws;
let connectors;
let db;
let browser;

const $ = (sel) => browser.$(sel);
const go = (hash) => goTo(browser, hash);
const click = (sel) => clickWhenReady(browser, sel);
const text = async (sel) => (await $(sel)).getText();
const editManifest = (slug, f) => {
  const file = path.join(connectors, slug, 'manifest.yaml');
  fs.writeFileSync(file, f(fs.readFileSync(file, 'utf8')));
};
const waitForStatus = (status) =>
  $(`[data-testid="connector-page"][data-status="${status}"]`).waitForExist({ timeout: 10_000 });
const cliSync = () => sentinel(['sync', connectors, '--db', db]);

// The code a person approves with acme_polls; a test edits it after the approval.
const POLLS_SERVICE = `"""Acme Polls connector: one function per manifest operation. Stdlib only."""
import json
import os
import urllib.request

API_BASE = "https://api.acme-polls.example/v1"


def _token():
    value = os.environ.get("PROVIDER_ACME_POLLS_API_KEY")
    if not value:
        raise RuntimeError("PROVIDER_ACME_POLLS_API_KEY is not set")
    return value


def _get(path):
    req = urllib.request.Request(API_BASE + path, headers={"Authorization": "Bearer " + _token()})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.load(resp)


def list_forms(*, limit=20):
    """Lists forms, newest first."""
    return _get(f"/forms?limit={int(limit)}")


def get_responses(*, form_id):
    """Reads the responses of one form."""
    return _get(f"/forms/{form_id}/responses")
`;

before(async () => {
  // A second always-ready connector, for bulk approval.
  const addPolls = (dir) => {
    fs.mkdirSync(path.join(dir, 'acme_polls'));
    fs.writeFileSync(
      path.join(dir, 'acme_polls', 'manifest.yaml'),
      fs.readFileSync(path.join(dir, 'acme_forms', 'manifest.yaml'), 'utf8')
        .replace('provider_slug: acme_forms', 'provider_slug: acme_polls')
        .replace('display_name: Acme Forms', 'display_name: Acme Polls')
        // Its code's function for that operation (the contract check rejects a missing one).
        .replace('name: list_responses', 'name: get_responses'),
    );
    fs.writeFileSync(path.join(dir, 'acme_polls', 'service.py'), POLLS_SERVICE);
  };
  // The watcher off: this story drives every sync itself (Sync now, the CLI) and checks what
  // each one reports, starting from an empty registry; the watcher would sync first.
  ws = await openWorkspace({ examples: true, fixtures: ['acme_forms'], prepare: addPolls, user: 'e2e-operator', watcher: false });
  ({ connectors, db, browser } = ws);
});

after(async () => {
  await ws?.close();
});

test('an empty registry shows the empty queue, and Sync now registers every example', T, async () => {
  await waitForText(browser, '[data-testid="queue-empty"]', 'Nothing is registered yet');
  await click('[data-testid="sync-now"]');
  const summary = await waitForText(browser, '[data-testid="sync-summary"]', '11 added', 30_000);
  assert.match(await summary.getText(), /11 added, 0 changed, 0 removed, 0 unchanged, 0 rejected/);
  await screenshot(browser, 'sync-summary');
  await browser.keys('Escape');
  await $('[data-testid="sync-result"]').waitForExist({ reverse: true, timeout: 5_000 });
  await waitForText(browser, '[data-testid="tab-draft"]', '11');
  await waitForText(browser, '[data-testid="queue-count"]', '11 shown');
  await waitForText(browser, '.queue-row', 'Acme Forms');
  await screenshot(browser, 'review-queue');
});

test('approving a draft whose gate fails lists what is missing, with links', T, async () => {
  await go('#/connector/shopify');
  await waitForText(browser, '[data-testid="gate-summary"]', 'missing before approval');
  await click('[data-testid="approve"]');
  const list = await waitForText(browser, '[data-testid="gate-missing"]', 'write_orders');
  const items = await list.$$('li');
  assert.ok(items.length >= 2, `expected several missing items, got ${items.length}`);
  const link = await list.$('a');
  assert.match(await link.getAttribute('href'), /#\/scopes\?connector=shopify&gating=missing_type&q=/);
  await screenshot(browser, 'approve-refused');
  await browser.keys('Escape');
  await screenshot(browser, 'connector-page');
});

test('a manifest broken and fixed through the CLI updates the open page live', T, async () => {
  const before = await text('[data-testid="gate-summary"]');
  const count = (s) => Number(/(\d+) items?/.exec(s)?.[1] ?? 0);
  const original = fs.readFileSync(path.join(connectors, 'shopify', 'manifest.yaml'), 'utf8');

  editManifest('shopify', (y) => y.replace('requires_firearm: true', 'requires_firearm: yes'));
  assert.equal(cliSync().code, 1, 'the CLI rejects the broken manifest');
  const problems = await waitForText(browser, '[data-testid="problems"]', 'manifest.yaml:', 1_500);
  assert.match(await problems.getText(), /requires_firearm/);
  await waitForText(browser, '[data-testid="gate-summary"]', `${count(before) + 1} items`, 1_500);

  fs.writeFileSync(path.join(connectors, 'shopify', 'manifest.yaml'), original);
  assert.equal(cliSync().code, 0, 'the CLI registers the fixed manifest');
  await waitForText(browser, '[data-testid="gate-summary"]', `${count(before)} items`, 1_500);
  assert.equal((await $$count('[data-testid="problems"]')), 0);
});

async function $$count(sel) {
  return (await browser.$$(sel)).length;
}

test('the connector page says whether each required secret is in the OS keyring', T, async () => {
  const account = 'PROVIDER_ACME_FORMS_API_KEY';
  const item = `[data-testid="secrets"] li`;
  const clear = () => spawnSync('secret-tool', ['clear', 'service', VAULT_SERVICE, 'username', account]);
  clear(); // exits 1 when there was nothing to clear
  await go('#/connector/acme_forms');
  await waitForText(browser, item, `${account} missing`);
  execFileSync('secret-tool', ['store', '--label=e2e', 'service', VAULT_SERVICE, 'username', account], { input: 'e2e-not-a-real-key' });
  try {
    await go('#/connector/stripe');
    await go('#/connector/acme_forms');
    const li = await waitForText(browser, item, `${account} in the vault`);
    assert.equal(await li.getAttribute('data-health'), 'present');
    assert.doesNotMatch(await browser.getPageSource(), /e2e-not-a-real-key/, 'a value never reaches the webview');
  } finally {
    clear();
  }
});

test('a ready draft is approved, shows in the approved list and in the audit log', T, async () => {
  // Load the page afresh: the key the test before stored is gone from the keyring.
  await go('#/queue?status=draft');
  await go('#/connector/acme_forms');
  await waitForText(browser, '[data-testid="gate-summary"]', 'Ready to approve');
  await click('[data-testid="approve"]');
  await waitForText(browser, '[data-testid="approve-dialog"]', 'e2e-operator');
  // A missing developer key warns, and does not block.
  await waitForText(browser, '[data-testid="approve-missing-keys"]', 'PROVIDER_ACME_FORMS_API_KEY');
  await click('[data-testid="approve-confirm"]');
  await waitForStatus('approved');

  await go('#/queue?status=approved');
  await waitForText(browser, '[data-testid="queue-list"]', 'Acme Forms');
  await waitForText(browser, '[data-testid="tab-approved"]', '1');

  await go('#/audit');
  const audit = await waitForText(browser, '[data-testid="audit-table"]', 'operator.approved');
  assert.match(await audit.getText(), /e2e-operator[\s\S]*operator\.approved[\s\S]*acme_forms[\s\S]*draft → approved/);
  await screenshot(browser, 'audit-log');
  // The hash chain, checked from the first entry.
  await click('[data-testid="verify-chain"]');
  const chain = await waitForText(browser, '[data-testid="chain-result"]', 'Intact:');
  assert.match(await chain.getText(), /Intact: \d+ entries chained, last hash [0-9a-f]{12}…/);
});

test('ready drafts are bulk-approved with one confirmation', T, async () => {
  await go('#/queue?status=draft');
  await click('button=Select all ready (1)');
  await click('[data-testid="bulk-approve"]');
  const dialog = await waitForText(browser, '[data-testid="bulk-dialog"]', 'acme_polls');
  assert.match(await dialog.getText(), /Approve 1 connector\?/);
  // Its key is not in the keyring: a warning, and the approval still goes through.
  await waitForText(browser, '[data-testid="bulk-missing-keys"]', 'acme_polls');
  await click('[data-testid="bulk-confirm"]');
  await waitForText(browser, '[data-testid="tab-approved"]', '2');
  await go('#/audit?connector=acme_polls');
  await waitForText(browser, '[data-testid="audit-table"]', 'operator.approved');
});

test('editing service.py of an approved connector sends it back to review with the code diff', T, async () => {
  await go('#/connector/acme_polls');
  await waitForStatus('approved');
  await waitForText(browser, '[data-testid="code-headline"]', 'Unchanged since the approval');
  const file = path.join(connectors, 'acme_polls', 'service.py');
  fs.writeFileSync(
    file,
    POLLS_SERVICE.replace('timeout=30', 'timeout=5').replace(
      'def list_forms',
      'def delete_form(*, form_id):\n    """Deletes a form."""\n    return _get(f"/forms/{form_id}?delete=1")\n\n\ndef list_forms',
    ),
  );
  assert.equal(cliSync().code, 0, 'the CLI registers the edited code');
  await waitForStatus('draft');
  await waitForText(browser, '[data-testid="status-reason"]', 'file changed: service.py');
  await waitForText(browser, '[data-testid="code-headline"]', '1 file changed');
  const diff = await waitForText(browser, '[data-testid="file-diff"][data-path="service.py"]', 'service.py — changed, +6 −1');
  let addedText = '';
  for (const row of await diff.$$('tr.diff-added')) addedText += `${await row.getText()}\n`;
  assert.match(addedText, /def delete_form/);
  assert.match(addedText, /timeout=5/);
  const removed = await diff.$$('tr.diff-removed');
  assert.equal(removed.length, 1);
  assert.match(await removed[0].getText(), /18[\s\S]*with urllib\.request\.urlopen\(req, timeout=30\)/);
  await (await $('[data-testid="code-review"]')).scrollIntoView();
  await screenshot(browser, 'code-diff');
});

test('adding a gated scope and re-syncing sends it back to draft with the difference', T, async () => {
  editManifest('acme_forms', (y) =>
    y.replace(
      'utm_capabilities:',
      '  - name: forms:delete\n    description: Delete forms and responses\n    requires_firearm: true\nutm_capabilities:',
    ),
  );
  await go('#/connector/acme_forms');
  await waitForStatus('approved');
  await click('[data-testid="sync-now"]');
  const summary = await waitForText(browser, '[data-testid="sync-summary"]', '1 changed', 30_000);
  assert.match(await summary.getText(), /back to review/);
  await browser.keys('Escape');
  await waitForStatus('draft');
  const changes = await waitForText(browser, '[data-testid="changes-since-approval"]', 'forms:delete');
  assert.match(await changes.getText(), /Scopes added/);
  await screenshot(browser, 'changes-since-approval');
});

test('rejecting needs a reason, and the workspace screen shows the open registry', T, async () => {
  await go('#/connector/stripe');
  await click('[data-testid="reject"]');
  const confirm = await $('[data-testid="reject-confirm"]');
  assert.equal(await confirm.isEnabled(), false, 'no reason, no rejection');
  await (await $('[data-testid="reason"]')).setValue('Restricted keys are too broad');
  await click('[data-testid="reject-confirm"]');
  await waitForStatus('rejected');
  await waitForText(browser, '[data-testid="status-reason"]', 'too broad');

  await go('#/workspace');
  const ws = await waitForText(browser, '[data-testid="workspace-open"]', 'sqlite');
  assert.match(await ws.getText(), /registry\.db/);
  await screenshot(browser, 'workspace');
});

test('the team policy is edited in Settings and is the one the sentinel applies', T, async () => {
  await go('#/settings');
  const policy = await waitForText(browser, '[data-testid="team-policy"]', 'Team policy');
  assert.match(await policy.getText(), /solo/);
  assert.equal(await (await $('[data-testid="policy-save"]')).isEnabled(), false, 'nothing to save yet');
  await (await $('[data-testid="policy-expiry"]')).setValue('30');
  await click('[data-testid="policy-save"]');
  await waitForText(browser, '[data-testid="team-policy"]', 'Team policy saved');
  const shown = sentinel(['db', 'policy', '--db', db]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /approval expiry: 30 days/);
  assert.match(shown.stdout, /four-eyes: on/);
});

test('an audit entry changed behind the registry\'s back is named by Verify chain', T, async () => {
  // Whoever holds the SQLite file can drop the guard and rewrite an entry; the chain shows it.
  const id = execFileSync('sqlite3', [db, 'SELECT id FROM audit_log WHERE seq = 2']).toString().trim();
  execFileSync('sqlite3', [db, "DROP TRIGGER audit_log_append_only_update; UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"]);
  await go('#/audit');
  await click('[data-testid="verify-chain"]');
  const chain = await waitForText(browser, '[data-testid="chain-result"]', 'Broken at entry');
  assert.equal(await chain.getAttribute('role'), 'alert');
  assert.match(await chain.getText(), new RegExp(`Broken at entry ${id} \\(.*\\): its content does not match its hash`));
  assert.match(await chain.getText(), /The entry before it is intact\./);
  await screenshot(browser, 'audit-verify-broken');
  const cli = sentinel(['audit', 'verify', '--db', db]);
  assert.equal(cli.code, 1, cli.stdout);
  assert.match(cli.stdout, new RegExp(`audit log broken at entry ${id} `));
});
