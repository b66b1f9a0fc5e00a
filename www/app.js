// The lab view (the connectivity paper and its local rules): settings <-> URL, workers, charts.
// The engine and the charts are wasm (../pkg); main.js mounts it.
import init, { settings, variants, heatmap_axes, version, load_matrix, schema as schemaOf } from '../pkg/richlazy.js';
import { canvasOf } from './canvas.js';
import { lines, errorbars, meanSd, COLOURS } from './plot.js';
import { notice, download, pngButtons, showLink, onResize, embedded, ask, unask, errors } from './shared.js';
import { pool, helper, poolSize } from './pool.js';
import { readLink } from './link.js';
import { weightsNpz } from './weights.js';
import { field, markFields, refused, esc } from './form.js';
import * as local from './localrules.js'; // the local-rules study: rule, dt, flossing, Lyapunov exponents
import * as smnist from './smnist.js'; // sequential MNIST: its data, loaded when the task is chosen, and fast preset

const FAST = { hidden: '100', iters: '1000', every: '50' };
const RUN_CHARTS = ['loss', 'accuracy', 'weight', 'kernel', 'rep', 'lyap'];
const SUMMARY_CHARTS = ['summary-align', 'summary-weight', ...local.GRID_CHARTS];
const $ = (s) => document.querySelector(s);
const form = $('#settings');

// What tests and curious readers can inspect: window.richlazy.
// app.file: the reader's matrix ({hash, n, name, bytes}); app.pendingFile: a link's file start waiting for it.
const app = { phase: 'loading', config: null, runs: [], compare: null, errors, drawMs: {}, file: null, pendingFile: null };
window.richlazy = app;
// Most training workers alive at once since the last launch (the pool at work).
Object.defineProperty(app, 'peakWorkers', { get: () => workers.peak });
app.redraw = (name) => draw(name); // synchronous, for tests and timing

function setPhase(p) {
  app.phase = p;
  document.body.dataset.phase = p;
  $('#pause').disabled = p !== 'running' && p !== 'paused';
  $('#pause').textContent = p === 'paused' ? 'Resume' : 'Pause';
  $('#step').disabled = !(p === 'paused' && app.runs.length === 1);
  $('#reset').disabled = p === 'idle' || p === 'loading';
  const finished = app.runs.length > 0 && app.runs.every((r) => r.report);
  $('#export-json').disabled = !finished;
  $('#export-csv').disabled = !app.runs.some((r) => r.rows.length);
  $('#export-weights').disabled = !app.runs.some((r) => r.weights);
}

// ---- settings: the engine's schema builds the form, the engine validates, the URL carries them ----
// The lab's table (schema("lab")): its settings, page keys and initial families; set in main().
let schema = null;
const engineKeys = () => schema.params.map((p) => p.key);
const familyOf = (init) => schema.families.find((f) => f.key === init) ?? { params: [], data: null, hint: '' };
// The keys only some families use (shown, and sent, only for those).
const familyKeys = () => new Set(schema.families.flatMap((f) => f.params));
const isConnectome = (init) => familyOf(init).data === 'connectome';
const isFile = (init) => familyOf(init).data === 'file';

// The settings column from the schema: each fieldset's data-params keys in its order, the rest in
// "Network and training"; a key that a file family uses is the matrix drop zone.
function buildForm() {
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
  // The comparison's items, as the engine's sweep reads them: a family with a rank or an effective rank takes it after a colon.
  $('#compare-families').replaceChildren(...schema.families.flatMap((f, i) => {
    const code = document.createElement('code');
    code.textContent = f.params.includes('rank') ? `${f.key}:R` : f.params.includes('erank') ? `${f.key}:E` : f.key;
    return i ? [', ', code] : [code];
  }));
}

// A file family's setting (the matrix's hash): a drop zone that hashes the file here (loadFile).
const fileZone = (p) => `<div class="dropzone" id="file-drop" data-key="${esc(p.key)}">
  <label>matrix file <input type="file" id="file-input" accept=".npy,.csv"></label>
  <input type="hidden" name="${esc(p.key)}">
  <p class="hint" id="file-status">Drop a square matrix here (.npy float32/float64 in C order, or .csv: one row per line), N from 2 to 2000, at most 50 MB.</p></div>`;

// Pairs (a link's, repeats kept: [keys, values]) or an object (the form's, a preset's) for the engine.
function pairsOf(obj) {
  if (Array.isArray(obj)) return obj;
  const keys = [], values = [];
  for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null) { keys.push(k); values.push(String(v)); }
  return [keys, values];
}

function validate(obj) {
  const [keys, values] = pairsOf(obj);
  return JSON.parse(settings(keys, values));
}

function fillForm(config) {
  for (const el of form.elements) if (el.name && config[el.name] !== undefined) el.value = config[el.name];
  const family = familyOf(config.init);
  // A family's key that the config leaves out is at its default (the engine writes `dataset` only off it).
  for (const k of family.params) if (config[k] === undefined && k !== 'file') form.elements[k].value = schema.params.find((p) => p.key === k).default;
  for (const k of familyKeys()) form.querySelector(`[data-key="${k}"]`).hidden = !family.params.includes(k);
  $('#family-hint').textContent = family.hint;
  $('#family-hint').hidden = !family.hint;
  form.elements.hidden.disabled = family.data !== null; // N follows the data
  $('#hidden-note').hidden = family.data === null;
  local.fillControls(form, config);
}

// A file start whose matrix this page does not hold (the engine would refuse it).
const lacksFile = (config) => isFile(config.init) && (!app.file || app.file.hash !== config.file);

// The form's settings: every key of the schema, a family's own keys only for the chosen family.
function formObject() {
  const o = {};
  const uses = familyOf(form.elements.init.value).params;
  const only = familyKeys();
  for (const k of engineKeys()) if (!only.has(k) || uses.includes(k)) o[k] = form.elements[k].value;
  if (isFile(o.init) && !o.file && app.file) o.file = app.file.hash;
  if (o.file === '') delete o.file;
  return local.tidyForm(o, app.config);
}

function linkFor(config, page = {}) {
  const q = new URLSearchParams();
  const c = local.withoutImpliedAlpha(config); // dt sets the leak
  for (const k of engineKeys()) if (c[k] !== undefined) q.set(k, c[k]);
  for (const [k, v] of Object.entries(page)) if (v !== undefined && v !== null) q.set(k, v);
  return `${location.origin}${location.pathname}?${q}`;
}

function pageParams() {
  return { ...(app.compare ? { compare: app.compare.text, seeds: app.compare.seeds } : {}), ...(document.body.classList.contains('embed') ? { embed: 1 } : {}) };
}

function updateLinks() {
  showLink(linkFor(app.config, pageParams()), $('#embed-snippet'), 'richlazy: rich and lazy learning');
}

// The paper's sweep 1, 30, 100, 300 at N 300, scaled to other hidden sizes.
const defaultRanks = (n) => [...new Set([1, Math.round(n / 10), Math.round(n / 3), n])].filter((r) => r >= 1).join(',');

// The settings a compared run uses: the page's, its own parts on top (a part list without an
// init keeps the page's start; a new dt brings its own leak unless the page set one).
function startConfig(pairs, seed) {
  const base = local.withoutImpliedAlpha(app.config);
  if ('init' in pairs) { delete base.init; delete base.rank; delete base.erank; }
  return validate({ ...base, ...pairs, seed });
}

// A list of starts (the engine parses it) and seeds; {error} says what is wrong.
function parseCompare(text, seedsText) {
  // Parts join with '+', which a hand-typed link delivers as a space: 'rule:eprop gain:0.5'.
  const list = String(text).trim().replace(/(?<=[^,\s])\s+(?=[^,\s])/g, '+');
  const parsed = JSON.parse(variants(list));
  if (parsed.error) return { error: `compare: ${parsed.error.message}` };
  for (const v of parsed.variants) {
    const errors = startConfig(v.pairs, app.config.seed).errors.filter((e) => e.code !== 'missing_file'); // launch asks for the file
    if (errors.length) return { error: `compare: ${v.label}: ${errors[0].message}` };
  }
  const seeds = seedsText === undefined || seedsText === null || seedsText === '' ? 1 : Number(seedsText);
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 10) return { error: `seeds: '${String(seedsText).slice(0, 40)}' is not a whole number from 1 to 10` };
  return { text: list, variants: parsed.variants, seeds };
}

// ---- charts: redrawn a few at a time per frame so no task runs long ----
const dirty = new Set();
let frame = 0;
function invalidate(...names) {
  names.forEach((n) => dirty.add(n));
  if (!frame) frame = requestAnimationFrame(drawDirty);
}
function drawDirty() {
  frame = 0;
  const t0 = performance.now();
  for (const name of [...dirty]) {
    dirty.delete(name);
    const t1 = performance.now();
    try { draw(name); } catch (e) { notice(`Chart ${name} could not be drawn: ${e.message ?? e}`, 'error'); }
    const ms = performance.now() - t1;
    app.drawMs[name] = Math.max(app.drawMs[name] ?? 0, ms);
    if (performance.now() - t0 > 8) break; // the rest next frame: no task near 50 ms
  }
  if (dirty.size) frame = requestAnimationFrame(drawDirty);
}

// One colour per compared start; only its first seed names it in the legend.
const historySeries = (key) => app.runs.map((r) => ({ name: r.legend, colour: r.colour, x: r.rows.map((m) => m.iter), y: r.rows.map((m) => m[key]) }));

// Singular values largest first, those below 1e-6 of the largest left out (a log axis cannot show zeros).
function spectrumSeries(sv, props) {
  const floor = (sv[0] || 0) * 1e-6;
  const x = [], y = [];
  sv.forEach((v, i) => { if (v > floor) { x.push(i + 1); y.push(v); } });
  return { x, y, ...props };
}

function draw(name) {
  const single = app.runs.length <= 1;
  switch (name) {
    case 'loss': return lines(name, 'Loss', 'iteration', 'cross-entropy', historySeries('loss'), { logY: true });
    case 'accuracy': return lines(name, 'Decision accuracy', 'iteration', 'fraction correct', historySeries('accuracy'), { yMin: 0, yMax: 1.02 });
    case 'weight': return lines(name, 'Weight change of W_rec', 'iteration', 'relative change', historySeries('weight_change_rel'), { yMin: 0 });
    case 'kernel': return lines(name, 'Tangent-kernel alignment', 'iteration', 'alignment with start', historySeries('kernel_alignment'), { yMax: 1.005 });
    case 'rep': return lines(name, 'Representation alignment', 'iteration', 'alignment with start', historySeries('rep_alignment'), { yMax: 1.005 });
    case 'spectrum': {
      let series;
      if (single) {
        const r = app.runs[0];
        const start = r?.spectrum0 ?? app.preview;
        if (!start) return;
        series = [spectrumSeries(start.singular_values, { name: 'start', colour: '#555555', dashed: true })];
        if (r && r.spectrum && r.spectrumIter > 0) series.push(spectrumSeries(r.spectrum.singular_values, { name: `now (iteration ${r.spectrumIter})`, colour: COLOURS[0] }));
      } else {
        const ready = app.runs.filter((r) => r.spectrum);
        series = [
          ...ready.map((r) => spectrumSeries(r.spectrum0.singular_values, { name: '', colour: r.colour, dashed: true })),
          ...ready.map((r) => spectrumSeries(r.spectrum.singular_values, { name: r.legend, colour: r.colour })),
          { name: 'dashed: start', colour: '#555555', dashed: true, x: [], y: [] },
        ];
      }
      return lines(name, 'Singular values of W_rec', 'index (largest first)', 'singular value', series, { logY: true });
    }
    case 'trial': {
      const t = app.trial;
      if (!t) return;
      if (smnist.isSmnist(app.config)) return smnist.drawTrial(t, ...canvasOf(name), heatmap_axes);
      const series = t.names.map((n, i) => ({ name: n, colour: COLOURS[i % COLOURS.length], x: [...Array(t.seq_len).keys()], y: [...Array(t.seq_len).keys()].map((s) => t.x[s * t.n_in + i]) }));
      return lines(name, `One ${app.config.task.toUpperCase()} trial: answer class ${t.labels[t.seq_len - 1]} at step ${t.seq_len - 1}`, `step (${app.config.dt ?? 100} ms each)`, 'input', series, { markers: true });
    }
    case 'matrix': return drawMatrix();
    case 'lyap':
    case 'lyap-spectrum': return local.draw(name, app);
    default: if (SUMMARY_CHARTS.includes(name)) return drawSummary(name);
  }
}

// The initial W_rec: axes by plotters, the N x N pixels blitted into its plotting area.
function drawMatrix() {
  const m = app.image;
  if (!m) return;
  const [c, dpr] = canvasOf('matrix');
  const title = isConnectome(app.config.init) ? `Initial W_rec: C. elegans${app.config.dataset ? `, ${app.config.dataset}` : ''} (rows receive)` : isFile(app.config.init) ? `Initial W_rec: ${app.file?.name ?? 'your matrix'}` : familyOf(app.config.init).data === 'fly' ? 'Initial W_rec: fly visual system (rows receive)' : 'Initial W_rec';
  const [x, y, w, h] = heatmap_axes(c, title, 'from unit', 'to unit', m.n, dpr);
  const img = document.createElement('canvas');
  img.width = img.height = m.n;
  img.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(m.rgba.buffer, m.rgba.byteOffset, m.rgba.byteLength), m.n, m.n), 0, 0);
  const ctx = c.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(img, x, y, w, h);
}

// Finished runs grouped by start: initial effective rank and mean/sd of each final measure.
function summaryGroups() {
  const groups = new Map();
  for (const r of app.runs.filter((x) => x.report && x.report.final)) {
    const g = groups.get(r.group) ?? { label: r.group, family: r.config.init, config: r.config, colour: r.colour, eranks: [], finals: [], reports: [] };
    g.eranks.push(r.report.initial.erank_entropy); // seeds differ where a start draws random directions
    g.finals.push(r.report.final);
    g.reports.push(r.report);
    groups.set(r.group, g);
  }
  for (const g of groups.values()) g.erank = g.eranks.reduce((a, b) => a + b, 0) / g.eranks.length;
  const stat = (g, key) => meanSd(g.finals.map((f) => f[key]));
  const sorted = [...groups.values()].sort((a, b) => a.erank - b.erank);
  return (local.isGrid(sorted) ? local.gridOrder(sorted) : sorted).map((g) => ({ ...g, stat: (key) => stat(g, key) }));
}

// The rank sweep as joined dots; every other start as its own marker shape.
// A grid over rules, gains, flossing or time steps has its own summary (localrules.js).
function drawSummary(name) {
  const groups = summaryGroups();
  if (local.isGrid(groups)) return local.drawGrid(name, groups);
  if (!['summary-align', 'summary-weight'].includes(name)) return;
  const swept = groups.filter((g) => g.family === 'rank');
  const others = groups.filter((g) => g.family !== 'rank');
  const measures = name === 'summary-align'
    ? [['kernel_alignment', 'tangent-kernel alignment', COLOURS[0]], ['rep_alignment', 'representation alignment', COLOURS[1]], ['sign_similarity', 'sign similarity', COLOURS[2]]]
    : [['weight_change_rel', 'relative weight change', COLOURS[3]]];
  const series = [];
  for (const [key, label, colour] of measures) {
    series.push({ name: swept.length ? label : '', colour, shape: 0, joined: true, pts: swept.map((g) => [g.erank, ...g.stat(key)]) });
    others.forEach((g, i) => series.push({ name: '', colour, shape: 1 + i, joined: false, pts: [[g.erank, ...g.stat(key)]] }));
  }
  if (!swept.length) measures.forEach(([, label, colour]) => series.push({ name: label, colour, shape: 0, joined: false, pts: [] }));
  others.forEach((g, i) => series.push({ name: g.label, colour: '#555555', shape: 1 + i, joined: false, pts: [] }));
  errorbars(name, name === 'summary-align' ? 'Final alignment vs initial effective rank' : 'Final weight change vs initial effective rank',
    'initial effective rank (log scale)', name === 'summary-align' ? 'value at the end' : 'relative change (log scale)',
    series, { logX: true, logY: name === 'summary-weight' });
}

// ---- runs: one worker each, a pool as large as the reader's cores ----
const workers = pool({
  start: (r) => {
    r.status = 'starting';
    r.t0 = performance.now();
    const [keys, values] = pairsOf(r.config);
    return { type: 'job', kind: 'run', keys, values, file: fileFor(r.config), mnist: smnist.dataFor(r.config) };
  },
  message: (r, m) => onWorkerMessage(r, m),
  failed: (r, message) => {
    r.status = 'error';
    notice(`${r.label}: ${message}. The other runs and the page keep working; ${embedded() ? 'press Train' : 'press Reset'} to try again.`, 'error');
    showProgress();
  },
  idle: () => {
    if (!app.runs.length) return;
    app.stoppedAt ??= performance.now();
    setPhase(app.runs.some((r) => r.status === 'error') && !app.runs.some((r) => r.report) ? 'error' : 'done');
    if (app.runs.length > 1) invalidate(...SUMMARY_CHARTS);
    showSummary();
    showProgress();
  },
});

function stopAll() {
  workers.stop();
  for (const r of app.runs) if (r.status === 'running' || r.status === 'starting') r.status = 'stopped';
}

function onWorkerMessage(r, m) {
  if (m.type === 'started') { r.iters = m.iters; r.status = 'running'; return; }
  if (m.type === 'progress') {
    r.iter = m.iter;
    r.trainLoss = m.trainLoss;
    if (m.rows.length) { r.rows.push(...m.rows); invalidate(...RUN_CHARTS); }
    local.onProgress(r, m);
    if (m.lyap) invalidate('lyap-spectrum');
    if (m.spectrum && r.erank0 === undefined) r.erank0 = m.spectrum.erank_entropy;
    if (m.spectrum) { r.spectrum = m.spectrum; r.spectrumIter = m.iter; r.spectrum0 ??= m.spectrum; invalidate('spectrum'); }
    showProgress();
  } else if (m.type === 'finished') {
    r.status = m.status;
    r.report = JSON.parse(m.report);
    r.weights = m.weights;
    local.onFinished(r);
    invalidate('lyap', 'lyap-spectrum');
    if (m.status === 'diverged') {
      notice(`${r.label} diverged at iteration ${r.report.diverged_at}: the loss or the weights stopped being finite, so no final measures are reported. Lower the learning rate or the gain.`, 'error');
    } else if (m.status === 'silent') {
      notice(`${r.label} is silent at iteration ${r.report.silent_at}: every unit is 0 at the decision step on every probe trial, so the representation alignment is undefined and the run stops without final measures. Nothing blew up: this start (or its training) switched every ReLU off.`, 'warn');
    }
    showProgress();
  }
}

const fix = (v, d) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '–');

function showProgress() {
  if (!app.runs.length) return;
  const iters = app.runs.reduce((a, r) => a + (r.iters || r.config.iters * 1), 0);
  const done = app.runs.reduce((a, r) => a + (r.iter || 0), 0);
  const now = app.phase === 'running' ? performance.now() : (app.stoppedAt ?? performance.now());
  const elapsed = (now - app.startedAt) / 1000;
  const rate = elapsed > 0 ? (done - app.startIter) / elapsed : 0;
  const left = rate > 0 ? (iters - done) / rate : NaN;
  const last = app.runs.length === 1 ? app.runs[0].rows.at(-1) : null;
  const phase = { done: 'Done', paused: 'Paused', error: 'Stopped' }[app.phase] ?? 'Training';
  let text = `${phase}: ${done.toLocaleString('en')} of ${iters.toLocaleString('en')} iterations`;
  if (app.runs.length > 1) text += ` across ${app.runs.length} runs`;
  if (app.phase === 'running') {
    text += `, ${rate.toFixed(0)} it/s, ${Number.isFinite(left) && done > app.startIter ? `about ${Math.ceil(left)} s left` : 'estimating time left'}`;
    if (app.runs.length > 1) text += ` (${app.runs.filter((r) => r.status === 'running').length} at a time)`;
  } else if (app.phase === 'done' && app.startIter === 0 && elapsed > 0) {
    text += ` in ${elapsed.toFixed(1)} s (${rate.toFixed(0)} it/s)`;
  }
  if (last) text += `. Probe loss ${fix(last.loss, 4)}, accuracy ${fix(last.accuracy, 3)}, weight change ${fix(last.weight_change_rel, 4)}, kernel alignment ${fix(last.kernel_alignment, 4)}`;
  $('#progress').textContent = text;
  $('#progress').dataset.iter = String(done);
  showTable();
}

// The latest measures of every compared run, as text in a table.
const TABLE = [['loss', 'probe loss', 4], ['accuracy', 'accuracy', 3], ['weight_change_rel', 'weight change', 4], ['sign_similarity', 'sign similarity', 3], ['rep_alignment', 'repr. alignment', 4], ['kernel_alignment', 'kernel alignment', 4], ['lyap_max', 'λ_max', 3]];
function showTable() {
  const table = $('#runs-table');
  table.hidden = app.runs.length < 2;
  if (table.hidden) return;
  const row = (cells, tag = 'td') => {
    const tr = document.createElement('tr');
    for (const c of cells) { const td = document.createElement(tag); td.textContent = c; tr.append(td); }
    return tr;
  };
  const head = row(['run', 'initial erank', 'status', 'iteration', ...TABLE.map((t) => t[1])], 'th');
  const body = app.runs.map((r) => {
    const m = r.rows.at(-1);
    const tr = row([r.label, r.erank0 === undefined ? '' : r.erank0.toFixed(1), r.status, (r.iter ?? 0).toLocaleString('en'), ...TABLE.map(([k, , d]) => (m ? fix(m[k], d) : ''))]);
    tr.firstChild.style.color = r.colour;
    return tr;
  });
  table.replaceChildren(head, ...body);
}

// Final measures per start, mean ± sd over its finished seeds: the figure's numbers as text.
function showSummary() {
  const table = $('#summary-table');
  const groups = app.runs.length > 1 ? summaryGroups() : [];
  table.hidden = !groups.length;
  if (table.hidden) return;
  const cell = (text, tag = 'td') => { const td = document.createElement(tag); td.textContent = text; return td; };
  const caption = document.createElement('caption');
  caption.textContent = 'Final measures by start (mean ± sd over seeds)';
  const head = document.createElement('tr');
  const extra = local.summaryColumns(groups, fix); // the exponents at the start and the end
  const measures = TABLE.filter(([k]) => k !== 'lyap_max' || !extra.length);
  head.append(...['start', 'initial erank', 'runs', ...measures.map((t) => t[1]), ...extra.map((t) => t[0])].map((t) => cell(t, 'th')));
  const body = groups.map((g) => {
    const tr = document.createElement('tr');
    tr.append(cell(g.label), cell(g.erank.toFixed(1)), cell(String(g.finals.length)), ...measures.map(([k, , d]) => {
      const [m, sd] = g.stat(k);
      return cell(`${fix(m, d)} ± ${fix(sd, d)}`);
    }), ...extra.map(([, f]) => cell(f(g))));
    tr.firstChild.style.color = g.colour;
    return tr;
  });
  table.replaceChildren(caption, head, ...body);
}

function launch(configs) {
  const missing = configs.find((c) => lacksFile(c.config));
  if (missing) return notice(`${missing.label}: this start needs its matrix file (hash ${missing.config.file ?? 'none yet'}): ${giveFile()}. Nothing started.`, 'warn');
  if (configs.some((c) => smnist.isSmnist(c.config)) && !smnist.ready()) return smnist.load().then(() => launch(configs), () => {});
  unask($('#results')); // a question about other runs is moot
  stopAll();
  const groups = [...new Set(configs.map((c) => c.group))];
  const starts = groups.map((g) => ({ label: g, config: configs.find((c) => c.group === g).config }));
  const grid = local.isGrid(starts) ? local.gridStyle(starts) : null; // a rule x gain grid: a colour per rule
  const named = new Set();
  app.runs = configs.map((c) => {
    const g = groups.indexOf(c.group);
    const legend = named.has(g) ? '' : grid ? grid.get(c.group).legend : c.group;
    named.add(g);
    return { ...c, legend, colour: grid ? grid.get(c.group).colour : COLOURS[g % COLOURS.length], rows: [], status: 'queued', iter: 0 };
  });
  app.stoppedAt = null;
  app.poolSize = poolSize();
  app.startedAt = performance.now();
  app.startIter = 0;
  document.body.classList.toggle('comparing', app.runs.length > 1);
  document.body.classList.toggle('grid', !!grid);
  setPhase('running');
  workers.run(app.runs);
  showProgress();
  invalidate(...RUN_CHARTS, 'spectrum', 'lyap-spectrum');
}

function train() {
  app.compare = null;
  updateLinks();
  launch([{ label: 'this run', group: 'this run', config: app.config }]);
}

function compareRuns(c) {
  const runs = [];
  for (const v of c.variants) for (let s = 0; s < c.seeds; s++) {
    const seed = Number(app.config.seed) + s;
    runs.push({ label: c.seeds > 1 ? `${v.label}, seed ${seed}` : v.label, group: v.label, config: startConfig(v.pairs, seed).config });
  }
  return runs;
}

function compare(c, runs = compareRuns(c)) {
  app.compare = c;
  updateLinks();
  launch(runs);
}

// A comparison from a link or the button states its cost and asks first when it is long (over two
// minutes by the estimate the local-rules figure uses) or large (over 100 runs): a link never starts
// hours of work unannounced. The question is a box in the page (ask), so it works embedded too.
const LONG_S = 120, MANY_RUNS = 100;
function askFirst(c, runs) {
  const cost = local.runsCost(runs.map((r) => r.config), poolSize());
  if (cost.seconds <= LONG_S && cost.runs <= MANY_RUNS) return compare(c, runs);
  const plural = (n, w) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const what = `${plural(cost.runs, 'run')} (${plural(c.variants.length, 'start')} × ${plural(c.seeds, 'seed')}), about ${cost.time} on ${plural(cost.pool, 'worker')}${cost.measured ? '' : ' (a first guess)'}`;
  app.compare = c; // the link keeps the comparison while it waits
  updateLinks();
  const change = embedded() ? 'open the full page (Open in richlazy) to change it' : 'choose fewer starts, seeds or iterations and press "Run side by side"';
  ask($('#results'), {
    text: `This comparison trains ${what}. The page stays usable meanwhile.`,
    cancelled: `Comparison not started: ${what}. Press Start to run it anyway, or ${change}.`,
    start: () => compare(c, runs),
    cancel: () => { $('#progress').textContent = 'Comparison not started (see above). Train runs one network.'; },
  });
  $('#progress').textContent = 'The comparison waits for Start (above).';
}

function reset() {
  stopAll();
  app.runs = [];
  document.body.classList.remove('comparing', 'grid');
  setPhase('idle');
  $('#progress').textContent = 'Ready. Press Train.';
  showTable();
  showSummary();
  refreshPreview();
  invalidate(...RUN_CHARTS, 'lyap-spectrum');
}

// ---- settings changed: validate, show the initial spectrum, reset ----
function applySettings(obj, { quiet = false } = {}) {
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
  figure?.refresh(); // the local-rules figure's cost follows the page's task and batch
  return s;
}

// The initial spectrum (an SVD) and a sample trial come from a worker, so settings changes never block the page.
const preview = helper({
  reply: (m) => {
    app.preview = JSON.parse(m.preview);
    app.trial = JSON.parse(m.trial);
    app.image = { n: Number(app.config.hidden), rgba: m.image };
    $('#init-summary').textContent = `Effective rank of this start: ${app.preview.erank_entropy.toFixed(1)} (entropy), ${app.preview.erank_pr.toFixed(1)} (participation ratio), of ${app.config.hidden}; ‖W_rec‖_F = ${app.preview.frob_norm.toFixed(2)}.`;
    invalidate('spectrum', 'trial', 'matrix');
  },
  failed: (message) => notice(`Preview failed: ${message}`, 'error'),
});
function refreshPreview() {
  updateLinks();
  if (lacksFile(app.config)) {
    // Nothing to preview until the matrix is given; the old preview goes.
    preview.cancel();
    app.preview = app.image = null;
    $('#init-summary').textContent = app.config.file ? `Choose or drop the matrix file with hash ${app.config.file} to see this start.` : 'Choose or drop a square matrix (.npy or .csv) to see this start.';
    invalidate('spectrum', 'matrix');
    return;
  }
  if (smnist.isSmnist(app.config) && !smnist.ready()) {
    preview.cancel();
    $('#init-summary').textContent = 'Loading the MNIST images for this task.';
    smnist.load().then(() => refreshPreview(), () => {});
    return;
  }
  const [keys, values] = pairsOf(app.config);
  preview.send({ type: 'preview', keys, values, file: fileFor(app.config), mnist: smnist.dataFor(app.config) });
}

// Where the reader gives a file start its matrix: the drop zone, which an embed hides.
const giveFile = (what = 'it') => (embedded() ? `open the full page (Open in richlazy) and give ${what} there` : `choose or drop ${what} under "Initial recurrent weights"`);

// What a worker needs to hold a file start's matrix: the file's bytes (each worker has its own engine).
const fileFor = (config) => (isFile(config.init) && app.file ? { hash: app.file.hash, name: app.file.name, bytes: app.file.bytes } : undefined);

// ---- bring your own connectivity: a .npy or .csv matrix, checked by the engine (load_matrix) ----
const MAX_FILE_BYTES = 50_000_000;
async function loadFile(f) {
  if (!f) return;
  const refuse = (why) => notice(`${f.name}: ${why}. Nothing changed.`, 'warn');
  if (f.size > MAX_FILE_BYTES) return refuse(`the file has ${f.size} bytes, more than the limit of 50 MB (${MAX_FILE_BYTES} bytes)`);
  let bytes;
  try { bytes = new Uint8Array(await f.arrayBuffer()); } catch (e) { return refuse(`it could not be read (${e.message ?? e})`); }
  const r = JSON.parse(load_matrix(bytes, f.name));
  if (r.error) return refuse(r.error.message);
  const pending = app.pendingFile;
  if (pending && pending.hash && r.hash !== pending.hash) {
    return refuse(`its matrix has hash ${r.hash}, the link's has ${pending.hash}: not the link's matrix, refused`);
  }
  app.file = { hash: r.hash, n: r.n, name: f.name, bytes };
  $('#file-status').textContent = `${f.name}: ${r.n} x ${r.n}, hash ${r.hash}.`;
  if (pending) {
    // The link's own settings, now with its matrix; then the run (or comparison) the link asked for.
    app.pendingFile = null;
    applySettings({ ...pending.obj, file: r.hash });
    refreshPreview();
    if (!pending.compare) return train();
    return askFirst(pending.compare, compareRuns(pending.compare));
  }
  applySettings({ ...formObject(), init: isFile(app.config.init) ? app.config.init : 'file', file: r.hash });
  reset();
}

function onFormChange() {
  const o = formObject();
  // Choosing sMNIST starts from its fast preset: the lab's own would take minutes on 28-step trials.
  const toSmnist = smnist.isSmnist(o) && !smnist.isSmnist(app.config);
  applySettings(toSmnist ? { ...o, ...smnist.FAST } : o);
  if (toSmnist) notice(smnist.FAST_NOTE);
  reset();
}

function csv() {
  const cols = ['iter', 'loss', 'accuracy', 'weight_change', 'weight_change_rel', 'sign_similarity', 'rep_alignment', 'kernel_alignment'];
  if (app.runs.some((r) => r.rows.some((m) => 'lyap_max' in m))) cols.push('lyap_max');
  const lines = [['run', ...cols].join(',')];
  for (const r of app.runs) for (const m of r.rows) lines.push([JSON.stringify(r.label), ...cols.map((c) => m[c])].join(','));
  return lines.join('\n') + '\n';
}

// A named comparison (variants('paper'), variants('local')): the page takes the figure's base settings,
// keeping what the base does not name (the task, ...), then runs the list.
let figure = null;
function figureSettings(base) {
  const { rank, erank, signed, dataset, ...keep } = local.withoutImpliedAlpha(app.config);
  return { ...keep, ...base };
}

function runFigure(named, seeds) {
  if (named.error) return notice(`figure: ${named.error.message}`, 'error');
  applySettings(figureSettings(named.base));
  const c = parseCompare(named.variants.map((v) => v.label).join(','), seeds);
  if (c.error) return notice(c.error, 'error');
  $('#compare-ranks').value = c.text;
  $('#compare-ranks').dataset.touched = '1';
  $('#compare-seeds').value = c.seeds;
  refreshPreview();
  compare(c);
}

function wire() {
  form.addEventListener('change', (e) => { if (e.target.id !== 'file-input') onFormChange(); });
  $('#file-input').addEventListener('change', (e) => { const f = e.target.files[0]; e.target.value = ''; loadFile(f); });
  const drop = $('#file-drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); loadFile(e.dataTransfer.files[0]); });
  form.addEventListener('submit', (e) => e.preventDefault());
  $('#preset-fast').onclick = () => { applySettings({ ...app.config, ...(smnist.isSmnist(app.config) ? smnist.FAST : FAST) }); reset(); };
  $('#preset-paper').onclick = () => {
    const { hidden, iters, every } = JSON.parse(variants('paper')).base; // the paper's size and length, from the engine
    applySettings({ ...app.config, hidden, iters, every, ...(smnist.isSmnist(app.config) ? smnist.PAPER : {}) });
    reset();
  };
  $('#train').onclick = () => train();
  $('#pause').onclick = () => {
    const pausing = app.phase === 'running';
    if (pausing) workers.pause();
    else workers.resume();
    if (!pausing) { app.startedAt = performance.now(); app.startIter = app.runs.reduce((a, r) => a + (r.iter || 0), 0); }
    setPhase(pausing ? 'paused' : 'running');
    showProgress();
  };
  $('#step').onclick = () => workers.step(1);
  $('#reset').onclick = () => reset();
  $('#compare-ranks').addEventListener('input', (e) => { e.target.dataset.touched = '1'; });
  $('#compare').onclick = () => {
    const c = parseCompare($('#compare-ranks').value, $('#compare-seeds').value);
    if (c.error) return notice(c.error, 'warn');
    askFirst(c, compareRuns(c));
  };
  // The paper's figure: every start set by the list; its base (a Gaussian at N 300, ...) keeps N at 300 for the rank sweep.
  $('#figure').onclick = () => runFigure(JSON.parse(variants('paper')), 3);
  $('#figure-gain').onclick = () => runFigure(JSON.parse(variants('gain')), 3);
  figure = local.wireFigure({
    settingsFor: (base) => validate(figureSettings(base)).config,
    run: (named) => runFigure(named, 1),
  });
  $('#copy-link').onclick = async () => {
    updateLinks();
    try { await navigator.clipboard.writeText(location.href); notice('Link copied: it reproduces these settings and numbers exactly.'); }
    catch { notice(`Copy this link: ${location.href}`); }
  };
  $('#export-json').onclick = () => download('richlazy-results.json', 'application/json', JSON.stringify(app.runs.length === 1 ? app.runs[0].report : app.runs.map((r) => r.report), null, 1));
  $('#export-csv').onclick = () => download('richlazy-history.csv', 'text/csv', csv());
  $('#export-weights').onclick = () => download('richlazy-weights.npz', 'application/zip', weightsNpz(app.runs));
  pngButtons(document.querySelector('[data-view="lab"]'));
  onResize(() => invalidate(...Array.from(document.querySelectorAll('[data-view="lab"] figure[data-chart]'), (f) => f.dataset.chart)));
}

async function main() {
  await init();
  $('#version').textContent = `Engine ${version()}.`;
  schema = JSON.parse(schemaOf('lab'));
  buildForm();
  const link = readLink(schema);
  const keys = [...link.keys], values = [...link.values];
  const firstVisit = !keys.length;
  // A link that sets iters but not every measures about a hundred times (the engine's default,
  // every 500, suits only the paper's 10,000 iterations; the command line keeps it).
  if (keys.includes('iters') && !keys.includes('every')) {
    const { config, errors } = validate([keys, values]);
    if (!errors.some((e) => e.key === 'iters')) { keys.push('every'); values.push(String(Math.max(1, Math.round(config.iters / 100)))); }
  }
  applySettings(firstVisit ? FAST : [keys, values]);
  if (firstVisit && !embedded()) notice('Fast preset (N 100, 1000 iterations) so that you see results in seconds; "Paper settings" gives N 300 and 10,000 iterations.');
  let c = null;
  if (link.page.compare !== undefined) {
    c = parseCompare(link.page.compare, link.page.seeds);
    if (c.error) { notice(`Link: ${c.error}; showing a single run.`, 'warn'); c = null; }
    else { $('#compare-ranks').value = c.text; $('#compare-ranks').dataset.touched = '1'; $('#compare-seeds').value = c.seeds; }
  }
  wire();
  refreshPreview();
  setPhase('idle');
  // Empty axes first, one chart per task: the first call of the chart code compiles it,
  // which should happen now rather than in the middle of training.
  for (const name of RUN_CHARTS) {
    draw(name);
    await new Promise((r) => setTimeout(r, 0));
  }
  if (isFile(app.config.init)) {
    // A link cannot carry the matrix, only its hash: ask for the file; loadFile checks it and starts the link's run.
    app.pendingFile = { hash: app.config.file, obj: { ...app.config }, compare: c };
    notice(`This link starts from a matrix of its author's (${app.config.file ? `hash ${app.config.file}` : 'no hash given'}), which a link cannot carry: ${giveFile('the same .npy or .csv file')} to run it.`);
    $('#progress').textContent = 'Waiting for the link\'s matrix file.';
    return;
  }
  if (c) askFirst(c, compareRuns(c));
  else train();
}

export function mount() {
  return main().catch((e) => {
    setPhase('error');
    notice(`The page could not start: ${e.message ?? e}. It needs a browser with WebAssembly and module workers.`, 'error');
  });
}
