// The lab embedded as blog platforms embed it: a cross-origin iframe sandboxed without allow-modals,
// where window.confirm is refused at once. A long comparison asks inside the page, Start runs it,
// and nothing covers the embed bar's "Open in richlazy" link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, serveHtml, launch, open } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('in a sandboxed cross-origin iframe an over-the-limit comparison asks in the page, Start runs it, the Open link stays uncovered', async () => {
  const starts = Array.from({ length: 30 }, (_, i) => i + 1).join(',');
  // bogus=1: a notice, which must flow below the embed bar rather than over its link.
  const src = `${server.url}?hidden=30&iters=100&every=50&compare=${starts}&seeds=10&bogus=1&embed=1`;
  const parent = await serveHtml(`<!doctype html><title>a blog</title><p>A post.</p>
    <iframe sandbox="allow-scripts allow-same-origin" src="${src}" width="820" height="640" style="border:0"></iframe>`);
  const { page, context, log } = await open(browser, parent.url);
  assert.notEqual(new URL(parent.url).origin, new URL(server.url).origin);
  const frame = page.frameLocator('iframe');
  const box = frame.locator('#results > .ask');
  await box.waitFor();
  assert.match(await box.textContent(), /^This comparison trains 300 runs \(30 starts × 10 seeds\)/);
  assert.equal(await frame.locator('#compare').isVisible(), false, 'the settings column is hidden in an embed');
  await box.getByRole('button', { name: 'Cancel' }).click();
  assert.match(await box.textContent(), /Press Start to run it anyway, or open the full page \(Open in richlazy\) to change it/);
  // No message points at a control the embed hides.
  const said = await frame.locator('body').evaluate(() => [...document.querySelectorAll('#notices .notice, .ask, #progress')].map((n) => n.textContent).join('\n'));
  assert.match(said, /Unknown link parameter ignored: bogus/);
  assert.doesNotMatch(said, /Run side by side|Reset|Paper settings|Initial recurrent weights/);
  await box.getByRole('button', { name: 'Start' }).click();
  const lab = page.frames().find((f) => f.url().includes('embed=1'));
  await lab.waitForFunction(() => window.richlazy.runs.length === 300 && window.richlazy.runs.some((r) => r.iter > 0), null, { timeout: 60_000 });
  assert.equal(await lab.evaluate(() => window.richlazy.phase), 'running');
  // The "Open in richlazy" link: visible, and the element at its centre is the link itself.
  const link = await lab.evaluate(() => {
    const a = document.querySelector('#full-link');
    const r = a.getBoundingClientRect();
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return { w: r.width, h: r.height, hit: hit === a || a.contains(hit), href: a.href };
  });
  assert.ok(link.w > 0 && link.h > 0, 'the link is shown');
  assert.ok(link.hit, 'nothing covers the link');
  assert.match(link.href, /compare=/);
  assert.doesNotMatch(link.href, /embed=/);
  assert.equal(log.dialogs, 0);
  assert.deepEqual(log.errors, []);
  await context.close();
  await parent.close();
});
