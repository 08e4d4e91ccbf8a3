// A settings file the app cannot read (broken JSON): the real app still opens, on a screen that
// says what is wrong, and does not touch the file. "Read it again" says it is still broken;
// "Move it aside" keeps it beside itself and starts from defaults, and the workspace named by the
// environment opens on the review queue. Settings' About then names this build.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { clickWhenReady, goTo, openWorkspace, screenshot, sentinel, waitForText } from './harness.mjs';

const BROKEN = '{"reviewer_name": "Ana", ';
let ws;

after(async () => {
  await ws?.close();
});

test('an unreadable settings file opens on a screen that says how to fix it', { timeout: 120_000 }, async () => {
  ws = await openWorkspace({ examples: true, sync: true, settingsText: BROKEN });
  const { browser } = ws;
  const file = path.join(ws.app.env.XDG_CONFIG_HOME, 'godconfig', 'settings.json');
  const shown = await waitForText(browser, '[data-testid="settings-problem"]', 'cannot be read', 20_000);
  const text = await shown.getText();
  assert.ok(text.includes(file), `the screen names the file: ${text}`);
  assert.match(text, /EOF while parsing/, 'and says what is wrong with it');
  await screenshot(browser, 'settings-unreadable');

  await clickWhenReady(browser, '[data-testid="settings-retry"]');
  await waitForText(browser, '[data-testid="settings-problem"] [role="alert"]', 'cannot be read');
  assert.equal(fs.readFileSync(file, 'utf8'), BROKEN, 'the file is left as it was');

  await clickWhenReady(browser, '[data-testid="settings-move-aside"]');
  await waitForText(browser, '[data-testid="queue-count"]', 'shown', 20_000);
  const aside = fs.readdirSync(path.dirname(file)).filter((f) => f.startsWith('settings.json.unreadable-'));
  assert.equal(aside.length, 1, `kept beside itself: ${fs.readdirSync(path.dirname(file))}`);
  assert.equal(fs.readFileSync(path.join(path.dirname(file), aside[0]), 'utf8'), BROKEN);
  const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(saved.connectors_dir, ws.connectors, 'the new settings remember the workspace');
});

test("Settings' About names this build: version, commit and registry schema, as sentinel --version does", { timeout: 60_000 }, async () => {
  const { browser } = ws;
  await goTo(browser, '#/settings');
  const about = await waitForText(browser, '[data-testid="about"]', 'Registry schema', 15_000);
  const text = await about.getText();
  const cli = sentinel(['--version']).stdout.trim();
  const [, version, commit, schema] = cli.match(/^sentinel (\S+) \(commit (\S+), registry schema (\d+)\)$/) ?? [];
  assert.ok(schema, `sentinel --version: ${cli}`);
  for (const part of [version, commit, schema]) assert.ok(text.includes(part), `${part} in ${text}`);
});
