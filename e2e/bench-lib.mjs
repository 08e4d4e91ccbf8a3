// Shared parts of the app benchmarks (bench-app.mjs, bench-scopes.mjs): the release binaries,
// a private X display, launching the release app (through harness.mjs's launcher), the
// corpus + registry setup, the in-page keystroke timer, statistics and the machine line.

/* global document, location, requestAnimationFrame, MutationObserver, HTMLInputElement */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot, sleep, startApp, tempDir } from './harness.mjs';

const release = path.join(repoRoot, 'target', 'release');
export const APP = path.join(release, 'godconfig');
export const SENTINEL = path.join(release, 'sentinel');
export const BENCH = path.join(release, 'godconfig-bench');
export const NATIVE_DRIVER = process.env.WEBKIT_WEBDRIVER ?? '/usr/bin/WebKitWebDriver';
export const OUT_DIR = path.join(repoRoot, 'bench-out');
/** BENCH_APP_ENV="K=V,K2=V2": extra environment variables for the app. */
export const APP_ENV = Object.fromEntries(
  (process.env.BENCH_APP_ENV ?? '')
    .split(',')
    .filter((kv) => kv.includes('='))
    .map((kv) => [kv.slice(0, kv.indexOf('=')).trim(), kv.slice(kv.indexOf('=') + 1)]),
);

let tag = 'bench';
/** Names the script in every log line: `[tag] ...` on stderr. */
export function setLogTag(name) {
  tag = name;
}
export const log = (...args) => console.error(`[${tag}]`, ...args);

// ------------------------------------------------------------------ helpers ---

export function requireFile(file, hint) {
  if (!fs.existsSync(file)) {
    console.error(`${file} is missing; ${hint}`);
    process.exit(2);
  }
}

/** The release binaries, WebKitWebDriver, and a warning when ui/dist is newer than the app. */
export function requireReleaseBuild() {
  requireFile(APP, 'build it: npm run ui:build && cargo build --release -p godconfig-app -p sentinel-cli -p godconfig-bench');
  requireFile(SENTINEL, 'build it: cargo build --release -p sentinel-cli');
  requireFile(BENCH, 'build it: cargo build --release -p godconfig-bench');
  requireFile(NATIVE_DRIVER, 'install the webkit2gtk-driver package (./dev setup)');
  const dist = path.join(repoRoot, 'ui', 'dist', 'index.html');
  if (fs.existsSync(dist) && fs.statSync(dist).mtimeMs > fs.statSync(APP).mtimeMs) {
    log('warning: ui/dist is newer than target/release/godconfig; the app embeds an older UI');
  }
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const stats = (xs) =>
  xs.length ? { median: median(xs), max: Math.max(...xs), min: Math.min(...xs), n: xs.length } : null;
export const r1 = (x) => (x == null ? null : Math.round(x * 10) / 10);

export function readFileOr(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------- display ---

/** Background processes we started (Xvfb, dbus-daemon): stopped on exit, by pid. */
const background = [];

function displayAnswers() {
  const m = /^(?:unix)?:(\d+)/.exec(process.env.DISPLAY ?? '');
  return Boolean(m) && fs.existsSync(`/tmp/.X11-unix/X${m[1]}`);
}

export async function ensureDisplay() {
  if (displayAnswers()) {
    log(`using X display ${process.env.DISPLAY}`);
  } else {
    // -displayfd: Xvfb picks a free display and writes its number once it accepts clients.
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1400x900x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    background.push(xvfb.pid);
    let num = '';
    xvfb.stdio[3].setEncoding('utf8').on('data', (d) => (num += d));
    const by = Date.now() + 10_000;
    while (!/^\d+\n/.test(num)) {
      if (Date.now() > by || xvfb.exitCode !== null) throw new Error('Xvfb did not start');
      await sleep(50);
    }
    process.env.DISPLAY = `:${num.trim()}`;
    log(`started Xvfb on ${process.env.DISPLAY} (pid ${xvfb.pid})`);
  }
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
    const r = spawnSync('dbus-launch', ['--sh-syntax'], { encoding: 'utf8' });
    const addr = /DBUS_SESSION_BUS_ADDRESS='([^']+)'/.exec(r.stdout ?? '');
    const pid = /DBUS_SESSION_BUS_PID=(\d+)/.exec(r.stdout ?? '');
    if (addr && pid) {
      process.env.DBUS_SESSION_BUS_ADDRESS = addr[1];
      background.push(Number(pid[1]));
      log(`started a D-Bus session bus (pid ${pid[1]})`);
    } else {
      log('no D-Bus session bus (dbus-launch failed); WebKit may complain');
    }
  }
}

export function stopBackground() {
  for (const pid of background.splice(0)) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone
    }
  }
}

/**
 * Runs a benchmark's main (resolving to "every target met") and exits: 0, or 1 when a target
 * was missed and BENCH_STRICT is set, 2 on an error. Stops Xvfb / D-Bus if we started them.
 */
export async function runBench(main) {
  let exitCode;
  try {
    const pass = await main();
    if (!pass) log(`some targets were missed${process.env.BENCH_STRICT ? ' (BENCH_STRICT: exit 1)' : ''}`);
    exitCode = pass || !process.env.BENCH_STRICT ? 0 : 1;
  } catch (error) {
    console.error(error.stack ?? error);
    exitCode = 2;
  } finally {
    stopBackground();
  }
  process.exit(exitCode);
}

// ------------------------------------------------------------- the corpus ---

/** A fresh work folder: under BENCH_WORK_DIR when set, else the system's temp dir. */
export function makeWorkDir(prefix) {
  if (process.env.BENCH_WORK_DIR) {
    fs.mkdirSync(process.env.BENCH_WORK_DIR, { recursive: true });
    return fs.mkdtempSync(path.join(path.resolve(process.env.BENCH_WORK_DIR), `${prefix}-`));
  }
  return tempDir(`${prefix}-work-`);
}

/** gen-corpus into `corpus`, then `sentinel sync` it into the registry `db` (not measured). */
export function prepareCorpus({ corpus, db, connectors, seed, metrics = 3 }) {
  let t = performance.now();
  const args = ['gen-corpus', '--out', corpus, '--connectors', String(connectors), '--seed', String(seed), '--metrics', String(metrics)];
  const gen = spawnSync(BENCH, args, {
    encoding: 'utf8',
  });
  if (gen.status !== 0) throw new Error(`gen-corpus failed: ${gen.stderr}`);
  const genMs = performance.now() - t;
  t = performance.now();
  const sync = spawnSync(SENTINEL, ['sync', corpus, '--db', db], { encoding: 'utf8', timeout: 600_000 });
  if (sync.status !== 0) throw new Error(`sentinel sync failed (${sync.status}): ${sync.stderr}${sync.stdout}`);
  const syncMs = performance.now() - t;
  log(`corpus of ${connectors} connectors in ${Math.round(genMs)} ms, registered in ${Math.round(syncMs)} ms`);
  return { genCorpusMs: Math.round(genMs), sentinelSyncMs: Math.round(syncMs) };
}

/** Removes the work folder, unless BENCH_KEEP is set. */
export function removeWorkDir(work, startedAt) {
  if (process.env.BENCH_KEEP) log(`kept ${work}`);
  else {
    const t = Date.now();
    fs.rmSync(work, { recursive: true, force: true });
    log(`removed the work folder in ${((Date.now() - t) / 1000).toFixed(1)} s; whole run ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  }
}

// ------------------------------------------------------------ the app ---

/** BENCH_WATCHER=off starts the app with its folder watcher off (on, the app's default, else). */
export const WATCHER = process.env.BENCH_WATCHER !== 'off';

/**
 * Starts the RELEASE app through the e2e suite's launcher (harness.mjs `startApp`), with the
 * benchmarks' environment and WebKit's renderer left to the app, as a user runs it. Returns
 * when the session (hence the window) was requested and answered (`spawnedAt`, `sessionAt`).
 */
export async function launchApp({ connectorsDir, dbPath, env = APP_ENV, watcher = WATCHER, app: binary = APP }) {
  const app = await startApp({ app: binary, connectorsDir, dbPath, env, webkitDefault: false, watcher });
  await app.browser.setTimeout({ script: 60_000 });
  return app;
}

/**
 * Waits, inside the webview, until the queue shows rows and the draft tab counts `n`, then for
 * one painted frame. Returns wall-clock times (ms since the epoch) from the webview's clock.
 */
export async function waitPopulated(browser, n, timeoutMs = 30_000) {
  // The first script may land before the app's document exists; retry until it is ours.
  const by = Date.now() + timeoutMs;
  for (;;) {
    const r = await browser
      .execute(
        (n, timeoutMs) =>
          new Promise((resolve) => {
            const now = () => performance.timeOrigin + performance.now();
            const startedAt = now();
            const state = () => ({
              rows: document.querySelectorAll('.queue-row').length,
              draft: document.querySelector('[data-testid="tab-draft"] .count')?.textContent ?? null,
              shown: document.querySelector('[data-testid="queue-count"]')?.textContent ?? null,
            });
            const ready = (s) => s.rows > 0 && s.draft === String(n);
            const finish = (readyAt, already) =>
              requestAnimationFrame(() => {
                const ch = new MessageChannel();
                ch.port1.onmessage = () =>
                  resolve({
                    href: location.href,
                    timeOrigin: performance.timeOrigin,
                    startedAt,
                    readyAt,
                    paintedAt: now(),
                    already,
                    state: state(),
                  });
                ch.port2.postMessage(0);
              });
            if (ready(state())) return finish(now(), true);
            const mo = new MutationObserver(() => {
              if (ready(state())) {
                mo.disconnect();
                clearTimeout(timer);
                finish(now(), false);
              }
            });
            mo.observe(document.documentElement, { subtree: true, childList: true, characterData: true });
            const timer = setTimeout(() => {
              mo.disconnect();
              resolve({ href: location.href, timeout: true, state: state() });
            }, timeoutMs);
          }),
        n,
        Math.max(1_000, by - Date.now()),
      )
      .catch((error) => ({ error: error.message }));
    if (r.error || !String(r.href).startsWith('tauri:')) {
      if (Date.now() > by) throw new Error(`the app page never loaded: ${JSON.stringify(r)}`);
      await sleep(20);
      continue;
    }
    if (r.timeout) throw new Error(`the queue was not populated within ${timeoutMs} ms: ${JSON.stringify(r.state)}`);
    return r;
  }
}

// ---------------------------------------------------------------- search ---

/**
 * Keeps the keystrokes that change the match count (otherwise the DOM shows nothing to wait
 * for), logging the others. `countOf(value)` is the expected number of matches; `initial` the
 * count before the first keystroke.
 */
export function measurableSteps(values, countOf, initial) {
  const steps = [];
  let previous = initial;
  for (const value of values) {
    const expected = countOf(value);
    if (expected !== previous) steps.push({ value, expected });
    else log(`keystroke ${JSON.stringify(value)} leaves the count at ${expected}; not measured`);
    previous = expected;
  }
  return steps;
}

/**
 * In the page: types each value into `input` (React's native value setter, then an `input`
 * event), and measures until `count` reads `text(expected)` and a frame is painted (rAF, then a
 * task). `rows` is counted after each keystroke. Steps are `{ value, expected }`; each result is
 * `{ value, expected, shown, rows, handlerMs, commitMs, paintedMs }` (paintedMs null on timeout).
 */
export async function typeKeystrokes(browser, steps, { input, count, rows, text, pauseMs = 120, timeoutMs = 5_000 }) {
  const texts = steps.map((s) => text(s.expected));
  return browser.execute(
    (steps, texts, sel, pauseMs, timeoutMs) =>
      new Promise((resolve) => {
        const input = document.querySelector(sel.input);
        const count = document.querySelector(sel.count);
        if (!input || !count) return resolve({ error: 'no search box or count' });
        const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
        const painted = () =>
          new Promise((res) =>
            requestAnimationFrame(() => {
              const ch = new MessageChannel();
              ch.port1.onmessage = () => res(performance.now());
              ch.port2.postMessage(0);
            }),
          );
        const shows = (want, t0) =>
          new Promise((res) => {
            const ok = () => count.textContent === want;
            if (ok()) return res(performance.now() - t0);
            const mo = new MutationObserver(() => {
              if (ok()) {
                mo.disconnect();
                clearTimeout(timer);
                res(performance.now() - t0);
              }
            });
            mo.observe(count, { subtree: true, childList: true, characterData: true });
            const timer = setTimeout(() => {
              mo.disconnect();
              res(null);
            }, timeoutMs);
          });
        input.focus();
        (async () => {
          const out = [];
          for (let i = 0; i < steps.length; i++) {
            const { value, expected } = steps[i];
            // A pause between keystrokes, like a fast typist; start on a fresh frame.
            await new Promise((r) => setTimeout(r, pauseMs));
            await painted();
            const t0 = performance.now();
            setValue.call(input, value);
            input.dispatchEvent(new Event('input', { bubbles: true }));
            const handlerMs = performance.now() - t0;
            const commitMs = await shows(texts[i], t0);
            const paintedMs = (await painted()) - t0;
            out.push({
              value,
              expected,
              shown: count.textContent,
              rows: document.querySelectorAll(sel.rows).length,
              handlerMs,
              commitMs,
              paintedMs: commitMs == null ? null : paintedMs,
            });
          }
          resolve(out);
        })();
      }),
    steps,
    texts,
    { input, count, rows },
    pauseMs,
    timeoutMs,
  );
}

// ------------------------------------------------------------ machine info ---

export function machineInfo() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const sh = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: repoRoot });
    return r.status === 0 ? r.stdout.trim() : null;
  };
  return {
    cpu: model,
    cores: os.cpus().length,
    ramGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: os.release(),
    os: /^PRETTY_NAME="?([^"\n]+)/m.exec(readFileOr('/etc/os-release'))?.[1] ?? os.type(),
    webkit2gtk: sh('dpkg-query', ['-W', '-f', '${Version}', 'libwebkit2gtk-4.1-0']),
    node: process.version,
    commit: sh('git', ['rev-parse', '--short', 'HEAD']),
    loadAvgAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Marks the machine busy when the 1-minute load average exceeded half the cores. */
export function warnIfBusy(machine) {
  const busy = machine.loadAvgAtStart[0] > machine.cores * 0.5;
  if (busy) log(`warning: load average ${machine.loadAvgAtStart[0]} on ${machine.cores} cores; the figures will be noisy`);
  return busy;
}

/** Load at the end, and whether the machine was busy at either end. */
export function finishMachine(machine, busyAtStart) {
  machine.loadAvgAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  machine.busy = busyAtStart || machine.loadAvgAtEnd[0] > machine.cores * 0.5;
}

/** The report's machine line. */
export function machineLine(m) {
  return `Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGB} GB RAM; ${m.os}, Linux ${m.kernel}; WebKitGTK ${m.webkit2gtk}; Node ${m.node}; commit ${m.commit}; load ${m.loadAvgAtStart.join(' ')} → ${m.loadAvgAtEnd.join(' ')}${m.busy ? ' (**busy machine: noisy figures**)' : ''}`;
}

/** Writes the JSON result (creating its folder) and prints the report. */
export function writeResult(file, result, reportText) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(reportText);
  console.log(`\nJSON: ${path.relative(repoRoot, file)}`);
}
