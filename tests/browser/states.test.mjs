// The lab's state-space chart in headless Chromium: it draws during a run and changes between
// measure points, the on-demand search reports the command line's fixed points, a link carries the
// analysed point, a bad one is named, and a comparison draws one chart per start.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, open, waitPhase, inkOf } from './harness.mjs';

const cli = fileURLToPath(new URL('../../target/release/richlazy', import.meta.url));
let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const BASE = 'task=2af&init=rank&rank=2&hidden=32&every=50&seed=5&lr=0.01';
const SETTINGS = `${BASE}&iters=300`;
const chart = (page, name) => page.evaluate((n) => document.querySelector(`[data-chart="${n}"] canvas`).toDataURL(), name);

test('the state-space chart draws during a run', async () => {
  // Long enough (N 100, 3,000 iterations) to be caught running.
  const { page, context, log } = await open(browser, `${server.url}?task=2af&init=rank&rank=2&hidden=100&iters=3000&every=100&seed=5`);
  await page.waitForFunction(() => window.richlazy.runs[0]?.frames?.length >= 2 && window.richlazy.phase === 'running');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.richlazy.phase), 'running');
  assert.ok((await inkOf(page, 'states')) > 2000, 'the chart is drawn mid-run');
  assert.match(await page.textContent('#states-iter'), /^iteration [\d,]+ \(latest\)$/);
  await page.click('#reset');
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('the state-space chart redraws at every measure point, and Analyse finds the command line\'s fixed points', async () => {
  const { page, context, log } = await open(browser, `${server.url}?${SETTINGS}`);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await waitPhase(page, 'done');
  await page.waitForTimeout(300);
  const frames = await page.evaluate(() => window.richlazy.runs[0].frames.map((f) => f.iter));
  assert.deepEqual(frames, [0, 50, 100, 150, 200, 250, 300], 'one frame per measure point');
  const last = await chart(page, 'states');
  await page.evaluate(() => { const s = document.querySelector('#states-at'); s.value = '1'; s.dispatchEvent(new Event('input')); });
  await page.waitForTimeout(300);
  assert.match(await page.textContent('#states-iter'), /iteration 50\b/);
  assert.notEqual(await chart(page, 'states'), last, 'the trajectories moved between measure points');
  assert.ok((await inkOf(page, 'delta-sv')) > 1500, 'ΔW singular values drawn');
  // The frame at iteration 0 is the start itself: nothing moved.
  assert.equal(await page.evaluate(() => window.richlazy.runs[0].frames[0].change.trajectory_shift), 0);

  // Slide back to iteration 100 and analyse it: the report equals `richlazy analyse --weights` on
  // the same point's weights, written where the command line reads them.
  await page.evaluate(() => { const s = document.querySelector('#states-at'); s.value = '2'; s.dispatchEvent(new Event('input')); });
  assert.match(await page.textContent('#states-iter'), /iteration 100\b/);
  const before = await chart(page, 'states');
  await page.click('#analyse');
  await page.waitForFunction(() => document.querySelector('#states-summary').dataset.analysed === '1', null, { timeout: 60_000 });
  const summary = await page.textContent('#states-summary');
  assert.match(summary, /^iteration 100: fixed points \(start → now\) fixation: .+; stimulus: .+ Trajectory shift [\d.]+, CKA with the start [\d.]+, ΔW effective rank [\d.]+/);
  const { report, weights } = await page.evaluate(() => {
    const r = window.richlazy.runs[0];
    return { report: r.analysis.text, weights: r.kept.get(100).map(([n, b]) => [n, Array.from(b)]) };
  });
  const dir = mkdtempSync(join(tmpdir(), 'richlazy-states-'));
  for (const [n, b] of weights) writeFileSync(join(dir, n), Buffer.from(b));
  const flags = SETTINGS.split('&').map((kv) => kv.split('=')).flatMap(([k, v]) => [`--${k}`, v]);
  const want = execFileSync(cli, ['analyse', ...flags, '--weights', dir], { encoding: 'utf8' }).trim();
  assert.equal(report, want, 'the page\'s analysis is the command line\'s, byte for byte');
  const points = JSON.parse(want).fixed_points.reduce((a, f) => a + f.end.points.length, 0);
  assert.ok(points >= 1, 'the trained network has fixed points');
  await page.waitForTimeout(300);
  assert.notEqual(await chart(page, 'states'), before, 'the fixed points are marked');

  // The link carries the analysed point; opened fresh, it analyses the same point by itself.
  await page.click('#copy-link');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /analyse=100\b/);
  assert.deepEqual(log.errors, []);
  await context.close();
  const fresh = await open(browser, link);
  await waitPhase(fresh.page, 'done');
  await fresh.page.waitForFunction(() => document.querySelector('#states-summary').dataset.analysed === '1', null, { timeout: 60_000 });
  assert.equal(await fresh.page.evaluate(() => window.richlazy.runs[0].analysis.text), want);
  assert.equal(await fresh.page.textContent('#states-iter'), 'iteration 100');
  await fresh.context.close();
});

test('a bad or unmeasured analyse point in a link is named and the run goes on', async () => {
  const bad = await open(browser, `${server.url}?${BASE}&iters=100&analyse=ten`);
  await waitPhase(bad.page, 'done');
  assert.match(await bad.page.textContent('#notices'), /Link: analyse: .*ten.*no fixed points are searched/);
  assert.equal(await bad.page.evaluate(() => window.richlazy.runs[0].frames.length), 3);
  await bad.context.close();
  const missing = await open(browser, `${server.url}?${BASE}&iters=100&analyse=70`);
  await waitPhase(missing.page, 'done');
  assert.match(await missing.page.textContent('#notices'), /analyse=70: this run kept no measure point at iteration 70 \(it measures every 50 iterations\)/);
  assert.equal(await missing.page.evaluate(() => window.richlazy.runs[0].analysis), null);
  await missing.context.close();
});

test('a comparison draws one small state-space chart per start and analyses each start\'s end', async () => {
  const { page, context, log } = await open(browser, `${server.url}?task=2af&hidden=32&iters=100&every=50&seed=2&lr=0.01&compare=rank:1,rank:32&seeds=2`);
  await waitPhase(page, 'done', 180_000);
  await page.waitForTimeout(400);
  const names = await page.evaluate(() => [...document.querySelectorAll('#states-grid figure')].map((f) => f.dataset.chart));
  assert.deepEqual(names, ['states-0', 'states-1'], 'one chart per start, not per seed');
  for (const n of names) assert.ok((await inkOf(page, n)) > 1500, `${n} drawn`);
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('[data-chart="states"]')).display), 'none');
  await page.click('#analyse');
  await page.waitForFunction(() => document.querySelector('#states-summary').dataset.analysed === '2', null, { timeout: 60_000 });
  assert.match(await page.textContent('#states-summary'), /^rank:1, iteration 100: fixed points .+\nrank:32, iteration 100: fixed points /);
  assert.deepEqual(log.errors, []);
  await context.close();
});
