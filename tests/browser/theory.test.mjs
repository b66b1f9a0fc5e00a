// The theory panel in headless Chromium: loads with the page, Run computes both sweeps in a
// worker, draws both charts, states whether the paper's result holds, and logs no errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open } from './harness.mjs';

// Drawn pixels of a chart: opaque and not near-white (an undrawn canvas is transparent).
const inkOf = (page, chart) => page.evaluate((name) => {
  const c = document.querySelector(`[data-chart="${name}"] canvas`);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) ink++;
  return ink;
}, chart);

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const PAGE = '?view=theory';

test('the view loads alone, runs its sweeps in a worker and draws both charts and a verdict beside each', async () => {
  const { page, context, log } = await open(browser, `${server.url}${PAGE}`);
  await page.waitForFunction(() => window.richlazyTheory?.phase === 'done', null, { timeout: 120_000 });
  assert.equal(await page.locator('#theory h2').textContent(), 'Theory: a linear network');
  assert.equal(await page.locator('[data-view="lab"]').first().isVisible(), false, 'the lab is not on this view');
  assert.equal(await page.locator('#views a[aria-current]').textContent(), 'Linear theory');
  assert.equal(log.workers, 1, 'the sweeps ran in a Web Worker, and nothing else did');
  for (const chart of ['theory-rank', 'theory-align']) {
    const ink = await inkOf(page, chart);
    assert.ok(ink > 5000, `chart ${chart} is drawn (${ink} inked pixels)`);
  }
  const verdicts = await page.evaluate(() => ['verdict-rank', 'fit-rank', 'verdict-align', 'fit-align'].map((k) => {
    const p = document.querySelector(`#theory-${k}`);
    return { text: p.textContent, holds: p.dataset.holds };
  }));
  // Default settings: the paper's result holds and the closed forms agree.
  assert.match(verdicts[0].text, /^The paper's result holds: the measured kernel change falls from 0\.\d+ at effective rank 1 to 0\.\d+ at 50\./);
  assert.match(verdicts[1].text, /^The closed form matches every point \(largest gap 0\.00\d\)\./);
  assert.match(verdicts[2].text, /^The paper's result holds: the aligned rank-one start changes its kernel by 0\.\d+ against 0\.\d+ for the unaligned one/);
  assert.match(verdicts[3].text, /^The closed form matches every point/);
  assert.deepEqual(verdicts.map((v) => v.holds), ['yes', 'yes', 'yes', 'yes']);
  const rows = await page.evaluate(() => [...document.querySelectorAll('#theory-table-rank tr, #theory-table-align tr')].length);
  assert.equal(rows, 1 + 8 + 1 + 3 * 7, 'a row per sweep point in the number tables');
  assert.match(await page.locator('#theory-status').textContent(), /^Done in \d+\.\d s/);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a large first layer breaks the closed form and the verdict says so; bad input is named', async () => {
  const { page, context, log } = await open(browser, `${server.url}${PAGE}`);
  await page.waitForFunction(() => window.richlazyTheory?.phase === 'done', null, { timeout: 120_000 });
  await page.fill('#theory-form [name="norm"]', '2');
  await page.fill('#theory-form [name="seeds"]', '1');
  await page.fill('#theory-form [name="kappa"]', '5000');
  await page.click('#theory-run');
  await page.waitForFunction(() => window.richlazyTheory?.phase === 'done', null, { timeout: 120_000 });
  assert.match(await page.locator('#theory-fit-rank').textContent(), /^The closed form \(a small-first-layer limit\) misses by up to/);
  assert.equal(await page.locator('#theory-fit-rank').getAttribute('data-holds'), 'no');
  assert.match(await page.locator('#theory-status').textContent(), /Ignored: kappa: 5000 is outside 1\.\.1000/);
  assert.equal(await page.inputValue('#theory-form [name="kappa"]'), '100', 'the form shows the value used');
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a link carries the view and its settings; an old lab link with theory settings opens this view; embed', async () => {
  const { page, context, log } = await open(browser, `${server.url}${PAGE}`);
  await page.waitForFunction(() => window.richlazyTheory?.phase === 'done', null, { timeout: 120_000 });
  assert.doesNotMatch(page.url(), /theory_/, 'default settings add nothing to the link');
  await page.fill('#theory-form [name="norm"]', '0.5');
  await page.fill('#theory-form [name="seeds"]', '1');
  await page.click('#theory-run');
  await page.waitForFunction(() => window.richlazyTheory?.phase === 'done' && /theory_norm=0.5/.test(location.search), null, { timeout: 120_000 });
  const link = page.url();
  assert.match(link, /theory_seeds=1/);
  const first = await page.evaluate(() => JSON.stringify(window.richlazyTheory.result.report));
  // The link, opened fresh, runs the panel at once with those settings and gets the same numbers.
  const fresh = await open(browser, link);
  await fresh.page.waitForFunction(() => window.richlazyTheory?.phase === 'done', null, { timeout: 120_000 });
  assert.equal(await fresh.page.inputValue('#theory-form [name="norm"]'), '0.5');
  assert.equal(await fresh.page.evaluate(() => JSON.stringify(window.richlazyTheory.result.report)), first);
  assert.match(await fresh.page.inputValue('#theory-snippet'), /view=theory&theory_norm=0\.5&theory_seeds=1&embed=1/);
  // From before views: the theory settings on the lab's link.
  const old = await open(browser, `${server.url}?theory_norm=0.5&theory_seeds=1`);
  await old.page.waitForFunction(() => window.richlazyTheory?.phase === 'done', null, { timeout: 120_000 });
  assert.equal(await old.page.evaluate(() => JSON.stringify(window.richlazyTheory.result.report)), first);
  const embed = await open(browser, `${link}&embed=1`);
  await embed.page.waitForFunction(() => window.richlazyTheory?.phase === 'done', null, { timeout: 120_000 });
  assert.equal(await embed.page.locator('#views').isVisible(), false, 'no navigation in an embed');
  assert.ok(await inkOf(embed.page, 'theory-rank') > 5000);
  assert.deepEqual([...log.errors, ...fresh.log.errors, ...old.log.errors, ...embed.log.errors], []);
  for (const p of [fresh, old, embed]) await p.context.close();
  await context.close();
});
