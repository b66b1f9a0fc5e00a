// Prints the engine's timings natively, as wasm under Node and as wasm in a headless-Chromium
// worker (and PyTorch's, given a python with torch), in one run so that the ratios mean something.
// Paper settings: 2AF, N 300, batch 32, 8 steps; the training iteration also with the local rules (e-prop,
// random feedback) and lambda_max's time (500 steps, N 300) where the engine's bench reports it.
// Then the state-space analysis at N 100 and 300 (native and Chromium), the page's weight and start-up.
//   node tools/bench.mjs [ITERS] [--repeats R] [--sweep ITERS]     (after ./build.sh and cargo build --release)
//   TORCH_PYTHON=/tmp/torchvenv/bin/python node tools/bench.mjs    adds PyTorch (1 thread, all threads)
// Each figure is the median of R (default 3) bench calls, each itself a median (src/bench.rs). wasm
// figures are warm: V8 first runs new code unoptimised and optimises it in the background, so the
// first calls of a fresh worker are slower (printed as "cold"; a training run spends well under 1%
// of its time there). --sweep ITERS also times the page's compare mode (2AF ranks 1, 30, 100, 300,
// paper settings, ITERS iterations each) with its worker pool.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { serve, launch } from '../tests/browser/harness.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const flag = (name, dflt) => { const i = args.indexOf(name); return i < 0 ? dflt : Number(args.splice(i, 2)[1]); };
const repeats = flag('--repeats', 3);
const sweepIters = flag('--sweep', 0);
const iters = Number(args[0] ?? 200);
const KEYS = ['iteration_ms', 'kernel_alignment_ms', 'svd_ms', 'lyap_ms'];
const RULES = ['eprop', 'rflo']; // timed beside BPTT: the training iteration only
const WARMUP_MS = 4000;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medianOf = (runs, keys = KEYS) => ({ ...runs[0], ...Object.fromEntries(keys.filter((k) => k in runs[0]).map((k) => [k, median(runs.map((r) => r[k]))])) });

const nativeBench = (extra) => medianOf(Array.from({ length: repeats }, () => JSON.parse(execFileSync(`${root}target/release/richlazy`, ['bench', '--iters', String(iters), ...extra, '--json'], { encoding: 'utf8' }))));
const native = { ...nativeBench([]), rules: Object.fromEntries(RULES.map((rule) => [rule, nativeBench(['--rule', rule])])) };

// The same loop in Node and in the worker: warm-up calls for WARMUP_MS, then `repeats` timed calls,
// then `repeats` calls for each local rule (whose iterations share the warmed-up kernels).
const warmAndTime = (bench, n, r, warmupMs, rules) => {
  const cold = JSON.parse(bench([], [], 50));
  for (const t0 = Date.now(); Date.now() - t0 < warmupMs;) bench([], [], 50);
  const runs = Array.from({ length: r }, () => JSON.parse(bench([], [], n)));
  const byRule = Object.fromEntries(rules.map((rule) => {
    bench(['rule'], [rule], 20); // its own code paths warm up
    return [rule, Array.from({ length: r }, () => JSON.parse(bench(['rule'], [rule], n)))];
  }));
  return { cold, runs, byRule };
};
const withRules = (res) => ({ ...medianOf(res.runs), rules: Object.fromEntries(Object.entries(res.byRule).map(([k, v]) => [k, medianOf(v)])) });

const { default: init, bench, Run, StudyRun } = await import(`${root}dist/pkg/richlazy.js`);
await init({ module_or_path: readFileSync(`${root}dist/pkg/richlazy_bg.wasm`) });
const nodeRes = warmAndTime(bench, iters, repeats, WARMUP_MS, RULES);
const node = withRules(nodeRes);

// What the live state-space frames add to a whole run (wasm in Node): the page's Run, which frames
// every measure point and keeps its weights, against the lab study's run of the same settings,
// which does neither; paper settings, 2,000 iterations measured every 500, alternated.
const LIVE = [['iters', '2000'], ['every', '500']];
const timeRun = (make) => { const t0 = performance.now(); const r = make(); while (r.advance(50)); r.free(); return performance.now() - t0; };
const live = { framed: [], plain: [] };
for (let i = 0; i < repeats; i++) {
  // As the worker does: each frame parsed and its four weight files copied out.
  live.framed.push(timeRun(() => {
    const r = new Run(LIVE.map((p) => p[0]), LIVE.map((p) => p[1]));
    const names = JSON.parse(r.weight_names());
    const take = () => JSON.parse(r.take_frames()).forEach((_, k) => names.forEach((n) => r.taken_weight(k, n)));
    return { advance: (n) => { const going = r.advance(n); take(); return going; }, free: () => r.free() };
  }));
  live.plain.push(timeRun(() => new StudyRun('lab', LIVE.map((p) => p[0]), LIVE.map((p) => p[1]))));
}

const server = await serve();
const browser = await launch();
const page = await browser.newPage();
// A same-origin document without the page's Content-Security-Policy, which forbids the blob: worker.
await page.goto(`${server.url}pkg/richlazy.js`);
const chromeRes = await page.evaluate(async ([origin, n, r, warm, fn, rules]) => {
  const src = `import init, { bench } from '${origin}pkg/richlazy.js';
    await init(); postMessage((${fn})(bench, ${n}, ${r}, ${warm}, ${JSON.stringify(rules)}));`;
  const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })), { type: 'module' });
  return new Promise((resolve, reject) => { w.onmessage = (e) => resolve(e.data); w.onerror = (e) => reject(new Error(e.message)); });
}, [server.url, iters, repeats, WARMUP_MS, warmAndTime.toString(), RULES]);
const chromium = withRules(chromeRes);

// The state-space analysis (src/analysis) at N 100 and 300, of a network trained 20 iterations
// against its start: natively, and in a Chromium worker after a warm-up call at each size.
const SIZES = [100, 300];
const A_KEYS = ['frame_ms', 'frame_share', 'fixed_point_search_ms', 'analysis_ms'];
const nativeAnalysis = SIZES.map((n) => medianOf(Array.from({ length: repeats }, () => JSON.parse(execFileSync(`${root}target/release/richlazy`, ['bench', '--hidden', String(n), '--iters', '20', '--json'], { encoding: 'utf8' }))), A_KEYS));
const chromeAnalysis = await page.evaluate(async ([origin, sizes, r]) => {
  const src = `import init, { bench_analysis } from '${origin}pkg/richlazy.js';
    await init();
    postMessage(${JSON.stringify(sizes)}.map((n) => { bench_analysis(['hidden'], [String(n)], 10); return Array.from({ length: ${r} }, () => JSON.parse(bench_analysis(['hidden'], [String(n)], 20))); }));`;
  const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })), { type: 'module' });
  return new Promise((resolve, reject) => { w.onmessage = (e) => resolve(e.data); w.onerror = (e) => reject(new Error(e.message)); });
}, [server.url, SIZES, repeats]);
await page.close();

const cols = [['native', native], ['wasm/node', node], ['wasm/chromium', chromium]];
if (process.env.TORCH_PYTHON) {
  const torch = JSON.parse(execFileSync(process.env.TORCH_PYTHON, [`${root}tools/torch_bench.py`, '--iters', String(iters), '--json'], { encoding: 'utf8' }));
  cols.push([`torch 1 thread`, torch.one], [`torch ${torch.all.threads} threads`, torch.all]);
}
console.log(`paper settings (2AF, N 300, batch 32, 8 steps), ${iters} iterations, median of ${repeats}; milliseconds (ratio to native)`);
console.log(''.padEnd(36) + cols.map(([n]) => n.padStart(20)).join(''));
const rows = [['training iteration (BPTT + SGD)', (t) => t.iteration_ms],
  ...RULES.map((rule) => [`training iteration (${rule === 'eprop' ? 'e-prop' : 'random fb'} + SGD)`, (t) => t.rules?.[rule]?.iteration_ms]),
  [`tangent-kernel alignment (${native.kernel_size}^2)`, (t) => t.kernel_alignment_ms], ['singular values, 300x300 W_rec', (t) => t.svd_ms],
  ['lambda_max, 500 steps (N 300)', (t) => t.lyap_ms]];
for (const [name, get] of rows) {
  if (get(native) === undefined) continue; // an engine whose bench does not report it
  console.log(name.padEnd(36) + cols.map(([, t]) => (get(t) === undefined ? '–' : `${get(t).toFixed(2)} (${(get(t) / get(native)).toFixed(2)}x)`).padStart(20)).join(''));
}
const cold = (r) => KEYS.filter((k) => k in r.cold).map((k) => r.cold[k].toFixed(k === 'iteration_ms' ? 2 : 0)).join(' / ');
console.log(`cold first call (iteration / kernel / SVD / lambda_max): wasm/node ${cold(nodeRes)}, wasm/chromium ${cold(chromeRes)}`);
console.log(`\nlive state-space frames (wasm in Node, 2AF N 300, 2,000 iterations, every 500): run ${(median(live.framed) / 1000).toFixed(2)} s with them, ${(median(live.plain) / 1000).toFixed(2)} s without (+${(100 * (median(live.framed) / median(live.plain) - 1)).toFixed(1)}%)`);
console.log('state-space analysis (2AF, 20 iterations in), median of ' + repeats + '; milliseconds, native / wasm in Chromium (ratio)');
SIZES.forEach((n, i) => {
  const [a, b] = [nativeAnalysis[i], medianOf(chromeAnalysis[i], A_KEYS)];
  const ms = (k) => `${a[k].toFixed(0)} / ${b[k].toFixed(0)} (${(b[k] / a[k]).toFixed(1)}x)`;
  console.log(`  N ${n}: live frame ${a.frame_ms.toFixed(1)} / ${b.frame_ms.toFixed(1)} (${(100 * a.frame_share).toFixed(1)}% / ${(100 * b.frame_share).toFixed(1)}% of the iterations between measures); one fixed-point search ${ms('fixed_point_search_ms')}; whole analysis ${ms('analysis_ms')}`);
});

// ---- the page: weight, and navigation -> first chart -> end of the first visit's run ----
const files = (dir) => readdirSync(dir).flatMap((f) => (statSync(`${dir}/${f}`).isDirectory() ? files(`${dir}/${f}`) : [`${dir}/${f}`]));
const weigh = (list) => list.reduce(([raw, gz], f) => { const b = readFileSync(f); return [raw + b.length, gz + gzipSync(b, { level: 9 }).length]; }, [0, 0]);
const kb = ([raw, gz]) => `${(raw / 1024).toFixed(0)} KB, ${(gz / 1024).toFixed(0)} KB gzipped`;
console.log(`\npage weight: wasm ${kb(weigh([`${root}dist/pkg/richlazy_bg.wasm`]))}; dist/ ${kb(weigh(files(`${root}dist`)))} (gzip -9 per file)`);
const starts = [];
for (let i = 0; i < repeats; i++) {
  const context = await browser.newContext({ viewport: { width: 1300, height: 1000 } });
  const p = await context.newPage();
  await p.goto(server.url);
  const chart = await p.waitForFunction(() => window.richlazy?.drawMs?.loss !== undefined && performance.now(), null, { polling: 'raf' }).then((h) => h.jsonValue());
  const done = await p.waitForFunction(() => window.richlazy.phase === 'done' && performance.now(), null, { timeout: 120_000 }).then((h) => h.jsonValue());
  starts.push([chart, done]);
  await context.close();
}
const s = (xs) => `${(median(xs) / 1000).toFixed(2)} s (${(Math.min(...xs) / 1000).toFixed(2)}-${(Math.max(...xs) / 1000).toFixed(2)})`;
console.log(`first visit (fast preset, N 100, 1,000 iterations), from navigation: first chart ${s(starts.map((x) => x[0]))}, run done ${s(starts.map((x) => x[1]))}`);

// ---- optional: the paper's sweep in compare mode, as a reader's browser runs it ----
if (sweepIters) {
  const context = await browser.newContext({ viewport: { width: 1300, height: 1000 } });
  const p = await context.newPage();
  const t0 = Date.now();
  await p.goto(`${server.url}?task=2af&iters=${sweepIters}&compare=1,30,100,300`);
  await p.waitForFunction(() => window.richlazy?.phase === 'done', null, { timeout: 0, polling: 1000 });
  const ms = Date.now() - t0;
  const info = await p.evaluate(() => ({ pool: window.richlazy.poolSize, cores: navigator.hardwareConcurrency, every: window.richlazy.config.every, runs: window.richlazy.runs.map((r) => r.status) }));
  console.log(`compare sweep (2AF ranks 1,30,100,300, N 300, ${sweepIters} iterations, measures every ${info.every}): ${(ms / 1000).toFixed(1)} s with a pool of ${info.pool} worker(s) on ${info.cores} cores; runs ${info.runs.join(',')}`);
  await context.close();
}
await browser.close();
await server.close();
