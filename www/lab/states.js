// The lab's state-space picture (the engine's src/analysis): at every measure point, the probe's
// condition-averaged trajectories of the network then over its start's, on principal components of
// the two (report::frame), and the singular values of ΔW; and the on-demand fixed-point search,
// `richlazy analyse --weights` on a measure point's weights, whose points the chart then marks.
// A single run keeps the weights of up to KEEP measure points, so any of them can be analysed; in a
// comparison each start gets a small chart of its first seed, and Analyse takes each start's end.
import { lines, COLOURS } from '../plot.js';
import { helper } from '../pool.js';
import { pairsOf } from '../study.js';
import { notice, fixed as fix } from '../shared.js';
import { $, app } from './state.js';
import { fileFor } from './file.js';
import { updateLinks } from './settings.js';
import * as smnist from './smnist.js';

const KEEP = 32;
const GREY = '#9a9a9a';
const POINTS = [['stable', '#111111'], ['saddle', '#ff7f0e'], ['unstable', '#d62728']];
export const STATE_CHARTS = ['states', 'delta-sv'];

let invalidate = () => {};
/** The lab's redraw scheduler (charts.js hands it over, so that this module need not import it). */
export function wire(schedule) {
  invalidate = schedule;
  $('#states-at').oninput = () => { app.statesAt = Number($('#states-at').value); showPoint(); invalidate('states', 'delta-sv'); };
  $('#analyse').onclick = () => analyse();
}

/** A new run's state: its frames, the weights kept for them, its analysis. */
export function begin(r) {
  r.frames = [];
  r.kept = new Map();
  r.analysis = null;
}

/** A progress message's frames (one per new measure point) onto run r. */
export function onProgress(r, m) {
  if (!m.frames?.length) return;
  for (const { frame, weights } of m.frames) {
    r.frames.push(frame);
    if (app.runs.length === 1) keep(r, frame.iter, weights);
  }
  showPoint();
  invalidate(...charts());
  const wanted = app.analyseAt;
  if (wanted !== null && !app.analysed && r.kept.has(wanted)) {
    app.analysed = true;
    app.statesAt = r.frames.findIndex((f) => f.iter === wanted);
    showPoint();
    analyse();
  }
}

// Keeps a measure point's weights; past KEEP, every other kept point goes (iteration 0 and the
// newest stay), so the kept points stay spread over the whole run.
function keep(r, iter, weights) {
  r.kept.set(iter, weights);
  if (r.kept.size <= KEEP) return;
  [...r.kept.keys()].filter((_, i) => i % 2 === 1 && i < r.kept.size - 1).forEach((k) => r.kept.delete(k));
}

/** A run ended: a link's analysis that never found its point says so. */
export function onFinished(r) {
  if (app.analyseAt !== null && !app.analysed && app.runs.length === 1) {
    app.analysed = true;
    notice(`Link: analyse=${app.analyseAt}: this run kept no measure point at iteration ${app.analyseAt} (it measures every ${r.config.every} iterations), so no fixed points are shown. Choose a measure point and press Analyse.`, 'warn');
  }
  showPoint();
  invalidate(...charts());
}

const charts = () => [...STATE_CHARTS, ...gridNames()];
const gridNames = () => groups().map((_, i) => `states-${i}`);
// A comparison's first run of each start.
const groups = () => app.runs.length > 1 ? app.runs.filter((r, i) => app.runs.findIndex((q) => q.group === r.group) === i) : [];

// The frame the single run's chart shows: the slider's, or the latest.
function shown(r) {
  if (!r?.frames?.length) return null;
  const i = app.statesAt ?? r.frames.length - 1;
  return r.frames[Math.min(i, r.frames.length - 1)];
}

function showPoint() {
  const r = app.runs[0];
  const slider = $('#states-at');
  const n = r?.frames?.length ?? 0;
  slider.max = String(Math.max(0, n - 1));
  slider.disabled = n < 2 || app.runs.length > 1;
  if (app.statesAt === null) slider.value = String(Math.max(0, n - 1));
  const f = shown(r);
  $('#states-iter').textContent = f ? `iteration ${f.iter.toLocaleString('en')}${app.statesAt === null ? ' (latest)' : ''}` : '';
  setAnalyse();
}

function setAnalyse() {
  const b = $('#analyse');
  if (app.runs.length > 1) {
    b.disabled = !groups().every((r) => r.weights);
    b.title = 'the fixed points of every start at the end of its first seed (once the comparison is done)';
  } else {
    const r = app.runs[0], f = shown(r);
    b.disabled = !f || !weightsAt(r, f.iter);
    b.title = f && !weightsAt(r, f.iter) ? `the weights of iteration ${f.iter} were not kept (a run keeps ${KEEP} measure points)` : 'search the fixed and slow points of the network at this measure point and of its start';
  }
}

function weightsAt(r, iter) {
  return r.kept?.get(iter) ?? (r.weights && iter === r.iter ? r.weights : null);
}

// One request at a time: the helper passes on only its latest reply.
const queue = [];
const worker = helper({
  reply: (m) => {
    const { r, iter, t0 } = queue.shift();
    r.analysis = { iter, report: JSON.parse(m.report), text: m.report, ms: performance.now() - t0 };
    summarise();
    invalidate(...charts());
    next();
  },
  failed: (e) => {
    queue.length = 0;
    $('#states-summary').textContent = `The analysis failed: ${e.message}`;
    notice(`Analyse: ${e.message}`, 'error');
  },
});
function next() {
  if (!queue.length) return;
  const { r, weights } = queue[0];
  queue[0].t0 = performance.now();
  worker.send({ type: 'analyse', ...pairsOf(r.config), weights, file: fileFor(r.config), mnist: smnist.dataFor(r.config) });
}

/** Runs the fixed-point search on the shown measure point (a comparison: every start's end). */
export function analyse() {
  const jobs = app.runs.length > 1
    ? groups().filter((r) => r.weights).map((r) => ({ r, iter: r.iter, weights: r.weights }))
    : [app.runs[0]].map((r) => ({ r, iter: shown(r)?.iter })).map((j) => ({ ...j, weights: j.r && weightsAt(j.r, j.iter) })).filter((j) => j.weights);
  if (!jobs.length) return notice('Analyse: no kept measure point to analyse yet.', 'warn');
  if (app.runs.length === 1) { app.analyseAt = jobs[0].iter; app.analysed = true; }
  queue.length = 0;
  queue.push(...jobs);
  $('#states-summary').textContent = `Searching the fixed points (${jobs.length > 1 ? `${jobs.length} starts` : `iteration ${jobs[0].iter.toLocaleString('en')}`})…`;
  next();
  updateLinks();
}

// What the search found, in words: per input the points of the start and of the network.
const count = (p) => POINTS.filter(([k]) => p[k]).map(([k]) => `${p[k]} ${k}${p[k] > 1 ? (k === 'saddle' ? 's' : '') : ''}`).join(' + ') || 'none found';
function sentence(a) {
  const rep = a.report;
  const inputs = rep.fixed_points.map((f) => `${f.input}: ${count(f.start)} → ${count(f.end)}`).join('; ');
  const d = rep.delta_w.directions[0];
  return `iteration ${a.iter.toLocaleString('en')}: fixed points (start → now) ${inputs}. Trajectory shift ${fix(rep.change.trajectory_shift, 2)}, CKA with the start ${fix(rep.change.cka, 2)}, ΔW effective rank ${fix(rep.delta_w.erank_pr, 1)}${d ? `, its top direction ${fix(d.right_on_output, 2)} on W_out and ${fix(d.left_on_input, 2)} on W_in` : ''} (${a.ms < 1000 ? `${Math.round(a.ms)} ms` : `${(a.ms / 1000).toFixed(1)} s`})`;
}
function summarise() {
  const done = app.runs.length > 1 ? groups().filter((r) => r.analysis) : app.runs.filter((r) => r.analysis);
  $('#states-summary').textContent = done.map((r) => `${app.runs.length > 1 ? `${r.group}, ` : ''}${sentence(r.analysis)}`).join('\n'); // a line per start
  $('#states-summary').dataset.analysed = String(done.length);
}

/** Clears the picture (a new run or reset). */
export function reset() {
  app.statesAt = null;
  queue.length = 0;
  $('#states-summary').textContent = '';
  delete $('#states-summary').dataset.analysed;
  const grid = $('#states-grid');
  const names = gridNames();
  grid.replaceChildren(...groups().map((r, i) => {
    const f = document.createElement('figure');
    f.dataset.chart = names[i];
    f.append(document.createElement('canvas'));
    return f;
  }));
  showPoint();
  invalidate(...charts());
}

// The chart's series: the start's trajectories dashed grey, the network's coloured by the first
// condition variable (a 2AF stimulus side, a DMS sample, a context), and the analysis's points.
function series(frame, analysis, legend = true) {
  const { names, values } = frame.conditions;
  const firsts = [...new Set(values.map((v) => v[0]))];
  const xy = (tr) => ({ x: tr.map((p) => p[0]), y: tr.map((p) => p[1] ?? 0) });
  const out = frame.trajectories.start.map((tr, k) => ({ name: legend && !k ? 'start' : '', colour: GREY, dashed: true, ...xy(tr) }));
  const named = new Set();
  frame.trajectories.end.forEach((tr, k) => {
    const g = firsts.indexOf(values[k][0]);
    out.push({ name: legend && !named.has(g) ? `${names[0]} ${values[k][0]}` : '', colour: COLOURS[g % COLOURS.length], ...xy(tr) });
    named.add(g);
  });
  if (analysis && analysis.iter === frame.iter) {
    const at = (which, kind) => analysis.report.fixed_points.flatMap((f) => f[which].points.filter((p) => !kind || p.stability === kind).map((p) => p.pcs));
    const dots = (name, colour, pts) => ({ name, colour, dots: true, x: pts.map((p) => p[0]), y: pts.map((p) => p[1] ?? 0) });
    out.push(dots(legend ? 'start\'s fixed points' : '', GREY, at('start')));
    for (const [kind, colour] of POINTS) {
      const pts = at('end', kind);
      if (pts.length) out.push(dots(legend ? `${kind} point` : '', colour, pts));
    }
  }
  return out;
}

const pct = (e, i) => (e[i] === undefined ? '' : ` (${(100 * e[i]).toFixed(0)}%)`);
function drawStates(name, r, frame, title) {
  const e = frame.components.explained;
  lines(name, title, `PC1${pct(e, 0)}`, `PC2${pct(e, 1)}`, series(frame, r.analysis, name === 'states'));
}

/** Draws one of this module's charts; false if the name is not one. */
export function draw(name) {
  if (name === 'states') {
    const r = app.runs[0], f = app.runs.length === 1 ? shown(r) : null;
    if (!f) return lines(name, 'State space (Train to see it)', 'PC1', 'PC2', []), true;
    const s = f.change;
    drawStates(name, r, f, `Iteration ${f.iter.toLocaleString('en')}: shift ${fix(s.trajectory_shift, 2)}, CKA ${fix(s.cka, 2)}`);
    return true;
  }
  if (name === 'delta-sv') {
    const runs = app.runs.length === 1 ? app.runs : groups();
    const sv = runs.map((r) => {
      const f = app.runs.length === 1 ? shown(r) : r.frames?.at(-1);
      const v = f?.delta_w.singular_values ?? [];
      const x = [], y = [];
      v.forEach((s, i) => { if (s > 0) { x.push(i + 1); y.push(s); } });
      const label = app.runs.length === 1 ? (f ? `iteration ${f.iter}, effective rank ${fix(f.delta_w.erank_pr, 1)}` : '') : `${r.group} (erank ${fix(f?.delta_w.erank_pr, 1)})`;
      return { name: label, colour: r.colour, x, y, markers: true };
    });
    lines(name, 'Singular values of ΔW = W_rec − W_rec(0)', 'index (largest first)', 'singular value', sv, { logY: true, markers: true });
    return true;
  }
  const k = gridNames().indexOf(name);
  if (k < 0) return false;
  const r = groups()[k], f = r?.frames?.at(-1);
  if (f) drawStates(name, r, f, `${r.group}: iteration ${f.iter.toLocaleString('en')}, shift ${fix(f.change.trajectory_shift, 2)}`);
  return true;
}
