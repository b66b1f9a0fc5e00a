// The regime-study views (?view=perceptron, phase, grok, ...): everything they share, so that a
// study's page is one small module in www/views/ describing its charts. This module builds the
// view from the engine's settings table (`schema(name)`, src/study.rs): the form, the link state
// (bad values named in notices and replaced by defaults), the runs in workers (one, or a pool of
// jobs such as one grid cell each), the status line, exports, the embed snippet, PNG buttons.
//
// A view module:   export function mount(root) { return studyView(root, { ...description }); }
// registered by one line in www/main.js's VIEWS (and one in tests/browser/roughedges.test.mjs's STUDY_VIEWS).
// Charts: www/plot.js's lines (logX, logY, dashed, dots), errorbars and heatmap.
// The description:
//   name      the engine's study name (also the ?view= id)
//   intro     static HTML of ours above the form (what the study is, what to look for, our choices)
//   charts    [{ id, caption }]: figures, in order; `id` is the chart's data-chart name
//   progress(state, p, job)   fold one progress object from the engine into state.data (job: its index)
//   draw(state)               draw every chart from state.data (also on resize and at the start: empty axes)
//   jobs(settings)            optional: split a run into pool jobs, [{label, pairs: {key: value}}], each
//                             run as the same study with those pairs on top of the settings (e.g. shard=i/n)
//   csv(state)                optional: the history as CSV text for the export
//   autorun   optional, default true: run when the view opens
// state (window.richlazy.study, for tests): { phase: 'idle'|'running'|'done'|'stopped'|'error',
//   settings, changed, data (the view's own, reset before each run), reports (one per job), ms, errors }
import init, { schema as schemaOf, study_settings, study_merge } from '../pkg/richlazy.js';
import { notice, download, pngButtons, viewLink, showLink, copyLink, onResize, errors } from './shared.js';
import { pool, poolSize } from './pool.js';
import { readLink } from './link.js';
import { field, markFields, refused, esc } from './form.js';

// Pairs (the link's, repeats kept) or an object (the form's) checked by the engine.
function validate(name, { keys, values }) {
  return JSON.parse(study_settings(name, keys, values.map(String)));
}
const pairsOf = (obj) => ({ keys: Object.keys(obj), values: Object.values(obj) });

export async function studyView(root, view) {
  await init();
  const schema = JSON.parse(schemaOf(view.name));
  const state = { phase: 'idle', settings: null, changed: {}, data: {}, reports: [], ms: 0, errors };
  window.richlazy = { ...(window.richlazy || {}), study: state, errors };
  const embed = new URLSearchParams(location.search).get('embed') === '1';
  // The shard key is the pool's (jobs below), not the reader's: no field, and a run is whole.
  const fields = schema.params.filter((p) => p.kind !== 'shard');
  const whole = schema.params.some((p) => p.kind === 'shard') ? { shard: '0/1' } : {};

  root.innerHTML = `<h2>${esc(schema.title)}</h2>
    <div class="intro study-intro">${view.intro ?? ''}</div>
    <form class="study-form" autocomplete="off" novalidate>${fields.map((p) => field(p, { label: p.key, note: p.help })).join('')}
      <div class="buttons"><button type="submit" class="primary" data-act="run">Run</button>
      <button type="button" data-act="stop" disabled>Stop</button>
      <button type="button" data-act="defaults" title="every setting back to its default">Defaults</button></div>
    </form>
    <p class="progress study-status" role="status" aria-live="polite"></p>
    <div class="charts">${view.charts.map((c) => `<figure data-chart="${esc(c.id)}"><canvas></canvas>${c.caption ? `<figcaption>${c.caption}</figcaption>` : ''}</figure>`).join('')}</div>
    <div class="buttons share"><button type="button" data-act="link">Copy link</button>
      <button type="button" data-act="json" disabled>Results JSON</button>
      ${view.csv ? '<button type="button" data-act="csv" disabled>History CSV</button>' : ''}
      <label class="snippet">embed snippet <textarea readonly rows="3"></textarea></label></div>`;
  const form = root.querySelector('form');
  const act = (a) => root.querySelector(`[data-act="${a}"]`);
  const status = (t) => { root.querySelector('.study-status').textContent = t; };
  pngButtons(root, `richlazy-${view.name}`);

  // Settings: the link's or the form's pairs, checked by the engine; bad ones are named (and their
  // fields marked) and replaced by defaults.
  function apply(pairs, from) {
    const r = validate(view.name, pairs);
    for (const e of r.errors) refused(e, r.settings[e.key], from);
    state.settings = r.settings;
    state.changed = r.changed;
    for (const p of fields) form.elements[p.key].value = r.settings[p.key];
    markFields(form, fields.map((p) => p.key), r.errors);
    showLink(viewLink(view.name, { ...r.changed, ...(embed ? { embed: 1 } : {}) }), root.querySelector('textarea'), `richlazy: ${schema.title}`);
    return r;
  }
  const fromForm = () => pairsOf(Object.fromEntries(fields.map((p) => [p.key, form.elements[p.key].value])));

  // Runs: one worker per job, at most poolSize() at once (pool.js); the first failure stops them all.
  let jobs = [], t0 = 0, done = 0;
  const workers = pool({
    start: (job) => ({ type: 'job', kind: 'study', name: view.name, keys: Object.keys(job.pairs), values: Object.values(job.pairs).map(String) }),
    message: (job, m) => {
      if (m.type === 'progress') {
        view.progress(state, JSON.parse(m.progress), job.index);
        redraw();
        show();
      } else if (m.type === 'finished') {
        state.reports[job.index] = JSON.parse(m.report);
        state.ms += m.ms;
        done += 1;
        show();
      }
    },
    failed: (job, message) => fail(`${job.label}: ${message}`),
    idle: () => { if (state.phase === 'running') finish(); },
  });
  const show = () => status(`${jobs.length > 1 ? `${done} of ${jobs.length} done` : 'Running'} · ${((performance.now() - t0) / 1000).toFixed(1)} s${jobs.length > 1 ? ` on ${Math.min(poolSize(), jobs.length)} workers` : ''}`);
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
    jobs = (view.jobs ? view.jobs(base) : [{ label: view.name, pairs: {} }]).map((j, index) => ({ label: j.label, index, pairs: { ...base, ...whole, ...j.pairs } }));
    t0 = performance.now();
    done = 0;
    state.phase = 'running';
    act('stop').disabled = false;
    ['json', 'csv'].forEach((a) => act(a) && (act(a).disabled = true));
    workers.run(jobs);
    show();
  }
  function finish() {
    stop('done');
    draw();
    const wall = (performance.now() - t0) / 1000;
    status(`Done in ${wall.toFixed(1)} s${state.reports.length > 1 ? ` (${state.reports.length} jobs, ${(state.ms / 1000).toFixed(1)} s of engine time)` : ''}.`);
    state.wall = wall;
    ['json', 'csv'].forEach((a) => act(a) && (act(a).disabled = false));
  }
  function fail(message) {
    stop('error');
    notice(`${schema.title}: ${message}. Change a setting or press Run to try again.`, 'error');
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
  form.addEventListener('change', () => apply(fromForm(), 'settings'));
  act('stop').onclick = () => { stop(); status('Stopped.'); };
  act('defaults').onclick = () => { apply(pairsOf({}), 'defaults'); };
  act('link').onclick = copyLink;
  act('json').onclick = () => download(`richlazy-${view.name}.json`, 'application/json', JSON.stringify(exported(), null, 1));
  // One job's report as it is; a pool's merged into the command line's report where the study can
  // (the phase diagram's cells), else a list with the settings.
  function exported() {
    if (state.reports.length === 1) return state.reports[0];
    const merged = JSON.parse(study_merge(view.name, state.reports.map((r) => JSON.stringify(r))));
    return merged ?? { settings: state.settings, jobs: state.reports };
  }
  state.exported = exported;
  if (view.csv) act('csv').onclick = () => download(`richlazy-${view.name}.csv`, 'text/csv', view.csv(state));

  apply(readLink(schema), 'Link');
  draw();
  if (view.autorun !== false) run();
  else status('Press Run.');
  return state;
}
