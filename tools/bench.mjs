// Prints the engine's timings natively, as wasm under Node and as wasm in a headless-Chromium
// worker, in one run so that the ratios mean something. Paper settings: 2AF, N 300, batch 32.
//   node tools/bench.mjs [ITERS]     (after ./build.sh and cargo build --release)
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serve, launch } from '../tests/browser/harness.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const iters = Number(process.argv[2] ?? 100);

const native = JSON.parse(execFileSync(`${root}target/release/richlazy`, ['bench', '--iters', String(iters), '--json'], { encoding: 'utf8' }));

const { default: init, bench } = await import(`${root}dist/pkg/richlazy.js`);
await init({ module_or_path: readFileSync(`${root}dist/pkg/richlazy_bg.wasm`) });
const node = JSON.parse(bench([], [], iters));

const server = await serve();
const browser = await launch();
const page = await browser.newPage();
await page.goto(server.url);
const chromium = JSON.parse(await page.evaluate(async ([origin, n]) => {
  const src = `import init, { bench } from '${origin}pkg/richlazy.js';
    await init(); postMessage(bench([], [], ${n}));`;
  const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })), { type: 'module' });
  return new Promise((resolve, reject) => { w.onmessage = (e) => resolve(e.data); w.onerror = (e) => reject(new Error(e.message)); });
}, [server.url, iters]));
await browser.close();
await server.close();

const cols = [['native', native], ['wasm/node', node], ['wasm/chromium', chromium]];
console.log(`paper settings (2AF, N 300, batch 32, 8 steps), ${iters} iterations; milliseconds (ratio to native)`);
console.log(''.padEnd(36) + cols.map(([n]) => n.padStart(20)).join(''));
for (const [name, key] of [['training iteration (BPTT + SGD)', 'iteration_ms'], [`tangent-kernel alignment (${native.kernel_size}^2)`, 'kernel_alignment_ms'], ['singular values, 300x300 W_rec', 'svd_ms']]) {
  console.log(name.padEnd(36) + cols.map(([, t]) => `${t[key].toFixed(2)} (${(t[key] / native[key]).toFixed(2)}x)`.padStart(20)).join(''));
}
