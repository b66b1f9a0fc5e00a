// The state-space analysis in wasm is the command line's to the bit: analyse_npy on the weight files
// of a run equals `richlazy analyse --weights` on them and `richlazy analyse` of the run, and the
// run's last live frame draws the report's trajectories in the report's axes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { default: init, Run, analyse_npy } = await import(`${root}dist/pkg/richlazy.js`);
await init({ module_or_path: readFileSync(`${root}dist/pkg/richlazy_bg.wasm`) });
const cli = (args) => execFileSync(`${root}target/release/richlazy`, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
const NAMES = ['W_in.npy', 'W_rec0.npy', 'W_rec.npy', 'W_out.npy'];

const cases = [
  [['task', '2af'], ['init', 'rank'], ['rank', '2'], ['hidden', '40'], ['iters', '60'], ['every', '20'], ['seed', '4'], ['lr', '0.01']],
  [['task', 'dms'], ['hidden', '24'], ['iters', '30'], ['every', '10'], ['seed', '1'], ['opt', 'adam'], ['lr', '0.01']],
  [['task', 'cxt'], ['hidden', '30'], ['iters', '20'], ['every', '10'], ['dt', '20']],
];

for (const pairs of cases) {
  test(`wasm analysis equals the command line's: ${pairs.map((p) => p.join('=')).join('&')}`, () => {
    const keys = pairs.map((p) => p[0]), values = pairs.map((p) => p[1]);
    const run = new Run(keys, values);
    const frames = [];
    const take = () => JSON.parse(run.take_frames()).forEach((f, i) => frames.push({ f, files: NAMES.map((n) => run.taken_weight(i, n)) }));
    take();
    while (run.advance(7)) take();
    take();
    const every = Number(values[keys.indexOf('every')]), iters = Number(values[keys.indexOf('iters')]);
    assert.deepEqual(frames.map((x) => x.f.iter), Array.from({ length: iters / every + 1 }, (_, i) => i * every));
    const files = NAMES.map((n) => run.weight_npy(n));
    run.free();
    assert.deepEqual(frames.at(-1).files, files, 'the last frame keeps the run\'s final weights');
    const flags = pairs.flatMap(([k, v]) => [`--${k}`, v]);
    const inRun = cli(['analyse', ...flags]);
    const page = analyse_npy(keys, values, ...files);
    assert.equal(page, inRun, 'the page\'s analysis of the final weights is the in-run analysis');
    const dir = mkdtempSync(join(tmpdir(), 'richlazy-wasm-analysis-'));
    NAMES.forEach((n, i) => writeFileSync(join(dir, n), frames[1].files[i]));
    assert.equal(analyse_npy(keys, values, ...frames[1].files), cli(['analyse', ...flags, '--weights', dir]), 'an earlier measure point, the same on both');
    const report = JSON.parse(inRun), last = frames.at(-1).f;
    for (const k of ['conditions', 'components', 'trajectories']) assert.deepEqual(last[k], report[k], k);
    assert.equal(last.change.cka, report.change.cka);
    assert.equal(frames[0].f.change.trajectory_shift, 0);
  });
}

test('bad weight files and settings come back as the engine\'s error objects', () => {
  const run = new Run(['hidden', 'iters'], ['16', '1']);
  run.advance(1);
  const files = NAMES.map((n) => run.weight_npy(n));
  run.free();
  const e = (r) => JSON.parse(r).error;
  assert.deepEqual(Object.keys(e(analyse_npy(['hidden'], ['16'], new Uint8Array([1, 2, 3]), ...files.slice(1)))), ['key', 'code', 'message']);
  assert.equal(e(analyse_npy(['hidden'], ['16'], new Uint8Array([1, 2, 3]), ...files.slice(1))).key, 'weights');
  assert.match(e(analyse_npy(['task'], ['cxt'], ...files)).message, /W_in is 16 x 3: the task and W_rec need 16 x 7/);
  assert.equal(e(analyse_npy(['hidden'], ['-3'], ...files)).key, 'hidden');
});
