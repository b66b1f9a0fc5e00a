// The grokking view (?view=grok; the engine's src/regimes/grok.rs): train and test loss on a log-epoch
// axis with the initial-kernel regression line, the exact three-part test loss beside the sampled one,
// |W|/|W0|, kernel-target alignment, cos(M - M0, beta beta^T); the alpha and eps sweeps as overlays with
// their grokking amounts; the (alpha, eps) map as a heat map, one pool job per cell.
import { studyView } from '../study.js';
import { lines, heatmap, COLOURS } from '../plot.js';
import { notice, errorOf } from '../shared.js';

const intro = `<p>Grokking as the move from lazy to rich training (Kumar, Bordelon, Gershman, Pehlevan,
<a href="https://arxiv.org/abs/2310.06110">ICLR 2024</a>), set up as in the authors' notebook: inputs
x ~ N(0, I/D), target y = (&beta;&middot;x)<sup>2</sup>/2, a two-layer net with fixed readouts
f(x) = &alpha; mean<sub>i</sub> &phi;(w<sub>i</sub>&middot;x), &phi;(h) = h + &epsilon;h<sup>2</sup>/2, the centred output
F = f(x; W) &minus; f(x; W<sub>0</sub>), the loss the mean of (F &minus; y)<sup>2</sup>, full-batch gradient descent with
&eta; = cN/&alpha;<sup>2</sup>. Large &alpha; keeps the net lazy longer; &epsilon; sets how well the initial kernel fits the target.
Look for the test loss falling long after the train loss, when the weights grow and M &minus; M<sub>0</sub> turns towards &beta;&beta;<sup>T</sup>.</p>
<details><summary>Our choices</summary><ul>
<li>The dashed line is the test loss of the minimum-norm interpolant with the initial tangent kernel (where the
linearised net ends), the same as the notebook's direct solve when that kernel is invertible.</li>
<li>Grokking amount: max(0, t<sub>test</sub> &minus; t<sub>train</sub>), each t the first epoch at which the loss is below
<em>threshold</em> times its start; t<sub>test</sub> uses the exact population test loss (three-part formula). When the
test loss has not fallen by the last epoch the map shows the lower bound, crossed out.</li>
<li>Kernel-target alignment y<sup>T</sup>Ky/(|K|<sub>F</sub>|y|<sup>2</sup>) on the training set, uncentred.</li>
<li>One draw (<em>seed</em>) of &beta;, the data and W<sub>0</sub> serves every run; above c &asymp; D/(1+&radic;(D/P))<sup>2</sup>
the kernel phase diverges, and the run says so.</li></ul></details>`;

const charts = [
  { id: 'grok-loss', caption: 'Train (dashed) and test (solid) loss; the grey dashed line: kernel regression with the initial tangent kernel.' },
  { id: 'grok-exact', caption: 'The exact test loss (tr A/D)² + 2|A|²/D² + |b|²/D and its three parts (dashed), with the sampled test loss (dots).' },
  { id: 'grok-norm', caption: 'Weight norm ratio |W|/|W0|.' },
  { id: 'grok-kta', caption: 'Alignment of the tangent kernel with the target on the training set.' },
  { id: 'grok-cos', caption: 'cos(M − M0, ββᵀ): how far the learned second moment has turned towards the target.' },
  { id: 'grok-amount', caption: 'Sweeps: the grokking amount against the swept setting.' },
  { id: 'grok-map', caption: 'Map: the grokking amount over (ε, α); crossed cells: the test loss had not fallen by the last epoch (lower bound shown).' },
];

const KEYS = ['epoch', 'train', 'test', 'exact', 'part_tr', 'part_frob', 'part_lin', 'norm', 'kta', 'cos'];
const label = (r, mode) => (mode === 'eps' ? `ε ${r.eps}` : mode === 'alpha' ? `α ${r.alpha}` : '');
const cells = (s) => s.alphas.split(',').length * s.epss.split(',').length;

// state.data.runs: one entry per (job, run) in order of arrival: {alpha, eps, kernel_test, rows, summary}.
function progress(state, p, job) {
  const runs = (state.data.runs ??= []);
  const find = (i) => runs.find((r) => r.job === job && r.run === i);
  for (const s of p.started) runs.push({ job, run: s.run, alpha: s.alpha, eps: s.eps, kernel: s.kernel_test, rows: [], summary: null });
  for (const r of p.rows) find(r.run).rows.push(r);
  for (const f of p.finished) {
    const r = find(f.run);
    r.summary = f;
  }
  // The engine's cautions on finished runs: code 'diverged' (c too large) or 'notice' (c above the kernel phase's limit).
  for (const c of p.cautions ?? []) {
    const r = runs.find((x) => x.job === job && x.run === c.run);
    notice(`Grokking, α ${r.alpha}, ε ${r.eps}: ${c.message}.`, 'warn');
  }
  if (p.error) notice(`Grokking: ${errorOf(p.error).message}.`, 'error');
}

function draw(state) {
  const s = state.settings;
  const runs = state.data.runs ?? [];
  const mode = s?.mode ?? 'run';
  const curves = mode === 'map' ? [] : runs;
  const colour = (i) => COLOURS[i % COLOURS.length];
  const pos = (r) => r.rows.filter((x) => x.epoch > 0); // the log-epoch axis starts at epoch 1
  const series = (key, opts = {}) => curves.map((r, i) => ({ name: label(r, mode), colour: colour(i), x: pos(r).map((x) => x.epoch), y: pos(r).map((x) => x[key]), ...opts }));
  // Only the charts of this mode are shown.
  const shown = { 'grok-amount': mode === 'alpha' || mode === 'eps', 'grok-map': mode === 'map' };
  for (const fig of document.querySelectorAll('#study [data-chart]')) fig.hidden = !(shown[fig.dataset.chart] ?? mode !== 'map');
  const one = mode === 'run';
  const loss = [...series('test', one ? { name: 'test' } : {}), ...series('train', { dashed: true, name: one ? 'train' : '' })];
  const first = curves[0] && pos(curves[0]);
  if (first?.length) {
    // The initial-kernel regression's test loss (alpha only scales K0; eps changes it little).
    loss.push({ name: 'K0 regression', colour: '#7f7f7f', dashed: true, x: [first[0].epoch, first.at(-1).epoch], y: [curves[0].kernel, curves[0].kernel] });
  }
  lines('grok-loss', 'Loss', 'epoch', 'mean (F − y)²', loss, { logX: true, logY: true });
  const exact = [];
  if (one && first) {
    const x = first.map((v) => v.epoch);
    exact.push({ name: 'exact', colour: COLOURS[0], x, y: first.map((v) => v.exact) });
    exact.push({ name: 'sampled', colour: '#000000', dots: true, x, y: first.map((v) => v.test) });
    // A part that vanishes would stretch the log axis over many empty decades: it rests on a floor.
    const floor = Math.min(...first.map((v) => v.exact)) / 1e3;
    [['part_tr', '(tr A/D)²'], ['part_frob', '2|A|²/D²'], ['part_lin', '|b|²/D']].forEach(([k, n], j) => exact.push({ name: n, colour: COLOURS[j + 1], dashed: true, x, y: first.map((v) => Math.max(v[k], floor)) }));
  } else {
    exact.push(...series('exact'), ...series('test', { dots: true, name: '' }));
  }
  lines('grok-exact', 'Exact and sampled test loss', 'epoch', 'test loss', exact, { logX: true, logY: true });
  lines('grok-norm', '|W| / |W0|', 'epoch', 'ratio', series('norm'), { logX: true });
  lines('grok-kta', 'Kernel-target alignment', 'epoch', 'yᵀKy / (|K| |y|²)', series('kta'), { logX: true });
  lines('grok-cos', 'cos(M − M0, ββᵀ)', 'epoch', 'cosine', series('cos'), { logX: true });

  // Sweeps: the amount (or its lower bound, as dots) against the swept setting.
  const done = runs.filter((r) => r.summary);
  const key = mode === 'eps' ? 'eps' : 'alpha';
  const measured = done.filter((r) => r.summary.grokking !== null);
  const bounded = done.filter((r) => r.summary.grokking_at_least !== null);
  const amount = mode === 'alpha' || mode === 'eps' ? [
    { name: 'grokking', colour: COLOURS[0], x: measured.map((r) => r[key]), y: measured.map((r) => r.summary.grokking) },
    { name: 'at least', colour: COLOURS[1], dots: true, x: bounded.map((r) => r[key]), y: bounded.map((r) => r.summary.grokking_at_least) },
  ] : [];
  lines('grok-amount', 'Grokking amount', mode === 'eps' ? 'ε' : 'α', 't_test − t_train (epochs)', amount, { markers: true, logX: done.every((r) => r[key] > 0) });

  const alphas = (s?.alphas ?? '1').split(',').map(Number), epss = (s?.epss ?? '0.02').split(',').map(Number);
  const values = new Array(alphas.length * epss.length).fill(NaN), marks = new Array(values.length).fill(false);
  if (mode === 'map') {
    for (const r of done) {
      const i = epss.indexOf(r.eps), j = alphas.indexOf(r.alpha);
      if (i < 0 || j < 0) continue;
      values[j * epss.length + i] = r.summary.grokking ?? r.summary.grokking_at_least ?? NaN;
      marks[j * epss.length + i] = r.summary.grokking === null;
    }
  }
  // Log axes need positive settings; eps may be 0.
  heatmap('grok-map', 'Grokking amount', 'ε (initial alignment)', 'α (laziness)', epss, alphas, values,
    { marks, logX: epss.every((e) => e > 0), logY: true, logV: true, valueLabel: 'epochs' });
}

function csv(state) {
  const head = ['job', 'run', 'alpha', 'eps', ...KEYS];
  const out = [head.join(',')];
  for (const r of state.data.runs ?? []) for (const x of r.rows) out.push([r.job, r.run, r.alpha, r.eps, ...KEYS.map((k) => x[k] ?? '')].join(','));
  return `${out.join('\n')}\n`;
}

// The map runs one pool job per cell; everything else is one job.
function jobs(s) {
  if (s.mode !== 'map') return [{ label: 'grok', pairs: {} }];
  return Array.from({ length: cells(s) }, (_, i) => ({ label: `cell ${i + 1}`, pairs: { shard: `${i}/${cells(s)}` } }));
}

export function mount(root) {
  return studyView(root, { name: 'grok', intro, charts, progress, draw, csv, jobs });
}
