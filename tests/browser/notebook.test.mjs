// "Open as notebook" in each kind of view: after a run, the button downloads richlazy-VIEW.ipynb, and
// its bytes are the command line's `richlazy notebook VIEW` for the same settings with the command
// line's own --json for them as the report: the page's settings, its report and the notebook all equal
// the command line's. Before a result exists, the notebook says there is nothing to compare.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, open, waitPhase } from './harness.mjs';

const CLI = fileURLToPath(new URL('../../target/release/richlazy', import.meta.url));
const cli = (args) => execFileSync(CLI, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26 });
const dir = mkdtempSync(join(tmpdir(), 'richlazy-notebook-'));

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** `--key value` flags from a link's query (without view and the theory's prefix). */
const flags = (query) => [...new URLSearchParams(query)].filter(([k]) => k !== 'view').flatMap(([k, v]) => [`--${k.replace(/^theory_/, '')}`, v]);

/** The command line's notebook for `view` at the link's settings, with `report` (JSON text) or none. */
function expected(view, query, report) {
  const args = ['notebook', view, ...flags(query)];
  if (report !== undefined) {
    const file = join(dir, `${view}.json`);
    writeFileSync(file, report);
    args.push('--report', file);
  }
  return cli(args);
}

async function downloaded(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const chunks = [];
  for await (const c of await download.createReadStream()) chunks.push(c);
  return { name: download.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
}

const studyDone = (page) => page.waitForFunction(() => ['done', 'error'].includes(window.richlazy?.study?.phase), null, { timeout: 120_000 });

// Each view: its link's settings, how to wait for its result, the button, and the command whose --json is its report.
const VIEWS = [
  { view: 'lab', query: 'hidden=16&iters=20&every=10&init=rank&rank=3&seed=2', wait: (p) => waitPhase(p, 'done'), button: '#export-notebook', command: ['run'] },
  { view: 'theory', query: 'view=theory&theory_dim=8&theory_seeds=1&theory_kappa=10', wait: (p) => p.waitForFunction(() => window.richlazyTheory?.phase === 'done', null, { timeout: 120_000 }), button: '#theory-notebook', command: ['theory'] },
  { view: 'phase', query: 'view=phase&L=1&h=4&P=64&B=8&log2_alpha=-2%2C2&log2_T=-6%2C-4&cap=200', wait: studyDone, button: '#study [data-act="notebook"]', command: ['sgd', 'grid'] },
  { view: 'grok', query: 'view=grok&mode=eps&d=6&p=20&n=10&test=50&epochs=60&epss=0.01%2C0.1', wait: studyDone, button: '#study [data-act="notebook"]', command: ['grok'] },
];

for (const v of VIEWS) {
  test(`${v.view}: the notebook after a run is the command line's, report included`, async () => {
    const { page, context, log } = await open(browser, `${server.url}?${v.query}`, { acceptDownloads: true });
    await v.wait(page);
    const got = await downloaded(page, v.button);
    assert.equal(got.name, `richlazy-${v.view}.ipynb`);
    const report = cli([...v.command, ...flags(v.query), '--json']);
    assert.equal(got.text, expected(v.view, v.query, report));
    assert.match(got.text, /"# The page's result as the engine writes it/);
    assert.deepEqual(log.errors, []);
    await context.close();
  });
}

test('lab: a comparison\'s notebook is the sweep\'s, its runs the page\'s', async () => {
  const base = 'hidden=16&iters=10&every=5';
  const query = `${base}&compare=rank:1,gaussian&seeds=2`;
  const { page, context, log } = await open(browser, `${server.url}?${query}`, { acceptDownloads: true });
  await waitPhase(page, 'done');
  const got = await downloaded(page, '#export-notebook');
  const runs = JSON.parse(cli(['sweep', '--inits', 'rank:1,gaussian', '--seeds', '2', ...flags(base), '--json'])).runs;
  assert.equal(got.text, expected('lab', query, JSON.stringify(runs)));
  assert.match(got.text, /richlazy\.sweep\(\\n",\n\s+" {4}inits=\[\\"rank:1\\", \\"gaussian\\"\],/);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('before a result, the notebook has nothing to compare', async () => {
  // A long run: the button is pressed while it trains.
  const query = 'view=grok&epochs=10000000';
  const { page, context } = await open(browser, `${server.url}?${query}`, { acceptDownloads: true });
  await page.waitForFunction(() => window.richlazy?.study?.phase === 'running');
  const got = await downloaded(page, '#study [data-act="notebook"]');
  assert.equal(got.text, expected('grok', query));
  assert.match(got.text, /page_json = None/);
  await context.close();
});
