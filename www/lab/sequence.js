// Tasks in sequence in the lab (docs/sequences.md): every task's probe accuracy over the whole run,
// each ended phase's boundary dashed, and a table of what each phase made the network forget, how
// fast it learned and what it cost. The run's worker sends the engine's `sequence` section (the
// report's, as it stands) with each new measure point; a run of one task has none and shows neither.
import { lines, COLOURS } from '../plot.js';
import { fixed as fix, tableRow as row } from '../shared.js';
import { $, app } from './state.js';

export const SEQUENCE_CHARTS = ['tasks'];

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

/** A new launch or reset: nothing to show until a run's first section arrives. */
export function reset() {
  document.body.classList.remove('sequence');
  $('#sequence-table').hidden = true;
}
