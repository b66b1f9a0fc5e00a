// The SGD-noise perceptron view (?view=perceptron; engine: src/regimes/perceptron.rs). The sweep runs
// as shards of one run, one pool job per (P, alpha*T) over every seed, so that the engine merges them
// into the command line's report; one more job traces a single training (trace=1) for the picture of
// the data and the moving boundary, and the merge puts its report beside the sweep's under `traced`.
import { studyView } from '../study.js';
import { lines, COLOURS } from '../plot.js';

const list = (s) => String(s).split(',').map(Number);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

// The traced run: the smallest P at the middle alpha*T of the list.
const traced = (settings) => ({ p: Math.min(...list(settings.ps)), at: median(list(settings.ats)) });
// The sweep's shards: the engine numbers its runs seed, P, alpha*T, so shard i of P x alpha*T owns
// the i-th (P, alpha*T) of every seed.
const shards = (settings) => list(settings.ps).flatMap((p) => list(settings.ats).map((at) => ({ p, at })));

const intro = `<p>A perceptron <i>f(w, x) = w·x/√d</i> learns the label <i>y = sign(x<sub>1</sub>)</i> by SGD on the
hinge loss <i>max(0, 1 − α y F)/α</i> with <i>F = f(w) − f(w<sub>0</sub>)</i>, until the loss is exactly zero
(Sclocchi, Geiger, Wyart, ICML 2023). The inputs are Gaussian except <i>x<sub>1</sub></i>, whose density near the
boundary goes as <i>|x<sub>1</sub>|<sup>χ</sup></i>. Only <i>αT</i> (T = dt/B) shapes the run, so it is the one axis.
Look for a plateau at low temperature and then a branch where |dw| and t* grow as powers of αT.</p>
<details><summary>How it is computed, and our choices</summary><p>SGD is simulated exactly, event by event: a step whose
batch holds no unfitted point changes nothing, so the steps until the next one that does are drawn at once
(geometric); millions of steps take milliseconds. Each step draws its batch afresh, as in the authors' code.
|dw| = |w* − w<sub>0</sub>| and t* = dt × steps are shown at the α setting (at fixed αT both scale as 1/α).
A seed's training sets are nested (the first P of one sample) and share a test set. Runs that reach the step
cap count as capped. The picture: the plane of x<sub>1</sub> and v, the coordinate of x along the current
direction of w<sub>⊥</sub>, where the boundary is exactly the line w<sub>∥</sub> x<sub>1</sub> + |w<sub>⊥</sub>| v = 0.</p>
<p>The page runs the sweep as shards of one run (one job per P and αT, over every seed). Results JSON is the report
that <code>richlazy sgd perceptron</code> writes for these settings, with one key more: <code>traced</code>, the traced
run's own report, which the command line writes apart (<code>--trace 1 --ps P --ats αT --seeds 1</code>);
<code>richlazy merge</code> joins the shards' and the trace's files the same way.</p></details>`;

// Jobs 0..n-1 are the sweep's shards; job n is the traced run.
function fold(state, p, job) {
  const d = state.data;
  d.rows ??= [];
  d.snaps ??= [];
  if (job < shards(state.settings).length) d.rows.push(...p.rows);
  if (p.x1) d.x1 = p.x1;
  if (p.trace) d.snaps.push(...p.trace);
  if (p.trace && d.frame === undefined) replay(state, d);
}

// The traced run is over in a blink, so its snapshots are played back at about 12 a second
// (d.frame: the one drawn); a new run replaces state.data and ends the old playback.
function replay(state, d) {
  d.frame = 0;
  const timer = setInterval(() => {
    if (state.data !== d) return clearInterval(timer);
    if (d.frame < d.snaps.length - 1) {
      d.frame += 1;
      picture(state);
    } else if (state.phase !== 'running') clearInterval(timer);
  }, 80);
}

// Means over the seeds finished so far, one line per P.
function perP(state, key) {
  const ps = list(state.settings.ps);
  return ps.map((p, i) => {
    const rows = (state.data.rows ?? []).filter((r) => r.p === Math.round(p));
    const ats = [...new Set(rows.map((r) => r.at))].sort((a, b) => a - b);
    return { name: `P ${Math.round(p)}`, colour: COLOURS[i % COLOURS.length], x: ats, y: ats.map((a) => mean(rows.filter((r) => r.at === a).map((r) => r[key]))) };
  }).filter((s) => s.x.length);
}

// The part of the line a·x + b·v = c inside the box, or null.
function clip(a, b, c, [x0, x1, v0, v1]) {
  const pts = [];
  if (b !== 0) for (const x of [x0, x1]) { const v = (c - a * x) / b; if (v >= v0 && v <= v1) pts.push([x, v]); }
  if (a !== 0) for (const v of [v0, v1]) { const x = (c - b * v) / a; if (x >= x0 && x <= x1) pts.push([x, v]); }
  return pts.length >= 2 ? pts.slice(0, 2) : null;
}

function picture(state) {
  const { x1, snaps, frame } = state.data;
  const snap = snaps?.[frame];
  if (!x1 || !snap) return lines('picture', 'The data and the boundary (traced run)', 'x₁', 'v (along w⊥)', []);
  const scale = Math.sqrt(Number(state.settings.d)) / Number(state.settings.alpha);
  const margin = (i) => Math.sign(x1[i]) * (snap.w_par * x1[i] + snap.w_perp * snap.v[i]) / scale;
  const group = (keep) => { const ix = x1.map((_, i) => i).filter(keep); return { x: ix.map((i) => x1[i]), y: ix.map((i) => snap.v[i]) }; };
  const box = [Math.min(...x1), Math.max(...x1), Math.min(...snap.v), Math.max(...snap.v)];
  const series = [
    { name: 'y = +1', colour: COLOURS[0], dots: true, ...group((i) => x1[i] >= 0 && margin(i) >= 1) },
    { name: 'y = −1', colour: COLOURS[1], dots: true, ...group((i) => x1[i] < 0 && margin(i) >= 1) },
    { name: 'unfitted', colour: '#000000', dots: true, ...group((i) => margin(i) < 1) },
  ];
  for (const [c, name, dashed] of [[0, 'boundary', false], [scale, 'margins', true], [-scale, '', true]]) {
    const seg = clip(snap.w_par, snap.w_perp, c, box);
    if (seg) series.push({ name, colour: '#444444', dashed, x: seg.map((q) => q[0]), y: seg.map((q) => q[1]) });
  }
  const { p, at } = traced(state.settings);
  lines('picture', `P ${p}, αT ${at}: hit ${snap.hits}, step ${snap.steps}, ${snap.unfitted} unfitted`, 'x₁', 'v (along w⊥)', series);
}

function draw(state) {
  if (!state.settings) return;
  lines('dw', '|w* − w₀| against αT', 'αT', '|dw|', perP(state, 'dw'), { logX: true, logY: true, markers: true });
  lines('t', 'Training time t* against αT', 'αT', 't*', perP(state, 't'), { logX: true, logY: true, markers: true });
  lines('err', 'Test error against αT', 'αT', 'test error', perP(state, 'err'), { logX: true, markers: true });
  const runs = list(state.settings.ps).map((p, i) => {
    const rows = (state.data.rows ?? []).filter((r) => r.p === Math.round(p));
    return { name: `P ${Math.round(p)}`, colour: COLOURS[i % COLOURS.length], dots: true, x: rows.map((r) => r.w_perp), y: rows.map((r) => r.w_par) };
  }).filter((s) => s.x.length);
  const path = (state.data.snaps ?? []).filter((s) => s.w_par > 0 && s.w_perp > 0);
  if (path.length) runs.push({ name: 'traced run', colour: '#7f7f7f', x: path.map((s) => s.w_perp), y: path.map((s) => s.w_par) });
  lines('w', 'w∥ = dw₁ against |dw⊥|, per run', '|dw⊥|', 'w∥', runs, { logX: true, logY: true });
  picture(state);
}

const CSV_KEYS = ['p', 'at', 'seed', 'err', 'dw', 'dw_rel', 't', 'steps', 'hits', 'w_par', 'w_perp', 'capped'];

export function mount(root) {
  return studyView(root, {
    name: 'perceptron',
    intro,
    charts: [
      { id: 'dw', caption: 'Weight change at the end of training, mean over seeds, one line per P.' },
      { id: 't', caption: 'Training time t* = dt × steps to zero hinge loss, mean over seeds.' },
      { id: 'err', caption: 'Test error on a held-out sample of the same distribution.' },
      { id: 'w', caption: 'The informative weight w∥ = dw₁ against the rest, |dw⊥|: noise grows |dw⊥|, and w∥ must grow with it. The grey line is the traced run’s path.' },
      { id: 'picture', caption: 'One training (the smallest P, the middle αT), played back from snapshots at hits 0, 1, 2, … growing by 15%: the first 400 training points in the plane of x₁ and v, the boundary (solid) and the margins α y F = 1 (dashed); unfitted points in black.' },
    ],
    jobs: (s) => [
      ...shards(s).map(({ p, at }, i, all) => ({ label: `P ${Math.round(p)}, αT ${at}`, pairs: { shard: `${i}/${all.length}` } })),
      { label: 'traced run', pairs: { trace: '1', ps: String(traced(s).p), ats: String(traced(s).at), seeds: '1' } },
    ],
    progress: fold,
    draw,
    csv: (state) => [CSV_KEYS.join(','), ...(state.data.rows ?? []).map((r) => CSV_KEYS.map((k) => r[k]).join(','))].join('\n'),
  });
}
