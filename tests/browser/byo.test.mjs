// Bring your own connectivity: a .csv matrix chosen on the page becomes the start (heat map, effective
// rank, training); its link carries only the hash, and a new page asks for the file and checks it;
// malformed files are refused with a message and change nothing; compared runs get the matrix too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, waitPhase, inkOf, finals } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser.close(); await server.close(); });

const N = 12;
const matrix = Array.from({ length: N }, (_, r) => Array.from({ length: N }, (_, c) => ((r * 7 + c * 3) % 5 === 0 ? 0 : ((r * 7 + c * 3) % 5 - 2.5) / (1 + r))));
const csvOf = (m) => m.map((row) => row.join(',')).join('\n') + '\n';
const file = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

// The engine's hash, computed here from its definition: FNV-1a 64 over N (u64 LE) and each entry's f64 bits (LE).
function fnv(m) {
  const bytes = new Uint8Array(8 + 8 * m.length * m.length);
  const dv = new DataView(bytes.buffer);
  dv.setBigUint64(0, BigInt(m.length), true);
  m.flat().forEach((v, i) => dv.setFloat64(8 + 8 * i, v, true));
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}

const notes = (page) => page.evaluate(() => [...document.querySelectorAll('#notices .notice')].map((n) => n.textContent).join('\n'));
const summary = (page) => page.evaluate(() => document.querySelector('#init-summary').textContent);

test('a dropped matrix is the start, its link asks for the file again, and bad files change nothing', async () => {
  const hash = fnv(matrix);
  const { page, context, log } = await open(browser, `${server.url}?hidden=20&iters=40&every=20`);
  await waitPhase(page, 'done');
  await page.selectOption('select[name=init]', 'file');
  assert.equal(await page.isVisible('#file-input'), true);
  await page.waitForFunction(() => /Choose or drop a square matrix/.test(document.querySelector('#init-summary').textContent));
  await page.setInputFiles('#file-input', file('mine.csv', csvOf(matrix)));
  await page.waitForFunction((n) => new RegExp(`Effective rank of this start: [0-9.]+ \\(entropy\\), [0-9.]+ \\(participation ratio\\), of ${n};`).test(document.querySelector('#init-summary').textContent), N);
  const config = await page.evaluate(() => window.richlazy.config);
  assert.deepEqual([config.init, config.file, config.hidden], ['file', hash, N]);
  assert.equal(await page.isDisabled('input[name=hidden]'), true);
  await page.waitForFunction(() => window.richlazy.image && window.richlazy.image.n === 12);
  assert.ok((await inkOf(page, 'matrix')) > 2000, 'the heat map is drawn');
  assert.match(await page.textContent('#file-status'), new RegExp(`mine.csv: 12 x 12, hash ${hash}`));
  const before = await summary(page);

  await page.click('#train');
  await waitPhase(page, 'done');
  const first = await finals(page);
  assert.equal(await page.evaluate(() => window.richlazy.runs[0].report.config.init), 'file');
  assert.ok(first[0], 'the run finished with final measures');

  // Malformed files: a message each, and the start stays.
  const big = { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.alloc(50_000_001, 49) };
  for (const [f, want] of [
    [file('text.csv', '1,2,3\n4,5,oops\n7,8,9\n'), /text\.csv: row 2, column 3: 'oops' is not a number\. Nothing changed\./],
    [file('nan.csv', '1,2\nNaN,4\n'), /nan\.csv: row 2, column 1 is NaN: every entry must be finite/],
    [file('shape.csv', '1,2,3\n4,5,6\n'), /shape\.csv: the matrix is 2 x 3: it must be square/],
    [file('empty.csv', ''), /empty\.csv: the file is empty/],
    [big, /big\.csv: the file has 50000001 bytes, more than the limit of 50 MB/],
  ]) {
    await page.setInputFiles('#file-input', f);
    await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('#notices').textContent), want.source);
  }
  assert.deepEqual(await page.evaluate(() => [window.richlazy.config.init, window.richlazy.config.file, window.richlazy.file.name, window.richlazy.phase]), ['file', hash, 'mine.csv', 'done']);
  assert.equal(await summary(page), before);

  await page.click('#copy-link');
  const link = page.url();
  assert.match(link, /[?&]init=file&/);
  assert.match(link, new RegExp(`&file=${hash}&hidden=${N}&`));
  assert.deepEqual(log.errors, []);

  // The link on a fresh page: it asks for the file and runs nothing until given the same matrix.
  const second = await open(browser, link);
  const p2 = second.page;
  await waitPhase(p2, 'idle');
  await p2.waitForFunction(() => /a link cannot carry/.test(document.querySelector('#notices').textContent));
  assert.match(await notes(p2), new RegExp(`hash ${hash}`));
  assert.equal(await p2.isVisible('#file-input'), true);
  const other = matrix.map((row) => [...row]);
  other[3][4] += 1;
  await p2.setInputFiles('#file-input', file('other.csv', csvOf(other)));
  await p2.waitForFunction(() => /not the link's matrix, refused/.test(document.querySelector('#notices').textContent));
  assert.match(await notes(p2), new RegExp(`other\\.csv: its matrix has hash ${fnv(other)}, the link's has ${hash}`));
  assert.deepEqual(await p2.evaluate(() => [window.richlazy.runs.length, window.richlazy.phase, window.richlazy.file]), [0, 'idle', null]);
  await p2.setInputFiles('#file-input', file('copy.csv', csvOf(matrix)));
  await waitPhase(p2, 'done');
  assert.deepEqual(await finals(p2), first, 'the same matrix and settings give the same numbers');

  // A comparison's workers get the matrix too: the start and both controls.
  await p2.fill('#compare-ranks', 'file,file_shuffled,file_spectrum');
  await p2.click('#compare');
  await waitPhase(p2, 'done');
  const runs = await p2.evaluate(() => window.richlazy.runs.map((r) => [r.report?.config.init, r.report?.config.file, r.report?.config.hidden]));
  assert.deepEqual(runs, [['file', hash, N], ['file_shuffled', hash, N], ['file_spectrum', hash, N]]);
  assert.deepEqual(second.log.errors, []);
  await second.context.close();
  await context.close();
});
