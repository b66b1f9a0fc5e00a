// Tasks in sequence in the lab, in headless Chromium: a two-task run draws every task's accuracy with
// the phase boundary, its table reads the engine's phases, its report is the command line's, and the
// preset button sets it up; a bad sequence in a link is named and the page keeps working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serve, launch, open, waitPhase, inkOf } from './harness.mjs';

const cli = fileURLToPath(new URL('../../target/release/richlazy', import.meta.url));
let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const SETTINGS = 'sequence=2af,dms&hidden=32&iters=100&every=25&seed=3&lr=0.01';

test('a two-task sequence draws both tasks\' accuracy with the phase boundary, and its report is the command line\'s', async () => {
  const { page, context, log } = await open(browser, `${server.url}?${SETTINGS}`);
  await waitPhase(page, 'done');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.body.classList.contains('sequence')), true);
  assert.ok((await inkOf(page, 'tasks')) > 2000, 'the task chart is drawn');
  assert.match(await page.textContent('#progress'), /200 of 200 iterations/);
  const want = execFileSync(cli, ['run', ...SETTINGS.split('&').flatMap((kv) => { const [k, v] = kv.split('='); return [`--${k}`, v]; }), '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const report = await page.evaluate(() => JSON.stringify(window.richlazy.runs[0].report));
  assert.deepEqual(JSON.parse(report), JSON.parse(want), 'the page\'s run is the command line\'s');
  const s = JSON.parse(want).sequence;
  assert.deepEqual(s.phases.map((p) => [p.task, p.start, p.end]), [['2af', 0, 100], ['dms', 100, 200]]);
  // The table: a row per phase, the second naming what 2AF lost.
  const rows = await page.$$eval('#sequence-table tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.equal(rows.length, 3);
  assert.deepEqual(rows[1].slice(0, 3), ['1', '2AF', '0–100']);
  assert.deepEqual(rows[2].slice(0, 3), ['2', 'DMS', '100–200']);
  assert.equal(rows[2][5], `2AF ${s.phases[1].forgetting[0].accuracy.toFixed(3)}`);
  assert.equal(rows[2][8], s.phases[1].path_w_rec.toFixed(3));
  // A plain run hides the chart and the table again.
  await page.click('#preset-fast');
  await page.fill('#controls [name="sequence"]', '');
  await page.dispatchEvent('#controls [name="sequence"]', 'change');
  await page.click('#train');
  await waitPhase(page, 'done');
  assert.equal(await page.evaluate(() => document.body.classList.contains('sequence')), false);
  assert.equal(await page.isHidden('#sequence-table'), true);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('the "2AF then DMS" preset sets the sequence; a bad sequence in a link is named', async () => {
  const { page, context, log } = await open(browser, `${server.url}?sequence=2af,smnist&hidden=32&iters=50&every=25`);
  await waitPhase(page, 'done');
  assert.match(await page.textContent('#notices'), /sequence/);
  assert.equal(await page.evaluate(() => window.richlazy.config.sequence ?? ''), '');
  await page.click('#preset-2af-dms');
  const config = await page.evaluate(() => window.richlazy.config);
  assert.equal(config.sequence, '2af,dms');
  assert.equal(config.iters, 3000);
  assert.match(page.url(), /sequence=2af%2Cdms|sequence=2af,dms/);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a comparison of starts on a sequence draws forgetting and cost against the initial effective rank, and its table is the runs\' own', async () => {
  const { page, context, log } = await open(browser, `${server.url}?${SETTINGS}&compare=rank:1,rank:32,aligned:1&seeds=2`);
  await waitPhase(page, 'done');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.body.classList.contains('sequences')), true);
  for (const chart of ['summary-forget', 'summary-cost']) {
    assert.equal(await page.isVisible(`figure[data-chart="${chart}"]`), true, chart);
    assert.ok((await inkOf(page, chart)) > 2000, `${chart} is drawn`);
  }
  assert.equal(await page.isHidden('figure[data-chart="summary-acc"]'), true, 'a rule x gain grid\'s chart is not shown empty');
  // The table's forgetting and path cells are the mean ± sd of the runs' own sections.
  const runs = await page.evaluate(() => window.richlazy.runs.map((r) => ({ group: r.group, s: r.report.sequence })));
  const rows = await page.$$eval('#sequence-table tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.equal(rows.length, 4, 'a head and a row per start');
  assert.equal(rows[0][3], '2AF lost during DMS (phase 2)');
  const mine = runs.filter((r) => r.group === 'rank:32');
  const meanSd = (v) => { const m = (v[0] + v[1]) / 2; return [m, Math.sqrt(((v[0] - m) ** 2 + (v[1] - m) ** 2) / 1)]; };
  const row = rows.find((r) => r[0] === 'rank:32');
  const [m, sd] = meanSd(mine.map((r) => r.s.phases[1].forgetting[0].accuracy));
  assert.equal(row[3], `${m.toFixed(3)} ± ${sd.toFixed(3)}`);
  const [p, psd] = meanSd(mine.map((r) => r.s.phases[1].path_w_rec));
  assert.equal(row[7], `${p.toFixed(2)} ± ${psd.toFixed(2)}`);
  // A comparison of one task has neither.
  await page.goto(`${server.url}?task=2af&hidden=32&iters=50&every=25&compare=rank:1,rank:32`);
  await waitPhase(page, 'done');
  assert.equal(await page.isHidden('figure[data-chart="summary-forget"]'), true);
  assert.equal(await page.isHidden('#sequence-table'), true);
  assert.deepEqual(log.errors, []);
  await context.close();
});
