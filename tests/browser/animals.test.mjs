// The measured animals on the page: the worm's dataset menu (for the connectome families only, N
// following it), and the fly and V1 starts from the engine's table with their hints.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, waitPhase } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser.close(); await server.close(); });

const state = (page) => page.evaluate(() => ({
  init: window.richlazy.config.init,
  hidden: window.richlazy.config.hidden,
  dataset: window.richlazy.config.dataset,
  menu: !document.querySelector('select[name=dataset]').closest('label').hidden,
  field: document.querySelector('select[name=dataset]').value,
  hint: document.querySelector('#family-hint').textContent,
}));

test('a worm dataset link sets N, shows the menu, and the default leaves the link as before', async () => {
  const { page, context, log } = await open(browser, `${server.url}?init=connectome&dataset=witvliet_8&iters=10&every=10`);
  await waitPhase(page, 'done');
  let s = await state(page);
  assert.deepEqual([s.init, s.hidden, s.dataset, s.menu, s.field], ['connectome', 180, 'witvliet_8', true, 'witvliet_8']);
  assert.match(s.hint, /Witvliet et al\. 2021/);
  assert.equal(await page.evaluate(() => window.richlazy.runs[0].report.config.dataset), 'witvliet_8');
  assert.match(page.url(), /dataset=witvliet_8/);
  // Another link without dataset: the default worm, and the menu goes back to it.
  await page.goto(`${server.url}?init=connectome_spectrum&iters=10&every=10`);
  await waitPhase(page, 'done');
  s = await state(page);
  assert.deepEqual([s.hidden, s.dataset, s.field], [279, undefined, 'varshney']);
  assert.doesNotMatch(page.url(), /dataset=/);
  await page.selectOption('select[name=dataset]', 'cook_herm');
  await page.dispatchEvent('#settings', 'change');
  assert.deepEqual([(await state(page)).hidden, (await state(page)).dataset], [302, 'cook_herm']);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('the fly fixes N at 443, V1 takes the hidden size, each with its hint; no dataset menu', async () => {
  const { page, context, log } = await open(browser, `${server.url}?init=fly&iters=4&every=2`);
  await waitPhase(page, 'done');
  let s = await state(page);
  assert.deepEqual([s.init, s.hidden, s.menu], ['fly', 443, false]);
  assert.match(s.hint, /N = 443/);
  assert.equal(await page.evaluate(() => document.querySelector('input[name=hidden]').disabled), true);
  await page.goto(`${server.url}?init=v1_shuffled&hidden=50&iters=10&every=10`);
  await waitPhase(page, 'done');
  s = await state(page);
  assert.deepEqual([s.init, s.hidden, s.menu], ['v1_shuffled', 50, false]);
  assert.match(s.hint, /pooled/);
  assert.equal(await page.evaluate(() => document.querySelector('input[name=hidden]').disabled), false);
  const menu = await page.evaluate(() => [...document.querySelector('select[name=init]').options].map((o) => o.value));
  for (const k of ['v1', 'v1_shuffled', 'v1_spectrum', 'fly', 'fly_shuffled', 'fly_spectrum']) assert.ok(menu.includes(k), k);
  assert.deepEqual(log.errors, []);
  await context.close();
});
