// The perceptron study in wasm against the native command line: the same report, bit for bit
// (gamma draws, logs of the waiting times and every margin go through libm and fixed-order sums).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { default: init, StudyRun } = await import(`${root}dist/pkg/richlazy.js`);
await init({ module_or_path: readFileSync(`${root}dist/pkg/richlazy_bg.wasm`) });

function native(pairs) {
  const args = ['sgd', 'perceptron', ...pairs.flatMap(([k, v]) => [`--${k}`, v]), '--json'];
  return execFileSync(`${root}target/release/richlazy`, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

function wasm(pairs) {
  const run = new StudyRun('perceptron', pairs.map((p) => p[0]), pairs.map((p) => p[1]));
  while (run.advance(3)) run.progress();
  const report = run.report();
  run.free();
  return report;
}

const cases = [
  [['d', '8'], ['ps', '64,256'], ['ats', '0.1,10'], ['seeds', '2'], ['pte', '500']],
  [['chi', '1'], ['d', '16'], ['ps', '200'], ['ats', '0.3,30'], ['b', '5'], ['alpha', '4'], ['seed', '7'], ['pte', '300']],
  [['chi', '0.5'], ['d', '12'], ['ps', '128'], ['ats', '2'], ['trace', '1'], ['pte', '300']],
];

for (const pairs of cases) {
  test(`wasm and native perceptron reports are identical: ${pairs.map((p) => p.join('=')).join('&')}`, () => {
    const w = wasm(pairs);
    assert.equal(w, native(pairs));
    const report = JSON.parse(w);
    assert.ok(report.runs.length > 0 && report.runs.every((r) => !r.capped && r.dw > 0 && r.steps >= r.hits));
  });
}

test('a million SGD steps in wasm (Node): timed', () => {
  const run = new StudyRun('perceptron', ['ps', 'ats', 'seeds', 'pte'], ['1024', '1', '1', '1000']);
  const t0 = performance.now();
  while (run.advance(1000));
  const ms = performance.now() - t0;
  const [r] = JSON.parse(run.report()).runs;
  run.free();
  assert.ok(r.steps > 1e6, `${r.steps} steps`);
  console.log(`perceptron: ${r.steps} SGD steps (${r.hits} hit an unfitted point) in ${ms.toFixed(0)} ms of wasm in Node`);
});
