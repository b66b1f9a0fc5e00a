// The page in headless Chromium: load, train in a worker, charts, links, bad input, embed, compare.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, waitPhase, inkOf, finals } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const SMALL = 'task=2af&hidden=40&iters=200&every=20&seed=3';

test('loads without console errors, trains in a worker, and draws every chart', async () => {
  const { page, context, log } = await open(browser, `${server.url}?task=2af&hidden=40&iters=2000&every=200&seed=3`);
  // Pause early to catch the charts mid-run, then let the run finish.
  await page.waitForFunction(() => window.richlazy.runs[0]?.rows.length >= 2);
  await page.click('#pause');
  await waitPhase(page, 'paused');
  await page.waitForTimeout(300);
  const snapshot = () => page.evaluate(() => ({
    rows: window.richlazy.runs[0].rows.length,
    progress: document.querySelector('#progress').textContent,
    chart: document.querySelector('[data-chart="weight"] canvas').toDataURL(),
  }));
  const mid = await snapshot();
  await page.click('#pause');
  await waitPhase(page, 'done');
  await page.waitForTimeout(300); // the last frame of charts
  const end = await snapshot();
  const state = await page.evaluate(() => window.richlazy.runs.map((r) => ({ status: r.status, rows: r.rows.length, iter: r.iter })));
  assert.deepEqual(state, [{ status: 'done', rows: 11, iter: 2000 }]);
  assert.ok(mid.rows < end.rows, `${mid.rows} rows mid-run`);
  assert.notEqual(mid.progress, end.progress);
  assert.match(end.progress, /2,000 of 2,000 iterations/);
  assert.notEqual(mid.chart, end.chart, 'the weight-change chart changed as training ran');
  assert.ok(log.workers >= 1, 'training ran in a Web Worker');
  for (const chart of ['loss', 'accuracy', 'weight', 'kernel', 'rep', 'spectrum', 'trial']) {
    assert.ok((await inkOf(page, chart)) > 2000, `chart ${chart} is drawn`);
  }
  const last = await page.evaluate(() => window.richlazy.runs[0].rows.at(-1));
  assert.ok(last.weight_change > 0 && last.kernel_alignment < 1);
  assert.deepEqual(log.errors, []);
  const foreign = log.requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(foreign, [], 'no request leaves the site');
  await context.close();
});

test('a copied link, opened fresh, ends with identical final measures', async () => {
  const { page, context } = await open(browser, `${server.url}?task=cxt&init=rank&rank=5&hidden=32&iters=120&every=40&seed=11&lr=0.01`);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await waitPhase(page, 'done');
  const first = await finals(page);
  await page.click('#copy-link');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /seed=11/);
  await context.close();
  const fresh = await open(browser, link);
  await waitPhase(fresh.page, 'done');
  const again = await finals(fresh.page);
  assert.ok(first[0] && first[0].includes('kernel_alignment'));
  assert.deepEqual(again, first);
  await fresh.context.close();
});

test('a malformed link names its bad fields, falls back to defaults and runs no URL text as HTML', async () => {
  const bad = encodeURIComponent('<img src=x onerror="window.pwned=1">');
  const { page, context, log } = await open(browser, `${server.url}?task=${bad}&hidden=-5&lr=abc&bogus=1&iters=30&every=10`);
  await waitPhase(page, ['done', 'running']);
  const notices = await page.evaluate(() => [...document.querySelectorAll('#notices .notice')].map((n) => n.textContent));
  const text = notices.join('\n');
  assert.match(text, /task: '<img src=x onerror=/);
  assert.match(text, /hidden: -5 is outside/);
  assert.match(text, /lr: 'abc' is not a number/);
  assert.match(text, /Unknown link parameter ignored: bogus/);
  const state = await page.evaluate(() => ({ task: window.richlazy.config.task, hidden: window.richlazy.config.hidden, lr: window.richlazy.config.lr, iters: window.richlazy.config.iters, pwned: window.pwned ?? null, imgs: document.querySelectorAll('#notices img').length }));
  assert.deepEqual(state, { task: '2af', hidden: 300, lr: 0.003, iters: 30, pwned: null, imgs: 0 });
  assert.equal(log.dialogs, 0);
  await context.close();
});

test('a diverging run stops with a clear message and the page keeps working', async () => {
  const { page, context } = await open(browser, `${server.url}?init=rank&rank=1&gain=60&lr=10&hidden=30&iters=60&every=10`);
  await waitPhase(page, 'done');
  const notes = await page.evaluate(() => [...document.querySelectorAll('#notices .notice.error')].map((n) => n.textContent).join('\n'));
  assert.match(notes, /diverged at iteration \d+/);
  const report = await page.evaluate(() => window.richlazy.runs[0].report);
  assert.equal(report.status, 'diverged');
  assert.equal(report.final, null);
  // Change a setting and train again: a healthy run completes.
  await page.fill('input[name=lr]', '0.003');
  await page.fill('input[name=gain]', '1.25');
  await page.dispatchEvent('#settings', 'change');
  await page.click('#train');
  await waitPhase(page, 'done');
  assert.equal(await page.evaluate(() => window.richlazy.runs[0].status), 'done');
  await context.close();
});

test('embed mode renders compact charts without the controls', async () => {
  const { page, context, log } = await open(browser, `${server.url}?${SMALL}&embed=1`, { viewport: { width: 820, height: 640 } });
  await waitPhase(page, 'done');
  assert.equal(await page.evaluate(() => document.body.classList.contains('embed')), true);
  assert.equal(await page.isVisible('#settings fieldset'), false);
  assert.equal(await page.isVisible('.lede'), false);
  assert.equal(await page.isVisible('[data-chart="loss"] canvas'), true);
  assert.ok((await inkOf(page, 'kernel')) > 2000);
  assert.match(await page.getAttribute('#full-link', 'href'), /hidden=40/);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('compare mode runs one worker per rank and draws the summary against effective rank', async () => {
  const { page, context, log } = await open(browser, `${server.url}?task=dms&hidden=30&iters=80&every=40&compare=1,5,30`);
  await waitPhase(page, 'done');
  const runs = await page.evaluate(() => window.richlazy.runs.map((r) => [r.label, r.status, r.report.config.rank]));
  assert.deepEqual(runs, [['rank:1', 'done', 1], ['rank:5', 'done', 5], ['rank:30', 'done', 30]]);
  assert.ok(log.workers >= 3, `three workers, saw ${log.workers}`);
  assert.ok((await inkOf(page, 'summary-align')) > 2000);
  assert.ok((await inkOf(page, 'summary-weight')) > 2000);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('pause, step, resume and reset control the worker', async () => {
  const { page, context } = await open(browser, `${server.url}?task=2af&hidden=200&iters=5000&every=1000`);
  await waitPhase(page, 'running');
  await page.waitForFunction(() => window.richlazy.runs[0].iter > 0);
  await page.click('#pause');
  await waitPhase(page, 'paused');
  await page.waitForTimeout(300); // a chunk in flight may still land
  const paused = await page.evaluate(() => window.richlazy.runs[0].iter);
  await page.waitForTimeout(700);
  assert.equal(await page.evaluate(() => window.richlazy.runs[0].iter), paused, 'no iterations while paused');
  await page.click('#step');
  await page.waitForFunction((p) => window.richlazy.runs[0].iter === p + 1, paused);
  await page.click('#pause'); // now reads "Resume"
  await page.waitForFunction((p) => window.richlazy.runs[0].iter > p + 1, paused);
  await page.click('#reset');
  await waitPhase(page, 'idle');
  assert.equal(await page.evaluate(() => window.richlazy.runs.length), 0);
  await context.close();
});

test('exports the results as JSON and CSV and a chart as PNG', async () => {
  const { page, context } = await open(browser, `${server.url}?task=dms&hidden=24&iters=40&every=20`);
  await waitPhase(page, 'done');
  const text = async (selector) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    const chunks = [];
    for await (const c of await download.createReadStream()) chunks.push(c);
    return [download.suggestedFilename(), Buffer.concat(chunks)];
  };
  const [jsonName, json] = await text('#export-json');
  assert.equal(jsonName, 'richlazy-results.json');
  const report = JSON.parse(json.toString());
  assert.deepEqual(report, await page.evaluate(() => window.richlazy.runs[0].report));
  const [, csv] = await text('#export-csv');
  const lines = csv.toString().trim().split('\n');
  assert.equal(lines[0], 'run,iter,loss,accuracy,weight_change,weight_change_rel,sign_similarity,rep_alignment,kernel_alignment,lyap_max');
  assert.equal(lines.length, 1 + 3);
  const [pngName, png] = await text('[data-chart="loss"] .png');
  assert.equal(pngName, 'richlazy-loss.png');
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  await context.close();
});

test('a worker that fails reports it and leaves the page working', async () => {
  const { page, context } = await open(browser, `${server.url}?task=2af&hidden=100&iters=20000&every=1000`);
  await waitPhase(page, 'running');
  await page.waitForFunction(() => window.richlazy.runs[0]?.status === 'running');
  // Make the engine inside the worker throw, as a crash would.
  await page.evaluate(() => window.richlazy.runs[0].worker.postMessage({ type: 'job', kind: 'run', keys: ['hidden'], values: ['x'] }));
  await waitPhase(page, ['error', 'done']);
  const text = await page.evaluate(() => [...document.querySelectorAll('#notices .notice.error')].map((n) => n.textContent).join('\n'));
  assert.match(text, /this run: .*hidden: 'x' is not a number.*keep working/);
  await page.fill('input[name=iters]', '30');
  await page.dispatchEvent('#settings', 'change');
  await page.click('#train');
  await waitPhase(page, 'done');
  assert.equal(await page.evaluate(() => window.richlazy.runs[0].status), 'done');
  await context.close();
});

// Serves a patched worker.js to this page: `patch(source)` returns the new source.
async function patchWorker(page, patch) {
  await page.route('**/www/worker.js', async (route) => {
    const res = await route.fetch();
    route.fulfill({ response: res, body: patch(await res.text()) });
  });
}

test('a worker that throws (a JsError or an uncaught error) shows a clear message and the page keeps working', async () => {
  const context = await browser.newContext({ viewport: { width: 1300, height: 1000 } });
  const page = await context.newPage();
  // The engine refuses the run (Run's constructor throws a JsError) ...
  await patchWorker(page, (src) => src.replace('new Run(m.keys, m.values)', "new Run(m.keys, m.values.map((v, i) => (m.keys[i] === 'hidden' ? '-1' : v)))"));
  await page.goto(`${server.url}?${SMALL}`);
  await waitPhase(page, 'error');
  let notes = await page.evaluate(() => [...document.querySelectorAll('#notices .notice.error')].map((n) => n.textContent).join('\n'));
  assert.match(notes, /this run: hidden: -1 is outside/);
  assert.match(notes, /page keep working/);
  // ... or the worker dies of an uncaught error: the Worker's onerror.
  await page.unroute('**/www/worker.js');
  await patchWorker(page, (src) => src.replace('function loop() {', "function loop() { setTimeout(() => { throw new Error('crashed on purpose'); }); return;"));
  await page.click('#train');
  await waitPhase(page, 'error');
  notes = await page.evaluate(() => [...document.querySelectorAll('#notices .notice.error')].map((n) => n.textContent).join('\n'));
  assert.match(notes, /the worker stopped: .*crashed on purpose/);
  // The real worker again: training works.
  await page.unroute('**/www/worker.js');
  await page.click('#train');
  await waitPhase(page, 'done');
  assert.equal(await page.evaluate(() => window.richlazy.runs[0].status), 'done');
  await context.close();
});

test('compare mode fills a worker pool sized to the cores, one run per worker', async () => {
  const context = await browser.newContext({ viewport: { width: 1300, height: 1000 } });
  await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 4 }));
  const page = await context.newPage();
  let workers = 0, closed = 0;
  page.on('worker', (w) => { workers += 1; w.on('close', () => { closed += 1; }); });
  await page.goto(`${server.url}?task=2af&hidden=20&iters=40&every=20&compare=1,2,5,10,20`);
  await waitPhase(page, 'done');
  const state = await page.evaluate(() => ({ pool: window.richlazy.poolSize, peak: window.richlazy.peakWorkers, runs: window.richlazy.runs.map((r) => r.status) }));
  assert.deepEqual(state, { pool: 3, peak: 3, runs: ['done', 'done', 'done', 'done', 'done'] });
  assert.equal(workers, 1 + 5, 'one preview worker and one worker per run');
  await page.waitForFunction(() => true);
  await page.waitForTimeout(200);
  assert.equal(closed, 5, 'every finished run\'s worker is terminated');
  const table = await page.evaluate(() => [...document.querySelectorAll('#runs-table tr')].map((tr) => tr.firstChild.textContent));
  assert.deepEqual(table, ['run', 'rank:1', 'rank:2', 'rank:5', 'rank:10', 'rank:20']);
  await context.close();
});

test('new settings stop the running worker and preview the new start before training', async () => {
  const { page, context } = await open(browser, `${server.url}?task=2af&hidden=150&iters=20000&every=1000`);
  let closed = 0;
  page.on('worker', (w) => w.on('close', () => { closed += 1; }));
  await waitPhase(page, 'running');
  await page.waitForFunction(() => window.richlazy.runs[0]?.iter > 0);
  const before = await page.textContent('#init-summary');
  await page.selectOption('select[name=init]', 'rank');
  await page.fill('input[name=rank]', '5');
  await page.dispatchEvent('#settings', 'change');
  await waitPhase(page, 'idle');
  // The preview (an SVD, in a worker) arrives shortly: a start of rank exactly 5.
  // A function predicate, not a string: the page's CSP forbids eval, which Playwright needs for strings.
  await page.waitForFunction(() => window.richlazy.preview?.singular_values.filter((s, _, a) => s > a[0] * 1e-6).length === 5, null, { timeout: 10_000 });
  const state = await page.evaluate(() => ({ runs: window.richlazy.runs.length, rank: window.richlazy.config.rank, url: location.search, summary: document.querySelector('#init-summary').textContent }));
  assert.equal(state.runs, 0);
  assert.equal(state.rank, 5);
  assert.match(state.url, /init=rank&rank=5/);
  assert.notEqual(state.summary, before);
  assert.match(state.summary, /Effective rank of this start: [1-5]\.\d \(entropy\)/);
  await page.waitForTimeout(300);
  assert.ok(closed >= 1, 'the old run\'s worker was terminated');
  await context.close();
});

test('the main thread stays responsive while a run trains', async () => {
  const context = await browser.newContext({ viewport: { width: 1300, height: 1000 } });
  await context.addInitScript(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask' });
  });
  const page = await context.newPage();
  await page.goto(`${server.url}?task=2af&hidden=100&iters=100000&every=20`);
  await waitPhase(page, 'running');
  await page.waitForFunction(() => window.richlazy.runs[0]?.rows.length > 1);
  await page.evaluate(() => { window.__long = []; window.__t0 = performance.now(); });
  await page.waitForTimeout(4000);
  const r = await page.evaluate(() => ({ long: window.__long, ms: performance.now() - window.__t0, rows: window.richlazy.runs[0].rows.length, draws: window.richlazy.drawMs }));
  const blocked = r.long.reduce((a, d) => a + d, 0);
  console.log(`# long tasks while training: ${r.long.map(Math.round).join(', ') || 'none'} (${Math.round(blocked)} of ${Math.round(r.ms)} ms); slowest draws ${JSON.stringify(r.draws, (k, v) => (typeof v === 'number' ? Math.round(v) : v))}`);
  assert.ok(r.rows > 5, 'charts had new rows to draw');
  // Not a speed test: training on the main thread would block it nearly all the time, while the
  // page's own work is a few ms per frame. The bound leaves room for a busy shared machine.
  assert.ok(blocked < 0.2 * r.ms, `main thread blocked ${Math.round(blocked)} of ${Math.round(r.ms)} ms`);
  await context.close();
});
