// Sequential MNIST on the page: its data loads only when the task is chosen, after a notice with
// its size; the fast preset trains in seconds and the accuracy chart is drawn.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, waitPhase, inkOf } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser.close(); await server.close(); });

const notices = (page) => page.evaluate(() => [...document.querySelectorAll('#notices .notice')].map((n) => n.textContent));
const mnistRequests = (log) => log.requests.filter((u) => u.includes('/data/mnist/'));

test('choosing sMNIST says the size, loads the data, and the fast preset trains in seconds', async () => {
  const { page, context, log } = await open(browser, `${server.url}?hidden=30&iters=20&every=10`);
  await waitPhase(page, 'done');
  assert.deepEqual(mnistRequests(log), [], 'no MNIST request before the task is chosen');

  await page.selectOption('select[name=task]', 'smnist');
  await page.waitForFunction(() => [...document.querySelectorAll('#notices .notice')].some((n) => n.textContent.startsWith('MNIST loaded')), null, { timeout: 60_000 });
  const said = await notices(page);
  const size = said.findIndex((t) => /sMNIST needs the MNIST images: 11\.4 MB to download, 55\.0 MB once decompressed/.test(t));
  assert.ok(size >= 0, said.join('\n'));
  assert.ok(size < said.findIndex((t) => t.startsWith('MNIST loaded')), 'the size is said before the data is there');
  assert.equal(mnistRequests(log).length, 4);
  const c = await page.evaluate(() => window.richlazy.config);
  assert.deepEqual([c.task, c.hidden, c.batch, c.iters, c.every, c.opt], ['smnist', 64, 32, 300, 30, 'adam']);
  assert.match(page.url(), /task=smnist/);
  await page.evaluate(() => window.richlazy.redraw('accuracy'));
  const blank = await inkOf(page, 'accuracy'); // axes only: choosing the task reset the runs
  // The preview's sample trial is a digit: 28 steps of 28 pixel columns, values in [0, 1].
  await page.waitForFunction(() => window.richlazy.trial && window.richlazy.trial.n_in === 28, null, { timeout: 30_000 });
  const trial = await page.evaluate(() => window.richlazy.trial);
  assert.equal(trial.seq_len, 28);
  assert.ok(trial.x.every((v) => v >= 0 && v <= 1) && trial.x.some((v) => v > 0.9));
  assert.ok(await inkOf(page, 'trial') > 500);

  const t0 = Date.now();
  await page.click('#train');
  await waitPhase(page, 'done', 60_000);
  const seconds = (Date.now() - t0) / 1000;
  const report = await page.evaluate(() => window.richlazy.runs[0].report);
  assert.equal(report.status, 'done');
  assert.equal(report.config.task, 'smnist');
  assert.ok(report.final.accuracy > 0.5, `test accuracy ${report.final.accuracy}`);
  assert.ok(report.history.length === 11, `${report.history.length} measures`);
  console.log(`# sMNIST fast preset: ${seconds.toFixed(1)} s from Train to done`); // printed, not asserted: machines differ
  await page.evaluate(() => window.richlazy.redraw('accuracy'));
  assert.ok(await inkOf(page, 'accuracy') > blank + 200, 'the accuracy chart shows the run');
  assert.equal(mnistRequests(log).length, 4, 'the files are fetched once');
  const caption = () => page.evaluate(() => document.querySelector('[data-chart="accuracy"] figcaption').textContent);
  assert.match(await caption(), /chance is 0\.1/);
  // "Paper settings" for sMNIST: N 300 and the paper's batch 200.
  await page.click('#preset-paper');
  assert.deepEqual(await page.evaluate(() => [window.richlazy.config.hidden, window.richlazy.config.batch, window.richlazy.config.opt]), [300, 200, 'sgd']);
  await page.selectOption('select[name=task]', '2af');
  assert.match(await caption(), /chance is 0\.5/);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('an sMNIST link loads the data and runs; a time step is refused by name', async () => {
  const { page, context, log } = await open(browser, `${server.url}?task=smnist&hidden=16&batch=8&iters=10&every=5&dt=20`);
  await waitPhase(page, 'done', 60_000);
  const report = await page.evaluate(() => window.richlazy.runs[0].report);
  assert.deepEqual([report.config.task, report.config.hidden, report.status], ['smnist', 16, 'done']);
  assert.ok((await notices(page)).some((t) => t.includes('dt: smnist has one step per pixel row, so dt stays 100 ms')));
  assert.deepEqual(log.errors, []);
  await context.close();
});
