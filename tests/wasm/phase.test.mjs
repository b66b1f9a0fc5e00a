// The phase diagram's cells are the command line's to the last bit: GELU's erf and exp come from
// libm and every sum has a fixed order, so the wasm `StudyRun` and `richlazy sgd grid --json` agree,
// and one cell run alone (shard_k = i, shard_n = cells, as the page's pool runs it) is that cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { default: init, StudyRun } = await import(`${root}dist/pkg/richlazy.js`);
await init({ module_or_path: readFileSync(`${root}dist/pkg/richlazy_bg.wasm`) });

const pairs = [['L', '2'], ['h', '8'], ['P', '128'], ['B', '8'], ['log2_alpha', '-3,0,3'], ['log2_T', '-7,-4,-1'], ['cap', '3000'], ['seed', '4']];

function wasm(extra) {
  const all = [...pairs, ...extra];
  const run = new StudyRun('phase', all.map((p) => p[0]), all.map((p) => p[1]));
  while (run.advance(7));
  const report = JSON.parse(run.report());
  run.free();
  return report;
}

test('wasm and native phase diagrams are identical', () => {
  const native = execFileSync(`${root}target/release/richlazy`, ['sgd', 'grid', ...pairs.flatMap(([k, v]) => [`--${k}`, v]), '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const w = wasm([]);
  assert.deepStrictEqual(w, JSON.parse(native));
  assert.equal(w.cells.length, 9);
  // Fitted, capped and diverged cells all occur at these settings (so the comparison covers each).
  assert.ok(w.cells.some((c) => !c.capped && !c.diverged) && w.cells.some((c) => c.capped || c.diverged));
});

test('one cell alone is the same cell of the whole grid', () => {
  const whole = wasm([]);
  for (const i of [0, 4, 8]) {
    const one = wasm([['shard_k', String(i)], ['shard_n', '9']]);
    assert.deepStrictEqual(one.cells, [whole.cells[i]]);
  }
});
