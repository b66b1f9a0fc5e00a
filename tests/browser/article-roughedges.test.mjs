// The rough edges issue 19 names, as a reader meets them: a "new seed" button in every view with a
// seed (drawn by the engine, written into the field and the link); floss_k near N/2 gets a notice
// naming the key; an all-silent dale_rank:1 start is called silent, not diverged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const VIEWS = [
  ['lab', '?hidden=20&iters=20&every=10', 'seed'],
  ['theory', '?view=theory', 'theory_seed'],
  ['perceptron', '?view=perceptron&ps=64&ats=1&seeds=1', 'seed'],
  ['phase', '?view=phase&log2_alpha=0&log2_T=-8', 'seed'],
  ['grok', '?view=grok&epochs=100', 'seed'],
];

test('every view with a seed has a "new seed" button: a fresh whole number in range, in the field and the link', async () => {
  for (const [name, query, linkKey] of VIEWS) {
    const { page, context, log } = await open(browser, `${server.url}${query}`);
    const button = page.locator('button.new-seed:visible').first();
    await button.waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    const input = button.locator('xpath=..').locator('input');
    const drawn = new Set();
    for (let k = 0; k < 3; k++) {
      await button.click();
      await page.waitForFunction(([key, before]) => new URLSearchParams(location.search).get(key) !== before,
        [linkKey, new URL(page.url()).searchParams.get(linkKey)], { timeout: 10_000 }).catch(() => {});
      const v = await input.inputValue();
      assert.match(v, /^\d+$/, `${name}: ${v}`);
      const hi = Number(await button.getAttribute('data-hi'));
      assert.ok(Number(v) >= 0 && Number(v) <= hi, `${name}: ${v} in 0..${hi}`);
      await page.waitForFunction(([key, val]) => new URLSearchParams(location.search).get(key) === val, [linkKey, v], { timeout: 10_000 });
      drawn.add(v);
    }
    assert.ok(drawn.size >= 2, `${name}: three draws gave ${[...drawn]}`);
    assert.deepEqual(log.errors, [], name);
    await context.close();
  }
});

test('floss_k near N/2 is named in a notice and kept', async () => {
  const { page, context, log } = await open(browser, `${server.url}?hidden=40&iters=10&every=10&floss=pre&floss_iters=2&floss_k=20`);
  await page.waitForFunction(() => window.richlazy?.phase === 'done', null, { timeout: 60_000 });
  assert.match(await page.textContent('#notices'), /floss_k: 20 of 40 units is near N\/2 or above/);
  assert.equal(await page.inputValue('[name="floss_k"]'), '20');
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('an all-silent dale_rank:1 start is reported as silent, not as diverged', async () => {
  const { page, context, log } = await open(browser, `${server.url}?init=dale_rank&rank=1&seed=1&iters=20&every=10`);
  await page.waitForFunction(() => window.richlazy?.phase === 'done', null, { timeout: 90_000 });
  const text = await page.textContent('#notices');
  assert.match(text, /is silent at iteration 0: every unit is 0 at the decision step/);
  assert.doesNotMatch(text, /diverged/);
  assert.deepEqual(log.errors, []);
  await context.close();
});
