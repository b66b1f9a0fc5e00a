// The local-rules study on the page (shared/spec/bio-rules.md): its settings (rule, time step,
// flossing), the Lyapunov charts, the summary of a rule x gain grid, and the one-click figure with
// its cost stated first. The lab's modules call in through the exports below; everything else stays here.
import { variants, schema } from '../../pkg/richlazy.js';
import { lines, errorbars, meanSd, COLOURS } from '../plot.js';
import { ask, fixed, totalIters } from '../shared.js';
import { helper, poolSize } from '../pool.js';
import { $ } from './state.js';

/** Its charts: one run's (or every compared run's) exponents, and the grid's summaries. */
export const CHARTS = ['lyap', 'lyap-spectrum'];
export const GRID_CHARTS = ['summary-acc', 'summary-loss', 'summary-lyap', 'summary-rep'];

// A hue per rule; a rule's lines with other settings (flossing, ...) take the next shades of it.
// The rules' names, colours and order are the engine's (schema("lab").rules).
let rules = null;
const rulesOf = () => (rules ??= JSON.parse(schema('lab')).rules);
const SHAPES = [0, 1, 4, 3]; // dot, triangle, square, ring: cross (2) marks "before training"
const TAU_MS = 100;
const STEPS_AT_100 = 8; // every task: 8 steps of 100 ms (tasks.md)

const dtOf = (c) => Number(c.dt ?? 100);
const flossOf = (c) => c.floss ?? 'none';

// ---- settings ----

/** The form's controls for a validated config (keys the config leaves out are at their defaults). */
export function fillControls(form, config) {
  form.elements.dt.value = String(dtOf(config));
  form.elements.floss.value = flossOf(config);
}

/** The leak is dt / tau unless set on its own: drop an `alpha` that only repeats it, so that a new
 * dt (from the form, a compared run or a figure's base) sets its own leak. */
export function withoutImpliedAlpha(obj) {
  const o = { ...obj };
  if (o.alpha !== undefined && Number(o.alpha) === dtOf(o) / TAU_MS) delete o.alpha;
  return o;
}

/** The form's values as settings: alpha only where it is not implied by the config's dt (the form's
 * dt may have changed). Which flossing fields apply is the schema's (settings.js's `applies`). */
export function tidyForm(o, config) {
  if (o.alpha !== undefined && Number(o.alpha) === dtOf(config) / TAU_MS) delete o.alpha;
  return o;
}

// ---- Lyapunov charts ----

/** One run's or every compared run's lambda_max over training, and the top exponents start against now. */
export function draw(name, app) {
  const runs = app.runs;
  if (name === 'lyap') {
    const series = runs.map((r) => {
      const rows = r.rows.filter((m) => typeof m.lyap_max === 'number');
      return { name: runs.length > 1 ? r.legend : '', colour: r.colour, x: rows.map((m) => m.iter), y: rows.map((m) => m.lyap_max) };
    });
    const last = Math.max(1, ...runs.map((r) => r.rows.at(-1)?.iter ?? 0));
    series.unshift({ name: '', colour: '#888888', dashed: true, x: [0, last], y: [0, 0] });
    return lines(name, 'Largest Lyapunov exponent', 'iteration', 'λ_max per time step', series, { markers: runs.length === 1 });
  }
  if (name === 'lyap-spectrum') {
    const index = (v) => v.map((_, i) => i + 1);
    const ready = runs.filter((r) => r.lyap0);
    let series;
    if (runs.length <= 1) {
      const r = ready[0];
      series = r ? [{ name: r.lyapUnflossed ? 'start, after pre-flossing' : 'start', colour: '#555555', dashed: true, x: index(r.lyap0), y: r.lyap0 }] : [];
      if (r?.lyapUnflossed) series.unshift({ name: 'before pre-flossing', colour: '#bbbbbb', dashed: true, x: index(r.lyapUnflossed), y: r.lyapUnflossed });
      if (r?.lyap && r.lyapIter > 0) series.push({ name: `now (iteration ${r.lyapIter})`, colour: COLOURS[0], x: index(r.lyap), y: r.lyap });
    } else {
      series = [
        ...ready.map((r) => ({ name: '', colour: r.colour, dashed: true, x: index(r.lyap0), y: r.lyap0 })),
        ...ready.filter((r) => r.lyap).map((r) => ({ name: r.legend, colour: r.colour, x: index(r.lyap), y: r.lyap })),
        { name: 'dashed: start', colour: '#555555', dashed: true, x: [], y: [] },
      ];
    }
    return lines(name, 'Lyapunov spectrum, top 8', 'index (largest first)', 'λ_i per time step', series, { markers: true });
  }
}

/** What a worker's progress message says about the exponents. */
export function onProgress(r, m) {
  if (m.lyap0 && !r.lyap0) r.lyap0 = m.lyap0;
  if (m.lyapUnflossed) r.lyapUnflossed = m.lyapUnflossed;
  if (m.lyap) { r.lyap = m.lyap; r.lyapIter = m.iter; }
}

/** A finished run's exponents from its report (the same numbers the command line prints). */
export function onFinished(r) {
  const rep = r.report;
  if (rep.initial?.lyap_spectrum) r.lyap0 = rep.initial.lyap_spectrum;
  if (rep.initial?.lyap_spectrum_unflossed) r.lyapUnflossed = rep.initial.lyap_spectrum_unflossed;
  if (rep.final?.lyap_spectrum) { r.lyap = rep.final.lyap_spectrum; r.lyapIter = rep.config.iters; }
}

// ---- a rule x gain grid ----

// The initial families' own settings (schema("lab").families), read once the engine is loaded.
let familyParams = null;
const paramsOf = (init) => (familyParams ??= Object.fromEntries(JSON.parse(schema('lab')).families.map((f) => [f.key, f.params])))[init] ?? [];

// What a compared group's runs share apart from the gain: start (its family and that family's
// settings, as a compare list names it: rank:30), rule, flossing, time step.
function facets(c) {
  const start = [c.init, ...paramsOf(c.init).map((k) => c[k])].join(':');
  const f = flossOf(c);
  return { start, rule: c.rule, floss: f === 'none' ? 'no floss' : `floss ${f}${c.floss_mode === 'local' ? ' (local)' : ''}`, dt: `dt ${dtOf(c)}` };
}

/** A comparison is a grid when its starts differ in anything but their initial structure. */
export function isGrid(groups) {
  const varies = (f) => new Set(groups.map((g) => f(g.config))).size > 1;
  return groups.length > 1 && (varies((c) => c.gain) || varies((c) => c.rule) || varies(flossOf) || varies(dtOf));
}

// The grid's lines: one per combination of start, rule, flossing and time step, named by what varies.
function gridSeries(groups) {
  const dims = ['start', 'rule', 'floss', 'dt'].filter((d) => new Set(groups.map((g) => facets(g.config)[d])).size > 1);
  const byRule = dims.includes('rule');
  // Canonical order, whatever order the groups come in: flossing off first, longer time steps first, then the start.
  const rank = (c) => [['none', 'pre', 'inter', 'both'].indexOf(flossOf(c)), -dtOf(c), facets(c).start];
  const canon = [...groups].sort((a, b) => {
    const [x, y] = [rank(a.config), rank(b.config)];
    return x[0] - y[0] || x[1] - y[1] || String(x[2]).localeCompare(String(y[2]));
  });
  const rest = (c) => dims.filter((d) => d !== 'rule').map((d) => facets(c)[d]).join(', ');
  const others = [...new Set(canon.map((g) => rest(g.config)))];
  const lines = new Map();
  for (const g of groups) {
    const f = facets(g.config);
    const key = dims.map((d) => f[d]).join(', ');
    if (!lines.has(key)) {
      const name = dims.map((d) => (d === 'rule' ? rulesOf().find((r) => r.key === f.rule)?.label ?? f.rule : f[d])).join(', ') || g.label;
      const i = lines.size;
      const k = others.indexOf(rest(g.config));
      const hues = rulesOf().find((r) => r.key === f.rule)?.shades;
      lines.set(key, { name, colour: byRule && hues ? hues[k % hues.length] : COLOURS[(byRule ? i : k) % COLOURS.length],
        shape: byRule ? SHAPES[k % SHAPES.length] : 0, groups: [] });
    }
    lines.get(key).groups.push(g);
  }
  const ruleIndex = (l) => rulesOf().findIndex((r) => r.key === l.groups[0].config.rule);
  const all = [...lines.values()].sort((a, b) => ruleIndex(a) - ruleIndex(b) || others.indexOf(rest(a.groups[0].config)) - others.indexOf(rest(b.groups[0].config)));
  for (const l of all) l.groups.sort((a, b) => a.config.gain - b.config.gain);
  // With a single gain the lines' points would sit on each other: spread them a little.
  const gains = new Set(groups.map((g) => g.config.gain));
  all.forEach((l, i) => { l.dx = gains.size > 1 ? 0 : (i - (all.length - 1) / 2) * 0.02 * Number(groups[0].config.gain); });
  return all;
}

/** In a grid, each compared group's colour and legend entry: its line's (the first group of a line
 * names it), so that the training curves read like the summary. Map label -> {colour, legend}. */
export function gridStyle(groups) {
  const style = new Map();
  for (const l of gridSeries(groups)) l.groups.forEach((g, i) => style.set(g.label, { colour: l.colour, legend: i === 0 ? l.name : '' }));
  return style;
}

/** The grid's groups in reading order: by line (rule, flossing, ...), then by gain. */
export function gridOrder(groups) {
  return gridSeries(groups).flatMap((l) => l.groups);
}

const GRID = {
  'summary-acc': { title: 'Final accuracy vs gain', y: 'fraction correct', key: 'accuracy' },
  'summary-loss': { title: 'Final probe loss vs gain', y: 'cross-entropy (log scale)', key: 'loss', logY: true },
  'summary-weight': { title: 'Final weight change vs gain', y: 'relative change (log scale)', key: 'weight_change_rel', logY: true },
  'summary-align': { title: 'Final kernel alignment vs gain', y: 'tangent-kernel alignment', key: 'kernel_alignment' },
  'summary-rep': { title: 'Final representation alignment vs gain', y: 'representation alignment', key: 'rep_alignment' },
  'summary-lyap': { title: 'λ_max before (×) and after training', y: 'λ_max per time step', key: 'lyap_max', before: true },
};

/** A group's initial lambda_max, one per seed (the first exponent at iteration 0). */
const initialLyap = (g) => g.reports.map((r) => r.initial?.lyap_spectrum?.[0]);

/** One of the grid's summary charts: the measure against the gain, a line per rule (and flossing, ...). */
export function drawGrid(name, groups) {
  const spec = GRID[name];
  if (!spec) return;
  const series = [];
  const gl = gridSeries(groups);
  for (const l of gl) {
    const pt = (g, values) => [Number(g.config.gain) + l.dx, ...meanSd(values)];
    if (spec.before) series.push({ name: '', colour: l.colour, shape: 2, joined: true, pts: l.groups.map((g) => pt(g, initialLyap(g))) });
    series.push({ name: l.name, colour: l.colour, shape: l.shape, joined: true, pts: l.groups.map((g) => pt(g, g.finals.map((f) => f[spec.key]))) });
  }
  if (spec.before) series.push({ name: '× before training', colour: '#555555', shape: 2, joined: false, pts: [] });
  errorbars(name, spec.title, 'initial gain g', spec.y, series, { logY: !!spec.logY });
}

/** Extra summary-table columns: lambda_max at the start and at the end, mean ± sd. */
export function summaryColumns(groups) {
  if (!groups.some((g) => g.reports.some((r) => r.initial?.lyap_spectrum))) return [];
  const cell = (v) => { const [m, sd] = meanSd(v); return `${fixed(m, 3)} ± ${fixed(sd, 3)}`; };
  return [
    ['λ_max start', (g) => cell(initialLyap(g))],
    ['λ_max end', (g) => cell(g.finals.map((f) => f.lyap_max))],
  ];
}

// ---- the one-click figure and its cost ----

const fmtTime = (s) => (s < 90 ? `${Math.max(1, Math.round(s))} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`);

/** Seconds per run of a config from the engine's timings `t` (ms: iteration, kernel, svd, lyap). */
function secondsPerRun(c, t) {
  const iters = totalIters(c); // a sequence's every phase
  const measures = Math.floor(iters / c.every) + 2; // iteration 0, every `every`, the end
  const perMeasure = t.kernel_alignment_ms + 2 * t.svd_ms + t.lyap_ms; // the worker's spectrum adds an SVD
  // A flossing step: forward and backward over a 55-step window with k tangent vectors, from lambda_max's cost.
  const flossStep = (t.lyap_ms / t.lyap_steps) * 55 * 3 * Math.max(1, Number(c.floss_k ?? 1));
  const pre = flossOf(c) === 'pre' || flossOf(c) === 'both' ? Number(c.floss_iters ?? 100) : 0;
  const inter = flossOf(c) === 'inter' || flossOf(c) === 'both' ? Math.floor(iters / Number(c.floss_every ?? 10)) : 0;
  return (iters * t.iteration_ms + measures * perMeasure + (pre + inter) * flossStep) / 1000;
}

/** Timings from the size alone, before this machine is measured: BENCHMARKS.md's Chromium figures
 * at N 300, 8 steps, batch 32, scaled by the work (n = (N/300)^2; an iteration by n x steps x batch,
 * the kernel (768 logits whatever dt) by its back-propagation over the steps; lambda_max by n). */
function guessTimings(c) {
  const n = (Number(c.hidden) / 300) ** 2, steps = STEPS_AT_100 * 100 / dtOf(c), b = Number(c.batch) / 32;
  return { iteration_ms: 4.4 * n * (steps / 8) * b, kernel_alignment_ms: 193 * (steps / 8) * b * Math.sqrt(n), svd_ms: 32 * n ** 1.5, lyap_ms: 20 * n, lyap_steps: 500 };
}

// This machine's speed against guessTimings' (1 until the figure's benchmark has run).
let speed = 1;

/** The cost of any list of runs (a comparison from a link or the button) on `pool` workers: each
 * run's seconds from its size (guessTimings), scaled by this machine's measured speed when known. */
export function runsCost(configs, pool) {
  const total = configs.reduce((a, c) => a + secondsPerRun(c, guessTimings(c)) * speed, 0);
  const p = Math.max(1, Math.min(pool, configs.length));
  return { runs: configs.length, seconds: total / p, pool: p, measured: speed !== 1, time: fmtTime(total / p) };
}

/**
 * The figure button: states the cost of `variants('local')` at its base settings before anything
 * runs (measured on this machine by the engine's bench in a worker once the button is in view),
 * asks in the page before a long one, then hands the list to `run(named)`.
 * hooks: { settingsFor(base) -> config, run(named) }
 */
export function wireFigure(hooks) {
  const button = $('#figure-local');
  const line = $('#figure-local-cost');
  const state = { timings: null, measuring: false, estimate: null };
  window.richlazyLocal = state; // for tests and the curious
  const named = () => JSON.parse(variants('local'));

  function estimate() {
    const v = named();
    if (v.error) { line.textContent = `The local-rules figure is not available: ${v.error.message}`; return null; }
    state.base = v.base;
    const c = hooks.settingsFor(v.base);
    const t = state.timings ?? guessTimings(c);
    const runs = v.variants.map((x) => ({ ...c, ...x.pairs }));
    const total = runs.reduce((a, r) => a + secondsPerRun(r, t), 0);
    const pool = Math.min(poolSize(), runs.length);
    const rules = new Set(runs.map((r) => r.rule)).size, gains = new Set(runs.map((r) => r.gain)).size;
    state.estimate = { runs: runs.length, seconds: total / pool, perRun: total / runs.length, pool, measured: !!state.timings };
    line.textContent = `${runs.length} runs (${rules} rules × ${gains} gains × flossing off and before training) at N ${c.hidden}, dt ${dtOf(c)} ms `
      + `(${STEPS_AT_100 * 100 / dtOf(c)} steps), ${Number(c.iters).toLocaleString('en')} iterations each: about ${fmtTime(total / runs.length)} a run, `
      + `so about ${fmtTime(total / pool)} on ${pool} worker${pool > 1 ? 's' : ''} `
      + (state.timings ? `(timed on this machine: ${t.iteration_ms.toFixed(1)} ms an iteration).` : state.measuring ? '(a first guess; timing this machine…).' : '(a first guess from the size).');
    return v;
  }

  // The engine's timings at the figure's base, from a worker; a failed benchmark keeps the guess.
  const bench = helper({
    reply: (m) => {
      bench.close();
      state.measuring = false;
      const c = hooks.settingsFor(named().base);
      if (m.result) {
        const t = JSON.parse(m.result);
        state.timings = { ...guessTimings(c), ...t };
        if (!(t.lyap_ms > 0)) state.timings.lyap_ms = guessTimings(c).lyap_ms * (t.iteration_ms / guessTimings(c).iteration_ms);
        state.timings.lyap_steps = t.lyap_steps ?? 500;
        const ratio = secondsPerRun(c, state.timings) / secondsPerRun(c, guessTimings(c));
        if (ratio > 0 && Number.isFinite(ratio)) speed = ratio;
      }
      estimate();
    },
    failed: () => { state.measuring = false; estimate(); },
  });
  function measure() {
    if (state.timings || state.measuring) return;
    const v = named();
    if (v.error) return;
    state.measuring = true;
    estimate();
    const c = hooks.settingsFor(v.base);
    const keys = Object.keys(c).filter((k) => c[k] !== undefined && c[k] !== null);
    bench.send({ type: 'bench', keys, values: keys.map((k) => String(c[k])), iters: 30, warmup: 10 });
  }

  estimate();
  new IntersectionObserver((entries, obs) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    obs.disconnect();
    measure();
  }).observe(button);
  button.onclick = () => {
    const v = estimate();
    if (!v) return;
    const e = state.estimate;
    if (e.seconds <= 120) return hooks.run(v);
    const what = `${e.runs} networks: about ${fmtTime(e.seconds)} on ${e.pool} worker${e.pool > 1 ? 's' : ''}${e.measured ? '' : ' (a first guess)'}`;
    ask($('#results'), {
      text: `The local-rules figure trains ${what}. The page stays usable meanwhile.`,
      cancelled: `The local-rules figure was not started (${what}). Press Start to run it anyway.`,
      start: () => hooks.run(v),
    });
  };
  return { refresh: estimate };
}
