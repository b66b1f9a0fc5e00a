// Every button of every view's share bar, clicked as a reader clicks it, and every file it gives
// checked: the results JSON equals the command line's report for the same settings (as the page writes
// it: the CLI's JSON parsed and written with JSON.stringify(_, null, 1), so every number to the bit),
// the history CSV's header and rows are the JSON's, each chart's PNG is a PNG of its canvas with ink on
// it, the weights .npz holds .npy files of the right shapes, the copied link reopens the same run
// (its JSON byte for byte), and the embed snippet is an iframe of that link with embed=1 that loads and
// runs. The article has its own tests (article.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { serve, serveHtml, launch, open, unzip, npyShape } from './harness.mjs';

// The share bar's buttons, by their data-act names (study.js's shareBar; the lab's in index.html).
const SEL = {
  link: '[data-act=link]',
  json: '[data-act=json]',
  csv: '[data-act=csv]',
  weights: '[data-act=weights]',
  notebook: '[data-act=notebook]',
  snippet: '.share textarea',
  png: 'button.png',
};

const root = new URL('../../', import.meta.url).pathname;
const cli = (args) => execFileSync(`${root}target/release/richlazy`, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
const flags = (pairs) => Object.entries(pairs).flatMap(([k, v]) => [`--${k}`, String(v)]);
/** A report as the page writes it. */
const asPage = (report) => JSON.stringify(typeof report === 'string' ? JSON.parse(report) : report, null, 1);

// One small setting per view (seconds each); `cli` the command line for the same settings; `csv`: the
// JSON's records the CSV's rows are (`lead`: the page's own columns before them, `by`: the columns that
// find a row's record); `weights`: the .npz's files and shapes.
const VIEWS = [
  {
    view: 'lab',
    link: { task: '2af', init: 'rank', rank: 3, hidden: 24, iters: 40, every: 20, seed: 4 },
    cli: (s) => ['run', ...flags(s), '--json'],
    csv: { records: (j) => j.history, lead: ['run'], by: ['iter'] },
    weights: { 'W_in.npy': ['<f4', '24', '3'], 'W_rec0.npy': ['<f8', '24', '24'], 'W_rec.npy': ['<f4', '24', '24'], 'W_out.npy': ['<f4', '3', '24'] },
  },
  {
    view: 'theory',
    // The view's link keys carry a prefix (theory.js).
    link: { theory_dim: 20, theory_seeds: 1 },
    cli: (s) => ['theory', ...flags(Object.fromEntries(Object.entries(s).map(([k, v]) => [k.replace(/^theory_/, ''), v]))), '--json'],
  },
  {
    view: 'perceptron',
    link: { d: 8, ps: '64,128', ats: '0.3,3,30', seeds: 2, pte: 500 },
    cli: (s) => ['sgd', 'perceptron', ...flags(s), '--json'],
    // The page adds the traced run (the smallest P at the middle alpha*T), which the command line runs apart.
    traced: (s) => ['sgd', 'perceptron', ...flags({ ...s, trace: 1, ps: 64, ats: 3, seeds: 1 }), '--json'],
    csv: { records: (j) => j.runs, lead: [], by: ['p', 'at', 'seed'] },
  },
  {
    view: 'phase',
    link: { L: 2, h: 8, P: 64, B: 8, log2_alpha: '-3,3', log2_T: '-7,-2', cap: 2000, seed: 4 },
    cli: (s) => ['sgd', 'grid', ...flags(s), '--json'],
    csv: { records: (j) => j.cells, lead: [], by: ['i'] },
  },
  {
    view: 'grok',
    // The map: one pool job per cell, merged into the command line's report.
    link: { mode: 'map', d: 5, p: 20, n: 16, test: 100, c: 1, epochs: 200, alphas: '1,2', epss: '0,0.1' },
    cli: (s) => ['grok', ...flags(s), '--json'],
    csv: { records: (j) => j.runs.flatMap((r) => r.rows.map((x) => ({ alpha: r.alpha, eps: r.eps, ...x }))), lead: ['job'], by: ['alpha', 'eps', 'epoch'] },
  },
];

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const query = (spec) => new URLSearchParams({ ...(spec.view === 'lab' ? {} : { view: spec.view }), ...spec.link }).toString();
/** The view's phase, wherever the view keeps it (the scaffold's study, the theory view's, the lab's);
 * a function, not a string: the page's Content-Security-Policy refuses eval. */
const phaseOf = () => window.richlazy?.study?.phase ?? window.richlazyTheory?.phase ?? window.richlazy?.phase;
const finished = (frame) => frame.waitForFunction(() => ['done', 'error'].includes(window.richlazy?.study?.phase ?? window.richlazyTheory?.phase ?? window.richlazy?.phase), null, { timeout: 120_000 }).then(() => frame.evaluate(phaseOf));
/** The shown view's container (the lab's is two: its page and its footer). */
const viewOf = (page) => page.locator('[data-view]:not([hidden])');

/** Clicks `button` and reads the file it downloads: [its name, its bytes]. */
async function download(page, button) {
  // A pointer click, and once more as a DOM click if no file came: on a loaded machine a late layout
  // shift (a chart redrawn, a notice) can move the button between Playwright's check and its click.
  const click = (how) => Promise.all([page.waitForEvent('download', { timeout: 15_000 }), how()]);
  const [d] = await click(() => button.click()).catch(() => click(() => button.evaluate((b) => b.click())));
  return [d.suggestedFilename(), await readFile(await d.path())];
}

/** A PNG's size and the count of its opaque, not near-white pixels (8-bit RGB or RGBA, as canvases write them). */
function png(buf) {
  assert.ok(buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'the PNG signature');
  const idat = [];
  let head = null;
  for (let at = 8; at < buf.length;) {
    const len = buf.readUInt32BE(at), kind = buf.toString('latin1', at + 4, at + 8), data = buf.subarray(at + 8, at + 8 + len);
    if (kind === 'IHDR') head = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), depth: data[8], type: data[9], interlace: data[12] };
    if (kind === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  assert.ok(head && head.depth === 8 && [2, 6].includes(head.type) && head.interlace === 0, `a plain 8-bit PNG: ${JSON.stringify(head)}`);
  const bpp = head.type === 6 ? 4 : 3, stride = head.width * bpp;
  const raw = inflateSync(Buffer.concat(idat)), px = Buffer.alloc(head.height * stride);
  // The five PNG filters, undone line by line.
  for (let y = 0; y < head.height; y++) {
    const filter = raw[y * (stride + 1)], line = raw.subarray(y * (stride + 1) + 1);
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? px[y * stride + x - bpp] : 0, b = y ? px[(y - 1) * stride + x] : 0, c = x >= bpp && y ? px[(y - 1) * stride + x - bpp] : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      px[y * stride + x] = line[x] + [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter];
    }
  }
  let ink = 0;
  for (let i = 0; i < px.length; i += bpp) if ((bpp === 3 || px[i + 3] > 0) && (px[i] < 240 || px[i + 1] < 240 || px[i + 2] < 240)) ink++;
  return { width: head.width, height: head.height, ink };
}

/** CSV text as a header and rows of cells (no cell of ours holds a comma but the lab's quoted run label). */
function parseCsv(text) {
  // Split at the commas outside quotes (an even count of quotes after them); a trailing empty cell stays.
  const [header, ...rows] = text.trim().split('\n').map((l) => l.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/));
  return { header, rows };
}
/** How the page writes a JSON value into a CSV cell (Array.join: null as empty). */
const cell = (v) => (v === null || v === undefined ? '' : String(v));

for (const spec of VIEWS) {
  test(`${spec.view}: every export button gives its file, the JSON the command line's report`, async () => {
    const { page, context, log } = await open(browser, `${server.url}?${query(spec)}`);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const view = viewOf(page);
    assert.equal(await finished(page), 'done');

    // Every button of the share bar is one of those tested here.
    const buttons = await view.locator('.share button').evaluateAll((els, sel) => els.map((b) => Object.keys(sel).find((k) => b.matches(sel[k])) ?? `unknown: ${b.outerHTML}`), SEL);
    const expected = ['link', 'json', ...(spec.csv ? ['csv'] : []), ...(spec.weights ? ['weights'] : [])];
    assert.deepEqual(buttons.filter((b) => b !== 'notebook').sort(), expected.sort(), 'the share bar holds these buttons');

    // Results JSON: the command line's report for the same settings.
    const [jsonName, jsonBytes] = await download(page, view.locator(SEL.json));
    assert.match(jsonName, /^richlazy-[\w-]+\.json$/);
    const text = jsonBytes.toString();
    const report = JSON.parse(text);
    if (spec.traced) {
      // The perceptron: the sweep's report, and beside it the traced run's (see the view's note).
      const { traced, ...sweep } = report;
      assert.equal(asPage(sweep), asPage(cli(spec.cli(spec.link))), 'the sweep equals `richlazy sgd perceptron`');
      assert.equal(asPage(traced), asPage(cli(spec.traced(spec.link))), 'the traced run equals `richlazy sgd perceptron --trace 1`');
      assert.deepEqual(Object.keys(report).at(-1), 'traced');
    } else {
      assert.equal(text, asPage(cli(spec.cli(spec.link))));
    }

    // History CSV: a column per key of the JSON's records, a row per record, each cell its value.
    if (spec.csv) {
      const [csvName, csvBytes] = await download(page, view.locator(SEL.csv));
      assert.match(csvName, /^richlazy-[\w-]+\.csv$/);
      const { header, rows } = parseCsv(csvBytes.toString());
      const records = spec.csv.records(report);
      assert.ok(records.length > 1);
      const keys = [...new Set(records.flatMap(Object.keys))];
      assert.deepEqual(header.filter((h) => !spec.csv.lead.includes(h)).sort(), keys.sort(), 'the header names the records\' keys');
      assert.deepEqual(header.slice(0, spec.csv.lead.length), spec.csv.lead);
      assert.equal(rows.length, records.length, 'a row per record');
      const find = (row) => records.filter((r) => spec.csv.by.every((k) => cell(r[k]) === row[header.indexOf(k)]));
      for (const row of rows) {
        const [r, ...more] = find(row);
        assert.ok(r && !more.length, `one record for the row ${row}`);
        for (const [i, h] of header.entries()) if (h in r) assert.equal(row[i], cell(r[h]), `${h} of the row ${row}`);
      }
    }

    // PNG on each chart shown: a PNG of the canvas's size with the chart on it.
    // The charts shown: a lab run hides its comparison-only charts by CSS, not the hidden attribute.
    const charts = view.locator(`figure[data-chart] ${SEL.png}`).filter({ visible: true });
    assert.ok((await charts.count()) > 0);
    for (const b of await charts.all()) {
      const chart = await b.evaluate((el) => el.closest('figure').dataset.chart);
      const [name, bytes] = await download(page, b).catch((e) => { throw new Error(`${chart}'s PNG: ${e.message}`); });
      assert.match(name, new RegExp(`-${chart}\\.png$`));
      const size = await b.evaluate((el) => { const c = el.closest('figure').querySelector('canvas'); return { width: c.width, height: c.height }; });
      const p = png(bytes);
      assert.deepEqual({ width: p.width, height: p.height }, size, `${chart}: the canvas's size`);
      assert.ok(p.ink > 1000, `${chart}: not blank (${p.ink} inked pixels)`);
    }

    // Weights .npz: a zip of .npy files of the run's shapes.
    if (spec.weights) {
      const [name, bytes] = await download(page, view.locator(SEL.weights));
      assert.match(name, /\.npz$/);
      const files = unzip(bytes);
      assert.deepEqual([...files.keys()], Object.keys(spec.weights));
      for (const [f, shape] of Object.entries(spec.weights)) assert.deepEqual(npyShape(files.get(f)), shape, f);
    }

    // The notebook, where the view has the button (notebook.test.mjs runs it).
    if (buttons.includes('notebook')) {
      const [name, bytes] = await download(page, view.locator(SEL.notebook));
      assert.match(name, /\.ipynb$/);
      assert.equal(JSON.parse(bytes.toString()).nbformat, 4);
    }

    // Copy link: the address, which opened afresh runs the same settings to the same JSON, byte for byte.
    await view.locator(SEL.link).click();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(link, page.url());
    // It carries each setting given as given (the lab also writes its defaults out; the studies leave them out).
    const linked = new URL(link).searchParams;
    for (const [k, v] of new URLSearchParams(query(spec))) assert.equal(linked.get(k), v, `${k} in ${link}`);
    const again = await open(browser, link);
    assert.equal(await finished(again.page), 'done');
    assert.equal((await download(again.page, viewOf(again.page).locator(SEL.json)))[1].toString(), text, 'the link reproduces the JSON');
    assert.deepEqual(again.log.errors, []);
    await again.context.close();

    // Embed snippet: an iframe of the link with embed=1, which loads embedded and runs.
    const snippet = await view.locator(SEL.snippet).inputValue();
    const src = snippet.match(/^<iframe src="([^"]+)"[^>]*><\/iframe>$/)?.[1];
    assert.ok(src, snippet);
    const u = new URL(src.replaceAll('&amp;', '&'));
    assert.equal(u.searchParams.get('embed'), '1');
    u.searchParams.delete('embed');
    assert.equal(u.href, link);
    const parent = await serveHtml(`<!doctype html><title>a post</title>${snippet}`);
    const host = await open(browser, parent.url);
    const frame = await (await host.page.waitForSelector('iframe')).contentFrame();
    assert.equal(await finished(frame), 'done');
    assert.ok(await frame.evaluate(() => document.body.classList.contains('embed')));
    assert.equal(await frame.locator('.share').first().isVisible(), false, 'the embed hides the share bar');
    assert.deepEqual(host.log.errors, []);
    await host.context.close();
    await parent.close();

    assert.deepEqual(log.errors, []);
    await context.close();
  });
}
