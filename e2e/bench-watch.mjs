// Watch benchmark (issue 20): with 10,000 connectors registered, a file saved in the connectors
// folder until the open app shows the change, on the release build driven through tauri-driver
// + WebKitWebDriver, with the app's watcher on (its default).
//
//   npm run ui:build
//   cargo build --release -p godconfig-app -p sentinel-cli -p godconfig-bench
//   node e2e/bench-watch.mjs          (or: npm run bench:watch)
//
// Target: a saved file -> the open app shows the change, p95 <= 300 ms.
//
// Method: gen-corpus (seed 1) registered once with the release `sentinel`; the app starts on it
// and its watcher runs its first, full sync (timed, info). Then, on each screen, SAVES saves of
// one connector's manifest.yaml (its display_name, a cosmetic change) with a pause between them:
//   - "connector page": #/connector/conn_05000 open, its title must show the new name;
//   - "review queue": the draft queue open (10,000 rows, filtered to that connector so its row
//     is on screen), the row must show the new name; the queue reads the row the watcher
//     names, and its whole lists again once saves are quiet for 1.5 s (docs/app.md).
// Each save is timed from just before node writes the file (Date.now()) until the page shows
// the new name and a frame was painted (a MutationObserver in the page, then rAF and a task,
// read on the page's clock: performance.timeOrigin + performance.now(); same machine, same
// wall clock). The watcher's own part (its first event of the burst -> the sync's commit,
// `after_change_ms`) is read from `watcher_state` after each save, with the folders it synced
// (checked: that one connector only).
//
// Then, on each screen, BENCH_BURSTS bursts (a `git checkout`): BENCH_BURST manifests (1,000, that
// connector's among them) rewritten with new names as fast as node writes, each burst timed from
// its first write (and from its last) until the page shows that connector's new name; reported,
// no target. The watcher's sync after each burst is read back (a burst of more than 500 folders
// is one sync of the whole folder).
//
// Environment knobs: BENCH_CONNECTORS (10000), BENCH_SAVES (40 per screen), BENCH_PAUSE_MS (600,
// between saves), BENCH_BURSTS (5 per screen), BENCH_BURST (1000 files), BENCH_APP_ENV, BENCH_OUT (default bench-out/watch-bench.json), BENCH_WORK_DIR,
// BENCH_KEEP, BENCH_STRICT, E2E_VERBOSE (see bench-app.mjs).

/* global document, window, requestAnimationFrame, MutationObserver */
import fs from 'node:fs';
import path from 'node:path';
import { sleep } from './harness.mjs';
import {
  APP_ENV, OUT_DIR, ensureDisplay, finishMachine, launchApp, log, machineInfo, machineLine, makeWorkDir,
  prepareCorpus, removeWorkDir, requireReleaseBuild, runBench, setLogTag, warnIfBusy, writeResult,
} from './bench-lib.mjs';

const N = Number(process.env.BENCH_CONNECTORS ?? 10_000);
const SAVES = Number(process.env.BENCH_SAVES ?? 40);
const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 600);
const BURSTS = Number(process.env.BENCH_BURSTS ?? 5);
const BURST = Math.min(Number(process.env.BENCH_BURST ?? 1000), N);
const SEED = 1;
const TARGET_P95_MS = 300;
const OUT_FILE = path.resolve(process.env.BENCH_OUT ?? path.join(OUT_DIR, 'watch-bench.json'));
const SLUG = `conn_${String(Math.ceil(N / 2)).padStart(5, '0')}`;

setLogTag('bench-watch');

/** The nearest-rank percentile. */
function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : null;
}
const summary = (xs) => (xs.length ? { n: xs.length, p50: percentile(xs, 50), p95: percentile(xs, 95), max: Math.max(...xs), min: Math.min(...xs) } : null);

/** The app's watcher state, through its own command. */
function watcherState(browser) {
  return browser.executeAsync((done) =>
    window.__TAURI_INTERNALS__.invoke('watcher_state', {}).then(done, (e) => done({ error: String(e?.message ?? e) })),
  );
}

/** Waits for the app page, then for the watcher's first sync (the whole folder) to be done. */
async function waitWatching(browser, timeoutMs = 120_000) {
  const by = Date.now() + timeoutMs;
  for (;;) {
    const href = await browser.getUrl().catch(() => '');
    if (String(href).startsWith('tauri:')) {
      const s = await watcherState(browser).catch(() => null);
      if (s?.status?.state === 'watching' && s.last_sync) return s;
      if (s?.status?.state === 'error') throw new Error(`the watcher failed: ${JSON.stringify(s.status)}`);
    }
    if (Date.now() > by) throw new Error(`the watcher was not watching within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** In the page: `window.__seen` resolves when `selector` shows `text`, after a painted frame. */
function armObserver(browser, selector, text) {
  return browser.execute(
    (selector, text) => {
      const now = () => performance.timeOrigin + performance.now();
      const shows = () => [...document.querySelectorAll(selector)].some((el) => el.textContent.includes(text));
      window.__seen = new Promise((resolve) => {
        const mo = new MutationObserver(() => {
          if (!shows()) return;
          mo.disconnect();
          const seenAt = now();
          requestAnimationFrame(() => {
            const ch = new MessageChannel();
            ch.port1.onmessage = () => resolve({ seenAt, paintedAt: now() });
            ch.port2.postMessage(0);
          });
        });
        mo.observe(document.body, { subtree: true, childList: true, characterData: true });
        setTimeout(() => {
          mo.disconnect();
          resolve(null);
        }, 10_000);
      });
    },
    selector,
    text,
  );
}

/** The page's answer: `{ seenAt, paintedAt }` (its clock), or null after 10 s. */
function waitSeen(browser) {
  return browser.executeAsync((done) => window.__seen.then(done));
}

/** Saves `file` with display_name `name`, the way an editor saves in place. */
function save(file, name) {
  const text = fs.readFileSync(file, 'utf8').replace(/^display_name: .*$/m, `display_name: ${name}`);
  const t0 = Date.now();
  fs.writeFileSync(file, text);
  return t0;
}

/** SAVES saves of SLUG's manifest on the open screen; each timed until `selector` shows it. */
async function measureScreen(browser, manifest, { screen, selector }) {
  const saves = [];
  for (let i = 0; i < SAVES; i++) {
    const name = `Saved ${screen} ${i}`;
    await armObserver(browser, selector, name);
    const t0 = save(manifest, name);
    const seen = await waitSeen(browser);
    const w = await watcherState(browser);
    const s = {
      i,
      savedToShownMs: seen ? seen.paintedAt - t0 : null,
      savedToDomMs: seen ? seen.seenAt - t0 : null,
      watcherMs: w.last_sync?.after_change_ms ?? null,
      syncMs: w.last_sync?.summary.elapsed_ms ?? null,
      folders: w.last_sync?.folders ?? null,
    };
    saves.push(s);
    if (!seen) log(`${screen} save ${i}: not shown within 10 s`);
    await sleep(PAUSE_MS);
  }
  const shown = saves.map((s) => s.savedToShownMs).filter((x) => x != null);
  const wrongFolders = saves.filter((s) => JSON.stringify(s.folders) !== JSON.stringify([SLUG])).length;
  log(`${screen}: saved -> shown p50 ${Math.round(percentile(shown, 50))} ms, p95 ${Math.round(percentile(shown, 95))} ms (${shown.length}/${SAVES})`);
  return {
    screen,
    saves,
    timedOut: saves.length - shown.length,
    wrongFolders,
    savedToShownMs: summary(shown),
    savedToDomMs: summary(saves.map((s) => s.savedToDomMs).filter((x) => x != null)),
    watcherMs: summary(saves.map((s) => s.watcherMs).filter((x) => x != null)),
    syncMs: summary(saves.map((s) => s.syncMs).filter((x) => x != null)),
  };
}

/** Waits until the watcher has synced after `after` (its clock) and is watching again. */
async function waitSynced(browser, after, timeoutMs = 30_000) {
  const by = Date.now() + timeoutMs;
  for (;;) {
    const s = await watcherState(browser);
    if (s.status?.state === 'watching' && s.last_sync && Date.parse(s.last_sync.at) >= after) return s;
    if (Date.now() > by) throw new Error(`no watcher sync within ${timeoutMs} ms of a burst`);
    await sleep(50);
  }
}

/** BURSTS bursts of BURST manifests around SLUG, each timed until `selector` shows SLUG's name. */
async function measureBursts(browser, corpus, { screen, selector }) {
  const centre = Math.ceil(N / 2);
  const first = Math.max(1, Math.min(centre - Math.floor(BURST / 2), N - BURST + 1));
  const files = Array.from({ length: BURST }, (_, k) => path.join(corpus, `conn_${String(first + k).padStart(5, '0')}`, 'manifest.yaml'));
  const bursts = [];
  for (let i = 0; i < BURSTS; i++) {
    const name = `Burst ${screen} ${i}`;
    // Read and rewrite in memory first, so the burst is the writes alone.
    const texts = files.map((f) => {
      const mine = f.includes(`${path.sep}${SLUG}${path.sep}`);
      return fs.readFileSync(f, 'utf8').replace(/^display_name: .*$/m, `display_name: ${mine ? name : `Burst ${i} ${path.basename(path.dirname(f))}`}`);
    });
    await armObserver(browser, selector, name);
    const t0 = Date.now();
    files.forEach((f, k) => fs.writeFileSync(f, texts[k]));
    const t1 = Date.now();
    const seen = await waitSeen(browser);
    const w = await waitSynced(browser, t0 - 1000);
    bursts.push({
      i,
      writeMs: t1 - t0,
      firstWriteToShownMs: seen ? seen.paintedAt - t0 : null,
      lastWriteToShownMs: seen ? seen.paintedAt - t1 : null,
      watcherMs: w.last_sync.after_change_ms,
      syncMs: w.last_sync.summary.elapsed_ms,
      whole: w.last_sync.folders == null,
      changed: w.last_sync.summary.changed.length,
    });
    if (!seen) log(`${screen} burst ${i}: not shown within 10 s`);
    await sleep(2 * PAUSE_MS);
  }
  const shown = bursts.map((b) => b.firstWriteToShownMs).filter((x) => x != null);
  log(`${screen}: ${BURST}-file burst, first write -> shown p50 ${Math.round(percentile(shown, 50))} ms, max ${Math.round(Math.max(...shown))} ms (${shown.length}/${BURSTS})`);
  return {
    screen,
    bursts,
    timedOut: bursts.length - shown.length,
    firstWriteToShownMs: summary(shown),
    lastWriteToShownMs: summary(bursts.map((b) => b.lastWriteToShownMs).filter((x) => x != null)),
    writeMs: summary(bursts.map((b) => b.writeMs)),
    watcherMs: summary(bursts.map((b) => b.watcherMs)),
    syncMs: summary(bursts.map((b) => b.syncMs)),
  };
}

async function main() {
  const startedAt = Date.now();
  requireReleaseBuild();
  const machine = machineInfo();
  const busy = warnIfBusy(machine);
  await ensureDisplay();
  const work = makeWorkDir('godconfig-bench-watch');
  const corpus = path.join(work, 'corpus');
  const db = path.join(work, 'registry.db');
  const manifest = path.join(corpus, SLUG, 'manifest.yaml');
  const result = { machine, config: { connectors: N, saves: SAVES, pauseMs: PAUSE_MS, bursts: BURSTS, burst: BURST, seed: SEED, slug: SLUG, appEnv: APP_ENV }, target: { p95Ms: TARGET_P95_MS } };
  try {
    result.setup = prepareCorpus({ corpus, db, connectors: N, seed: SEED });
    const app = await launchApp({ connectorsDir: corpus, dbPath: db });
    try {
      const { browser } = app;
      const first = await waitWatching(browser);
      result.start = { spawnToWatchingMs: Date.now() - app.spawnedAt, firstSyncMs: first.last_sync.after_change_ms, firstSync: { unchanged: first.last_sync.summary.unchanged, changed: first.last_sync.summary.changed.length } };
      log(`watching; the first (full) sync took ${first.last_sync.after_change_ms} ms (${first.last_sync.summary.unchanged} unchanged)`);

      await browser.execute((h) => (window.location.hash = h), `#/connector/${SLUG}`);
      await browser.$('#connector-title').waitForExist({ timeout: 30_000 });
      const pageScreen = { screen: 'connector page', selector: '#connector-title' };
      const page = await measureScreen(browser, manifest, pageScreen);
      const pageBursts = await measureBursts(browser, corpus, pageScreen);

      await browser.execute((h) => (window.location.hash = h), '#/queue?status=draft');
      const search = await browser.$('[data-testid="queue-search"]');
      await search.waitForExist({ timeout: 30_000 });
      await search.setValue(SLUG);
      await browser.$('.queue-row').waitForExist({ timeout: 30_000 });
      const queueScreen = { screen: 'review queue', selector: '.queue-row' };
      const queue = await measureScreen(browser, manifest, queueScreen);
      // The filter shows SLUG by its slug, whatever its name becomes.
      const queueBursts = await measureBursts(browser, corpus, queueScreen);
      result.screens = [page, queue];
      result.bursts = [pageBursts, queueBursts];
    } finally {
      await app.stop();
    }
    result.pass = result.screens.every((s) => s.timedOut === 0 && s.wrongFolders === 0 && s.savedToShownMs.p95 <= TARGET_P95_MS) && result.bursts.every((b) => b.timedOut === 0);
    result.totalSeconds = Math.round((Date.now() - startedAt) / 100) / 10;
    finishMachine(result.machine, busy);
    writeResult(OUT_FILE, result, report(result));
    return result.pass;
  } finally {
    removeWorkDir(work, startedAt);
  }
}

function report(r) {
  const ms = (x) => (x == null ? '–' : `${Math.round(x)} ms`);
  const lines = [
    `## Watch benchmark (release build, ${r.config.connectors} connectors registered, ${r.config.saves} saves per screen of ${r.config.slug}/manifest.yaml, ${r.config.pauseMs} ms apart)`,
    '',
    machineLine(r.machine),
    '',
    '| Screen open | saved → shown p50 | p95 | max | target p95 | watcher: first event → commit p50 / p95 | the sync alone p50 | result |',
    '|---|---|---|---|---|---|---|---|',
    ...r.screens.map((s) => {
      const ok = s.timedOut === 0 && s.wrongFolders === 0 && s.savedToShownMs.p95 <= TARGET_P95_MS;
      const notes = [s.timedOut ? `${s.timedOut} not shown` : '', s.wrongFolders ? `${s.wrongFolders} synced other folders` : ''].filter(Boolean).join(', ');
      return `| ${s.screen} (${s.savedToShownMs?.n ?? 0} saves) | ${ms(s.savedToShownMs?.p50)} | ${ms(s.savedToShownMs?.p95)} | ${ms(s.savedToShownMs?.max)} | ≤ ${TARGET_P95_MS} ms | ${ms(s.watcherMs?.p50)} / ${ms(s.watcherMs?.p95)} | ${ms(s.syncMs?.p50)} | ${ok ? 'pass' : '**MISS**'}${notes ? ` (${notes})` : ''} |`;
    }),
    '',
    `Bursts of ${r.config.burst} manifests written at once (${r.config.bursts} per screen; reported, no target):`,
    '',
    '| Screen open | writing the burst p50 | first write → shown p50 / max | last write → shown p50 / max | watcher: first event → commit p50 | its sync p50 | whole-folder syncs | shown |',
    '|---|---|---|---|---|---|---|---|',
    ...r.bursts.map((b) => `| ${b.screen} | ${ms(b.writeMs?.p50)} | ${ms(b.firstWriteToShownMs?.p50)} / ${ms(b.firstWriteToShownMs?.max)} | ${ms(b.lastWriteToShownMs?.p50)} / ${ms(b.lastWriteToShownMs?.max)} | ${ms(b.watcherMs?.p50)} | ${ms(b.syncMs?.p50)} | ${b.bursts.filter((x) => x.whole).length}/${b.bursts.length} | ${b.bursts.length - b.timedOut}/${b.bursts.length} |`),
    '',
    `Start: spawn → watching after the first (full) sync ${ms(r.start.spawnToWatchingMs)}; that sync ${ms(r.start.firstSyncMs)} (${r.start.firstSync.unchanged} unchanged, ${r.start.firstSync.changed} changed).`,
    `Setup (not measured): gen-corpus ${r.setup.genCorpusMs} ms, sentinel sync ${r.setup.sentinelSyncMs} ms. Whole benchmark: ${r.totalSeconds} s.`,
  ];
  return lines.join('\n');
}

await runBench(main);
