// The lab's settings (schema("lab")): the settings column built from the engine's table, the engine's
// check, the form's values, the link, and a comparison's list checked against the page's settings.
import { settings, variants, check } from '../../pkg/richlazy.js';
import { field, markFields, refused, esc } from '../form.js';
import { notice, showLink, viewLink, embedded, errorOf } from '../shared.js';
import { pairsOf } from '../study.js';
import * as local from './localrules.js'; // the local-rules study: rule, dt, flossing, Lyapunov exponents
import * as smnist from './smnist.js';
import { fileZone } from './file.js';
import { $, app } from './state.js';

export const form = $('#settings');

// The lab's table: its settings, page keys and initial families; read once the engine is loaded.
export let schema = null;
export const engineKeys = () => schema.params.map((p) => p.key);
export const familyOf = (init) => schema.families.find((f) => f.key === init) ?? { params: [], data: null, hint: '' };
const param = (k) => schema.params.find((p) => p.key === k);
/** Whether setting row `p` applies with settings `o` (the row's `applies`: each key it names has one of
 * its values, a key left out at its default): only then is its field shown and its value sent. */
export const applies = (p, o) => !p.applies || Object.entries(p.applies).every(([k, vals]) => vals.includes(String(o[k] ?? param(k).default)));
/** A history measure's row (schema("lab").measures: label, short, axis, log, digits) and a rule's (label, colour, shades). */
export const measure = (key) => schema.measures.find((m) => m.key === key);
export const ruleOf = (key) => schema.rules.find((r) => r.key === key);
export const isConnectome = (init) => familyOf(init).data === 'connectome';
export const isFile = (init) => familyOf(init).data === 'file';

/** The settings column from `table` (schema("lab")): each fieldset's data-params keys in its order,
 * the rest in "Network and training"; a key that a file family uses is the matrix drop zone. */
export function buildForm(table) {
  schema = table;
  const boxes = [...form.querySelectorAll('[data-params]')];
  const placed = new Set(boxes.flatMap((b) => b.dataset.params.split(' ')));
  const spare = form.querySelector('#training [data-params]');
  const fileKeys = new Set(schema.families.filter((f) => f.data === 'file').flatMap((f) => f.params));
  const html = (p) => {
    if (fileKeys.has(p.key)) return fileZone(p);
    const choices = p.key === 'init' ? schema.families.map((f) => [f.key, f.title]) : undefined;
    return field(p, { number: true, choices });
  };
  for (const b of boxes) b.innerHTML = b.dataset.params.split(' ').map((k) => schema.params.find((p) => p.key === k)).filter(Boolean).map(html).join('');
  spare.insertAdjacentHTML('beforeend', schema.params.filter((p) => !placed.has(p.key)).map(html).join(''));
  for (const p of schema.params) form.elements[p.key].value = p.default;
  const seeds = schema.page_params.find((p) => p.key === 'seeds');
  Object.assign($('#compare-seeds'), { min: seeds.lo, max: seeds.hi, value: seeds.default, title: seeds.help });
  form.querySelector('.presets').innerHTML = schema.presets.map((p) => `<button type="button" id="preset-${esc(p.name)}" data-preset="${esc(p.name)}" title="${esc(p.note)}">${esc(p.label)}</button>`).join('\n');
  // The comparison's items as the engine's sweep reads them (each row's `item`: rank:R, spectrum:E, fly, ...).
  $('#compare-families').replaceChildren(...schema.families.flatMap((f, i) => {
    const code = document.createElement('code');
    code.textContent = f.item;
    return i ? [', ', code] : [code];
  }));
}

/** The engine's check of pairs (a link's, repeats kept: {keys, values}) or of an object (the form's, a preset's). */
export function validate(obj) {
  const { keys, values } = Array.isArray(obj.keys) ? obj : pairsOf(obj);
  return JSON.parse(settings(keys, values));
}

function fillForm(config) {
  for (const el of form.elements) if (el.name && config[el.name] !== undefined) el.value = config[el.name];
  const family = familyOf(config.init);
  // A family's key that the config leaves out is at its default (the engine writes `dataset` only off it).
  for (const k of family.params) if (config[k] === undefined && k !== 'file') form.elements[k].value = schema.params.find((p) => p.key === k).default;
  for (const p of schema.params) if (p.applies) form.querySelector(`[data-key="${p.key}"]`).hidden = !applies(p, config);
  $('#family-hint').textContent = family.hint;
  $('#family-hint').hidden = !family.hint;
  form.elements.hidden.disabled = family.data !== null; // N follows the data
  $('#hidden-note').hidden = family.data === null;
  local.fillControls(form, config);
}

/** The form's settings: every key of the schema that applies with the others (a family's own keys, flossing's, ...). */
export function formObject() {
  const all = Object.fromEntries(engineKeys().map((k) => [k, form.elements[k].value]));
  const o = Object.fromEntries(Object.entries(all).filter(([k]) => applies(param(k), all)));
  if (isFile(o.init) && !o.file && app.file) o.file = app.file.hash;
  if (o.file === '') delete o.file;
  return local.tidyForm(o, app.config);
}

/** The address bar and the embed snippet for the settings (and the comparison, the embed flag). */
export function updateLinks() {
  const c = local.withoutImpliedAlpha(app.config); // dt sets the leak
  const pairs = {};
  for (const k of engineKeys()) if (c[k] !== undefined) pairs[k] = c[k];
  if (app.compare) Object.assign(pairs, { compare: app.compare.text, seeds: app.compare.seeds });
  else if (app.analyseAt !== null) pairs.analyse = app.analyseAt;
  if (embedded()) pairs.embed = 1;
  showLink(viewLink('lab', pairs), $('#embed-snippet'), 'richlazy: rich and lazy learning');
}

// The paper's sweep 1, 30, 100, 300 at N 300, scaled to other hidden sizes.
const defaultRanks = (n) => [...new Set([1, Math.round(n / 10), Math.round(n / 3), n])].filter((r) => r >= 1).join(',');

/** The settings a compared run uses: the page's, its own parts on top (a part list without an
 * init keeps the page's start; a new dt brings its own leak unless the page set one). */
export function startConfig(pairs, seed) {
  const base = local.withoutImpliedAlpha(app.config);
  if ('init' in pairs) { delete base.init; delete base.rank; delete base.erank; }
  return validate({ ...base, ...pairs, seed });
}

/** A list of starts (the engine parses it) and seeds; {error} says what is wrong. */
export function parseCompare(text, seedsText) {
  // Parts join with '+', which a hand-typed link delivers as a space: 'rule:eprop gain:0.5'.
  const list = String(text).trim().replace(/(?<=[^,\s])\s+(?=[^,\s])/g, '+');
  const parsed = JSON.parse(variants(list));
  if (parsed.error) return { error: `compare: ${parsed.error.message}` };
  for (const v of parsed.variants) {
    const errors = startConfig(v.pairs, app.config.seed).errors.filter((e) => e.code !== 'missing_file'); // launch asks for the file
    if (errors.length) return { error: `compare: ${v.label}: ${errors[0].message}` };
  }
  // The seeds are a page setting of the engine's (schema("lab").page_params), checked there.
  const given = seedsText === undefined || seedsText === null || seedsText === '' ? schema.page_params.find((p) => p.key === 'seeds').default : String(seedsText);
  const seeds = JSON.parse(check('lab', 'seeds', given));
  if (seeds.error) return { error: errorOf(seeds.error).message };
  return { text: list, variants: parsed.variants, seeds: Number(seeds.value) };
}

/** Checks and takes settings: the form shows them, refused ones are named and marked. */
export function applySettings(obj, { quiet = false } = {}) {
  const s = validate(obj);
  // A file start without its matrix is not an ignored setting: the drop zone asks for the file.
  s.errors = s.errors.filter((e) => e.code !== 'missing_file');
  if (!quiet) for (const e of s.errors) refused(e, s.config[e.key]);
  // Kept values with a caution (floss_k near N/2): said once per distinct message.
  if (!quiet) for (const n of s.notices ?? []) if (n.message !== app.lastNotice) { app.lastNotice = n.message; notice(`${n.message}.`, 'warn'); }
  app.config = s.config;
  fillForm(s.config);
  markFields(form, engineKeys(), s.errors);
  smnist.captions(s.config);
  const ranks = $('#compare-ranks');
  if (!ranks.dataset.touched) ranks.value = defaultRanks(Number(s.config.hidden));
  app.figure?.refresh(); // the local-rules figure's cost follows the page's task and batch
  return s;
}

/** The engine's preset `name` (schema("lab").presets; the first is the first visit's) for `config`'s
 * task: {pairs} to put on top of the settings, {note} to say, {own} whether the task has its own pairs. */
export function preset(name, config) {
  const p = schema.presets.find((x) => x.name === name) ?? schema.presets[0];
  const own = p.by_task?.[config.task];
  return { pairs: { ...p.pairs, ...own?.pairs }, note: own ? own.note : p.note, own: !!own };
}

/** A named comparison's settings (variants('paper'), variants('local')): the figure's base, keeping
 * what the base does not name (the task, ...). */
export function figureSettings(base) {
  const { rank, erank, signed, dataset, ...keep } = local.withoutImpliedAlpha(app.config);
  return { ...keep, ...base };
}
