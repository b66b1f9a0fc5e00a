// The page's views: ?view= picks one, the nav links every view, an unknown view is named and the lab shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('the nav links every view; an unknown view is named and the lab shown; only one view is visible', async () => {
  const { page, context, log } = await open(browser, `${server.url}?view=nonesuch&hidden=20&iters=20&every=10`);
  await page.waitForFunction(() => window.richlazy?.phase === 'done', null, { timeout: 60_000 });
  assert.match(await page.textContent('#notices'), /Unknown view 'nonesuch': showing the lab\. Views: lab, theory/);
  const links = await page.evaluate(() => [...document.querySelectorAll('#views a')].map((a) => [a.getAttribute('href'), a.hasAttribute('aria-current')]));
  assert.deepEqual(links[0], ['./', true]);
  assert.ok(links.some(([h]) => h === '?view=theory'));
  assert.equal(await page.locator('#theory').isVisible(), false);
  assert.equal(await page.locator('#study').isVisible(), false);
  assert.equal(await page.locator('#controls').isVisible(), true);
  // Every view in the nav opens without an error.
  for (const [href] of links.slice(1)) {
    const v = await open(browser, `${server.url}${href}`);
    await v.page.waitForTimeout(1500);
    assert.equal(await v.page.locator('#views a[aria-current]').getAttribute('href'), href);
    assert.equal(await v.page.locator('#controls').isVisible(), false, `${href}: the lab is hidden`);
    assert.deepEqual(v.log.errors, [], href);
    await v.context.close();
  }
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('at phone width (390 px) no view scrolls sideways', async () => {
  const views = ['theory', 'perceptron', 'phase', 'grok'];
  for (const v of views) {
    const { page, context, log } = await open(browser, `${server.url}?view=${v}`, { viewport: { width: 390, height: 844 } });
    await page.waitForFunction(() => document.querySelector('#views a[aria-current]'));
    await page.waitForTimeout(1000);
    const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.equal(scroll, client, `${v}: ${scroll} px wide in ${client}`);
    assert.deepEqual(log.errors, [], v);
    await context.close();
  }
});
