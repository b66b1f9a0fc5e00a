// sMNIST in the wasm build: refused by name until the data is given (load_mnist), then the same
// numbers as the native command line, which reads the same files through its own gzip reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { default: init, Run, load_mnist, sample_trial } = await import(`${root}dist/pkg/richlazy.js`);
await init({ module_or_path: readFileSync(`${root}dist/pkg/richlazy_bg.wasm`) });

const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
const pairs = [['task', 'smnist'], ['hidden', '20'], ['batch', '16'], ['iters', '12'], ['every', '6'], ['seed', '4'], ['init', 'rank'], ['rank', '5']];
const keys = pairs.map((p) => p[0]), values = pairs.map((p) => p[1]);

test('before the data is loaded, runs and trials are refused with a message', () => {
  assert.throws(() => new Run(keys, values), /MNIST data is not loaded/);
  const missing = JSON.parse(sample_trial(keys, values)).error;
  assert.deepEqual([missing.key, missing.code], ['task', 'missing_data']);
  assert.match(missing.message, /MNIST data is not loaded/);
  const bad = JSON.parse(load_mnist(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 1, 3]), new Uint8Array(0), new Uint8Array(0), new Uint8Array(0))).error;
  assert.equal(bad.code, 'format');
  assert.match(bad.message, /IDX|MNIST/);
});

test('with the data, wasm and native reports are identical', () => {
  const raw = FILES.map((f) => gunzipSync(readFileSync(`${root}data/mnist/${f}.gz`)));
  assert.deepEqual(JSON.parse(load_mnist(...raw)), { train: 60000, test: 10000 });
  const run = new Run(keys, values);
  while (run.advance(5));
  const w = run.report();
  run.free();
  const n = execFileSync(`${root}target/release/richlazy`, ['run', ...pairs.flatMap(([k, v]) => [`--${k}`, v]), '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  assert.equal(w, n);
  const report = JSON.parse(w);
  assert.equal(report.status, 'done');
  assert.equal(report.config.task, 'smnist');
  assert.equal(report.history.length, 3);
});
