// The theory panel's numbers are the command line's: the wasm `theory` export and
// `richlazy theory --json` give the same report to the last bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { default: init, theory } = await import(`${root}dist/pkg/richlazy.js`);
await init({ module_or_path: readFileSync(`${root}dist/pkg/richlazy_bg.wasm`) });

const pairs = [['dim', '20'], ['norm', '0.3'], ['norm_align', '2.5'], ['kappa', '30'], ['seeds', '2'], ['seed', '7']];

test('wasm and native theory reports are identical', () => {
  const native = execFileSync(`${root}target/release/richlazy`, ['theory', ...pairs.flatMap(([k, v]) => [`--${k}`, v]), '--json'], { encoding: 'utf8' }).trim();
  const w = JSON.parse(theory(pairs.map((p) => p[0]), pairs.map((p) => p[1])));
  assert.deepEqual(w.errors, []);
  // Parsed, so that only the numbers' values count (JSON.stringify writes 1e-15 where Rust writes 0.000...1).
  assert.deepStrictEqual(w.report, JSON.parse(native));
  assert.equal(w.report.rank.points.length, 5); // effective ranks 1, 2, 5, 10, 20
  assert.equal(w.report.align.starts.length, 3);
});

test('bad settings are named and replaced by defaults', () => {
  const w = JSON.parse(theory(['seeds', 'dim', 'norm'], ['0', '7', 'x']));
  assert.deepEqual(w.errors, [
    { key: 'seeds', code: 'range', message: 'seeds: 0 is outside 1..10' },
    { key: 'dim', code: 'conflict', message: 'dim: 7 is odd (kappa scales half of the 7 features)' },
    { key: 'norm', code: 'number', message: "norm: 'x' is not a number" },
  ]);
  assert.deepEqual([w.settings.seeds, w.settings.dim, w.settings.norm], [3, 50, 0.2]);
});
