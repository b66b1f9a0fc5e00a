// The article's proof on demand: a stored result's point recomputed in a worker (pool.js) and its
// numbers compared with the stored ones exactly. JSON numbers parse to the one f64 they print, and
// the engine prints every f64 so that it parses back to itself, so equal f64s are equal text: a
// match here is a match bit for bit.

import { totalIters } from '../shared.js';

/** Where two results differ: [{key, stored, computed}] over the stored object's own keys (less
 * `skip`), recursing into arrays and objects; numbers compared with Object.is (NaN, -0 included). */
export function differences(stored, computed, skip = [], path = '') {
  const out = [];
  const walk = (a, b, at) => {
    if (a !== null && typeof a === 'object') {
      if (b === null || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) { out.push({ key: at, stored: a, computed: b }); return; }
      const keys = Array.isArray(a) ? [...a.keys(), ...(b.length > a.length ? [a.length] : [])] : Object.keys(a);
      for (const k of keys) if (!(at === path && skip.includes(k))) walk(a[k], b[k], at ? `${at}.${k}` : String(k));
    } else if (!Object.is(a, b)) {
      out.push({ key: at, stored: a, computed: b });
    }
  };
  walk(stored, computed, path);
  return out;
}

const secs = (s) => (s < 1 ? 'under a second' : s < 90 ? `about ${Math.round(s)} s` : s < 5400 ? `about ${Math.round(s / 60)} min` : `about ${(s / 3600).toFixed(1)} h`);
export const cost = secs;

// Seconds of one Chromium worker on this project's 2-core machine, per unit of work (tools/article-bench.mjs
// measures the lab's; the others are scaled from the native timings in the docs; see docs/article.md).
// A lab iteration at N 100, batch 32, 8 steps of dt 100, measures included: 4.3 ms measured; N 300 costs
// about 3 times as much (12 ms), not 9: the per-step work does not grow as N^2 at these sizes.
const LAB_ITER_S = 0.0042;
const GROK_UNIT_S = 3e-10; // per epoch x N x P x D
const PERCEPTRON_STEP_S = 3e-7; // per SGD step
const PHASE_STEP_S = 1.8e-4; // per SGD step at L 3, h 32, B 16
const ANALYSIS_S = 4; // the whole state-space analysis at N 300 in Chromium (BENCHMARKS.md)

// Seconds of one worker for a lab run of config c (a sequence's every phase).
function labSeconds(c) {
  const steps = c.task === 'smnist' ? 28 : Math.round(800 / (c.dt ?? 100));
  return totalIters(c) * (c.hidden / 100) * (steps / 8) * ((c.batch ?? 32) / 32) * (c.rule && c.rule !== 'bptt' ? 1.5 : 1) * LAB_ITER_S;
}

/** A lab run (a sweep's `runs[i]`): its job, the numbers to compare (its `final`, and a sequence's
 * whole `sequence` section) and its cost. */
export function labRun(run, label) {
  const c = run.config;
  const numbers = (r) => (r.sequence ? { final: r.final, sequence: r.sequence } : r.final);
  return {
    label,
    seconds: labSeconds(c),
    message: { kind: 'run', keys: Object.keys(c), values: Object.values(c).map(String) },
    mnist: c.task === 'smnist',
    stored: run.status === 'done' ? numbers(run) : { status: run.status },
    computed: (report) => (run.status === 'done' ? numbers(report) : { status: report.status }),
    skip: [],
  };
}

/** A state-space report (`richlazy analyse` of a run, its `config` first): the run trained again, then
 * its final weights analysed in the worker (its finished message's `analysis`), compared whole. */
export function analysisRun(report, label) {
  const c = report.config;
  return {
    label,
    seconds: labSeconds(c) + ANALYSIS_S * (c.hidden / 300) ** 2,
    message: { kind: 'run', keys: Object.keys(c), values: Object.values(c).map(String), analyse: true },
    mnist: c.task === 'smnist',
    stored: report,
    computed: (analysis) => analysis,
    skip: [],
  };
}

/** A regime study's run: the study `name` at `settings` (only the keys its schema still has) with
 * `pairs` on top; `pick(report)` the part to compare with `stored`, less the keys in `skip`. */
export function studyRun({ name, schema, settings, pairs, stored, pick, skip = [], seconds, label }) {
  const known = new Set(schema.params.map((p) => p.key));
  const all = { ...Object.fromEntries(Object.entries(settings).filter(([k]) => known.has(k))), ...pairs };
  return { label, seconds, message: { kind: 'study', name, keys: Object.keys(all), values: Object.values(all).map(String) }, stored, computed: pick, skip };
}

export const costs = { GROK_UNIT_S, PERCEPTRON_STEP_S, PHASE_STEP_S };
