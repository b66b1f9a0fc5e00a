// The gain control's one-click figure: the rank sweep at a small gain beside the paper's, drawn as a grid.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, waitPhase } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('"Gain × rank figure" queues ranks x gains at the paper settings, even from an e-prop page', async () => {
  const { page, context } = await open(browser, `${server.url}?rule=eprop&dt=20&hidden=40&iters=10&every=5`);
  await waitPhase(page, 'done');
  await page.click('#figure-gain');
  const runs = await page.evaluate(() => window.richlazy.runs.map((r) => [r.group, r.config.rank, r.config.gain, r.config.rule, r.config.dt ?? 100, r.config.hidden, r.config.iters]));
  await page.click('#reset');
  assert.equal(runs.length, 24);
  assert.deepEqual([...new Set(runs.map((r) => r[0]))], ['rank:1+gain:0.5', 'rank:1+gain:1.25', 'rank:30+gain:0.5', 'rank:30+gain:1.25',
    'rank:100+gain:0.5', 'rank:100+gain:1.25', 'rank:300+gain:0.5', 'rank:300+gain:1.25']);
  for (const [group, rank, gain, rule, dt, hidden, iters] of runs) {
    assert.equal(group, `rank:${rank}+gain:${gain}`);
    assert.deepEqual([rule, dt, hidden, iters], ['bptt', 100, 300, 10000]);
  }
  await context.close();
});
