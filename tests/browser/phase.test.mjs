// ?view=phase: a small grid runs one cell per worker, the heat maps fill in, the crossed-out cells and
// the anchored line come from the cells; the link round-trips, embed=1 hides the prose, and a bad value
// for every key is named in a notice and replaced by its default.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serve, launch, open, inkOf } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const SMALL = 'L=2&h=8&P=128&B=8&log2_alpha=-3%2C0%2C3&log2_T=-7%2C-4%2C-1&cap=3000&seed=4';
const done = (page) => page.waitForFunction(() => ['done', 'error'].includes(window.richlazy.study?.phase), null, { timeout: 120_000 });

test('a small grid runs cell by cell into three heat maps; the link reproduces it', async () => {
  const { page, context, log } = await open(browser, `${server.url}?view=phase&${SMALL}`);
  await done(page);
  const s = await page.evaluate(() => window.richlazy.study);
  assert.equal(s.phase, 'done');
  assert.equal(s.reports.length, 9, 'one job per cell');
  const cells = Object.values(s.data.cells).sort((a, b) => a.i - b.i);
  assert.deepEqual(cells.map((c) => c.i), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  // Each job's report holds its one cell, with the shard the pool gave it.
  assert.deepEqual(s.reports.map((r) => [r.cells.length, r.settings.shard]), cells.map((c) => [1, `${c.i}/9`]));
  assert.ok(cells.some((c) => c.capped) && cells.some((c) => !c.capped && !c.diverged));
  for (const chart of ['phase-err', 'phase-dw', 'phase-tstar']) assert.ok((await inkOf(page, chart)) > 5000, chart);
  // The address bar carries exactly the changed settings, and opening it gives the same cells.
  const url = await page.evaluate(() => location.href);
  assert.deepEqual(Object.fromEntries(new URL(url).searchParams), { view: 'phase', L: '2', h: '8', P: '128', B: '8', log2_alpha: '-3,0,3', log2_T: '-7,-4,-1', cap: '3000', seed: '4' });
  const again = await open(browser, url);
  await done(again.page);
  assert.deepEqual(await again.page.evaluate(() => window.richlazy.study.data.cells), s.data.cells);
  // The JSON export merges the cells into the command line's report for the whole grid, to the byte.
  const cli = execFileSync(fileURLToPath(new URL('../../target/release/richlazy', import.meta.url)),
    ['sgd', 'grid', ...[...new URLSearchParams(SMALL)].flatMap(([k, v]) => [`--${k}`, v]), '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  assert.equal(await page.evaluate(() => JSON.stringify(window.richlazy.study.exported())), JSON.stringify(JSON.parse(cli)));
  // The CSV export has a row per cell.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-act="csv"]')]);
  const chunks = [];
  for await (const c of await download.createReadStream()) chunks.push(c);
  const csv = Buffer.concat(chunks).toString();
  assert.equal(download.suggestedFilename(), 'richlazy-phase.csv');
  assert.equal(csv.trim().split('\n').length, 10);
  assert.match(csv, /^i,alpha,T,test_err,rel_dw,t_star,steps,capped,diverged\n0,0\.125,0\.0078125,/);
  assert.deepEqual([...log.errors, ...again.log.errors], []);
  await again.context.close();
  await context.close();
});

test('embed=1 hides the prose and the share bar', async () => {
  const { page, context } = await open(browser, `${server.url}?view=phase&${SMALL}&embed=1`);
  await done(page);
  assert.equal(await page.locator('.study-intro:visible').count(), 0);
  assert.equal(await page.locator('.share:visible').count(), 0);
  assert.equal(await page.locator('.study-form:visible').count(), 1);
  assert.ok((await inkOf(page, 'phase-err')) > 5000);
  await context.close();
});

test('a bad value for every key is named and replaced by its default', async () => {
  const bad = { L: '9', h: '1', P: '2000', B: '0', log2_alpha: '-3,x', log2_T: '11', cap: '0', seed: '-1', shard: '9/9' };
  const { page, context } = await open(browser, `${server.url}?view=phase&${new URLSearchParams(bad)}`);
  await page.waitForFunction(() => window.richlazy.study?.settings);
  const notices = await page.textContent('#notices');
  for (const k of Object.keys(bad)) assert.match(notices, new RegExp(`Link: ${k}: `), k);
  const settings = await page.evaluate(() => window.richlazy.study.settings);
  assert.deepEqual([settings.L, settings.log2_alpha, settings.cap], ['3', '-6,-4,-2,0,2,4,6', '10000']);
  await page.evaluate(() => document.querySelector('[data-act="stop"]').click());
  await context.close();
});
