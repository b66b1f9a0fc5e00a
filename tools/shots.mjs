// Screenshots of the page as a reader sees it: node tools/shots.mjs [outdir] [view ...] (default
// /tmp/shots, every view). Needs ./build.sh first. Default view after ~10 s of the fast preset, a
// compare run, embed mode, a bad link, a phone, the measured starts (connectome, a worm stage, V1, fly), the theory, perceptron, phase and grok views, and the
// local-rules study: e-prop at dt 20 after a few seconds, and a small rule x gain grid; the article
// (`article`): its top as a reader lands, every claim alone (article-ID.png), and a phone's first screen.
import { mkdir } from 'node:fs/promises';
import { serve, launch, open, waitPhase } from '../tests/browser/harness.mjs';

const out = process.argv[2] ?? '/tmp/shots';
const views = process.argv.slice(3);
const want = (v) => !views.length || views.includes(v);
await mkdir(out, { recursive: true });
const server = await serve();
const browser = await launch();
try {
  if (want('default')) {
    const { page, context, log } = await open(browser, server.url, { viewport: { width: 1400, height: 1100 }, deviceScaleFactor: 2 });
    await page.waitForTimeout(10_000);
    await page.screenshot({ path: `${out}/default.png`, fullPage: true });
    await page.locator('#controls').screenshot({ path: `${out}/default-controls.png` });
    for (const chart of ['loss', 'spectrum', 'trial']) await page.locator(`[data-chart="${chart}"]`).screenshot({ path: `${out}/default-${chart}.png` });
    console.log('default:', await page.evaluate(() => [window.richlazy.phase, document.querySelector('#progress').textContent]), log.errors);
    await context.close();
  }
  if (want('sequence-compare')) {
    const { page, context, log } = await open(browser, `${server.url}?sequence=2af,dms&hidden=64&iters=600&every=50&lr=0.01&compare=rank:1,rank:10,rank:64,aligned:1&seeds=2`, { viewport: { width: 1400, height: 1100 } });
    await waitPhase(page, 'done', 300_000);
    await page.screenshot({ path: `${out}/sequence-compare.png`, fullPage: true });
    for (const chart of ['summary-forget', 'summary-cost']) await page.locator(`[data-chart="${chart}"]`).screenshot({ path: `${out}/sequence-compare-${chart}.png` });
    await page.locator('#sequence-table').screenshot({ path: `${out}/sequence-compare-table.png` });
    console.log('sequence-compare:', await page.evaluate(() => document.querySelector('#progress').textContent), log.errors);
    await context.close();
  }
  if (want('compare')) {
    const { page, context, log } = await open(browser, `${server.url}?hidden=100&iters=600&every=50&compare=1,10,30,100&seeds=2`, { viewport: { width: 1400, height: 1100 } });
    await waitPhase(page, 'done', 300_000);
    await page.screenshot({ path: `${out}/compare.png`, fullPage: true });
    for (const chart of ['summary-align', 'spectrum', 'kernel']) await page.locator(`[data-chart="${chart}"]`).screenshot({ path: `${out}/compare-${chart}.png` });
    console.log('compare:', await page.evaluate(() => document.querySelector('#progress').textContent), log.errors);
    await context.close();
  }
  if (want('embed')) {
    const { page, context, log } = await open(browser, `${server.url}?hidden=100&iters=1000&every=50&embed=1`, { viewport: { width: 820, height: 640 } });
    await waitPhase(page, 'done', 300_000);
    await page.screenshot({ path: `${out}/embed.png` });
    console.log('embed:', await page.evaluate(() => document.querySelector('#progress').textContent), log.errors);
    await context.close();
  }
  if (want('badlink')) {
    const bad = encodeURIComponent('<img src=x onerror=alert(1)>');
    const { page, context, log } = await open(browser, `${server.url}?task=${bad}&hidden=-5&lr=abc&bogus=1&iters=200&every=20`, { viewport: { width: 1300, height: 700 } });
    await waitPhase(page, 'done', 300_000);
    await page.screenshot({ path: `${out}/badlink.png` });
    console.log('badlink:', log.errors);
    await context.close();
  }
  if (want('phone')) {
    const { page, context, log } = await open(browser, `${server.url}?hidden=60&iters=300&every=20`, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3 });
    await waitPhase(page, 'done', 300_000);
    await page.screenshot({ path: `${out}/phone.png`, fullPage: true });
    console.log('phone:', log.errors);
    await context.close();
  }
  // The measured starts (heat map and controls): the connectome (N 279), a worm stage, mouse V1, the fly (N 443).
  for (const [name, query] of [['connectome', 'init=connectome&signed=1'], ['witvliet1', 'init=connectome&dataset=witvliet_1'], ['v1', 'init=v1'], ['fly', 'init=fly']]) {
    if (!want(name)) continue;
    const { page, context, log } = await open(browser, `${server.url}?${query}&iters=200&every=50`, { viewport: { width: 1400, height: 1100 } });
    await waitPhase(page, 'done', 300_000);
    await page.locator('[data-chart="matrix"]').screenshot({ path: `${out}/${name}-matrix.png` });
    await page.locator('#controls').screenshot({ path: `${out}/${name}-controls.png` });
    console.log(`${name}:`, log.errors);
    await context.close();
  }
  if (want('local')) {
    // e-prop at dt 20 (40 steps a trial) after a few seconds of the fast preset: the Lyapunov charts fill in.
    const { page, context, log } = await open(browser, `${server.url}?rule=eprop&dt=20&hidden=100&iters=1000&every=50`, { viewport: { width: 1400, height: 1100 }, deviceScaleFactor: 2 });
    await page.waitForFunction(() => window.richlazy.runs[0]?.rows.length >= 4, null, { timeout: 120_000 });
    await page.waitForTimeout(4000);
    await page.screenshot({ path: `${out}/local.png`, fullPage: true });
    await page.locator('#local-rules').screenshot({ path: `${out}/local-controls.png` });
    for (const chart of ['lyap', 'lyap-spectrum', 'trial']) await page.locator(`[data-chart="${chart}"]`).screenshot({ path: `${out}/local-${chart}.png` });
    console.log('local:', await page.evaluate(() => [document.querySelector('#progress').textContent, document.querySelector('#figure-local-cost').textContent]), log.errors);
    await context.close();
  }
  if (want('grid')) {
    // A small rule x gain grid with pre-flossing for e-prop: the summary against the gain.
    const list = ['bptt', 'eprop', 'rflo'].flatMap((r) => ['0.5', '1', '1.5'].map((g) => `rule:${r}+gain:${g}`)).concat(['0.5', '1', '1.5'].map((g) => `rule:eprop+gain:${g}+floss:pre`)).join(',');
    const { page, context, log } = await open(browser, `${server.url}?hidden=40&iters=150&every=50&dt=20&floss_iters=20&compare=${encodeURIComponent(list)}`, { viewport: { width: 1400, height: 1100 } });
    await waitPhase(page, 'done', 600_000);
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${out}/grid.png`, fullPage: true });
    for (const chart of ['summary-acc', 'summary-lyap', 'summary-weight', 'lyap']) await page.locator(`[data-chart="${chart}"]`).screenshot({ path: `${out}/grid-${chart}.png` });
    console.log('grid:', await page.evaluate(() => document.querySelector('#progress').textContent), log.errors);
    await context.close();
  }
  // The other views, each after its default run.
  for (const view of ['theory', 'perceptron', 'phase', 'grok']) {
    if (!want(view)) continue;
    const { page, context, log } = await open(browser, `${server.url}?view=${view}`, { viewport: { width: 1400, height: 1100 } });
    await page.waitForFunction(() => ['done', 'error'].includes(window.richlazy.study?.phase ?? window.richlazyTheory?.phase), null, { timeout: 600_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${out}/${view}.png`, fullPage: true });
    console.log(`${view}:`, log.errors);
    await context.close();
  }
  if (want('article')) {
    const { page, context, log } = await open(browser, `${server.url}?view=article`, { viewport: { width: 1300, height: 1000 } });
    await page.waitForFunction(() => window.richlazy?.phase === 'ready', null, { timeout: 60_000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${out}/article.png` });
    const ids = await page.evaluate(() => [...document.querySelectorAll('[data-claim]')].map((e) => e.dataset.claim));
    for (const id of ids) {
      const claim = page.locator(`article#${id}`);
      await claim.scrollIntoViewIfNeeded();
      await page.waitForFunction((c) => window.richlazy.article.drawn[c] !== undefined, id, { timeout: 30_000 });
      if (id === 'rank-demo') await page.waitForFunction(() => window.richlazy.article.checks.filter((c) => c.claim === 'rank-demo').length >= 6, null, { timeout: 120_000 });
      await page.waitForTimeout(200);
      await claim.screenshot({ path: `${out}/article-${id}.png` });
    }
    console.log('article:', log.errors);
    await context.close();
    const phone = await open(browser, `${server.url}?view=article`, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await phone.page.waitForFunction(() => window.richlazy?.phase === 'ready', null, { timeout: 60_000 });
    await phone.page.waitForTimeout(1500);
    await phone.page.screenshot({ path: `${out}/article-phone.png` });
    await phone.context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
