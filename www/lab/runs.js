// The lab's runs: one worker each from a pool as large as the reader's cores (www/pool.js), a single
// run or a comparison (several starts and seeds, asked first when long), their progress line, the
// tables of live and final measures, the history CSV and the named figures.
import { notice, embedded, ask, unask, fixed as fix, tableRow as row } from '../shared.js';
import { pool, poolSize } from '../pool.js';
import { pairsOf } from '../study.js';
import { COLOURS } from '../plot.js';
import { $, app } from './state.js';
import { schema, measure, applySettings, parseCompare, startConfig, updateLinks, figureSettings } from './settings.js';
import { invalidate, summaryGroups, refreshPreview, RUN_CHARTS, SUMMARY_CHARTS } from './charts.js';
import { lacksFile, fileFor, giveFile } from './file.js';
import * as local from './localrules.js';
import * as smnist from './smnist.js';
import * as states from './states.js';
import * as sequence from './sequence.js';

export function setPhase(p) {
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

export const workers = pool({
  start: (r) => {
    r.status = 'starting';
    r.t0 = performance.now();
    return { type: 'job', kind: 'run', ...pairsOf(r.config), file: fileFor(r.config), mnist: smnist.dataFor(r.config) };
  },
  message: (r, m) => onWorkerMessage(r, m),
  failed: (r, e) => {
    r.status = 'error';
    notice(`${r.label}: ${e.message}. The other runs and the page keep working; ${embedded() ? 'press Train' : 'press Reset'} to try again.`, 'error');
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
// Most training workers alive at once since the last launch (the pool at work).
Object.defineProperty(app, 'peakWorkers', { get: () => workers.peak });

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
    states.onProgress(r, m);
    sequence.onProgress(r, m);
    if (m.sequence) { invalidate('tasks'); sequence.showTable(); }
    if (m.lyap) invalidate('lyap-spectrum');
    if (m.spectrum && r.erank0 === undefined) r.erank0 = m.spectrum.erank_entropy;
    if (m.spectrum) { r.spectrum = m.spectrum; r.spectrumIter = m.iter; r.spectrum0 ??= m.spectrum; invalidate('spectrum'); }
    showProgress();
  } else if (m.type === 'finished') {
    r.status = m.status;
    r.report = JSON.parse(m.report);
    r.weights = m.weights;
    local.onFinished(r);
    states.onFinished(r);
    sequence.onFinished(r);
    invalidate('tasks');
    invalidate('lyap', 'lyap-spectrum');
    if (m.status === 'diverged') {
      notice(`${r.label} diverged at iteration ${r.report.diverged_at}: the loss or the weights stopped being finite, so no final measures are reported. Lower the learning rate or the gain.`, 'error');
    } else if (m.status === 'silent') {
      notice(`${r.label} is silent at iteration ${r.report.silent_at}: every unit is 0 at the decision step on every probe trial, so the representation alignment is undefined and the run stops without final measures. Nothing blew up: this start (or its training) switched every ReLU off.`, 'warn');
    }
    showProgress();
  }
}

export function showProgress() {
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
// Which measures (their short names and digits are the engine's, schema("lab").measures).
const TABLE = () => ['loss', 'accuracy', 'weight_change_rel', 'sign_similarity', 'rep_alignment', 'kernel_alignment', 'lyap_max'].map((k) => [k, measure(k).short, measure(k).digits]);
function showTable() {
  const table = $('#runs-table');
  table.hidden = app.runs.length < 2;
  if (table.hidden) return;
  const head = row(['run', 'initial erank', 'status', 'iteration', ...TABLE().map((t) => t[1])], 'th');
  const body = app.runs.map((r) => {
    const m = r.rows.at(-1);
    const tr = row([r.label, r.erank0 === undefined ? '' : r.erank0.toFixed(1), r.status, (r.iter ?? 0).toLocaleString('en'), ...TABLE().map(([k, , d]) => (m ? fix(m[k], d) : ''))]);
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
  const caption = document.createElement('caption');
  caption.textContent = 'Final measures by start (mean ± sd over seeds)';
  const extra = local.summaryColumns(groups); // the exponents at the start and the end
  const measures = TABLE().filter(([k]) => k !== 'lyap_max' || !extra.length);
  const head = row(['start', 'initial erank', 'runs', ...measures.map((t) => t[1]), ...extra.map((t) => t[0])], 'th');
  const body = groups.map((g) => {
    const tr = row([g.label, g.erank.toFixed(1), String(g.finals.length), ...measures.map(([k, , d]) => {
      const [m, sd] = g.stat(k);
      return `${fix(m, d)} ± ${fix(sd, d)}`;
    }), ...extra.map(([, f]) => f(g))]);
    tr.firstChild.style.color = g.colour;
    return tr;
  });
  table.replaceChildren(caption, head, ...body);
  sequence.showSummary(groups);
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
  app.runs.forEach(states.begin);
  states.reset();
  sequence.reset();
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

export function train() {
  app.compare = null;
  updateLinks();
  launch([{ label: 'this run', group: 'this run', config: app.config }]);
}

export function compareRuns(c) {
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
export function askFirst(c, runs) {
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

export function reset() {
  stopAll();
  app.runs = [];
  app.analyseAt = null; // a link's analysed point belongs to its run
  states.reset();
  sequence.reset();
  document.body.classList.remove('comparing', 'grid');
  setPhase('idle');
  $('#progress').textContent = 'Ready. Press Train.';
  showTable();
  showSummary();
  refreshPreview();
  invalidate(...RUN_CHARTS, 'lyap-spectrum');
}

export function csv() {
  // The engine's history columns in its order; the exponent only where a run measured it.
  const measured = app.runs.some((r) => r.rows.some((m) => 'lyap_max' in m));
  const cols = schema.measures.map((m) => m.key).filter((k) => k !== 'lyap_max' || measured);
  const lines = [['run', ...cols].join(',')];
  for (const r of app.runs) for (const m of r.rows) lines.push([JSON.stringify(r.label), ...cols.map((c) => m[c])].join(','));
  return lines.join('\n') + '\n';
}

// A named comparison (variants('paper'), variants('local')): the page takes the figure's base settings
// (figureSettings), then runs the list.
export function runFigure(named, seeds) {
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
