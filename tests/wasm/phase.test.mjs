// The page's pool runs the phase diagram one cell per worker (shard i/cells): each such
// run must give exactly that cell of the whole grid (tests/wasm/studies.test.mjs checks the whole grid
// against the command line at these settings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { default: init, StudyRun } = await import(`${root}dist/pkg/richlazy.js`);
await init({ module_or_path: readFileSync(`${root}dist/pkg/richlazy_bg.wasm`) });

const pairs = { L: '2', h: '8', P: '128', B: '8', log2_alpha: '-3,0,3', log2_T: '-7,-4,-1', cap: '3000', seed: '4' };

function wasm(extra) {
  const all = { ...pairs, ...extra };
  const run = new StudyRun('phase', Object.keys(all), Object.values(all));
  while (run.advance(7));
  const report = JSON.parse(run.report());
  run.free();
  return report;
}

test('one cell alone is the same cell of the whole grid', () => {
  const whole = wasm({});
  assert.equal(whole.cells.length, 9);
  // Fitted and capped or diverged cells both occur at these settings, so the parity cases cover each.
  assert.ok(whole.cells.some((c) => !c.capped && !c.diverged) && whole.cells.some((c) => c.capped || c.diverged));
  for (const i of [0, 4, 8]) {
    const one = wasm({ shard: `${i}/9` });
    assert.deepStrictEqual(one.cells, [whole.cells[i]]);
  }
});
