/* global document, location, requestAnimationFrame */
import path from 'node:path';
import { sleep } from './harness.mjs';
import { ensureDisplay, launchApp, makeWorkDir, prepareCorpus, runBench } from './bench-lib.mjs';
await runBench(async () => {
  await ensureDisplay();
  const work = makeWorkDir('probe');
  const corpus = path.join(work, 'corpus'); const db = path.join(work, 'r.db');
  prepareCorpus({ corpus, db, connectors: 10000, seed: 1 });
  const app = await launchApp({ connectorsDir: corpus, dbPath: db });
  try {
    await app.browser.waitUntil(async () => app.browser.execute(() => Boolean(document.querySelector('.queue-row'))), { timeout: 60000 });
    await app.browser.execute(() => { location.hash = '#/scopes'; });
    await app.browser.waitUntil(async () => app.browser.execute(() => document.querySelectorAll('[data-testid="scope-row"]').length > 0), { timeout: 60000 });
    await sleep(1500);
    const r = await app.browser.execute(() => new Promise((resolve) => {
      const painted = () => new Promise((res) => requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = () => res(performance.now()); ch.port2.postMessage(0); }));
      const out = {};
      (async () => {
        const run = async (name, f) => {
          const xs = [];
          for (let i = 0; i < 10; i++) {
            await new Promise((r) => setTimeout(r, 100)); await painted();
            const t0 = performance.now(); f(i); const h = performance.now() - t0; const p = (await painted()) - t0; xs.push(`${Math.round(h)}/${Math.round(p)}`);
          }
          out[name] = xs.join(' ');
        };
        const c = document.querySelector('[data-testid="scopes-count"]');
        const body = document.querySelector('.scope-body');
        const grid = document.querySelector('.scope-grid');
        await run('noop', () => {});
        await run('height', (i) => { body.style.height = (i % 2 ? 5600000 : 1700000) + 'px'; });
        await run('rowsclone', () => { const g = body.lastElementChild; const n = g.cloneNode(true); g.replaceWith(n); });
        await run('rowlabel', (i) => { grid.setAttribute('aria-rowcount', String(1000 + i)); });
        await run('rowtext', (i) => { for (const code of body.querySelectorAll('code')) code.textContent = 'https://www.googleapis.com/auth/x' + i; });
        await run('all3', (i) => { body.style.height = (i % 2 ? 5600000 : 1700000) + 'px'; const g = body.lastElementChild; g.replaceWith(g.cloneNode(true)); c.firstChild.textContent = String(i); });
        resolve(out);
      })();
    }));
    console.log(r);
  } finally { await app.stop(); }
  return true;
});
