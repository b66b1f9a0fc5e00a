// One link protocol for every view (issue 16): a repeated key is named with all its values in a
// notice, and each view's form has exactly the engine's settings (schema(name).params) as fields.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const notes = (page) => page.evaluate(() => [...document.querySelectorAll('#notices .notice')].map((n) => n.textContent));
// Each view: its form, a key given twice (a bad value and a good one), and what says the view is up.
const VIEWS = [
  { view: 'lab', form: '#settings', link: 'hidden=20&iters=20&every=10&seed=abc&seed=16', key: 'seed', ready: () => window.richlazy?.phase === 'done' },
  { view: 'theory', form: '#theory-form', link: 'view=theory&theory_norm=abc&theory_norm=2&theory_seeds=1', key: 'norm', ready: () => window.richlazyTheory?.phase === 'done' },
  { view: 'perceptron', form: '.study-form', link: 'view=perceptron&d=abc&d=16', key: 'd', ready: () => window.richlazy?.study?.phase !== undefined },
  { view: 'phase', form: '.study-form', link: 'view=phase&L=abc&L=2', key: 'L', ready: () => window.richlazy?.study?.phase !== undefined },
  { view: 'grok', form: '.study-form', link: 'view=grok&d=abc&d=16', key: 'd', ready: () => window.richlazy?.study?.phase !== undefined },
];

test('every view names a repeated link key in a notice, with both values, uses neither, and marks its field', async () => {
  for (const v of VIEWS) {
    const { page, context, log } = await open(browser, `${server.url}?${v.link}`);
    await page.waitForFunction(v.ready, null, { timeout: 120_000 });
    const [bad, good] = new URLSearchParams(v.link).getAll(v.link.includes('theory_') ? `theory_${v.key}` : v.key);
    const all = await notes(page);
    const said = all.find((t) => t.includes(`${v.key}: given 2 times`));
    assert.ok(said, `${v.view}: ${all.join(' | ')}`);
    assert.ok(said.includes(`'${bad}'`) && said.includes(`'${good}'`), `${v.view}: both values in ${said}`);
    assert.match(said, /none is used/);
    const field = page.locator(`${v.form} [name="${v.key}"]`);
    assert.equal(await field.getAttribute('aria-invalid'), 'true', `${v.view}: the field is marked`);
    assert.equal(await field.evaluate((el) => el.classList.contains('invalid')), true);
    assert.deepEqual(log.errors, [], v.view);
    await context.close();
  }
});

test("every view's form fields are the engine's settings for that view, no more, no fewer", async () => {
  for (const v of VIEWS) {
    const { page, context, log } = await open(browser, `${server.url}?${v.view === 'lab' ? 'hidden=20&iters=20&every=10' : `view=${v.view}`}`);
    await page.waitForFunction(v.ready, null, { timeout: 120_000 });
    const { fields, keys } = await page.evaluate(async ([sel, name]) => {
      const { schema } = await import('./pkg/richlazy.js'); // already loaded by the page
      const names = [...document.querySelector(sel).elements].map((el) => el.name).filter(Boolean);
      // The shard is the page's pools' to set (one job per cell), never a field.
      return { fields: names, keys: JSON.parse(schema(name)).params.filter((p) => p.kind !== 'shard').map((p) => p.key) };
    }, [v.form, v.view]);
    assert.deepEqual([...fields].sort(), [...keys].sort(), v.view);
    assert.equal(new Set(fields).size, fields.length, `${v.view}: one field per key`);
    assert.deepEqual(log.errors, [], v.view);
    await context.close();
  }
});

test('a field the engine refuses is marked and the mark goes once it is valid; unknown and repeated page keys are named', async () => {
  const { page, context, log } = await open(browser, `${server.url}?hidden=20&iters=20&every=10&lr=abc&bogus=7&compare=1,2&compare=5`);
  await page.waitForFunction(() => window.richlazy.phase === 'done');
  const all = (await notes(page)).join('\n');
  assert.match(all, /Setting ignored: lr: 'abc' is not a number; using 0\.003\./);
  assert.match(all, /Unknown link parameter ignored: bogus='7'/);
  assert.match(all, /compare: given 2 times \('1,2', '5'\); none is used/);
  assert.equal(await page.evaluate(() => window.richlazy.runs.length), 1, 'a repeated compare runs no comparison');
  assert.equal(await page.getAttribute('input[name=lr]', 'aria-invalid'), 'true');
  await page.fill('input[name=lr]', '0.01');
  await page.dispatchEvent('#settings', 'change');
  assert.equal(await page.getAttribute('input[name=lr]', 'aria-invalid'), null);
  assert.equal(await page.evaluate(() => window.richlazy.config.lr), 0.01);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("the lab's family menu, its hints and the comparison's items come from the engine's table of families", async () => {
  const { page, context, log } = await open(browser, `${server.url}?hidden=20&iters=20&every=10`);
  await page.waitForFunction(() => window.richlazy?.phase === 'done');
  const families = await page.evaluate(async () => JSON.parse((await import('./pkg/richlazy.js')).schema('lab')).families);
  assert.ok(families.some((f) => f.key === 'orthogonal'), 'the table has the orthogonal start');
  const options = await page.$$eval('select[name=init] option', (os) => os.map((o) => [o.value, o.textContent]));
  assert.deepEqual(options, families.map((f) => [f.key, f.title]));
  const items = await page.textContent('#compare-families');
  for (const f of families) assert.ok(items.includes(f.key), `${f.key} in ${items}`);
  // Choosing the orthogonal start shows its hint and previews a flat spectrum: effective rank N.
  await page.selectOption('select[name=init]', 'orthogonal');
  const hint = families.find((f) => f.key === 'orthogonal').hint;
  await page.waitForFunction((h) => document.querySelector('#family-hint').textContent === h, hint);
  await page.waitForFunction(() => /Effective rank of this start: 20\.0 \(entropy\)/.test(document.querySelector('#init-summary').textContent));
  assert.match(page.url(), /init=orthogonal/);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a link value that is valid alone but not with the rest (an odd theory dimension) is named in a notice', async () => {
  const { page, context, log } = await open(browser, `${server.url}?view=theory&theory_dim=31&theory_seeds=1`);
  await page.waitForFunction(() => window.richlazyTheory?.phase === 'done', null, { timeout: 120_000 });
  const all = (await notes(page)).join('\n');
  assert.match(all, /Link: dim: 31 is odd \(kappa scales half of the 31 features\); using 50\./);
  assert.equal(await page.getAttribute('#theory-form [name=dim]', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#theory-form [name=dim]'), '50');
  assert.deepEqual(log.errors, []);
  await context.close();
});
