// Tasks in sequence in the lab (docs/sequences.md): every task's probe accuracy over the whole run,
// each ended phase's boundary dashed, and a table of what each phase made the network forget, how
// fast it learned and what it cost. The run's worker sends the engine's `sequence` section (the
// report's, as it stands) with each new measure point; a run of one task has none and shows neither.
// A comparison of starts on one sequence gets, per start, its forgetting and cost against the initial
// effective rank (charts.js draws them as it draws the alignments) and a table of them.
import { lines, meanSd, COLOURS } from '../plot.js';
import { fixed as fix, tableRow as row } from '../shared.js';
import { $, app } from './state.js';

export const SEQUENCE_CHARTS = ['tasks'];
export const SUMMARY_CHARTS = ['summary-forget', 'summary-cost'];

/** The section of a progress message onto run r; whether the page shows sequences now. */
export function onProgress(r, m) {
  if (m.sequence) r.sequence = m.sequence;
}

/** A finished run's section is its report's. */
export function onFinished(r) {
  if (r.report?.sequence) r.sequence = r.report.sequence;
  showTable();
}

/** The page shows the task chart and the table only for a single run with a sequence. */
export function showing() {
  const on = app.runs.length === 1 && !!app.runs[0].sequence;
  document.body.classList.toggle('sequence', on);
  return on;
}

/** The task chart: one line per task, the ended phases' boundaries as dashed verticals. */
export function draw(name) {
  if (name !== 'tasks') return false;
  const s = app.runs[0]?.sequence;
  if (!showing() || !s) return true;
  const x = s.history.map((p) => p.iter);
  const series = s.tasks.map((t, i) => ({ name: t.toUpperCase(), colour: COLOURS[i % COLOURS.length], x, y: s.history.map((p) => p.accuracy[t]) }));
  s.phases.filter((p) => p.end < app.runs[0].iters).forEach((p, i) => {
    series.push({ name: i ? '' : 'phase boundary', colour: '#777777', dashed: true, x: [p.end, p.end], y: [0, 1] });
  });
  lines(name, `Every task's probe accuracy: ${s.phases.map((p) => p.task.toUpperCase()).join(' → ') || s.tasks[0].toUpperCase()}`, 'iteration', 'accuracy', series, { yMin: 0, yMax: 1.02 });
  return true;
}

// Per ended phase: its task and iterations, each task's accuracy at its end, what it forgot, how fast
// it learned its own task, its weight change and its cost (the path of W_rec and of all weights).
export function showTable() {
  const table = $('#sequence-table');
  const s = showing() ? app.runs[0].sequence : null;
  table.hidden = !s?.phases.length;
  if (table.hidden) return;
  const caption = document.createElement('caption');
  caption.textContent = `Each phase at its end (learned: probe accuracy ${s.learned_accuracy}; forgetting: accuracy lost since the phase that last trained a task)`;
  const head = row(['phase', 'task', 'iterations', ...s.tasks.map((t) => `${t.toUpperCase()} accuracy`), 'forgot', 'iterations to learn', 'ΔW_rec', 'path W_rec', 'path, all weights', 'Σ‖ΔW‖², all'], 'th');
  const body = s.phases.map((p, i) => row([String(i + 1), p.task.toUpperCase(), `${p.start.toLocaleString('en')}–${p.end.toLocaleString('en')}`,
    ...s.tasks.map((t) => fix(p.probe[t].accuracy, 3)),
    p.forgetting.map((f) => `${f.task.toUpperCase()} ${fix(f.accuracy, 3)}`).join(', ') || '–',
    p.iters_to_learn === null ? 'not learned' : p.iters_to_learn.toLocaleString('en'),
    fix(p.change_w_rec, 3), fix(p.path_w_rec, 3), fix(p.path_all, 3), fix(p.path_sq_all, 4)]));
  table.replaceChildren(caption, head, ...body);
}

// The phases of a comparison's sequence (every start runs the same one), from its longest report:
// a run that diverged lists only the phases it ended.
function comparedPhases(groups) {
  const all = groups.flatMap((g) => g.reports.map((r) => r.sequence?.phases ?? []));
  return all.reduce((a, b) => (b.length > a.length ? b : a), []);
}

// Mean ± sd over a start's seeds of f(phase k), from the seeds that ended phase k.
const phaseStat = (g, k, f) => meanSd(g.reports.map((r) => r.sequence?.phases[k]).filter(Boolean).map(f));

// What each phase after the first made the network forget of each earlier task (accuracy lost since
// the phase that last trained it), and what each phase cost: one measure each.
function forgetMeasures(phases) {
  return phases.slice(1).flatMap((p, j) => p.forgetting.map((f) => ({
    label: `${f.task.toUpperCase()} lost during ${p.task.toUpperCase()} (phase ${j + 2})`,
    stat: (g) => phaseStat(g, j + 1, (q) => q.forgetting.find((x) => x.task === f.task)?.accuracy),
  })));
}
const costMeasures = (phases) => phases.map((p, k) => ({
  label: `path of W_rec, phase ${k + 1} (${p.task.toUpperCase()})`,
  stat: (g) => phaseStat(g, k, (q) => q.path_w_rec),
}));
const coloured = (ms) => ms.map((m, i) => ({ ...m, colour: COLOURS[i % COLOURS.length] }));

/** A comparison's forgetting or cost chart (`name`) as charts.js draws it: {title, y, measures, logY}; null for another chart or runs without a sequence. */
export function summary(name, groups) {
  if (!SUMMARY_CHARTS.includes(name)) return null;
  const phases = comparedPhases(groups);
  if (phases.length < 2) return null;
  return name === 'summary-forget'
    ? { title: 'Forgetting vs initial effective rank', y: 'accuracy lost', measures: coloured(forgetMeasures(phases)) }
    : { title: 'Cost of plasticity vs initial effective rank', y: 'path length of W_rec (log scale)', measures: coloured(costMeasures(phases)), logY: true };
}

/** A comparison's table: per start, mean ± sd over its seeds of each phase's forgetting and cost. */
export function showSummary(groups) {
  if (app.runs.length < 2) return;
  const table = $('#sequence-table');
  const phases = comparedPhases(groups);
  table.hidden = phases.length < 2;
  if (table.hidden) return;
  const ms = (m, sd, d) => `${fix(m, d)} ± ${fix(sd, d)}`;
  const caption = document.createElement('caption');
  caption.textContent = `By start, mean ± sd over its seeds (${phases.map((p) => p.task.toUpperCase()).join(' → ')}; a phase's iterations to learn over the seeds that reached ${app.runs[0].report?.sequence?.learned_accuracy ?? 0.8})`;
  const forgets = forgetMeasures(phases);
  const head = row(['start', 'initial erank', 'runs', ...forgets.map((f) => f.label),
    ...phases.flatMap((p, k) => [`phase ${k + 1} (${p.task.toUpperCase()}): iterations to learn`, `path W_rec`]), 'path, all weights', 'Σ‖ΔW‖², all'], 'th');
  const total = (g, key) => meanSd(g.reports.map((r) => r.sequence?.total[key]));
  const body = groups.map((g) => {
    const tr = row([g.label, fix(g.erank, 1), String(g.reports.length), ...forgets.map((f) => ms(...f.stat(g), 3)),
      ...phases.flatMap((p, k) => [ms(...phaseStat(g, k, (q) => q.iters_to_learn ?? NaN), 0), ms(...phaseStat(g, k, (q) => q.path_w_rec), 2)]),
      ms(...total(g, 'path_all'), 2), ms(...total(g, 'path_sq_all'), 4)]);
    tr.firstChild.style.color = g.colour;
    return tr;
  });
  table.replaceChildren(caption, head, ...body);
}

/** A new launch or reset: nothing to show until a run's first section arrives; a comparison of
 * sequences shows its forgetting and cost charts. */
export function reset() {
  document.body.classList.remove('sequence');
  document.body.classList.toggle('sequences', app.runs.length > 1 && app.runs.some((r) => r.config.sequence));
  $('#sequence-table').hidden = true;
}
