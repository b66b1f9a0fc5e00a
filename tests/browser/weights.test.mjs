// The lab's weights download: one .npz whose .npy files are, byte for byte, what
// `richlazy run --save_weights DIR` writes for the same settings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, open, waitPhase, unzip, npyShape as shape } from './harness.mjs';

const root = new URL('../../', import.meta.url).pathname;
let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function downloaded(page) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click('#export-weights')]);
  const chunks = [];
  for await (const c of await d.createReadStream()) chunks.push(c);
  return [d.suggestedFilename(), Buffer.concat(chunks)];
}

test('the weights download holds the command line\'s .npy files, byte for byte', async () => {
  const settings = { task: '2af', init: 'rank', rank: 3, hidden: 24, iters: 40, every: 20, seed: 4 };
  const query = Object.entries(settings).map(([k, v]) => `${k}=${v}`).join('&');
  const { page, context, log } = await open(browser, `${server.url}?${query}`);
  assert.equal(await page.isDisabled('#export-weights'), true, 'nothing to download before a run ends');
  await waitPhase(page, 'done');
  const [name, npz] = await downloaded(page);
  assert.equal(name, 'richlazy-weights.npz');
  const files = unzip(npz);
  assert.deepEqual([...files.keys()], ['W_in.npy', 'W_rec0.npy', 'W_rec.npy', 'W_out.npy']);
  assert.deepEqual(shape(files.get('W_in.npy')), ['<f4', '24', '3']);
  assert.deepEqual(shape(files.get('W_rec0.npy')), ['<f8', '24', '24']);
  assert.deepEqual(shape(files.get('W_out.npy')), ['<f4', '3', '24']);
  const dir = mkdtempSync(join(tmpdir(), 'richlazy-weights-'));
  const flags = Object.entries(settings).flatMap(([k, v]) => [`--${k}`, String(v)]);
  execFileSync(`${root}target/release/richlazy`, ['run', ...flags, '--save_weights', dir], { stdio: 'ignore' });
  for (const [f, bytes] of files) assert.ok(bytes.equals(readFileSync(join(dir, f))), `${f} equals the CLI's`);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a comparison\'s weights come one folder per run', async () => {
  const { page, context } = await open(browser, `${server.url}?task=2af&hidden=16&iters=20&every=10&seed=2&compare=rank:1,gaussian`);
  await waitPhase(page, 'done');
  const files = unzip((await downloaded(page))[1]);
  const folders = [...new Set([...files.keys()].map((k) => k.split('/')[0]))];
  assert.equal(folders.length, 2, [...files.keys()].join(' '));
  assert.match(folders[0], /^1_rank1_seed2$/);
  assert.equal(files.size, 8);
  await context.close();
});
