// The rough edges a new reader meets (issue 12, item 6): a phone's width, huge numbers in notices,
// a link that would start hundreds of runs, a short run's measuring interval, and the page under
// its Content-Security-Policy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, waitPhase, inkOf } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const notes = (page) => page.evaluate(() => [...document.querySelectorAll('#notices .notice')].map((n) => n.textContent));
const scrollWidth = (page) => page.evaluate(() => document.documentElement.scrollWidth);

test('at phone width (390 px) nothing scrolls sideways: settings, local-rules controls, a comparison', async () => {
  const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 };
  const { page, context, log } = await open(browser, `${server.url}?hidden=20&iters=20&every=10`, phone);
  await waitPhase(page, 'done');
  assert.ok((await scrollWidth(page)) <= 390, `scrollWidth ${await scrollWidth(page)}`);
  // Every local-rules field shown (flossing before and interleaved) and the connectome's extra field.
  await page.goto(`${server.url}?hidden=20&iters=20&every=10&floss=both&init=connectome&signed=1`);
  await waitPhase(page, 'done');
  assert.equal(await page.evaluate(() => [...document.querySelectorAll('#local-rules [data-key^="floss_"]')].filter((l) => !l.hidden).length), 4);
  assert.ok((await scrollWidth(page)) <= 390, `with the local-rules controls: scrollWidth ${await scrollWidth(page)}`);
  // A comparison's wide tables scroll inside their column, not the page.
  await page.goto(`${server.url}?hidden=20&iters=20&every=10&compare=1,2,5,10,20&seeds=2`);
  await waitPhase(page, 'done');
  assert.ok(await page.isVisible('#summary-table'));
  assert.ok((await scrollWidth(page)) <= 390, `comparing: scrollWidth ${await scrollWidth(page)}`);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('?gain=1e308 is named in a short notice, as 1e308 (numbers in messages are compact)', async () => {
  const { page, context, log } = await open(browser, `${server.url}?hidden=20&iters=20&every=10&gain=1e308&lr=0.0000000001`);
  await waitPhase(page, 'done');
  const all = await notes(page);
  const gain = all.find((t) => t.includes('gain:'));
  assert.ok(gain && gain.length < 100, `notice: ${gain}`);
  assert.match(gain, /gain: 1e308 is outside 1e-6\.\.100/);
  assert.ok(all.some((t) => /lr: 1e-10 is outside 1e-9\.\.10\b/.test(t)), all.join('\n'));
  assert.ok(all.every((t) => t.length < 200), all.join('\n'));
  assert.equal(await page.evaluate(() => window.richlazy.config.gain), 1.25);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a link for 30 starts x 10 seeds asks first in the page; cancelled, nothing starts, the page says so and stays usable', async () => {
  const { page, context, log } = await open(browser, `${server.url}?hidden=30&iters=100&every=50&compare=${Array.from({ length: 30 }, (_, i) => i + 1).join(',')}&seeds=10`);
  const box = page.locator('#results > .ask');
  await box.waitFor();
  assert.match(await box.textContent(), /^This comparison trains 300 runs \(30 starts × 10 seeds\), about .+ on \d+ workers?/);
  assert.match(await page.textContent('#progress'), /waits for Start/);
  // Cancelled: no run, no worker training; the box says why and how to start it.
  await box.getByRole('button', { name: 'Cancel' }).click();
  assert.deepEqual(await page.evaluate(() => [window.richlazy.runs.length, window.richlazy.phase]), [0, 'idle']);
  assert.match(await box.textContent(), /^Comparison not started: 300 runs.*Press Start to run it anyway, or choose fewer starts/);
  assert.match(await page.textContent('#progress'), /Comparison not started/);
  assert.match(page.url(), /compare=1%2C2%2C3/, 'the link keeps its comparison');
  assert.equal(await page.inputValue('#compare-seeds'), '10');
  // Still usable: Train runs one network (and the question goes).
  await page.click('#train');
  await waitPhase(page, 'done');
  assert.equal(await page.evaluate(() => window.richlazy.runs.length), 1);
  assert.equal(await box.count(), 0);
  // The button asks too; Start queues all 300 (then reset).
  await page.click('#compare');
  await box.getByRole('button', { name: 'Start' }).click();
  assert.equal(await page.evaluate(() => window.richlazy.runs.length), 300);
  assert.equal(await box.count(), 0);
  await page.click('#reset');
  // A small comparison starts without a question.
  await page.fill('#compare-ranks', '1,5');
  await page.fill('#compare-seeds', '2');
  await page.click('#compare');
  assert.equal(await box.count(), 0);
  await waitPhase(page, 'done');
  assert.equal(await page.evaluate(() => window.richlazy.runs.length), 4);
  assert.equal(log.dialogs, 0, 'no window.confirm');
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a link with iters but no every measures about a hundred times; an explicit every is kept', async () => {
  const { page, context, log } = await open(browser, `${server.url}?hidden=20&iters=500`);
  await waitPhase(page, 'done');
  const run = await page.evaluate(() => ({ every: window.richlazy.config.every, iters: window.richlazy.runs[0].rows.map((m) => m.iter) }));
  assert.equal(run.every, 5);
  assert.equal(run.iters.length, 101);
  assert.deepEqual(run.iters.slice(0, 3), [0, 5, 10]);
  assert.equal(run.iters.at(-1), 500);
  assert.match(page.url(), /every=5(&|$)/, 'the link written back names it, so it reproduces exactly');
  await page.goto(`${server.url}?hidden=20&iters=500&every=250`);
  await waitPhase(page, 'done');
  assert.deepEqual(await page.evaluate(() => window.richlazy.runs[0].rows.map((m) => m.iter)), [0, 250, 500]);
  // Few iterations: every iteration.
  await page.goto(`${server.url}?hidden=20&iters=30`);
  await waitPhase(page, 'done');
  assert.equal(await page.evaluate(() => window.richlazy.config.every), 1);
  assert.deepEqual(log.errors, []);
  await context.close();
});

// Each regime study's view, with a chart it draws once its default run is done.
const STUDY_VIEWS = [{ view: 'perceptron', chart: 'dw' }, { view: 'phase', chart: 'phase-err' }, { view: 'grok', chart: 'grok-loss' }];

test('under its Content-Security-Policy the lab trains, draws and compares, and every other view runs, with no violation', async () => {
  const context = await browser.newContext({ viewport: { width: 1300, height: 1000 } });
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  // The workers get no policy from the page's meta tag (a worker's comes from its own response), but
  // anything they print as an error counts too.
  page.on('worker', (w) => w.on?.('console', (m) => { if (m.type() === 'error') errors.push(`worker: ${m.text()}`); }));
  await page.goto(`${server.url}?hidden=30&iters=60&every=10&floss=pre&floss_iters=5`);
  const policy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(policy.replace("style-src-attr 'unsafe-inline'", ''), /unsafe-inline|'unsafe-eval'/, 'inline style attributes only (plotters measures text with one)');
  await waitPhase(page, 'done');
  await page.waitForTimeout(300);
  for (const chart of ['loss', 'weight', 'spectrum', 'matrix', 'trial', 'lyap', 'lyap-spectrum']) assert.ok((await inkOf(page, chart)) > 2000, `chart ${chart} is drawn`);
  // The figure's cost benchmark (a worker) runs once its button is in view.
  await page.locator('#figure-local').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => window.richlazyLocal.timings, null, { timeout: 60_000 });
  await page.fill('#compare-ranks', '1,5,30');
  await page.click('#compare');
  await waitPhase(page, 'done');
  await page.waitForTimeout(300);
  for (const chart of ['summary-align', 'summary-weight']) assert.ok((await inkOf(page, chart)) > 2000, `chart ${chart} is drawn`);
  assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no violation while the page works');
  // The policy is enforced: an injected inline script is blocked and reported.
  await page.evaluate(() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = 1'; document.head.append(s); });
  await page.waitForFunction(() => window.__csp.length > 0);
  assert.equal(await page.evaluate(() => window.inlineRan ?? null), null);
  assert.match((await page.evaluate(() => window.__csp))[0], /^script-src/);
  assert.deepEqual(errors.filter((e) => !/Content Security Policy/.test(e)), []);
  assert.equal(errors.length, 1, `only the injected script's report: ${errors.join('\n')}`);
  errors.length = 0;
  await page.goto(`${server.url}?view=theory`);
  await page.waitForFunction(() => window.richlazyTheory?.phase === 'done', null, { timeout: 120_000 });
  assert.ok((await inkOf(page, 'theory-rank')) > 2000);
  for (const { view, chart } of STUDY_VIEWS) {
    await page.goto(`${server.url}?view=${view}`);
    await page.waitForFunction(() => ['done', 'error'].includes(window.richlazy.study?.phase), null, { timeout: 120_000 });
    assert.equal(await page.evaluate(() => window.richlazy.study.phase), 'done', view);
    assert.ok((await inkOf(page, chart)) > 2000, `${view}: chart ${chart} is drawn`);
  }
  assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no violation in the other views');
  assert.deepEqual(errors, []);
  await context.close();
});
