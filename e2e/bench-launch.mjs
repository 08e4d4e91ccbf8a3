// Launch benchmark (issue 22): the installed package's app beside the source (release) build,
// started in turn on the same example connectors, already registered, as a person's second
// start is: spawn -> the review queue populated with every example (bench-lib's waitPopulated:
// the draft tab counts them, rows are shown, one frame painted).
//
//   ./dev package && sudo apt install ./target/packages/*.deb
//   node e2e/bench-launch.mjs          (BENCH_RUNS=10 runs of each, interleaved)
//
// "spawn" is when tauri-driver is asked for the session that launches the app, so both figures
// include the WebDriver session's own set-up, the same for both builds. BENCH_INSTALLED names
// another installed binary (default /usr/bin/godconfig).

import fs from 'node:fs';
import path from 'node:path';
import { copyExamples } from './harness.mjs';
import {
  APP, OUT_DIR, SENTINEL, ensureDisplay, finishMachine, launchApp, log, machineInfo, machineLine, makeWorkDir,
  removeWorkDir, requireFile, runBench, setLogTag, stats, waitPopulated, warnIfBusy, writeResult,
} from './bench-lib.mjs';
import { spawnSync } from 'node:child_process';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const INSTALLED = process.env.BENCH_INSTALLED ?? '/usr/bin/godconfig';
const OUT_FILE = path.resolve(process.env.BENCH_OUT ?? path.join(OUT_DIR, 'launch-bench.json'));

setLogTag('bench-launch');

async function main() {
  requireFile(APP, 'build it: ./dev package (or npm run ui:build && cargo build --release -p godconfig-app -p sentinel-cli)');
  requireFile(SENTINEL, 'build it: cargo build --release -p sentinel-cli');
  if (!fs.existsSync(INSTALLED)) throw new Error(`${INSTALLED} is missing: install the .deb first (./dev package, then sudo apt install ./target/packages/*.deb)`);
  const machine = machineInfo();
  const busyAtStart = warnIfBusy(machine);
  await ensureDisplay();
  const work = makeWorkDir('bench-launch');
  const startedAt = Date.now();
  try {
    const connectors = copyExamples(path.join(work, 'connectors'));
    const db = path.join(work, 'registry.db');
    const sync = spawnSync(SENTINEL, ['sync', connectors, '--db', db], { encoding: 'utf8' });
    if (sync.status !== 0) throw new Error(`sentinel sync failed: ${sync.stdout}${sync.stderr}`);
    const n = fs.readdirSync(connectors).filter((d) => fs.existsSync(path.join(connectors, d, 'manifest.yaml'))).length;
    const builds = [['installed', INSTALLED], ['source build', APP]];
    const times = Object.fromEntries(builds.map(([name]) => [name, []]));
    for (let i = 0; i < RUNS; i++) {
      // Alternate which goes first, so neither always meets a warmer page cache.
      for (const [name, binary] of i % 2 ? [...builds].reverse() : builds) {
        const app = await launchApp({ app: binary, connectorsDir: connectors, dbPath: db });
        try {
          const p = await waitPopulated(app.browser, n);
          times[name].push(p.paintedAt - app.spawnedAt);
          log(`run ${i + 1}/${RUNS} ${name}: ${Math.round(p.paintedAt - app.spawnedAt)} ms`);
        } finally {
          await app.stop();
        }
      }
    }
    finishMachine(machine, busyAtStart);
    const summary = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stats(v)]));
    const ms = (x) => `${Math.round(x)} ms`;
    const lines = [
      `Launch -> review queue populated with the ${n} example connectors (${RUNS} runs each, interleaved)`,
      '',
      '| build | binary | median | min | max |',
      '|---|---|---:|---:|---:|',
      ...builds.map(([name, binary]) => `| ${name} | \`${binary}\` | ${ms(summary[name].median)} | ${ms(summary[name].min)} | ${ms(summary[name].max)} |`),
      '',
      machineLine(machine),
    ];
    writeResult(OUT_FILE, { machine, connectors: n, runs: RUNS, times, summary }, lines.join('\n'));
    return true;
  } finally {
    removeWorkDir(work, startedAt);
  }
}

runBench(main);
