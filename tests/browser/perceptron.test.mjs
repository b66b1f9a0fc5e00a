// The SGD-noise perceptron view (?view=perceptron): the sweep and the traced run finish and draw, the
// link reproduces the numbers, embed=1 trims the page, every key's bad value is named, and a run of a
// million SGD steps finishes in a Chromium worker (its time printed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, inkOf } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const SMALL = 'view=perceptron&d=8&ps=64,128&ats=0.3,3,30&seeds=2&pte=500';
const CHARTS = ['dw', 't', 'err', 'w', 'picture'];
const done = (page) => page.waitForFunction(() => ['done', 'error'].includes(window.richlazy.study?.phase), null, { timeout: 120_000 });
const notes = (page) => page.evaluate(() => [...document.querySelectorAll('#notices .notice')].map((n) => n.textContent));

test('the view runs the sweep and a traced run, draws every chart, and its link reproduces the numbers', async () => {
  const { page, context, log } = await open(browser, `${server.url}?${SMALL}`);
  await done(page);
  const s = await page.evaluate(() => {
    const st = window.richlazy.study;
    return { phase: st.phase, rows: st.data.rows, snaps: st.data.snaps, x1: st.data.x1, reports: st.reports };
  });
  assert.equal(s.phase, 'done');
  // Six shards, one per (P, alpha*T), of 2 seeds each, and the traced run (the smallest P at the middle alpha*T).
  assert.equal(s.rows.length, 12);
  assert.ok(s.rows.every((r) => !r.capped && r.dw > 0 && r.t > 0));
  assert.equal(s.reports.length, 7);
  assert.deepEqual([s.reports[6].runs[0].p, s.reports[6].runs[0].at], [64, 3]);
  assert.equal(s.x1.length, 64);
  assert.ok(s.snaps.length > 5 && s.snaps.at(-1).unfitted === 0 && s.snaps[0].unfitted === 64);
  for (const c of CHARTS) assert.ok((await inkOf(page, c)) > 2000, `chart ${c} is drawn`);
  // The picture plays the traced run back to its last snapshot.
  await page.waitForFunction(() => window.richlazy.study.data.frame === window.richlazy.study.data.snaps.length - 1, null, { timeout: 30_000 });
  // The address bar holds the changed settings; opening it again gives the same numbers.
  const url = page.url();
  assert.match(url, /view=perceptron/);
  assert.match(decodeURIComponent(url), /ps=64,128/);
  const again = await open(browser, url);
  await done(again.page);
  assert.deepEqual(await again.page.evaluate(() => window.richlazy.study.reports), s.reports);
  assert.ok((await again.page.inputValue('#study input[name="ats"]')) === '0.3,3,30');
  await again.context.close();
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('embed=1 keeps the charts and drops the intro and the share bar', async () => {
  const { page, context, log } = await open(browser, `${server.url}?${SMALL}&seeds=1&embed=1`);
  await done(page);
  assert.ok(await page.evaluate(() => document.body.classList.contains('embed')));
  assert.equal(await page.locator('.study-intro').isVisible(), false);
  assert.equal(await page.locator('#study .share').isVisible(), false);
  for (const c of CHARTS) assert.ok((await inkOf(page, c)) > 2000, `chart ${c} is drawn`);
  assert.match(page.url(), /embed=1/);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a bad value for every key is named in a notice and replaced by its default', async () => {
  const { page, context } = await open(browser, `${server.url}?${SMALL}`);
  await page.waitForFunction(() => window.richlazy.study?.settings);
  const params = await page.evaluate(async () => JSON.parse((await import('./pkg/richlazy.js')).study_schema('perceptron')).params);
  const bad = (p) => (p.kind === 'reals' ? `${p.lo},x` : String(p.hi + (p.kind === 'int' ? 1 : Math.max(1, Math.abs(p.hi)))));
  const q = new URLSearchParams({ view: 'perceptron', ...Object.fromEntries(params.map((p) => [p.key, bad(p)])) });
  const b = await open(browser, `${server.url}?${q}`);
  await b.page.waitForFunction(() => window.richlazy.study?.settings);
  const ns = await notes(b.page);
  for (const p of params) {
    assert.ok(ns.some((n) => n.startsWith(`Link: ${p.key}: `) && n.includes(`using ${p.default}`)), `${p.key}: ${ns.join(' | ')}`);
    // The shard is the pool's, not a field of the form.
    if (p.kind !== 'shard') assert.equal(await b.page.inputValue(`#study [name="${p.key}"]`), p.default);
  }
  await b.context.close();
  await context.close();
});

// Its time is printed, not asserted (a figure for BENCHMARKS.md; a loaded machine must not fail it).
test('a run of a million SGD steps finishes in a Chromium worker', async () => {
  const { page, context } = await open(browser, `${server.url}?${SMALL}`);
  await done(page);
  const r = await page.evaluate(() => new Promise((resolve, reject) => {
    const w = new Worker('www/worker.js', { type: 'module' });
    w.onmessage = (e) => {
      if (e.data.type === 'finished') resolve({ ms: e.data.ms, run: JSON.parse(e.data.report).runs[0] });
      else if (e.data.type === 'error') reject(new Error(e.data.message));
    };
    w.postMessage({ type: 'job', kind: 'study', name: 'perceptron', keys: ['ps', 'ats', 'seeds', 'pte'], values: ['1024', '1', '1', '1000'] });
  }));
  console.log(`perceptron: ${r.run.steps} SGD steps (${r.run.hits} hit an unfitted point) in ${r.ms.toFixed(0)} ms of a Chromium worker`);
  assert.ok(r.run.steps > 1e6 && !r.run.capped);
  await context.close();
});
