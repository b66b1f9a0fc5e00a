// The lab's charts: a run's (or every compared run's) measures, the spectrum, the initial W_rec, a
// sample trial and the comparison's summaries, redrawn a few at a time per frame so no task runs
// long; and the start's preview (its spectrum, trial and image), computed in a worker.
import { heatmap_axes } from '../../pkg/richlazy.js';
import { canvasOf } from '../canvas.js';
import { lines, errorbars, meanSd, COLOURS } from '../plot.js';
import { notice } from '../shared.js';
import { helper } from '../pool.js';
import { pairsOf } from '../study.js';
import { $, app } from './state.js';
import { measure, familyOf, isConnectome, isFile, updateLinks } from './settings.js';
import { lacksFile, fileFor } from './file.js';
import * as local from './localrules.js';
import * as smnist from './smnist.js';
import * as states from './states.js';
import * as sequence from './sequence.js';

export const RUN_CHARTS = ['loss', 'accuracy', 'weight', 'kernel', 'rep', 'lyap'];
export const SUMMARY_CHARTS = ['summary-align', 'summary-weight', ...local.GRID_CHARTS, ...sequence.SUMMARY_CHARTS];
app.redraw = (name) => draw(name); // synchronous, for tests and timing

const dirty = new Set();
let frame = 0;
export function invalidate(...names) {
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

// A measure against the iteration: its title, axis and scale are the engine's (schema("lab").measures).
function history(name, key, range = {}) {
  const m = measure(key);
  return lines(name, m.label, measure('iter').axis, m.axis, historySeries(key), { ...range, logY: m.log });
}

export function draw(name) {
  const single = app.runs.length <= 1;
  switch (name) {
    case 'loss': return history(name, 'loss');
    case 'accuracy': return history(name, 'accuracy', { yMin: 0, yMax: 1.02 });
    case 'weight': return history(name, 'weight_change_rel', { yMin: 0 });
    case 'kernel': return history(name, 'kernel_alignment', { yMax: 1.005 });
    case 'rep': return history(name, 'rep_alignment', { yMax: 1.005 });
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
    default:
      if (states.draw(name) || sequence.draw(name)) return;
      if (SUMMARY_CHARTS.includes(name)) return drawSummary(name);
  }
}

// The initial W_rec: axes by plotters, the N x N pixels blitted into its plotting area.
function drawMatrix() {
  const m = app.image;
  if (!m) return;
  const [c, dpr] = canvasOf('matrix');
  // The family's display name is the engine's (a file start puts the file's name instead).
  const f = familyOf(app.config.init);
  const what = isFile(app.config.init) ? app.file?.name ?? f.display : f.display && `${f.display}${isConnectome(app.config.init) && app.config.dataset ? `, ${app.config.dataset}` : ''} (rows receive)`;
  const title = what ? `Initial W_rec: ${what}` : 'Initial W_rec';
  const [x, y, w, h] = heatmap_axes(c, title, 'from unit', 'to unit', m.n, dpr);
  const img = document.createElement('canvas');
  img.width = img.height = m.n;
  img.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(m.rgba.buffer, m.rgba.byteOffset, m.rgba.byteLength), m.n, m.n), 0, 0);
  const ctx = c.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(img, x, y, w, h);
}

// Finished runs grouped by start: initial effective rank and mean/sd of each final measure.
export function summaryGroups() {
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

// A comparison's summary: the alignments and the weight change, a grid's own (localrules.js), or a
// sequence's forgetting and cost (sequence.js), each against the initial effective rank.
function drawSummary(name) {
  const groups = summaryGroups();
  if (local.isGrid(groups)) return local.drawGrid(name, groups);
  const seq = sequence.summary(name, groups);
  if (seq) return erankChart(name, groups, seq);
  if (!['summary-align', 'summary-weight'].includes(name)) return;
  const keys = name === 'summary-align' ? ['kernel_alignment', 'rep_alignment', 'sign_similarity'] : ['weight_change_rel'];
  const measures = keys.map((key, i) => ({ label: measure(key).short, colour: COLOURS[name === 'summary-align' ? i : 3], stat: (g) => g.stat(key) }));
  erankChart(name, groups, name === 'summary-align'
    ? { title: 'Final alignment vs initial effective rank', y: 'value at the end', measures }
    : { title: 'Final weight change vs initial effective rank', y: 'relative change (log scale)', measures, logY: true });
}

// Measures [{label, colour, stat(group) -> [mean, sd]}] against the initial effective rank: the rank
// sweep as joined dots, every other start as its own marker shape (named in the legend in grey).
function erankChart(name, groups, { title, y, measures, logY = false }) {
  const swept = groups.filter((g) => g.family === 'rank');
  const others = groups.filter((g) => g.family !== 'rank');
  const series = [];
  for (const { label, colour, stat } of measures) {
    series.push({ name: label, colour, shape: 0, joined: swept.length > 0, pts: swept.map((g) => [g.erank, ...stat(g)]) });
    others.forEach((g, i) => series.push({ name: '', colour, shape: 1 + i, joined: false, pts: [[g.erank, ...stat(g)]] }));
  }
  others.forEach((g, i) => series.push({ name: g.label, colour: '#555555', shape: 1 + i, joined: false, pts: [] }));
  errorbars(name, title, 'initial effective rank (log scale)', y, series, { logX: true, logY });
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
  failed: (e) => notice(`Preview failed: ${e.message}`, 'error'),
});
export function refreshPreview() {
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
  preview.send({ type: 'preview', ...pairsOf(app.config), file: fileFor(app.config), mnist: smnist.dataFor(app.config) });
}
