// Times a one-click figure in headless Chromium and saves its final measures, to set beside the
// command line's (`richlazy sweep --figure NAME --task TASK --seeds 1 --json`).
//   node tools/figure-time.mjs local 2af [out.json]     (after ./build.sh)
import { writeFile } from 'node:fs/promises';
import { serve, launch, open, waitPhase } from '../tests/browser/harness.mjs';

const [name = 'local', task = '2af', out = `/tmp/figure-${name}-${task}.json`] = process.argv.slice(2);
const button = { local: '#figure-local', paper: '#figure' }[name];
if (!button) throw new Error(`figure: '${name}' is not one of local, paper`);
const server = await serve();
const browser = await launch();
try {
  const { page, context } = await open(browser, `${server.url}?task=${task}&iters=1`);
  await waitPhase(page, ['done', 'diverged']);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const t0 = Date.now();
  await page.click(button);
  // A long figure asks first, in a box on the page.
  const start = page.locator('#results > .ask button.primary');
  await start.waitFor({ timeout: 2000 }).then(() => start.click(), () => {});
  await waitPhase(page, 'running', 30_000);
  await waitPhase(page, ['done', 'diverged'], 3_600_000);
  const seconds = (Date.now() - t0) / 1000;
  const runs = await page.evaluate(() => window.richlazy.runs.map((r) => ({ label: r.label, seed: r.config?.seed, final: r.report?.final ?? null, config: r.report?.config })));
  await writeFile(out, JSON.stringify({ name, task, seconds, cores, runs }));
  console.log(`figure ${name} (${task}): ${runs.length} runs in ${seconds.toFixed(0)} s with hardwareConcurrency ${cores}; finals in ${out}`);
} finally {
  await browser.close();
  await server.close();
}
