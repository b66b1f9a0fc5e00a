// The local-rules study on the page: rule, time step and flossing in the form and the link, bad
// values named, the Lyapunov charts, a rule x gain comparison and its summary, and the one-click
// figure stating its cost before it runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, waitPhase, inkOf, finals } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const notes = (page) => page.evaluate(() => [...document.querySelectorAll('#notices .notice')].map((n) => n.textContent).join('\n'));
const form = (page) => page.evaluate(() => Object.fromEntries(['rule', 'dt', 'floss', 'floss_mode', 'floss_k', 'floss_iters', 'floss_every']
  .map((k) => [k, document.querySelector(`#settings [name=${k}]`).value])));
const shown = (page) => page.evaluate(() => [...document.querySelectorAll('#settings [data-key^="floss_"]')].filter((l) => !l.hidden).map((l) => l.querySelector('[name]').name));

test('a link with rule, dt and flossing fills the form, draws the Lyapunov charts, and its copy reproduces the numbers', async () => {
  const link = `${server.url}?task=2af&hidden=24&iters=40&every=20&seed=2&rule=eprop&dt=20&floss=both&floss_k=2&floss_mode=local&floss_iters=5&floss_every=10`;
  const { page, context, log } = await open(browser, link);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await waitPhase(page, 'done');
  await page.waitForTimeout(300); // the last frame of charts
  assert.deepEqual(await form(page), { rule: 'eprop', dt: '20', floss: 'both', floss_mode: 'local', floss_k: '2', floss_iters: '5', floss_every: '10' });
  assert.deepEqual(await shown(page), ['floss_mode', 'floss_k', 'floss_iters', 'floss_every']);
  const run = await page.evaluate(() => {
    const r = window.richlazy.runs[0];
    return { config: r.report.config, rows: r.rows.map((m) => m.lyap_max), lyap0: r.lyap0, lyap: r.lyap, initial: r.report.initial.lyap_spectrum, unflossed: r.lyapUnflossed };
  });
  assert.equal(run.config.alpha, 0.2, 'dt 20 sets the leak');
  assert.equal(run.config.floss_mode, 'local');
  assert.equal(run.rows.length, 3);
  assert.ok(run.rows.every((v) => Number.isFinite(v)), `lambda_max per row: ${run.rows}`);
  assert.equal(run.lyap0.length, 8);
  assert.deepEqual(run.lyap0, run.initial);
  assert.equal(run.unflossed.length, 8, 'the exponents before pre-flossing are shown too');
  for (const chart of ['lyap', 'lyap-spectrum', 'loss', 'trial']) assert.ok((await inkOf(page, chart)) > 2000, `chart ${chart} is drawn`);
  const first = await finals(page);
  assert.ok(first[0].includes('lyap_max'));
  await page.click('#copy-link');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  for (const kv of ['rule=eprop', 'dt=20', 'floss=both', 'floss_k=2', 'floss_mode=local', 'floss_iters=5', 'floss_every=10']) assert.ok(copied.includes(kv), `${kv} in ${copied}`);
  assert.ok(!/alpha=/.test(copied), 'a leak implied by dt stays out of the link');
  assert.deepEqual(log.errors, []);
  await context.close();
  const fresh = await open(browser, copied);
  await waitPhase(fresh.page, 'done');
  assert.deepEqual(await finals(fresh.page), first);
  await fresh.context.close();
});

test('the form: a new dt brings its own leak, flossing fields appear only when used', async () => {
  const { page, context, log } = await open(browser, `${server.url}?hidden=20&iters=20&every=10`);
  await waitPhase(page, 'done');
  assert.deepEqual(await shown(page), []);
  await page.selectOption('select[name=dt]', '25');
  await page.selectOption('select[name=floss]', 'pre');
  await page.selectOption('select[name=rule]', 'rflo');
  await waitPhase(page, 'idle');
  let config = await page.evaluate(() => window.richlazy.config);
  assert.deepEqual([config.dt, config.alpha, config.floss, config.rule, config.floss_iters, config.floss_every], [25, 0.25, 'pre', 'rflo', 100, undefined]);
  assert.deepEqual(await shown(page), ['floss_mode', 'floss_k', 'floss_iters']);
  assert.match(page.url(), /dt=25/);
  assert.doesNotMatch(page.url(), /alpha=/);
  await page.selectOption('select[name=dt]', '100');
  await page.selectOption('select[name=floss]', 'inter');
  config = await page.evaluate(() => window.richlazy.config);
  assert.deepEqual([config.dt, config.alpha, config.floss, config.floss_every, config.floss_iters], [undefined, 1, 'inter', 10, undefined]);
  assert.deepEqual(await shown(page), ['floss_mode', 'floss_k', 'floss_every']);
  // A leak the link sets on its own survives a new dt.
  await page.goto(`${server.url}?hidden=20&iters=20&every=10&alpha=0.5`);
  await waitPhase(page, 'done');
  await page.selectOption('select[name=dt]', '20');
  config = await page.evaluate(() => window.richlazy.config);
  assert.deepEqual([config.dt, config.alpha], [20, 0.5]);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a bad value for each new key is named, falls back to its default, and the rest works', async () => {
  const bad = { rule: 'hebb', dt: '30', floss: 'sometimes', floss_k: '0', floss_mode: 'magic', floss_iters: 'abc', floss_every: '-1' };
  const q = new URLSearchParams({ hidden: '20', iters: '20', every: '10', seed: '4', ...bad });
  const { page, context, log } = await open(browser, `${server.url}?${q}`);
  await waitPhase(page, 'done');
  const text = await notes(page);
  for (const k of Object.keys(bad)) assert.match(text, new RegExp(`Setting ignored: ${k}: `), `a notice names ${k}`);
  assert.match(text, /dt: 30 is not one of 100, 50, 25, 20, 10/);
  const state = await page.evaluate(() => ({ c: window.richlazy.config, status: window.richlazy.runs[0].status }));
  assert.deepEqual([state.c.rule, state.c.dt, state.c.floss, state.c.hidden, state.c.seed, state.status], ['bptt', undefined, undefined, 20, 4, 'done']);
  assert.deepEqual(await form(page).then((f) => [f.rule, f.dt, f.floss]), ['bptt', '100', 'none']);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a rule x gain comparison finishes and its summary plots the gain, a line per rule', async () => {
  const list = 'rule:bptt+gain:0.5,rule:eprop+gain:0.5,rule:bptt+gain:1.5,rule:eprop+gain:1.5';
  const { page, context, log } = await open(browser, `${server.url}?hidden=20&iters=20&every=10&dt=20&compare=${list}`);
  await waitPhase(page, 'done');
  await page.waitForTimeout(300);
  const runs = await page.evaluate(() => window.richlazy.runs.map((r) => [r.group, r.report.config.rule, r.report.config.gain, r.report.config.dt, r.report.config.alpha, r.status]));
  assert.deepEqual(runs, [
    ['rule:bptt+gain:0.5', 'bptt', 0.5, 20, 0.2, 'done'], ['rule:eprop+gain:0.5', 'eprop', 0.5, 20, 0.2, 'done'],
    ['rule:bptt+gain:1.5', 'bptt', 1.5, 20, 0.2, 'done'], ['rule:eprop+gain:1.5', 'eprop', 1.5, 20, 0.2, 'done'],
  ]);
  assert.equal(await page.evaluate(() => document.body.classList.contains('grid')), true);
  const head = await page.evaluate(() => [...document.querySelectorAll('#summary-table tr th')].map((t) => t.textContent));
  assert.ok(head.includes('λ_max start') && head.includes('λ_max end'), head.join('|'));
  const rows = await page.evaluate(() => [...document.querySelectorAll('#summary-table tr')].slice(1).map((tr) => tr.cells[0].textContent));
  assert.deepEqual(new Set(rows), new Set(list.split(',')));
  for (const chart of ['summary-acc', 'summary-loss', 'summary-lyap', 'summary-weight', 'summary-align', 'summary-rep', 'lyap']) {
    assert.ok(await page.isVisible(`[data-chart="${chart}"]`), `${chart} shown`);
    assert.ok((await inkOf(page, chart)) > 2000, `${chart} drawn`);
  }
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('"Reproduce the local-rules figure" states its cost first, asks before a long run, and queues the grid at its base settings', async () => {
  const context = await browser.newContext({ viewport: { width: 1300, height: 1000 } });
  await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 2 }));
  const page = await context.newPage();
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  await page.goto(`${server.url}?task=dms&hidden=20&iters=20&every=10`);
  await waitPhase(page, 'done');
  const cost = await page.textContent('#figure-local-cost');
  // The figure's settings come from the engine (sweep::named via variants('local')).
  const base = await page.evaluate(() => window.richlazyLocal.base);
  assert.equal(base.dt, '20');
  const iters = Number(base.iters).toLocaleString('en');
  assert.match(cost, new RegExp(`^36 runs \\(3 rules × 6 gains × flossing off and before training\\) at N ${base.hidden}, dt 20 ms \\(40 steps\\), ${iters} iterations each: about \\d+ (s|min) a run, so about [\\d.]+ (min|h) on 1 worker`));
  // Asked in the page; cancelled: nothing runs, nothing changes.
  await page.click('#figure-local');
  const box = page.locator('#results > .ask');
  assert.match(await box.textContent(), /^The local-rules figure trains 36 networks: about [\d.]+ (min|h) on 1 worker/);
  await box.getByRole('button', { name: 'Cancel' }).click();
  assert.match(await box.textContent(), /not started/);
  assert.deepEqual(await page.evaluate(() => [window.richlazy.runs.length, window.richlazy.config.hidden]), [1, 20]);
  // Started: the grid is queued at the figure's base (the task stays the page's), then reset.
  await box.getByRole('button', { name: 'Start' }).click();
  const runs = await page.evaluate(() => window.richlazy.runs.map((r) => [r.group, r.config.task, r.config.hidden, r.config.dt, r.config.alpha, r.config.rule, r.config.gain, r.config.floss ?? 'none', r.config.opt]));
  await page.click('#reset');
  assert.equal(dialogs, 0, 'no window.confirm');
  assert.equal(runs.length, 36);
  assert.deepEqual(runs[0], ['rule:bptt+gain:0.5+floss:none', 'dms', Number(base.hidden), 20, 0.2, 'bptt', 0.5, 'none', base.opt ?? 'sgd']);
  assert.deepEqual(new Set(runs.map((r) => r[5])), new Set(['bptt', 'eprop', 'rflo']));
  assert.deepEqual(new Set(runs.map((r) => r[6])), new Set([0.5, 0.75, 1, 1.25, 1.5, 2]));
  assert.deepEqual(new Set(runs.map((r) => r[7])), new Set(['none', 'pre']));
  await context.close();
});
