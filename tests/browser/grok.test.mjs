// The grokking view (?view=grok) in headless Chromium: a run draws its charts, its link reproduces its
// numbers, embed works, the sweep and the map (a pool of cell jobs) draw theirs, and a bad value for every
// key is named in a notice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, inkOf } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const done = (page) => page.waitForFunction(() => ['done', 'error'].includes(window.richlazy.study?.phase), null, { timeout: 120_000 });
const report = (page) => page.evaluate(() => window.richlazy.study.reports[0]);

test('a run draws every curve chart; its link reproduces the numbers; embed', async () => {
  const { page, context, log } = await open(browser, `${server.url}?view=grok&epochs=3000`);
  await done(page);
  assert.equal(await page.evaluate(() => window.richlazy.study.phase), 'done');
  for (const chart of ['grok-loss', 'grok-exact', 'grok-norm', 'grok-kta', 'grok-cos']) assert.ok((await inkOf(page, chart)) > 3000, `${chart} is drawn`);
  const r = await report(page);
  const run = r.runs[0];
  assert.ok(run.t_train > 0 && run.t_test > run.t_train, `the test loss falls after the train loss: ${run.t_train}, ${run.t_test}`);
  assert.equal(run.grokking, run.t_test - run.t_train);
  assert.ok(run.rows.length > 40 && run.rows.at(-1).epoch === 3000);
  assert.match(await page.locator('.study-status').textContent(), /^Done in \d+\.\d s/);
  // The link carries the view and only the changed setting, and opens to the same numbers.
  const link = await page.evaluate(() => location.href);
  assert.match(link, /\?view=grok&epochs=3000$/);
  const again = await open(browser, link);
  await done(again.page);
  assert.equal(await again.page.inputValue('#study form [name="epochs"]'), '3000');
  assert.deepEqual(await report(again.page), r);
  assert.match(await page.inputValue('#study .snippet textarea'), /view=grok&epochs=3000&embed=1/);
  const embed = await open(browser, `${link}&embed=1`);
  await done(embed.page);
  assert.ok(await embed.page.evaluate(() => document.body.classList.contains('embed')));
  assert.ok((await inkOf(embed.page, 'grok-loss')) > 3000);
  assert.deepEqual([...log.errors, ...again.log.errors, ...embed.log.errors], []);
  await Promise.all([context.close(), again.context.close(), embed.context.close()]);
});

test('the alpha sweep overlays its runs and plots the amounts; the map runs one pool job per cell', async () => {
  const { page, context, log } = await open(browser, `${server.url}?view=grok&mode=alpha&alphas=0.5,1&epochs=3000`);
  await done(page);
  const sweep = await report(page);
  assert.deepEqual(sweep.runs.map((r) => r.alpha), [0.5, 1]);
  assert.ok(sweep.runs[1].grokking > sweep.runs[0].grokking, 'more delay at the larger alpha');
  assert.ok((await inkOf(page, 'grok-amount')) > 2000);
  await page.goto(`${server.url}?view=grok&mode=map&alphas=0.5,1&epss=0.05,0.1&epochs=3000`);
  await done(page);
  const jobs = await page.evaluate(() => window.richlazy.study.reports.map((r) => [r.settings.shard, r.runs.length, r.runs[0].grokking]));
  assert.deepEqual(jobs.map((j) => j.slice(0, 2)), [['0/4', 1], ['1/4', 1], ['2/4', 1], ['3/4', 1]]);
  assert.ok(jobs.every((j) => j[2] > 0), JSON.stringify(jobs));
  assert.ok((await inkOf(page, 'grok-map')) > 5000);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a bad value for every key is named in a notice and replaced by its default', async () => {
  const bad = { mode: 'nonesuch', d: '0', p: '0', n: '0', test: '0', alpha: '0', eps: '-1', c: '-1', epochs: '1.5', seed: 'x', threshold: '2', alphas: '0.5,x', epss: '-1', shard: '1/0' };
  const { page, context } = await open(browser, `${server.url}?view=grok&${new URLSearchParams(bad)}`);
  await page.waitForFunction(() => window.richlazy.study?.settings);
  const text = await page.textContent('#notices');
  const schema = await page.evaluate(() => window.richlazy.study.settings);
  assert.deepEqual(Object.keys(bad).sort(), Object.keys(schema).sort(), 'every key of the study is tried');
  for (const key of Object.keys(bad)) assert.match(text, new RegExp(`Link: ${key}: `), key);
  assert.equal(await page.inputValue('#study form [name="d"]'), '30');
  await context.close();
});

test('a learning rate above the kernel phase\'s limit is reported as diverged', async () => {
  const { page, context, log } = await open(browser, `${server.url}?view=grok&c=40&epochs=500`);
  await done(page);
  const run = (await report(page)).runs[0];
  assert.ok(run.diverged_at > 0 && run.diverged_at < 500, `diverged at ${run.diverged_at}`);
  assert.match(await page.textContent('#notices'), /α 1, ε 0\.02: diverged at epoch \d+: c = 40 is too large \(the kernel phase is stable below c = 16\.305 for this draw/);
  assert.deepEqual(log.errors, []);
  await context.close();
});
