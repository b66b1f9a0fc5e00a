// The page names no setting, family or measure that the engine's tables do not export: every key the
// page's code (www/**/*.js) uses in the forms below must be in some view's schema(name), so that a
// key renamed or dropped in the engine fails here instead of silently reading `undefined` in the page.
// Forms scanned: a settings object's field (`config.KEY`, `settings.KEY`, `form.elements.KEY`), a
// form's field by name (`[name="KEY"]`, `data-key="KEY"`), a family compared by key
// (`init === 'KEY'`, `family === 'KEY'`), a history measure read by key (`historySeries('KEY')`,
// `measure('KEY')`, `history(name, 'KEY')`) and a preset by name (`preset('KEY')`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { default: init, schema } = await import(`${root}dist/pkg/richlazy.js`);
await init({ module_or_path: readFileSync(`${root}dist/pkg/richlazy_bg.wasm`) });

/** Every name the engine's tables export: each view's settings, page keys, families (with their own
 * keys), page settings, measures and rules. The views are main.js's (those with a schema). */
export function exported() {
  const main = readFileSync(`${root}www/main.js`, 'utf8');
  const views = [...main.matchAll(/\{ id: '([a-z]+)'/g)].map((m) => m[1]);
  const names = new Set();
  const add = (rows, key = 'key') => (rows ?? []).forEach((r) => names.add(typeof r === 'string' ? r : r[key]));
  let studies = 0;
  for (const v of views) {
    const s = JSON.parse(schema(v));
    if (s.error) continue;
    studies += 1;
    add(s.params);
    add(s.page_keys);
    add(s.page_params);
    add(s.measures);
    add(s.rules);
    add(s.presets, 'name');
    for (const f of s.families ?? []) { names.add(f.key); add(f.params); }
  }
  assert.ok(studies >= 5, `schemas for the lab, the theory and the regime studies (${studies})`);
  return names;
}

const FORMS = [
  /\b(?:config|settings)\.([a-z][a-z0-9_]*)\b(?![('"`])/g,
  /\bform\.elements\.([a-z][a-z0-9_]*)\b/g,
  /\[name="([a-z][a-z0-9_]*)"\]/g,
  /data-key="([a-z][a-z0-9_]*)"/g,
  /\b(?:init|family)\s*===?\s*'([a-z][a-z0-9_]*)'/g,
  /\b(?:historySeries|measure|preset)\('([a-z][a-z0-9_]*)'/g,
  /\bhistory\(name, '([a-z][a-z0-9_]*)'/g,
];

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.name.endsWith('.js')) yield p;
  }
}

/** [file:line, name] for every name the page's code uses in FORMS. */
export function named(dir = `${root}www`) {
  const out = [];
  for (const f of files(dir)) {
    const lines = readFileSync(f, 'utf8').split('\n');
    lines.forEach((text, i) => {
      const line = text.replace(/(^|\s)\/\/.*$/, ''); // not the comments (they name files: settings.js)
      for (const re of FORMS) for (const m of line.matchAll(re)) out.push([`${relative(root, f)}:${i + 1}`, m[1]]);
    });
  }
  return out;
}

test("every setting, family and measure key the page names is one the engine's schema exports", () => {
  const names = exported();
  const used = named();
  assert.ok(used.length > 50, `the scan finds the page's keys (${used.length})`);
  const unknown = used.filter(([, k]) => !names.has(k));
  assert.deepEqual(unknown, [], `named in www/ but not in any schema: ${unknown.map(([at, k]) => `${k} (${at})`).join(', ')}`);
});

test('the scan sees each form it looks for (a bogus key in each is caught)', () => {
  const names = exported();
  const bogus = ['config.bogus_key', 'settings.bogus_key', 'form.elements.bogus_key', '[name="bogus_key"]', 'data-key="bogus_key"', "init === 'bogus_key'", "family === 'bogus_key'", "historySeries('bogus_key')", "measure('bogus_key')", "preset('bogus_key', o)", "history(name, 'bogus_key')"];
  for (const text of bogus) {
    const hits = FORMS.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]));
    assert.deepEqual(hits, ['bogus_key'], text);
    assert.equal(names.has('bogus_key'), false);
  }
});
