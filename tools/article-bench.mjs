// Benchmarks of the article view (?view=article) in headless Chromium, printed as figures:
//   1. time from opening the article to its first figure (navigation start to the first draw);
//   2. each live demonstration's time in a Chromium worker (the rank-trend demo's six runs,
//      the linear theory's sweeps);
//   3. the time to verify one point of the paper's figure at its settings (N 300, 10,000 iterations):
//      measured on a 500-iteration run of the same start and scaled by 20 (the per-iteration cost,
//      measures every 500 iterations included, is the same in both).
// Run after ./build.sh:  node tools/article-bench.mjs
import { serve, launch, open } from '../tests/browser/harness.mjs';

const server = await serve();
const browser = await launch();
const say = (s) => console.log(s);
say(`article-bench: Chromium headless, ${(await browser.version())}, page on ${server.url}`);

// 1 and 2: open the article; the demo runs as its section opens.
{
  const { page, context } = await open(browser, `${server.url}?view=article`);
  await page.waitForFunction(() => Object.keys(window.richlazy?.article?.drawn ?? {}).length > 0, null, { timeout: 60_000 });
  const first = await page.evaluate(() => {
    const a = window.richlazy.article;
    const id = Object.keys(a.drawn)[0];
    return { id, at: a.shown[id] + a.drawn[id], nav: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd };
  });
  say(`1. first figure ('${first.id}') drawn ${first.at.toFixed(0)} ms after navigation start (DOMContentLoaded at ${first.nav.toFixed(0)} ms)`);
  await page.waitForFunction(() => window.richlazy.article.checks.filter((c) => c.claim === 'rank-demo').length >= 6, null, { timeout: 300_000 });
  const demo = await page.evaluate(() => {
    const a = window.richlazy.article;
    const cs = a.checks.filter((c) => c.claim === 'rank-demo');
    return { wall: performance.now() - a.shown['rank-demo'], each: cs.map((c) => c.ms), match: cs.every((c) => c.match) };
  });
  const per = demo.each.reduce((x, y) => x + y, 0) / demo.each.length;
  say(`2a. live demo 'rank trend in seconds' (6 lab runs, N 100, 300 iterations): ${(demo.wall / 1000).toFixed(1)} s from the section opening to the last check, `
    + `engine time per run ${demo.each.map((m) => (m / 1000).toFixed(2)).join(', ')} s; all bit-for-bit: ${demo.match}`);
  say(`    (a lab iteration at N 100: ${(per / 300).toFixed(2)} ms of worker time; verify.js assumes 3.5 ms)`);
  await page.locator('article#linear-theory').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => window.richlazy.article.drawn['linear-theory'] !== undefined, null, { timeout: 60_000 });
  const th = await page.evaluate(() => [window.richlazy.article.drawn['linear-theory'], document.querySelector('article#linear-theory .figure-status').textContent]);
  say(`2b. live demo 'linear theory' (both sweeps in a worker): ${(th[0] / 1000).toFixed(2)} s from the section opening to its figure; ${th[1].slice(0, 60)}`);
  await context.close();
}

// 3: one run of the paper's figure (2AF, rank 1, seed 0), 500 of its 10,000 iterations, in the lab's worker.
{
  const iters = 500;
  const { page, context } = await open(browser, `${server.url}?task=2af&init=rank&rank=1&hidden=300&iters=${iters}&every=500&seed=0`);
  await page.waitForFunction(() => window.richlazy?.phase === 'running', null, { timeout: 60_000 });
  const t0 = Date.now();
  await page.waitForFunction(() => window.richlazy?.phase === 'done', null, { timeout: 900_000 });
  const wall = (Date.now() - t0) / 1000;
  say(`3. one point of the paper's figure: a ${iters}-iteration N 300 run took ${wall.toFixed(1)} s in a Chromium worker; `
    + `at 10,000 iterations about ${(wall * 10000 / iters / 60).toFixed(1)} min (scaled by ${10000 / iters}); a point of the figure is 3 such runs (3 seeds)`);
  await context.close();
}
await browser.close();
await server.close();
