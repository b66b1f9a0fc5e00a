// The regime studies (src/regimes): the wasm build and the native command line give the same report
// for the same settings, and every study's settings table rejects a bad value for each key by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { default: init, StudyRun, study_schema, study_settings } = await import(`${root}dist/pkg/richlazy.js`);
await init({ module_or_path: readFileSync(`${root}dist/pkg/richlazy_bg.wasm`) });

// Each study's command line, and small settings that still exercise it.
const COMMANDS = { perceptron: ['sgd', 'perceptron'], phase: ['sgd', 'grid'], grok: ['grok'] };
const CASES = [
  ['perceptron', { d: '8', ps: '64,256', ats: '0.1,10', seeds: '2', pte: '500' }],
  ['perceptron', { chi: '1', d: '16', ps: '200', ats: '0.3,30', b: '5', alpha: '4', seed: '7', pte: '300' }],
  ['perceptron', { chi: '0.5', d: '12', ps: '128', ats: '2', trace: '1', pte: '300' }],
  ['phase', { L: '2', h: '8', P: '128', B: '8', log2_alpha: '-3,0,3', log2_T: '-7,-4,-1', cap: '3000', seed: '4' }],
  ['grok', { mode: 'alpha', d: '8', p: '30', n: '12', test: '40', c: '1', epochs: '300', alphas: '0.5,2' }],
  ['grok', { mode: 'map', d: '6', p: '20', n: '8', test: '20', c: '1', epochs: '400', alphas: '1,2', epss: '0.1,0.3', shard: '2/4' }],
];

function native(name, pairs) {
  const args = [...COMMANDS[name], ...Object.entries(pairs).flatMap(([k, v]) => [`--${k}`, v]), '--json'];
  return execFileSync(`${root}target/release/richlazy`, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

function wasm(name, pairs) {
  const run = new StudyRun(name, Object.keys(pairs), Object.values(pairs));
  while (run.advance(7));
  const report = run.report();
  run.free();
  return report;
}

for (const [name, pairs] of CASES) {
  test(`${name}: wasm and native reports are identical (${new URLSearchParams(pairs)})`, () => {
    const w = wasm(name, pairs);
    assert.equal(w, native(name, pairs));
    assert.ok(w.length > 100, 'a report with results');
  });
}

test('every study names a bad value for each of its keys and keeps the default', () => {
  for (const name of Object.keys(COMMANDS)) {
    const schema = JSON.parse(study_schema(name));
    for (const p of schema.params) {
      const bad = p.kind === 'choice' ? 'nonesuch' : p.kind === 'reals' ? `${p.lo},x` : String(p.hi + (p.kind === 'int' ? 1 : Math.max(1, Math.abs(p.hi))));
      const r = JSON.parse(study_settings(name, [p.key], [bad]));
      assert.equal(r.errors.length, 1, `${name}.${p.key}=${bad}`);
      assert.equal(r.errors[0].key, p.key, r.errors[0].message);
      assert.ok(r.errors[0].message.startsWith(`${p.key}: `), r.errors[0].message);
      assert.equal(r.settings[p.key], p.default);
      assert.deepEqual(r.changed, {});
    }
  }
});
