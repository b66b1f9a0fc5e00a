// The theory view (?view=theory, section#theory): both sweeps run in a worker (worker.js, message
// 'theory'), the charts are drawn here with the engine's theory_chart. main.js mounts it.
import init, { theory_chart, schema as schemaOf, study_settings } from '../pkg/richlazy.js';
import { canvasOf } from './canvas.js';
import { notice, download, pngButtons, viewLink, showLink, copyLink, onResize, errors } from './shared.js';
import { helper } from './pool.js';
import { readLink } from './link.js';
import { field, markFields, refused } from './form.js';

const $ = (s) => document.querySelector(s);
const form = $('#theory-form');
// In the link the settings carry a prefix (from when the panel shared the lab's page): ?view=theory&theory_norm=1.
const PREFIX = 'theory_';
// The settings' table (the engine's schema); read once the engine is loaded (mount).
let schema = null;
const keys = () => schema.params.map((p) => p.key);
const COL = { kernel: '#1f77b4', weight: '#d62728', aligned: '#2ca02c', 'partially aligned': '#1f77b4', unaligned: '#ff7f0e' };

// What tests and curious readers can inspect: window.richlazyTheory.
const state = { phase: 'idle', result: null, ms: null, errors };
window.richlazyTheory = state;

function status(text) {
  $('#theory-status').textContent = text;
}

// series: {name, colour, kind: 0 closed form (dashed) | 1 measured (dots +- sd), x, y, sd}
function chart(name, title, xLabel, yLabel, series, logX) {
  const [c, dpr] = canvasOf(name);
  const xs = [], ys = [], sds = [], lens = [];
  for (const s of series) { xs.push(...s.x); ys.push(...s.y); sds.push(...(s.sd ?? s.x.map(() => 0))); lens.push(s.x.length); }
  theory_chart(c, title, xLabel, yLabel, series.map((s) => s.name), series.map((s) => s.colour), Uint8Array.from(series, (s) => s.kind),
    Float64Array.from(xs), Float64Array.from(ys), Float64Array.from(sds), Uint32Array.from(lens), logX, 0, NaN, dpr);
}

const f3 = (v) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : '–');
const pm = (o) => `${f3(o.mean)} ± ${f3(o.sd)}`;

function table(id, head, rows) {
  const t = $(id);
  const tr = (cells, tag) => {
    const r = document.createElement('tr');
    for (const c of cells) { const d = document.createElement(tag); d.textContent = c; r.append(d); }
    return r;
  };
  t.replaceChildren(tr(head, 'th'), ...rows.map((r) => tr(r, 'td')));
}

function verdict(id, text, holds) {
  const p = $(id);
  p.textContent = text;
  p.dataset.holds = holds ? 'yes' : 'no';
}

function drawRank(r) {
  const pts = r.points;
  const x = pts.map((p) => p.erank);
  chart('theory-rank', `Effective-rank sweep, |W1(0)| = ${state.result.settings.norm}`, 'effective rank of W1(0) (log scale)', 'kernel change, weight change', [
    { name: 'kernel change', colour: COL.kernel, kind: 1, x, y: pts.map((p) => p.kernel_change.mean), sd: pts.map((p) => p.kernel_change.sd) },
    { name: '', colour: COL.kernel, kind: 0, x, y: pts.map((p) => p.kernel_change_predicted) },
    { name: 'weight change |ΔW1|', colour: COL.weight, kind: 1, x, y: pts.map((p) => p.dw1.mean), sd: pts.map((p) => p.dw1.sd) },
    { name: '', colour: COL.weight, kind: 0, x, y: pts.map((p) => p.dw1_predicted) },
    { name: 'dashed: closed form', colour: '#555555', kind: 0, x: [], y: [] },
  ], true);
}

function drawAlign(a) {
  const series = [];
  for (const s of a.starts) {
    const x = s.points.map((p) => p.kappa);
    series.push({ name: s.start, colour: COL[s.start], kind: 1, x, y: s.points.map((p) => p.kernel_change.mean), sd: s.points.map((p) => p.kernel_change.sd) });
    series.push({ name: '', colour: COL[s.start], kind: 0, x, y: s.points.map((p) => p.kernel_change_predicted) });
  }
  series.push({ name: 'dashed: closed form', colour: '#555555', kind: 0, x: [], y: [] });
  chart('theory-align', `Rank-one starts, |W1(0)| = ${state.result.settings.norm_align}`, 'condition number κ of F (log scale)', 'kernel change', series, true);
}

function draw() {
  const r = state.result?.report;
  if (!r) return;
  drawRank(r.rank);
  drawAlign(r.align);
}

function show(result) {
  state.result = result;
  const r = result.report;
  draw();
  verdict('#theory-verdict-rank', r.rank.claim, r.rank.trend_holds);
  verdict('#theory-fit-rank', r.rank.fit, r.rank.agrees);
  verdict('#theory-verdict-align', r.align.claim, r.align.claim_holds);
  verdict('#theory-fit-align', r.align.fit, r.align.agrees);
  table('#theory-table-rank', ['erank', 'kernel change', 'closed form', '|ΔW1|', 'closed form', '|w2|', 'closed form', 'steps'],
    r.rank.points.map((p) => [p.erank, pm(p.kernel_change), f3(p.kernel_change_predicted), pm(p.dw1), f3(p.dw1_predicted), pm(p.dw2), f3(p.dw2_predicted), p.converged ? p.steps : `${p.steps} (not converged)`]));
  table('#theory-table-align', ['start', 'κ', 'cos(v, β)', 'kernel change', 'closed form', '|ΔW1|', 'closed form', 'steps'],
    r.align.starts.flatMap((s) => s.points.map((p) => [s.start, p.kappa, f3(p.cosine), pm(p.kernel_change), f3(p.kernel_change_predicted), pm(p.dw1), f3(p.dw1_predicted), p.converged ? p.steps : `${p.steps} (not converged)`])));
}

function fail(message) {
  state.phase = 'error';
  notice(`The theory worker failed: ${message}.`, 'error');
  status(`The theory worker failed: ${message}. Press Run to try again.`);
  $('#theory-run').disabled = false;
}

let sent = {}; // the values of the latest request
let linkRun = false; // the latest request is the link's (checked in mount): its marks stand

// Both sweeps in one long-lived worker; only the latest request's reply counts.
const sweeps = helper({
  reply: async (m) => {
    try {
      await init(); // already loaded by the page: returns at once
      const result = JSON.parse(m.result);
      state.ms = m.ms;
      if (!linkRun) ignored(result);
      const bad = result.errors.length ? ` Ignored: ${result.errors.map((e) => e.message).join('; ')}.` : '';
      // Show the values used where the engine replaced a bad one; keep what the reader typed since.
      for (const k of keys()) if (String(result.settings[k]) !== sent[k]) form.elements[k].value = result.settings[k];
      show(result);
      updateLink();
      $('#theory-json').disabled = false;
      state.phase = 'done';
      status(`Done in ${(m.ms / 1000).toFixed(1)} s (${result.settings.seeds} seed${result.settings.seeds > 1 ? 's' : ''}).${bad}`);
    } catch (err) {
      fail(err.message ?? String(err));
    }
    $('#theory-run').disabled = false;
  },
  failed: fail,
});

// Bad settings (the link's, or the form's as the engine saw them) named in notices, their fields marked.
function ignored(r, from) {
  for (const e of r.errors) refused(e, r.settings[e.key], from);
  markFields(form, keys(), r.errors);
}

function run({ link = false } = {}) {
  linkRun = link;
  const values = keys().map((k) => String(form.elements[k].value));
  sent = Object.fromEntries(keys().map((k, i) => [k, values[i]]));
  state.phase = 'running';
  $('#theory-run').disabled = true;
  status('Running both sweeps in a worker…');
  sweeps.send({ type: 'theory', keys: keys(), values });
}

/** The view's link: its settings that differ from the defaults. */
function updateLink() {
  const q = {};
  if (state.result) for (const p of schema.params) if (String(state.result.settings[p.key]) !== p.default) q[PREFIX + p.key] = state.result.settings[p.key];
  if (document.body.classList.contains('embed')) q.embed = 1;
  showLink(viewLink('theory', q), $('#theory-snippet'), 'richlazy: a linear network');
}

export async function mount() {
  await init();
  schema = JSON.parse(schemaOf('theory'));
  form.querySelector('#theory-run').insertAdjacentHTML('beforebegin', schema.params.map((p) => field(p)).join(''));
  // The link's values, checked here so that a bad one is named as the link gave it; the form shows those used.
  const link = readLink(schema, { prefix: PREFIX });
  const r = JSON.parse(study_settings('theory', link.keys, link.values));
  ignored(r, 'Link');
  for (const k of keys()) form.elements[k].value = r.settings[k];
  form.addEventListener('submit', (e) => { e.preventDefault(); run(); });
  // A new seed (form.js's button) runs at once: the view's link is written from its run.
  form.addEventListener('change', (e) => { if (e.target.name === 'seed') run(); });
  $('#theory-link').onclick = copyLink;
  $('#theory-json').onclick = () => download('richlazy-theory.json', 'application/json', JSON.stringify(state.result, null, 1));
  pngButtons($('#theory'), 'richlazy-theory');
  onResize(draw);
  updateLink();
  run({ link: true });
}
