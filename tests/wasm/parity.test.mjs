// The wasm build and the native build must give the same numbers for one seed:
// the kernels fix every sum's order and all transcendentals come from libm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { default: init, Run, settings, variants } = await import(`${root}dist/pkg/richlazy.js`);
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
  // The local-rules study: every rule at dt 20 (40 steps, where they differ), flossing on in two of them.
  [['task', '2af'], ['hidden', '24'], ['iters', '30'], ['every', '10'], ['dt', '20'], ['rule', 'bptt'], ['seed', '5']],
  [['task', '2af'], ['hidden', '24'], ['iters', '30'], ['every', '10'], ['dt', '20'], ['rule', 'eprop'], ['seed', '5'], ['floss', 'both'], ['floss_k', '3'], ['floss_iters', '5'], ['floss_every', '10']],
  [['task', 'cxt'], ['hidden', '24'], ['iters', '30'], ['every', '10'], ['dt', '20'], ['rule', 'rflo'], ['gain', '0.5'], ['opt', 'adam'], ['lr', '0.001'], ['floss', 'pre'], ['floss_mode', 'local'], ['floss_k', '2'], ['floss_iters', '5']],
  // The measured animals: a seeded V1 draw and its control, another worm with signs, the fly's patch.
  [['init', 'v1'], ['hidden', '60'], ['iters', '20'], ['every', '10'], ['seed', '2']],
  [['init', 'v1_spectrum'], ['hidden', '40'], ['iters', '10'], ['every', '10'], ['seed', '1']],
  [['init', 'connectome_shuffled'], ['dataset', 'witvliet_1'], ['signed', '1'], ['iters', '10'], ['every', '10']],
  [['init', 'fly'], ['iters', '4'], ['every', '2']],
  // Tasks in sequence: the cued input layer, every task's probe, the phases' measures (docs/sequences.md).
  [['sequence', '2af:20,dms:10:0.01,2af'], ['hidden', '24'], ['iters', '10'], ['every', '5'], ['seed', '2']],
];

for (const pairs of cases) {
  test(`wasm and native reports are identical: ${pairs.map((p) => p.join('=')).join('&')}`, () => {
    const n = native(pairs.flatMap(([k, v]) => [`--${k}`, v]));
    const w = wasm(pairs);
    assert.equal(w, n);
    const report = JSON.parse(w);
    assert.equal(report.status, 'done');
    assert.ok(report.final.weight_change > 0);
    assert.ok(report.history.every((m) => Number.isFinite(m.lyap_max)));
    assert.equal(report.final.lyap_spectrum.length, 8);
  });
}

test('the rules differ from each other at dt 20 (same seed, same start)', () => {
  const base = [['task', '2af'], ['hidden', '24'], ['iters', '30'], ['every', '10'], ['dt', '20'], ['seed', '5']];
  const finals = ['bptt', 'eprop', 'rflo'].map((rule) => JSON.parse(wasm([...base, ['rule', rule]])).final);
  assert.equal(new Set(finals.map((f) => f.weight_change)).size, 3);
  assert.equal(new Set(finals.map((f) => f.lyap_max)).size, 3);
});

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

test('compare lists: parts joined by +, bare numbers are ranks, named figures bring their base settings', () => {
  const v = JSON.parse(variants('rank:30+rule:rflo, 5, rule:eprop+gain:0.5'));
  assert.deepEqual(v.variants.map((x) => x.label), ['rank:30+rule:rflo', 'rank:5', 'rule:eprop+gain:0.5']);
  assert.deepEqual(v.variants[0].pairs, { init: 'rank', rank: '30', rule: 'rflo' });
  assert.equal(v.base, undefined);
  const local = JSON.parse(variants('local'));
  assert.equal(local.variants.length, 36);
  assert.equal(local.base.dt, '20');
  assert.equal(JSON.parse(variants('paper')).base.hidden, '300');
  const bad = JSON.parse(variants('rank:30+hebb:1')).error;
  assert.deepEqual([bad.key, bad.code], ['compare', 'choice']);
  assert.match(bad.message, /'hebb:1' is not one of/);
});
