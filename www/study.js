// The one scaffold of the page's views. A view is built from the engine's settings table
// (`schema(name)`, src/study.rs): the form (www/form.js's fields, the new-seed button among them), the
// link state (www/link.js: bad values named in notices and replaced by defaults), the runs in workers
// (www/pool.js: one job, or a pool of jobs such as one grid cell each), the status line, the share bar
// (copy link, JSON, CSV, weights, notebook, embed snippet) and PNG buttons. The regime studies and the theory
// are one description each (www/views/); the lab (www/lab/) has its own form and runs and takes the
// share bar, pairs and links from here.
//
// A view module:   export function mount(root) { return studyView(root, { ...description }); }
// registered by one line in www/main.js's VIEWS (and one in tests/browser/roughedges.test.mjs's STUDY_VIEWS).
// Charts: www/plot.js's lines (logX, logY, dashed, dots), errorbars and heatmap.
// The description:
//   name      the engine's study name (also the ?view= id)
//   title     optional: the heading, instead of the schema's title
//   intro     static HTML of ours above the form (what the study is, what to look for, our choices)
//   charts    [{ id, caption }]: figures, in order; `id` is the chart's data-chart name
//   progress(state, p, job)   optional: fold one progress object from the engine into state.data (job: its index)
//   draw(state)               draw every chart from state.data and state.reports (also on resize and
//                             at the start: empty axes)
//   jobs(settings, state)     optional: split a run into pool jobs, [{label, pairs: {key: value}}], each
//                             run as the same study with those pairs on top of the settings (e.g. shard=i/n)
//   csv(state)                optional: the history as CSV text for the export
//   done(state)               optional: what the status adds once a run is done (e.g. ' (3 seeds).')
//   prefix    optional: what the link puts before the engine's keys (the theory's `theory_`)
//   look      optional: {intro, form, charts} class names instead of the regime studies' own
//   labels    optional, default 'key': a field's label is its key with the help below ('key'), or the help ('help')
//   autorun   optional, default true: run when the view opens
// state (window.richlazy.study, for tests): { schema (the engine's, schema(name)), phase: 'idle'|'running'|'done'|'stopped'|'error',
//   settings, changed, refused (the settings' last errors), data (the view's own, reset before each
//   run), reports (one per job), ms, errors }
import init, { schema as schemaOf, study_settings, study_merge } from '../pkg/richlazy.js';
import { notice, download, downloadNotebook, pngButtons, viewLink, showLink, copyLink, onResize, embedded, errors } from './shared.js';
import { weightsNpz } from './weights.js';
import { pool, poolSize } from './pool.js';
import { readLink } from './link.js';
import { field, markFields, refused, esc } from './form.js';

/** The engine's pairs from an object (a form's, a preset's; undefined and null left out). */
export function pairsOf(obj) {
  const keys = [], values = [];
  for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null) { keys.push(k); values.push(String(v)); }
  return { keys, values };
}

const NOTEBOOK = '<button type="button" id="ID-notebook" data-act="notebook" title="a Jupyter notebook that reruns these settings in Python and checks the result">Open as notebook</button>';
/** The share bar's HTML: copy link, the exports `acts` names (json, csv, weights), the notebook, the embed snippet.
 * `id` prefixes the ids its controls also have (`<id>-link`, `<id>-json`, `<id>-snippet`, ...). */
export function shareBar(id, acts) {
  const LABELS = { json: 'Results JSON', csv: 'History CSV', weights: 'Weights .npz' };
  return `<div class="buttons share"><button type="button" id="${id}-link" data-act="link">Copy link</button>
    ${acts.map((a) => `<button type="button" id="${id}-${a}" data-act="${a}" disabled>${LABELS[a]}</button>`).join('\n    ')}
    ${NOTEBOOK.replace('ID', id)}
    <label class="snippet">embed snippet <textarea id="${id}-snippet" readonly rows="3"></textarea></label></div>`;
}

/**
 * Wires the share bar under `root` (its buttons found by data-act) and a PNG button on every chart.
 * exports: { json: () => [file, text], csv: ..., weights: () => [file, runs] (the lab's runs, each
 * with its .npy weights), notebook: () => [view, settings, report or null] (shared.js's downloadNotebook) },
 * each a download; `before()` (optional) runs before a link is copied.
 * Returns enable(act, on) for the exports' buttons.
 */
export function wireShare(root, exports, { png = 'richlazy', before } = {}) {
  const act = (a) => root.querySelector(`[data-act="${a}"]`);
  const TYPES = { json: 'application/json', csv: 'text/csv', weights: 'application/zip' };
  act('link').onclick = () => { before?.(); return copyLink(); };
  for (const [a, make] of Object.entries(exports)) {
    if (!act(a)) continue;
    act(a).onclick = () => {
      if (a === 'notebook') return downloadNotebook(...make());
      const [file, data] = make();
      download(file, TYPES[a], a === 'weights' ? weightsNpz(data) : data);
    };
  }
  pngButtons(root, png);
  return (a, on) => { if (act(a)) act(a).disabled = !on; };
}

/** The embed snippet's textarea under `root`. */
export const snippetOf = (root) => root.querySelector('.share textarea');

// Pairs (the link's, repeats kept) or an object (the form's) checked by the engine.
function validate(name, { keys, values }) {
  return JSON.parse(study_settings(name, keys, values.map(String)));
}

export async function studyView(root, view) {
  await init();
  const schema = JSON.parse(schemaOf(view.name));
  const title = view.title ?? schema.title;
  const state = { schema, phase: 'idle', settings: null, changed: {}, refused: [], data: {}, reports: [], ms: 0, errors };
  window.richlazy = { ...(window.richlazy || {}), study: state, errors };
  const prefix = view.prefix ?? '';
  const look = { intro: 'intro study-intro', form: 'study-form', charts: 'charts', ...view.look };
  // The shard key is the pool's (jobs below), not the reader's: no field, and a run is whole.
  const fields = schema.params.filter((p) => p.kind !== 'shard');
  const whole = schema.params.some((p) => p.kind === 'shard') ? { shard: '0/1' } : {};
  const label = (p) => (view.labels === 'help' ? {} : { label: p.key, note: p.help });
  const id = view.name;

  root.innerHTML = `<h2>${esc(title)}</h2>
    <div class="${look.intro}">${view.intro ?? ''}</div>
    <form class="${look.form}" id="${id}-form" autocomplete="off" novalidate>${fields.map((p) => field(p, label(p))).join('')}
      <div class="buttons"><button type="submit" class="primary" id="${id}-run" data-act="run">Run</button>
      <button type="button" data-act="stop" disabled>Stop</button>
      <button type="button" data-act="defaults" title="every setting back to its default">Defaults</button></div>
    </form>
    <p class="progress study-status" id="${id}-status" role="status" aria-live="polite"></p>
    <div class="${look.charts}">${view.charts.map((c) => `<figure data-chart="${esc(c.id)}"><canvas></canvas>${c.caption ? `<figcaption>${c.caption}</figcaption>` : ''}</figure>`).join('')}</div>
    ${shareBar(id, ['json', ...(view.csv ? ['csv'] : [])])}`;
  const form = root.querySelector('form');
  const act = (a) => root.querySelector(`[data-act="${a}"]`);
  const status = (t) => { root.querySelector('.study-status').textContent = t; };

  // Settings: the link's or the form's pairs, checked by the engine; bad ones are named (and their
  // fields marked) and replaced by defaults, keys that have no effect named. Without `from` (a field
  // changed) only the marks and the link follow: a notice then would move the page under the pointer
  // on its way to Run, and Run names them.
  function apply(pairs, from) {
    const r = validate(view.name, pairs);
    if (from) for (const e of r.errors) refused(e, r.settings[e.key], from);
    if (from) for (const n of r.notices ?? []) notice(`${from}: ${n.message}.`, 'warn');
    state.settings = r.settings;
    state.changed = r.changed;
    state.refused = r.errors;
    if (from) for (const p of fields) form.elements[p.key].value = r.settings[p.key];
    markFields(form, fields.map((p) => p.key), r.errors);
    const linked = Object.fromEntries(Object.entries(r.changed).map(([k, v]) => [prefix + k, v]));
    showLink(viewLink(view.name, { ...linked, ...(embedded() ? { embed: 1 } : {}) }), snippetOf(root), `richlazy: ${title}`);
    return r;
  }
  const fromForm = () => pairsOf(Object.fromEntries(fields.map((p) => [p.key, form.elements[p.key].value])));

  // Runs: one worker per job, at most poolSize() at once (pool.js); the first failure stops them all.
  let jobs = [], t0 = 0, done = 0;
  const workers = pool({
    start: (job) => ({ type: 'job', kind: 'study', name: view.name, ...pairsOf(job.pairs) }),
    message: (job, m) => {
      if (m.type === 'progress') {
        view.progress?.(state, JSON.parse(m.progress), job.index);
        redraw();
        show();
      } else if (m.type === 'finished') {
        state.reports[job.index] = JSON.parse(m.report);
        state.ms += m.ms;
        done += 1;
        show();
      }
    },
    failed: (job, e) => fail(`${job.label}: ${e.message}`),
    idle: () => { if (state.phase === 'running') finish(); },
  });
  const show = () => status(`${jobs.length > 1 ? `${done} of ${jobs.length} done` : 'Running'} · ${((performance.now() - t0) / 1000).toFixed(1)} s${jobs.length > 1 ? ` on ${Math.min(poolSize(), jobs.length)} workers` : ''}`);
  const enable = wireShare(root, {
    json: () => [`richlazy-${view.name}.json`, JSON.stringify(exported(), null, 1)],
    csv: () => [`richlazy-${view.name}.csv`, view.csv(state)],
    // The settings and, once the run is done, its report (the notebook checks it against Python's).
    notebook: () => [view.name, state.settings, state.phase === 'done' ? exported() : null],
  }, { png: `richlazy-${view.name}` });
  const exportsOn = (on) => ['json', 'csv'].forEach((a) => enable(a, on));
  function stop(phase = 'stopped') {
    workers.stop();
    state.phase = phase;
    act('stop').disabled = true;
  }
  function run() {
    stop('idle');
    state.data = {};
    state.reports = [];
    state.ms = 0;
    draw();
    const base = state.settings;
    jobs = (view.jobs ? view.jobs(base, state) : [{ label: view.name, pairs: {} }]).map((j, index) => ({ label: j.label, index, pairs: { ...base, ...whole, ...j.pairs } }));
    t0 = performance.now();
    done = 0;
    state.phase = 'running';
    act('stop').disabled = false;
    exportsOn(false);
    workers.run(jobs);
    show();
  }
  function finish() {
    stop('done');
    draw();
    const wall = (performance.now() - t0) / 1000;
    const ignored = state.refused.length ? ` Ignored: ${state.refused.map((e) => e.message).join('; ')}.` : '';
    status(`Done in ${wall.toFixed(1)} s${state.reports.length > 1 ? ` (${state.reports.length} jobs, ${(state.ms / 1000).toFixed(1)} s of engine time)` : ''}${view.done?.(state) ?? '.'}${ignored}`);
    state.wall = wall;
    exportsOn(true);
  }
  function fail(message) {
    stop('error');
    notice(`${title}: ${message}. Change a setting or press Run to try again.`, 'error');
    status('Stopped by an error (see the notice above).');
  }

  // Charts redraw at most once a frame while data streams in.
  let queued = false;
  function draw() { view.draw(state); }
  function redraw() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; draw(); });
  }
  onResize(draw);

  form.addEventListener('submit', (e) => { e.preventDefault(); apply(fromForm(), 'settings'); run(); });
  form.addEventListener('change', () => apply(fromForm()));
  act('stop').onclick = () => { stop(); status('Stopped.'); };
  act('defaults').onclick = () => { apply(pairsOf({}), 'defaults'); };
  // One job's report as it is; a pool's merged into the command line's report where the study can
  // (the phase diagram's cells), else a list with the settings.
  function exported() {
    if (state.reports.length === 1) return state.reports[0];
    const merged = JSON.parse(study_merge(view.name, state.reports.map((r) => JSON.stringify(r))));
    return merged ?? { settings: state.settings, jobs: state.reports };
  }
  state.exported = exported;

  apply(readLink(schema, { prefix }), 'Link');
  draw();
  if (view.autorun !== false) run();
  else status('Press Run.');
  return state;
}
