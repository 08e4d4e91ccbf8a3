// App benchmark: the real release build of the desktop app, driven through tauri-driver +
// WebKitWebDriver (WebdriverIO `remote()`), on a generated corpus of 10,000 connectors.
//
//   npm run ui:build
//   cargo build --release -p godconfig-app -p sentinel-cli -p godconfig-bench
//   node e2e/bench-app.mjs            (or: npm run bench:app)
//
// Targets measured (from the issue):
//   1. window shown and the review queue populated with 10,000 connectors in <= 1.5 s
//      - "spawn -> populated": Date.now() just before the WebDriver session is created (that is
//        when tauri-driver launches the app) to the moment, read inside the webview, when the
//        queue shows rows and the draft tab counts every connector, plus one painted frame;
//      - "navigation -> populated": the same moment from the webview's own navigation start
//        (performance.timeOrigin), i.e. without process start-up and WebKit's own launch.
//   2. resident memory with 10,000 connectors loaded vs an empty window built the same way
//      (<= 60 MB more). The baseline is the same release binary on an EMPTY connectors folder
//      and a fresh, empty registry: the same Tauri shell and UI bundle, no data. Memory is the
//      sum over the app process and all its descendants (WebKitWebProcess,
//      WebKitNetworkProcess, ...), read from /proc 3 s after the page settled: VmRSS (counts a
//      shared page in every process that maps it) and Pss (splits it among them; a fairer sum).
//   3. typing in the search box filters 10,000 connectors in <= 50 ms per keystroke: the
//      input's value is set through React's native setter plus an `input` event, then the time
//      until `queue-count` shows the new count and a frame was painted (rAF, then a task).
//
// Environment knobs: BENCH_CONNECTORS (10000), BENCH_RUNS (5), BENCH_SETTLE_MS (3000),
// BENCH_WATCHER=off (the app's folder watcher off; on, the app's default, otherwise),
// BENCH_APP_ENV="K=V,K2=V2" adds environment variables for the app (both the loaded and the
// empty window; recorded in the output), BENCH_OUT names the JSON file (default
// bench-out/app-bench.json), BENCH_WORK_DIR is where the corpus and registries go (default:
// the system's temp dir; removing 10,000 folders can take a while on a slow disk),
// BENCH_KEEP=1 keeps that folder, BENCH_STRICT=1 exits 1 when a target is missed,
// E2E_VERBOSE=1 shows driver output.
//
// The figures are only as good as the machine is quiet: the load average at start and end is
// recorded, and a warning is printed when other work was running.
// Needs tauri-driver on PATH (or TAURI_DRIVER) and /usr/bin/WebKitWebDriver; starts a private
// Xvfb (and a D-Bus session bus) when there is no usable display. The parts shared with
// bench-scopes.mjs (launching the app, the keystroke timer, the display) are in bench-lib.mjs.

/* global document */
import fs from 'node:fs';
import path from 'node:path';
import { sleep } from './harness.mjs';
import {
  APP, APP_ENV, OUT_DIR, WATCHER, ensureDisplay, finishMachine, launchApp, log, machineInfo, machineLine,
  makeWorkDir, measurableSteps, median, prepareCorpus, r1, removeWorkDir, requireReleaseBuild, runBench, setLogTag,
  stats, typeKeystrokes, waitPopulated, warnIfBusy, writeResult,
} from './bench-lib.mjs';

const N = Number(process.env.BENCH_CONNECTORS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 3_000);
const SEED = 1;
const TARGETS = { populatedMs: 1_500, memoryDeltaMB: 60, keystrokeMs: 50 };
const OUT_FILE = path.resolve(process.env.BENCH_OUT ?? path.join(OUT_DIR, 'app-bench.json'));

// Keystrokes: type a number, delete it back to an empty box (the whole list again), type
// another. Digits match the slug (conn_01234) and the name ("Acme Ads 01234"), and every
// keystroke changes the number of matches, so the end of each filter is visible in the DOM.
const KEYSTROKES = ['1', '12', '123', '1234', '123', '12', '1', '', '9', '98', '987'];

setLogTag('bench-app');

/** Waits until the app page shows its shell (for the empty baseline): the queue page, empty. */
async function waitShell(browser, timeoutMs = 30_000) {
  await browser.waitUntil(
    async () =>
      browser
        .execute(() => Boolean(document.querySelector('[data-testid="queue-empty"], .queue-row')))
        .catch(() => false),
    { timeout: timeoutMs, interval: 50, timeoutMsg: 'the empty app never showed its queue page' },
  );
}

// ---------------------------------------------------------------- memory ---

function readProc(pid, file) {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

function kbField(text, name) {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

/** pid -> parent pid, for every process. */
function parentMap() {
  const map = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(entry, 'stat');
    // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest.length > 1) map.set(Number(entry), Number(rest[1]));
  }
  return map;
}

function descendants(root, parents) {
  const out = [root];
  for (let i = 0; i < out.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === out[i]) out.push(pid);
  }
  return out;
}

/** The app process (target/release/godconfig) under tauri-driver's process tree. */
function findAppPid(driverPid) {
  const parents = parentMap();
  for (const pid of descendants(driverPid, parents)) {
    let exe;
    try {
      exe = fs.readlinkSync(`/proc/${pid}/exe`);
    } catch {
      continue;
    }
    // "(deleted)" when the binary was rebuilt while the app ran.
    if (exe.replace(/ \(deleted\)$/, '') === fs.realpathSync(APP)) return pid;
  }
  return null;
}

/** RSS and PSS (MB) of the app and all its descendants, with a per-process breakdown. */
function treeMemory(appPid) {
  const pids = descendants(appPid, parentMap());
  const processes = pids.map((pid) => {
    const status = readProc(pid, 'status');
    const rollup = readProc(pid, 'smaps_rollup');
    return {
      pid,
      name: readProc(pid, 'comm').trim(),
      rssMB: kbField(status, 'VmRSS') / 1024,
      pssMB: kbField(rollup, 'Pss') / 1024,
      anonMB: kbField(status, 'RssAnon') / 1024,
    };
  });
  const sum = (k) => processes.reduce((t, p) => t + p[k], 0);
  return { rssMB: sum('rssMB'), pssMB: sum('pssMB'), anonMB: sum('anonMB'), processes };
}

/** Rows whose `slug\0display_name` (lowercased) holds the needle: the UI's own filter. */
function corpusKeys(dir) {
  const keys = [];
  for (const slug of fs.readdirSync(dir).sort()) {
    const manifest = path.join(dir, slug, 'manifest.yaml');
    if (!fs.existsSync(manifest)) continue;
    const text = fs.readFileSync(manifest, 'utf8');
    const m = /^provider_slug:\s*(.+)$/m.exec(text);
    const d = /^display_name:\s*(.+)$/m.exec(text);
    const unquote = (s) => s.trim().replace(/^"(.*)"$/, '$1').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    keys.push(`${unquote(m[1])}\u0000${unquote(d[1])}`.toLowerCase());
  }
  return keys;
}

// ------------------------------------------------------------------ main ---

async function main() {
  const startedAt = Date.now();
  requireReleaseBuild();
  const machine = machineInfo();
  const busy = warnIfBusy(machine);
  await ensureDisplay();

  const work = makeWorkDir('godconfig-bench-app');
  const corpus = path.join(work, 'corpus');
  const db = path.join(work, 'registry.db');
  const emptyDir = path.join(work, 'empty');
  fs.mkdirSync(emptyDir);

  const result = { machine, config: { connectors: N, runs: RUNS, settleMs: SETTLE_MS, seed: SEED, appEnv: APP_ENV, watcher: WATCHER }, targets: TARGETS };
  try {
    // ---- corpus + registry (not measured) ----
    result.setup = prepareCorpus({ corpus, db, connectors: N, seed: SEED });

    // Expected match counts per keystroke, by the UI's own rule; keep only keystrokes that
    // change the count (otherwise the DOM shows nothing to wait for).
    const keys = corpusKeys(corpus);
    const countOf = (value) => {
      const needle = value.trim().toLowerCase();
      return keys.filter((k) => !needle || k.includes(needle)).length;
    };
    const steps = measurableSteps(KEYSTROKES, countOf, keys.length);

    const runs = [];
    const baselines = [];
    for (let i = 0; i < RUNS; i++) {
      // ---- 10,000 connectors ----
      const app = await launchApp({ connectorsDir: corpus, dbPath: db });
      try {
        const p = await waitPopulated(app.browser, N);
        const appPid = findAppPid(app.driverPid);
        await sleep(SETTLE_MS);
        const memory = appPid ? treeMemory(appPid) : null;
        const typed = await typeKeystrokes(app.browser, steps, {
          input: '[data-testid="queue-search"]',
          count: '[data-testid="queue-count"]',
          rows: '.queue-row',
          text: (expected) => `${expected} shown`,
        });
        if (typed.error) throw new Error(typed.error);
        const run = {
          spawnToPopulatedMs: p.paintedAt - app.spawnedAt,
          navigationToPopulatedMs: p.paintedAt - p.timeOrigin,
          spawnToNavigationMs: p.timeOrigin - app.spawnedAt,
          spawnToSessionMs: app.sessionAt - app.spawnedAt,
          spawnToFirstCheckMs: p.startedAt - app.spawnedAt,
          populatedBeforeFirstCheck: p.already,
          memory,
          keystrokes: typed,
        };
        runs.push(run);
        log(
          `run ${i + 1}/${RUNS}: spawn->populated ${Math.round(run.spawnToPopulatedMs)} ms, ` +
            `navigation->populated ${Math.round(run.navigationToPopulatedMs)} ms` +
            `${p.already ? ' (already populated at the first check: an upper bound)' : ''}, ` +
            `RSS ${memory ? Math.round(memory.rssMB) : '?'} MB, PSS ${memory ? Math.round(memory.pssMB) : '?'} MB, ` +
            `keystrokes ${typed.map((k) => (k.paintedMs == null ? 'timeout' : Math.round(k.paintedMs))).join('/')} ms`,
        );
      } finally {
        await app.stop();
      }

      // ---- empty window: same binary, empty folder, fresh registry ----
      const emptyDb = path.join(work, `empty-${i}.db`);
      const base = await launchApp({ connectorsDir: emptyDir, dbPath: emptyDb });
      try {
        await waitShell(base.browser);
        const appPid = findAppPid(base.driverPid);
        await sleep(SETTLE_MS);
        const memory = appPid ? treeMemory(appPid) : null;
        baselines.push({ memory });
        log(`baseline ${i + 1}/${RUNS}: RSS ${memory ? Math.round(memory.rssMB) : '?'} MB, PSS ${memory ? Math.round(memory.pssMB) : '?'} MB`);
      } finally {
        await base.stop();
        fs.rmSync(emptyDb, { force: true });
      }
    }

    // ---- summary ----
    const pick = (xs, f) => xs.map(f).filter((x) => x != null);
    const spawn = stats(pick(runs, (r) => r.spawnToPopulatedMs));
    const nav = stats(pick(runs, (r) => r.navigationToPopulatedMs));
    const rss = stats(pick(runs, (r) => r.memory?.rssMB));
    const pss = stats(pick(runs, (r) => r.memory?.pssMB));
    const baseRss = stats(pick(baselines, (b) => b.memory?.rssMB));
    const basePss = stats(pick(baselines, (b) => b.memory?.pssMB));
    const keystrokes = runs.flatMap((r) => r.keystrokes);
    const timedOut = keystrokes.filter((k) => k.paintedMs == null).length;
    const painted = stats(pick(keystrokes, (k) => k.paintedMs));
    const commit = stats(pick(keystrokes, (k) => k.commitMs));
    const handler = stats(pick(keystrokes, (k) => k.handlerMs));
    const deltaRss = rss && baseRss ? rss.median - baseRss.median : null;
    const deltaPss = pss && basePss ? pss.median - basePss.median : null;

    result.summary = {
      spawnToPopulatedMs: spawn,
      navigationToPopulatedMs: nav,
      populatedBeforeFirstCheck: runs.filter((r) => r.populatedBeforeFirstCheck).length,
      memory: { loadedRssMB: rss, emptyRssMB: baseRss, deltaRssMB: deltaRss, loadedPssMB: pss, emptyPssMB: basePss, deltaPssMB: deltaPss },
      keystroke: { paintedMs: painted, commitMs: commit, handlerMs: handler, timedOut },
      pass: {
        populated: spawn ? spawn.max <= TARGETS.populatedMs : false,
        memory: deltaRss != null ? deltaRss <= TARGETS.memoryDeltaMB : false,
        keystroke: painted ? painted.max <= TARGETS.keystrokeMs && timedOut === 0 : false,
      },
    };
    result.runs = runs;
    result.baselines = baselines;
    result.totalSeconds = Math.round((Date.now() - startedAt) / 100) / 10;
    finishMachine(result.machine, busy);

    writeResult(OUT_FILE, result, report(result));
    return Object.values(result.summary.pass).every(Boolean);
  } finally {
    removeWorkDir(work, startedAt);
  }
}

function report(r) {
  const s = r.summary;
  const ok = (b) => (b ? 'pass' : '**MISS**');
  const ms = (x) => (x == null ? '–' : `${Math.round(x)} ms`);
  const mb = (x) => (x == null ? '–' : `${r1(x)} MB`);
  const lines = [
    `## App benchmark (release build, ${r.config.connectors} connectors, ${r.config.runs} runs, folder watcher ${r.config.watcher ? 'on' : 'off'}${
      Object.keys(r.config.appEnv).length ? `, app env ${Object.entries(r.config.appEnv).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''
    })`,
    '',
    machineLine(r.machine),
    '',
    '| Measure | Median | Max | Target | Result |',
    '|---|---|---|---|---|',
    `| Spawn → window shown, queue populated (${r.config.connectors}) | ${ms(s.spawnToPopulatedMs?.median)} | ${ms(s.spawnToPopulatedMs?.max)} | ≤ ${TARGETS.populatedMs} ms | ${ok(s.pass.populated)} |`,
    `| Webview navigation start → queue populated | ${ms(s.navigationToPopulatedMs?.median)} | ${ms(s.navigationToPopulatedMs?.max)} | (info) | |`,
    `| Memory, ${r.config.connectors} connectors loaded (RSS, app + WebKit processes) | ${mb(s.memory.loadedRssMB?.median)} | ${mb(s.memory.loadedRssMB?.max)} | | |`,
    `| Memory, empty window (same binary, empty folder + registry) (RSS) | ${mb(s.memory.emptyRssMB?.median)} | ${mb(s.memory.emptyRssMB?.max)} | | |`,
    `| Memory difference (RSS, medians) | ${mb(s.memory.deltaRssMB)} | | ≤ ${TARGETS.memoryDeltaMB} MB | ${ok(s.pass.memory)} |`,
    `| Memory difference (PSS, medians; loaded ${mb(s.memory.loadedPssMB?.median)} vs empty ${mb(s.memory.emptyPssMB?.median)}) | ${mb(s.memory.deltaPssMB)} | | (info) | |`,
    `| Search keystroke → filtered list painted (${s.keystroke.paintedMs?.n ?? 0} keystrokes${s.keystroke.timedOut ? `, ${s.keystroke.timedOut} timed out` : ''}) | ${ms(s.keystroke.paintedMs?.median)} | ${ms(s.keystroke.paintedMs?.max)} | ≤ ${TARGETS.keystrokeMs} ms | ${ok(s.pass.keystroke)} |`,
    `| Search keystroke → count updated (DOM commit) | ${ms(s.keystroke.commitMs?.median)} | ${ms(s.keystroke.commitMs?.max)} | (info) | |`,
    '',
    `Start-up per run (spawn→populated / navigation→populated): ${r.runs.map((x) => `${Math.round(x.spawnToPopulatedMs)}/${Math.round(x.navigationToPopulatedMs)}`).join(', ')} ms` +
      (s.populatedBeforeFirstCheck ? ` (${s.populatedBeforeFirstCheck} run(s) already populated at the first in-page check: upper bounds)` : ''),
    `Keystrokes (value → matches: median painted ms): ${keystrokeTable(r.runs)}`,
    `Setup (not measured): gen-corpus ${r.setup.genCorpusMs} ms, sentinel sync ${r.setup.sentinelSyncMs} ms. Whole benchmark (before removing the work folder): ${r.totalSeconds} s.`,
  ];
  return lines.join('\n');
}

/** "value → matches: median painted ms" for every keystroke, over all runs. */
function keystrokeTable(runs) {
  const by = new Map();
  for (const run of runs) {
    for (const k of run.keystrokes) {
      const key = `${JSON.stringify(k.value)} → ${k.expected}`;
      if (!by.has(key)) by.set(key, []);
      if (k.paintedMs != null) by.get(key).push(k.paintedMs);
    }
  }
  return [...by].map(([k, xs]) => `${k}: ${xs.length ? Math.round(median(xs)) : '–'}`).join('; ');
}

await runBench(main);
