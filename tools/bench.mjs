// Prints the engine's timings natively and as wasm under Node, in one run so the ratios mean something.
//   node tools/bench.mjs [ITERS]     (after ./build.sh and cargo build --release)
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const iters = process.argv[2] ?? '100';
const { default: init, bench } = await import(`${root}dist/pkg/richlazy.js`);
await init({ module_or_path: readFileSync(`${root}dist/pkg/richlazy_bg.wasm`) });

const native = JSON.parse(execFileSync(`${root}target/release/richlazy`, ['bench', '--iters', iters, '--json'], { encoding: 'utf8' }));
const wasm = JSON.parse(bench([], [], Number(iters)));
const row = (name, key) =>
  console.log(`${name.padEnd(34)} ${native[key].toFixed(2).padStart(9)} ${wasm[key].toFixed(2).padStart(9)} ${(wasm[key] / native[key]).toFixed(2).padStart(7)}x`);
console.log(`paper settings (2AF, N 300, batch 32, 8 steps), ${iters} iterations; milliseconds`);
console.log(`${''.padEnd(34)} ${'native'.padStart(9)} ${'wasm/node'.padStart(9)} ${'ratio'.padStart(8)}`);
row('training iteration (BPTT + SGD)', 'iteration_ms');
row(`tangent-kernel alignment (${native.kernel_size}^2)`, 'kernel_alignment_ms');
row('singular values of 300x300 W_rec', 'svd_ms');
