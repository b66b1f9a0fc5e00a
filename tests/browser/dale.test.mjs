// The Dale's-law starts on the page: the excitatory-fraction field shows for them only,
// and a link with init=dale&ei=0.5 comes back as it went.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, waitPhase } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser.close(); await server.close(); });

const shown = (page) => page.evaluate(() => ({
  ei: !document.querySelector('input[name=ei]').closest('label').hidden,
  rank: !document.querySelector('input[name=rank]').closest('label').hidden,
}));

test('choosing a Dale family shows the excitatory fraction, and only then', async () => {
  const { page, context, log } = await open(browser, `${server.url}?hidden=30&iters=20&every=10`);
  await waitPhase(page, 'done');
  assert.deepEqual(await shown(page), { ei: false, rank: false });
  await page.selectOption('select[name=init]', 'dale');
  await waitPhase(page, 'idle');
  assert.deepEqual(await shown(page), { ei: true, rank: false });
  assert.deepEqual(await page.evaluate(() => [window.richlazy.config.init, window.richlazy.config.ei]), ['dale', 0.8]);
  assert.match(page.url(), /init=dale&.*ei=0\.8/);
  await page.selectOption('select[name=init]', 'dale_rank');
  await page.fill('input[name=rank]', '3');
  await page.fill('input[name=ei]', '0.6');
  await page.dispatchEvent('#settings', 'change');
  assert.deepEqual(await shown(page), { ei: true, rank: true });
  const c = await page.evaluate(() => window.richlazy.config);
  assert.deepEqual([c.init, c.rank, c.ei], ['dale_rank', 3, 0.6]);
  assert.match(page.url(), /init=dale_rank&rank=3&.*ei=0\.6/);
  await page.selectOption('select[name=init]', 'gaussian');
  assert.deepEqual(await shown(page), { ei: false, rank: false });
  assert.equal(await page.evaluate(() => window.richlazy.config.ei), undefined);
  assert.doesNotMatch(page.url(), /ei=/);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a ?init=dale&ei=0.5 link round-trips and a bad fraction is named', async () => {
  const { page, context, log } = await open(browser, `${server.url}?init=dale&ei=0.5&hidden=30&iters=20&every=10`);
  await waitPhase(page, 'done');
  const state = await page.evaluate(() => ({
    config: [window.richlazy.config.init, window.richlazy.config.ei],
    report: [window.richlazy.runs[0].report.config.init, window.richlazy.runs[0].report.config.ei],
    field: document.querySelector('input[name=ei]').value,
  }));
  assert.deepEqual(state, { config: ['dale', 0.5], report: ['dale', 0.5], field: '0.5' });
  assert.deepEqual(await shown(page), { ei: true, rank: false });
  const url = new URL(page.url());
  assert.deepEqual([url.searchParams.get('init'), url.searchParams.get('ei')], ['dale', '0.5']);
  assert.deepEqual(log.errors, []);
  await page.goto(`${server.url}?init=dale&ei=1.5&hidden=30&iters=20&every=10`);
  await waitPhase(page, 'done');
  const notes = await page.evaluate(() => [...document.querySelectorAll('#notices .notice')].map((n) => n.textContent).join('\n'));
  assert.match(notes, /ei: 1\.5 is not strictly between 0 and 1/);
  assert.equal(await page.evaluate(() => window.richlazy.config.ei), 0.8);
  await context.close();
});
