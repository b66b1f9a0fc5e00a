// The wasm build and the native build must give the same numbers for one seed:
// the kernels fix every sum's order and all transcendentals come from libm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { default: init, Run, settings } = await import(`${root}dist/pkg/richlazy.js`);
await init({ module_or_path: readFileSync(`${root}dist/pkg/richlazy_bg.wasm`) });

function native(args) {
  return execFileSync(`${root}target/release/richlazy`, ['run', ...args, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

function wasm(pairs) {
  const run = new Run(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
  while (run.advance(25));
  const report = run.report();
  run.free();
  return report;
}

const cases = [
  [['task', 'cxt'], ['hidden', '48'], ['iters', '120'], ['every', '40'], ['seed', '3']],
  [['task', 'dms'], ['init', 'rank'], ['rank', '4'], ['hidden', '40'], ['iters', '80'], ['every', '40'], ['opt', 'adam'], ['lr', '0.01']],
];

for (const pairs of cases) {
  test(`wasm and native reports are identical: ${pairs.map((p) => p.join('=')).join('&')}`, () => {
    const n = native(pairs.flatMap(([k, v]) => [`--${k}`, v]));
    const w = wasm(pairs);
    assert.equal(w, n);
    const report = JSON.parse(w);
    assert.equal(report.status, 'done');
    assert.ok(report.final.weight_change > 0);
  });
}

test('a diverging run is reported as diverged with no final measures', () => {
  const w = JSON.parse(wasm([['init', 'rank'], ['rank', '1'], ['gain', '60'], ['lr', '10'], ['hidden', '30'], ['iters', '50']]));
  assert.equal(w.status, 'diverged');
  assert.equal(w.final, null);
});

test('bad settings are named and fall back to defaults', () => {
  const s = JSON.parse(settings(['task', 'hidden', 'seed'], ['<b>x</b>', '99999', '12']));
  assert.equal(s.errors.length, 2);
  assert.equal(s.config.task, '2af');
  assert.equal(s.config.hidden, 300);
  assert.equal(s.config.seed, 12);
  assert.throws(() => new Run(['lr'], ['-1']), /lr/);
});
