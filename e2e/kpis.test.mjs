// The KPI mapper in the real app: map a metric with a real pointer drag (WebDriver pointer
// down, moves, up) and another with the keyboard (Space, arrows, Space), confirm a misfit,
// accept all suggestions and undo it, mark a metric "not a KPI", read the coverage matrix, and
// see the approval gate pass. Then the core-KPI registry.

/* global document */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { screenshot, sentinel, sleep, waitForText, clickWhenReady, goTo, openWorkspace } from './harness.mjs';

const T = { timeout: 90_000 };
let ws;
let db;
let browser;

const $ = (sel) => browser.$(sel);
const go = (hash) => goTo(browser, hash);
const click = (sel) => clickWhenReady(browser, sel);
const card = (metric) => `[data-testid="metric-card"][data-metric="${metric}"]`;
const target = (kpi) => `[data-testid="kpi-target"][data-kpi="${kpi}"]`;
const stateOf = async (metric) => (await $(card(metric))).getAttribute('data-state');
const waitForState = (metric, state) =>
  browser.waitUntil(async () => (await stateOf(metric)) === state, {
    timeout: 10_000,
    timeoutMsg: `expected ${metric} to be ${state}`,
  });
/** KPI targets the dragged metric is over. */
const $$over = () => browser.$$('[data-testid="kpi-target"][data-over="true"]');
/** What dnd-kit's live region last told a screen reader. */
const announced = () =>
  browser.execute(() => [...document.querySelectorAll('[id^="DndLiveRegion"]')].map((e) => e.textContent).join(' '));
/** The registry as the CLI sees it: the same database the app writes. */
const listed = () => JSON.parse(sentinel(['kpis', 'list', '--connector', 'acme_metrics', '--format', 'json', '--db', db]).stdout).metrics;

before(async () => {
  ws = await openWorkspace({ fixtures: ['acme_metrics'], sync: true, user: 'e2e-admin' });
  ({ db, browser } = ws);
});

after(async () => {
  await ws?.close();
});

test('a metric is mapped with a real pointer drag', T, async () => {
  await go('#/kpis?connector=acme_metrics');
  await waitForText(browser, '[data-testid="mapper-coverage"]', '0 of 6 metrics mapped');
  await screenshot(browser, 'kpi-mapper');
  const handle = await $(`${card('carts_created')} [data-testid="metric-handle"]`);
  const orders = await $(target('orders'));
  await orders.scrollIntoView({ block: 'center' });
  // Small steps first: the pointer sensor starts a drag only past 4 px, like a real hand.
  await browser
    .action('pointer', { parameters: { pointerType: 'mouse' } })
    .move({ origin: handle })
    .down({ button: 0 })
    .move({ origin: 'pointer', x: 8, y: 0, duration: 50 })
    .move({ origin: 'pointer', x: 30, y: 10, duration: 50 })
    .move({ origin: orders, duration: 200 })
    .move({ origin: orders, x: 2, y: 2, duration: 50 })
    .pause(100)
    .up({ button: 0 })
    .perform();
  await waitForText(browser, '[data-testid="mapper-result"]', 'Mapped carts_created → Orders.');
  await waitForState('carts_created', 'mapped');
  assert.match(await (await $(target('orders'))).getText(), /carts_created/);
  assert.equal(listed().find((m) => m.raw === 'carts_created').core_kpi, 'orders');
});

test('the keyboard drags too: Escape cancels, a misfit asks first, Space drops', T, async () => {
  const handle = await $(`${card('refund_count')} [data-testid="metric-handle"]`);
  await browser.execute((el) => el.focus(), handle);
  await browser.keys(' ');
  await sleep(150);
  await browser.keys('ArrowDown');
  await browser.waitUntil(async () => (await $$over()).length === 1, { timeout: 5_000, timeoutMsg: 'an arrow key did not move onto a KPI' });
  await browser.keys('Escape');
  await browser.waitUntil(async () => /cancelled; nothing changed/.test(await announced()), { timeout: 5_000 });
  assert.equal(await stateOf('refund_count'), 'open');

  await browser.execute((el) => el.focus(), handle);
  await browser.keys(' ');
  await sleep(150);
  // Arrow down KPI by KPI until Refunds is under the metric (the order is the registry's).
  for (let i = 0; i < 30 && (await (await $(target('refunds'))).getAttribute('data-over')) !== 'true'; i++) {
    await browser.keys('ArrowDown');
    await sleep(60);
  }
  assert.equal(await (await $(target('refunds'))).getAttribute('data-over'), 'true');
  assert.match(await announced(), /refund_count is over Refunds\. Dropping asks for confirmation: `refund_count` looks like a count/);
  await browser.keys(' ');
  const why = await waitForText(browser, '[data-testid="misfit-reasons"]', 'but Refunds is a currency KPI');
  assert.match(await why.getText(), /the word `count` in its name/);
  await screenshot(browser, 'kpi-mapper-misfit');
  await click('[data-testid="misfit-confirm"]');
  await waitForText(browser, '[data-testid="mapper-result"]', 'Mapped refund_count → Refunds.');
  await waitForState('refund_count', 'mapped');
});

test('accept all suggestions maps three metrics at once, and Undo puts them back', T, async () => {
  await waitForText(browser, '[data-testid="accept-all"]', 'Accept all suggestions (3)');
  await click('[data-testid="accept-all"]');
  await waitForText(browser, '[data-testid="mapper-result"]', 'Mapped 3 metrics to their suggested KPIs.');
  for (const m of ['orders_placed', 'gross_amount', 'storefront_visits']) await waitForState(m, 'mapped');
  await waitForText(browser, '[data-testid="mapper-coverage"]', '5 of 6 metrics mapped');

  await click('[data-testid="mapper-undo"]');
  await waitForText(browser, '[data-testid="mapper-result"]', 'Undid accept all suggestions.');
  for (const m of ['orders_placed', 'gross_amount', 'storefront_visits']) await waitForState(m, 'open');
  assert.equal(await stateOf('carts_created'), 'mapped', 'undo leaves the earlier drag alone');
  await waitForText(browser, '[data-testid="mapper-coverage"]', '2 of 6 metrics mapped');

  await click('[data-testid="accept-all"]');
  await waitForText(browser, '[data-testid="mapper-result"]', 'Mapped 3 metrics');
  await waitForText(browser, '[data-testid="accept-all"]', 'Accept all suggestions (0)');
});

test('a metric is marked "not a KPI" with a reason', T, async () => {
  await click(`${card('internal_sync_id')} [data-testid="metric-ignore"]`);
  const confirm = await $('[data-testid="ignore-confirm"]');
  await confirm.waitForDisplayed({ timeout: 5_000 });
  assert.equal(await confirm.isEnabled(), false, 'no reason, no change');
  await (await $('[data-testid="ignore-reason"]')).setValue('A sync cursor, not a business outcome');
  await click('[data-testid="ignore-confirm"]');
  await waitForText(browser, '[data-testid="mapper-result"]', 'Marked internal_sync_id “not a KPI”.');
  await waitForState('internal_sync_id', 'ignored');
  await waitForText(browser, '[data-testid="mapper-coverage"]', '6 of 6 metrics mapped');
  const row = listed().find((m) => m.raw === 'internal_sync_id');
  assert.equal(row.not_a_kpi, true);
  assert.equal(row.reason, 'A sync cursor, not a business outcome');
  assert.equal(row.changed_by, 'e2e-admin');
});

test('the coverage matrix shows what the connector feeds, and a cell opens the mapping', T, async () => {
  await go('#/coverage');
  const row = await waitForText(browser, '[data-testid="coverage-row"][data-connector="acme_metrics"]', '6 of 6 metrics mapped');
  assert.ok(row);
  const fed = await browser.execute(() =>
    [...document.querySelectorAll('[data-connector="acme_metrics"] [data-testid="coverage-cell"][data-fed="true"]')].map((c) => c.dataset.kpi),
  );
  assert.deepEqual(fed.sort(), ['gross_sales', 'orders', 'refunds', 'sessions']);
  await screenshot(browser, 'kpi-coverage');
  await click('[data-testid="coverage-row"][data-connector="acme_metrics"] [data-testid="coverage-cell"][data-kpi="refunds"]');
  await $(`${target('refunds')}.highlight`).waitForExist({ timeout: 10_000 });
  assert.match(await browser.getUrl(), /#\/kpis\?connector=acme_metrics&kpi=refunds$/);
});

test('with every metric settled the approval gate passes, and the queue shows the coverage', T, async () => {
  await go('#/queue?status=draft');
  await waitForText(browser, '.queue-row[data-slug="acme_metrics"]', '6 of 6 metrics mapped');
  await go('#/connector/acme_metrics');
  await waitForText(browser, '[data-testid="connector-coverage"]', '6 of 6 metrics mapped');
  await waitForText(browser, '[data-testid="gate-summary"]', 'Ready to approve');
  await click('[data-testid="approve"]');
  await click('[data-testid="approve-confirm"]');
  await $('[data-testid="connector-page"][data-status="approved"]').waitForExist({ timeout: 10_000 });
});

test('unmapping a metric of an approved connector asks, then sends it back to review', T, async () => {
  await go('#/kpis?connector=acme_metrics');
  await waitForState('carts_created', 'mapped');
  await click(`${card('carts_created')} [data-testid="metric-unmap"]`);
  await click('[data-testid="unmap-confirm"]');
  await waitForText(browser, '[data-testid="mapper-result"]', 'Unmapped carts_created. Sent back to review: acme_metrics.');
  await go('#/audit?connector=acme_metrics');
  const audit = await waitForText(browser, '[data-testid="audit-table"]', 'kpis.unmapped');
  assert.match(await audit.getText(), /kpis\.back_to_draft/);
  // The change reads as a sentence, not as JSON; the raw record is one click away.
  const change = await $('[data-testid="audit-table"] tr[data-action="kpis.unmapped"] td:nth-child(5)');
  assert.match(await change.getText(), /^acme_metrics · carts_created: orders → unmapped$/);
  const raw = await $('[data-testid="audit-table"] tr[data-action="kpis.unmapped"] details.raw');
  assert.equal(await raw.getAttribute('open'), null, 'the raw record is closed until asked for');
  await screenshot(browser, 'audit-readable');
});

test('the core-KPI registry adds a KPI and keeps used ones from deletion', T, async () => {
  await go('#/core-kpis');
  await waitForText(browser, 'main', 'Gross sales');
  // The add form sits below the 22 seeded KPIs.
  await (await $('[data-testid="kpi-add"]')).scrollIntoView();
  await (await $('[data-testid="kpi-slug"]')).setValue('carts');
  await (await $('[data-testid="kpi-name"]')).setValue('Carts');
  await (await $('[data-testid="kpi-description"]')).setValue('Shopping carts created');
  await (await $('[data-testid="kpi-unit"]')).selectByAttribute('value', 'count');
  await click('[data-testid="kpi-save"]');
  await waitForText(browser, '[data-testid="kpi-row-carts"]', 'Carts');
  const used = await waitForText(browser, '[data-testid="kpi-row-orders"]', 'acme_metrics');
  assert.ok(used);
  assert.equal(await (await $('[data-testid="kpi-delete-orders"]')).isEnabled(), false, 'a used KPI cannot be deleted');
  await screenshot(browser, 'core-kpis');
  await click('[data-testid="kpi-retire-carts"]');
  await $('[data-testid="kpi-row-carts"][data-retired="true"]').waitForExist({ timeout: 10_000 });
});
