// Helpers for the end-to-end suite: drive the real, built desktop app through
// tauri-driver + WebKitWebDriver with WebdriverIO's standalone `remote()`.
//
// Needs (./dev e2e sets all of it up): target/debug/godconfig and target/debug/sentinel
// built, `tauri-driver` on PATH (or TAURI_DRIVER), /usr/bin/WebKitWebDriver, and an X
// display in DISPLAY.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const appBinary = path.join(repoRoot, 'target', 'debug', 'godconfig');
export const sentinelBinary = path.join(repoRoot, 'target', 'debug', 'sentinel');
/** The keyring service of a debug build (`godconfig_vault::SERVICE`): e2e drives target/debug. */
export const VAULT_SERVICE = 'dev.godconfig.app.dev';
export const screenshotsDir = path.join(repoRoot, 'docs', 'screenshots');

const NATIVE_DRIVER = process.env.WEBKIT_WEBDRIVER ?? '/usr/bin/WebKitWebDriver';
const TAURI_DRIVER = process.env.TAURI_DRIVER ?? 'tauri-driver';
const DRIVER_START_TIMEOUT_MS = 15_000;
// Creating a session launches the app; a cold WebKit start can take a few seconds.
const SESSION_TIMEOUT_MS = 60_000;
const LOG_TAIL_CHARS = 4_000;
const MAX_LOG_CHARS = 1_000_000;

/** A fresh temporary directory (removed by the caller, or by `stop()` for startApp's). */
export function tempDir(prefix = 'godconfig-e2e-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function requireFile(file, hint) {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing; ${hint}`);
}

/** A TCP port that was free a moment ago (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// A deadline for Promise.race that does not keep the process alive once the race is won.
export const deadline = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref());

function tail(text) {
  return text.length > LOG_TAIL_CHARS ? `…${text.slice(-LOG_TAIL_CHARS)}` : text;
}

/**
 * Starts the app through tauri-driver and opens a WebDriver session on it: the one launcher
 * of the e2e suite and of the benchmarks (bench-lib.mjs runs the release build through it).
 *
 * The app inherits tauri-driver's environment, so everything it should see is set on
 * the tauri-driver process: its own XDG data/config/cache dirs (never the user's), the
 * connectors folder and the SQLite registry, plus `env`.
 *
 * `app` is the binary (the debug build by default). `webkitDefault` keeps WebKit's own
 * renderer, which WebKitWebDriver's screenshots need; the benchmarks turn it off to measure
 * the app as it runs for a user (it picks its renderer itself, src-tauri/src/main.rs).
 *
 * `watcher: false` turns the app's folder watcher off in its settings file before the start:
 * for tests that drive every sync themselves (the default, on, is the app's). `settingsText`
 * writes that file as given instead (a broken one, say). `home` (see below) keeps the app's
 * data for the caller, across a restart of the app, say.
 *
 * @param {{ connectorsDir?: string, dbPath?: string, env?: Record<string, string>,
 *   app?: string, webkitDefault?: boolean, watcher?: boolean }} options
 * @returns {Promise<{ browser: WebdriverIO.Browser, stop: () => Promise<void>,
 *   env: Record<string, string>, logs: () => string, sessionStartMs: number,
 *   driverPid: number, spawnedAt: number, sessionAt: number }>}
 */
export async function startApp({ connectorsDir, dbPath, env = {}, app = appBinary, webkitDefault = true, watcher = true, settingsText, home: givenHome } = {}) {
  requireFile(app, 'build it with `cargo build -p godconfig-app` (or run ./dev e2e)');
  requireFile(NATIVE_DRIVER, 'install the webkit2gtk-driver package (./dev setup)');
  if (!process.env.DISPLAY) throw new Error('DISPLAY is not set; run through ./dev e2e (it starts Xvfb)');

  // `home`: the caller's folder, kept after stop() and also the app's HOME (the welcome screen
  // creates ~/GodConfig/connectors); otherwise a temporary one, removed by stop().
  const home = givenHome ?? tempDir('godconfig-e2e-app-');
  const appEnv = {
    ...(givenHome ? { HOME: givenHome } : {}),
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    XDG_STATE_HOME: path.join(home, 'state'),
    ...(connectorsDir ? { GODCONFIG_CONNECTORS_DIR: path.resolve(connectorsDir) } : {}),
    ...(dbPath ? { GODCONFIG_DATABASE_URL: `sqlite:${path.resolve(dbPath)}` } : {}),
    // Without a GPU the app switches WebKit to its plain renderer (src-tauri/src/main.rs), where
    // WebKitWebDriver's screenshot of an idle page never returns; keep WebKit's default here.
    ...(webkitDefault ? { WEBKIT_DISABLE_DMABUF_RENDERER: '0' } : {}),
    ...env,
  };
  for (const key of ['XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME']) {
    fs.mkdirSync(appEnv[key], { recursive: true });
  }
  if (!watcher || settingsText !== undefined) {
    fs.mkdirSync(path.join(appEnv.XDG_CONFIG_HOME, 'godconfig'), { recursive: true });
    fs.writeFileSync(path.join(appEnv.XDG_CONFIG_HOME, 'godconfig', 'settings.json'), settingsText ?? JSON.stringify({ watcher: false }));
  }

  const port = await freePort();
  let nativePort = await freePort();
  while (nativePort === port) nativePort = await freePort();

  let output = '';
  const driver = spawn(
    TAURI_DRIVER,
    ['--port', String(port), '--native-port', String(nativePort), '--native-driver', NATIVE_DRIVER],
    {
      env: { ...process.env, ...appEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group: stop() signals tauri-driver, WebKitWebDriver and the app at once.
      detached: true,
    },
  );
  const collect = (chunk) => {
    output += chunk;
    // A long benchmark must not grow this without bound; failures only show the tail.
    if (output.length > MAX_LOG_CHARS) output = output.slice(-MAX_LOG_CHARS / 2);
    if (process.env.E2E_VERBOSE) process.stderr.write(chunk);
  };
  driver.stdout.setEncoding('utf8').on('data', collect);
  driver.stderr.setEncoding('utf8').on('data', collect);
  let exited = null;
  const exitedPromise = new Promise((resolve) => {
    driver.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
    driver.once('error', (error) => {
      exited = { error };
      resolve();
    });
  });

  // If the test process ends without stop() (a crash, a cancelled run), take the app along.
  const killOnExit = () => killGroup(driver.pid, 'SIGKILL');
  process.once('exit', killOnExit);

  let browser = null;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killOnExit);
    if (browser) {
      await Promise.race([browser.deleteSession().catch(() => {}), deadline(10_000)]);
    }
    if (!exited) {
      killGroup(driver.pid, 'SIGTERM');
      await Promise.race([exitedPromise, deadline(5_000)]);
    }
    // Whatever is left of the group (WebKitWebDriver, the app, WebKit helpers).
    killGroup(driver.pid, 'SIGKILL');
    if (!givenHome) fs.rmSync(home, { recursive: true, force: true });
  };

  const fail = async (message) => {
    await stop();
    throw new Error(`${message}\n--- tauri-driver output ---\n${tail(output)}`);
  };

  // tauri-driver starts WebKitWebDriver, then listens on `port`.
  const listenBy = Date.now() + DRIVER_START_TIMEOUT_MS;
  while (!(await canConnect(port))) {
    if (exited) {
      const why = exited.error ? exited.error.message : `exit ${exited.code ?? exited.signal}`;
      return fail(`tauri-driver did not start (${why}); is it installed (./dev setup)?`);
    }
    if (Date.now() > listenBy) return fail(`tauri-driver did not listen on ${port} within ${DRIVER_START_TIMEOUT_MS} ms`);
    await sleep(50);
  }

  // tauri-driver forwards the session to WebKitWebDriver, which it starts alongside; on a busy
  // machine that one may not listen yet, and the session request would be refused. Wait for it
  // (bounded: if it never listens, the session request below reports why).
  const nativeBy = Date.now() + DRIVER_START_TIMEOUT_MS;
  while (!exited && Date.now() < nativeBy && !(await canConnect(nativePort))) await sleep(50);

  // WebKitWebDriver does not notice when the app dies before its window connects; it would
  // hang until SESSION_TIMEOUT_MS. A Rust panic on stderr means the session will never come.
  let watching = true;
  const crashed = (async () => {
    while (watching) {
      if (/panicked at/.test(output)) throw new Error('the app panicked while starting');
      await sleep(100);
    }
  })();
  const started = Date.now();
  try {
    const session = remote({
      hostname: '127.0.0.1',
      port,
      // No browserName: tauri-driver turns tauri:options into WebKitGTK's own capabilities.
      capabilities: { 'tauri:options': { application: app } },
      logLevel: process.env.E2E_VERBOSE ? 'info' : 'warn',
      connectionRetryTimeout: SESSION_TIMEOUT_MS,
      connectionRetryCount: 0,
    });
    browser = await Promise.race([session, crashed]);
  } catch (error) {
    return fail(`could not start a WebDriver session on the app: ${error.message}`);
  } finally {
    watching = false;
  }
  const sessionAt = Date.now();
  const sessionStartMs = sessionAt - started;

  return {
    browser,
    stop,
    env: appEnv,
    logs: () => output,
    sessionStartMs,
    driverPid: driver.pid,
    spawnedAt: started,
    sessionAt,
  };
}

export function killGroup(pid, signal) {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Runs the sentinel CLI (target/debug/sentinel) to completion.
 * @param {string[]} args
 * @param {{ cwd?: string, env?: Record<string, string> }} options
 */
export function sentinel(args, { cwd = repoRoot, env = {} } = {}) {
  requireFile(sentinelBinary, 'build it with `cargo build -p sentinel-cli` (or run ./dev e2e)');
  const result = spawnSync(sentinelBinary, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Copies the example connectors (connectors/AGENTS.md and, per connector, manifest.yaml,
 * service.py and AGENTS.md when present; never mcp.py) into destDir. Returns destDir.
 */
export function copyExamples(destDir) {
  const source = path.join(repoRoot, 'connectors');
  fs.mkdirSync(destDir, { recursive: true });
  const rootAgents = path.join(source, 'AGENTS.md');
  if (fs.existsSync(rootAgents)) fs.copyFileSync(rootAgents, path.join(destDir, 'AGENTS.md'));
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const file of ['manifest.yaml', 'service.py', 'AGENTS.md']) {
      const from = path.join(source, entry.name, file);
      if (!fs.existsSync(from)) continue;
      fs.mkdirSync(path.join(destDir, entry.name), { recursive: true });
      fs.copyFileSync(from, path.join(destDir, entry.name, file));
    }
  }
  return destDir;
}

/** Saves the app window as docs/screenshots/<name>.png and returns the path. */
export async function screenshot(browser, name) {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name}.png`);
  // Let WebKit paint the last DOM change (a dialog just closed, rows just mounted) first.
  await browser.execute('return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  await browser.pause(250);
  await browser.saveScreenshot(file);
  return file;
}

/**
 * Waits until an element matching `selector` shows `text` (substring); returns it.
 * @param {WebdriverIO.Browser} browser
 */
export async function waitForText(browser, selector, text, timeout = 10_000) {
  let found = null;
  let seen = [];
  try {
    await browser.waitUntil(
      async () => {
        const elements = await browser.$$(selector);
        seen = [];
        for (const element of elements) {
          const content = await element.getText().catch(() => '');
          seen.push(content);
          if (content.includes(text)) {
            found = element;
            return true;
          }
        }
        return false;
      },
      { timeout, interval: 100 },
    );
  } catch (error) {
    const saw = seen.length ? JSON.stringify(seen.slice(0, 10)) : 'no such element';
    throw new Error(
      `no ${selector} showed ${JSON.stringify(text)} within ${timeout} ms; saw ${saw} (${error.message})`,
      { cause: error },
    );
  }
  return found;
}

/** Navigates the app to `hash` (the app's hash router), without a page load. */
export function goTo(browser, hash) {
  return browser.execute('window.location.hash = arguments[0]', hash);
}

/** Clicks `selector` once it is clickable (rendered, enabled, not covered). */
export async function clickWhenReady(browser, selector) {
  const el = await browser.$(selector);
  await el.waitForClickable({ timeout: 10_000 });
  await el.click();
}

/**
 * A temporary folder holding `connectors/`: the examples when `examples`, each of `fixtures`
 * (from e2e/fixtures), then `prepare(connectors)`. `remove()` deletes it all.
 *
 * @param {{ examples?: boolean, fixtures?: string[], prepare?: (connectors: string) => void,
 *   prefix?: string }} options
 */
export function connectorsFolder({ examples = false, fixtures = [], prepare, prefix } = {}) {
  const work = tempDir(prefix);
  const remove = () => fs.rmSync(work, { recursive: true, force: true });
  try {
    const connectors = path.join(work, 'connectors');
    fs.mkdirSync(connectors, { recursive: true });
    if (examples) copyExamples(connectors);
    for (const name of fixtures) {
      fs.cpSync(path.join(repoRoot, 'e2e', 'fixtures', name), path.join(connectors, name), { recursive: true });
    }
    prepare?.(connectors);
    return { work, connectors, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

/**
 * The setup the e2e files share: a `connectorsFolder`, a registry (a SQLite file in that folder,
 * or the PostgreSQL database at `registry`), synced by the sentinel first when `sync`, and the
 * app started on both as `user` (`watcher`: see `startApp`). `close()` stops the app and
 * removes the folder.
 *
 * @param {{ examples?: boolean, fixtures?: string[], prepare?: (connectors: string) => void,
 *   sync?: boolean, user?: string, env?: Record<string, string>, registry?: string,
 *   watcher?: boolean }} options
 */
export async function openWorkspace({ sync = false, user, env = {}, registry, watcher = true, settingsText, ...folder } = {}) {
  const { work, connectors, remove } = connectorsFolder(folder);
  try {
    const db = registry ?? path.join(work, 'registry.db');
    if (sync) {
      const run = sentinel(['sync', connectors, '--db', db]);
      if (run.code !== 0) throw new Error(`sentinel sync failed (exit ${run.code}):\n${run.stdout}${run.stderr}`);
    }
    const app = await startApp({
      watcher,
      settingsText,
      connectorsDir: connectors,
      ...(registry ? {} : { dbPath: db }),
      env: { ...(user ? { USER: user } : {}), ...(registry ? { GODCONFIG_DATABASE_URL: registry } : {}), ...env },
    });
    const close = async () => {
      await app.stop();
      remove();
    };
    return { work, connectors, db, app, browser: app.browser, close };
  } catch (error) {
    remove();
    throw error;
  }
}

const AXE_SOURCE = () => fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical violations on the page as it is now, one line each: the
 * accessibility check of a11y.test.mjs and of the screens it cannot reach (the welcome screen).
 * @param {WebdriverIO.Browser} browser
 */
export async function seriousViolations(browser) {
  await browser.execute(`if (!window.axe) { ${AXE_SOURCE()}\n }`);
  const found = await browser.executeAsync((done) => {
    /* global window, document -- runs inside the webview */
    window.axe
      .run(document, { resultTypes: ['violations'] })
      .then((r) => done(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }))))
      .catch((e) => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));
  });
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 4).join(', ')}${v.nodes.length > 4 ? ', …' : ''})`);
}
