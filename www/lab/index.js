// The lab view (the connectivity paper and its local rules): main.js mounts it. Its settings column
// (settings.js), charts (charts.js), runs and comparisons (runs.js), file drop (file.js), the local
// rules (localrules.js) and sMNIST (smnist.js) are its modules; the share bar is the scaffold's
// (www/study.js). The engine and the charts are wasm (../../pkg).
import init, { variants, version, schema as schemaOf, check } from '../../pkg/richlazy.js';
import { notice, onResize, embedded, errorOf } from '../shared.js';
import { readLink } from '../link.js';
import { wireShare } from '../study.js';
import { $, app } from './state.js';
import { form, schema, buildForm, isFile, validate, formObject, applySettings, updateLinks, parseCompare, figureSettings, preset } from './settings.js';
import { draw, invalidate, refreshPreview, RUN_CHARTS } from './charts.js';
import { workers, setPhase, showProgress, train, reset, askFirst, compareRuns, csv, runFigure } from './runs.js';
import { wireFile, giveFile } from './file.js';
import * as local from './localrules.js';
import * as states from './states.js';

window.richlazy = app;

function onFormChange() {
  const o = formObject();
  // Choosing a task with its own fast preset (sMNIST: the lab's would take minutes on 28-step trials) starts from it.
  const fast = preset('fast', o);
  const toOwn = fast.own && o.task !== app.config.task;
  applySettings(toOwn ? { ...o, ...fast.pairs } : o);
  if (toOwn) notice(fast.note);
  reset();
}

function wire() {
  form.addEventListener('change', (e) => { if (e.target.id !== 'file-input') onFormChange(); });
  wireFile();
  states.wire(invalidate);
  form.addEventListener('submit', (e) => e.preventDefault());
  for (const b of document.querySelectorAll('[data-preset]')) b.onclick = () => { applySettings({ ...app.config, ...preset(b.dataset.preset, app.config).pairs }); reset(); };
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
  app.figure = local.wireFigure({
    settingsFor: (base) => validate(figureSettings(base)).config,
    run: (named) => runFigure(named, 1),
  });
  const lab = document.querySelector('[data-view="lab"]');
  wireShare(lab, {
    json: () => ['richlazy-results.json', JSON.stringify(app.runs.length === 1 ? app.runs[0].report : app.runs.map((r) => r.report), null, 1)],
    csv: () => ['richlazy-history.csv', csv()],
    weights: () => ['richlazy-weights.npz', app.runs],
    // The link's settings (a comparison's list and seeds too) and, once every run is finished, the run's
    // report or a comparison's list of them (the notebook checks them against run() or sweep()).
    notebook: () => ['lab', { ...local.withoutImpliedAlpha(app.config), ...(app.compare ? { compare: app.compare.text, seeds: app.compare.seeds } : {}) },
      app.runs.length && app.runs.every((r) => r.report) ? (app.runs.length === 1 && !app.compare ? app.runs[0].report : app.runs.map((r) => r.report)) : null],
  }, { before: updateLinks });
  onResize(() => invalidate(...Array.from(lab.querySelectorAll('figure[data-chart]'), (f) => f.dataset.chart)));
}

async function main() {
  await init();
  $('#version').textContent = `Engine ${version()}.`;
  buildForm(JSON.parse(schemaOf('lab')));
  const link = readLink(schema);
  const keys = [...link.keys], values = [...link.values];
  const firstVisit = !keys.length;
  // A link that sets iters but not every measures about a hundred times (the engine's default,
  // every 500, suits only the paper's 10,000 iterations; the command line keeps it).
  if (keys.includes('iters') && !keys.includes('every')) {
    const { config, errors } = validate({ keys, values });
    if (!errors.some((e) => e.key === 'iters')) { keys.push('every'); values.push(String(Math.max(1, Math.round(config.iters / 100)))); }
  }
  const first = preset(schema.presets[0].name, {});
  applySettings(firstVisit ? first.pairs : { keys, values });
  if (firstVisit && !embedded()) notice(first.note);
  let c = null;
  if (link.page.compare !== undefined) {
    c = parseCompare(link.page.compare, link.page.seeds);
    if (c.error) { notice(`Link: ${c.error}; showing a single run.`, 'warn'); c = null; }
    else { $('#compare-ranks').value = c.text; $('#compare-ranks').dataset.touched = '1'; $('#compare-seeds').value = c.seeds; }
  }
  if (link.page.analyse !== undefined) {
    const a = JSON.parse(check('lab', 'analyse', link.page.analyse));
    if (a.error) notice(`Link: ${errorOf(a.error).message}; no fixed points are searched.`, 'warn');
    else app.analyseAt = Number(a.value);
  }
  wire();
  refreshPreview();
  setPhase('idle');
  // Empty axes first, one chart per task: the first call of the chart code compiles it,
  // which should happen now rather than in the middle of training.
  for (const name of [...RUN_CHARTS, ...states.STATE_CHARTS]) {
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
