// ?view=theory: the two-layer linear network (src/theory/): both sweeps as one pool job, the charts
// drawn with the engine's theory_chart beside our closed forms, a verdict and a number table under each.
import { theory_chart } from '../../pkg/richlazy.js';
import { studyView } from '../study.js';
import { canvasOf } from '../canvas.js';
import { fixed, tableRow } from '../shared.js';

const intro = `<p class="lede">The paper backs its claim with the simplest network where it can be computed: a two-layer linear
  student <i>f</i>(<i>x</i>) = <i>w</i><sub>2</sub>·<i>W</i><sub>1</sub><i>x</i> learning a linear teacher
  <i>y</i> = <i>β</i>·<i>x</i> (|<i>β</i>| = 1) from whitened inputs, the readout <i>w</i><sub>2</sub> starting at zero.
  Here <i>d</i> = <i>h</i> = 50, 100 inputs, full-batch gradient descent with small steps until the loss is 10<sup>−10</sup>
  of its start, each point averaged over seeds (error bars: sd). Kernel change = 1 − alignment of the tangent kernel over
  the inputs (both layers' gradients) with its start: 0 is lazy. Dashed lines are closed forms; dots are measured.
  The closed forms are ours: we derived them for this setting and say where each is exact.</p>`;

const charts = [
  { id: 'theory-rank', caption: `
      <p><b>Paper:</b> at a fixed norm, a first layer of higher effective rank changes the tangent kernel less, on average
      over tasks: lazier learning.</p>
      <p><b>Setting:</b> starts with power-law singular values at each entropy effective rank, random singular vectors,
      the same Frobenius norm; the same teacher and inputs for every rank.</p>
      <p><b>Closed form (ours):</b> a small first layer ends balanced and rank one along the teacher whatever its start,
      so the kernel goes from <i>G</i> = <i>W</i><sub>1</sub>(0)<sup>T</sup><i>W</i><sub>1</sub>(0) to <i>I</i> + <i>bb</i><sup>T</sup>
      (<i>b</i> = <i>β</i>/|<i>β</i>|) and the change is 1 − (tr <i>G</i> + <i>b</i><sup>T</sup><i>Gb</i>) / (‖<i>G</i>‖<sub>F</sub> √(<i>d</i>+3)),
      which falls as the spectrum flattens; the weights move by about |<i>β</i>|<sup>½</sup> − |<i>W</i><sub>1</sub>(0)<i>b</i>|.
      Exact as ‖<i>W</i><sub>1</sub>(0)‖ → 0: raise the norm to watch it fail.</p>
      <p class="verdict" id="theory-verdict-rank"></p>
      <p class="verdict" id="theory-fit-rank"></p>
      <details><summary>Numbers</summary><table class="runs" id="theory-table-rank"></table><p><a href="docs/theory.md">How these are computed</a></p></details>` },
  { id: 'theory-align', caption: `
      <p><b>Paper:</b> the exception to the rule: a low-rank start aligned with the task's statistics learns lazily
      despite its low rank.</p>
      <p><b>Setting:</b> the teacher weights features <i>z</i> = <i>Fx</i>, <i>F</i> = diag(κ on half the inputs, 1 on
      the rest), so <i>β</i> ∝ <i>Fw</i>. Rank-one starts <i>W</i><sub>1</sub> = <i>n uv</i><sup>T</sup> of the same norm:
      <i>v</i> = <i>β</i> (aligned), <i>v</i> ∝ <i>F</i> truncated to rank <i>d</i>/2 times <i>w</i> (partially aligned),
      <i>v</i> random (unaligned).</p>
      <p><b>Closed form (ours):</b> the weights stay rank one, <i>W</i><sub>1</sub> = <i>uc</i><sup>T</sup>,
      <i>w</i><sub>2</sub> = <i>αu</i>; |<i>c</i>|² − <i>α</i>² is conserved and training ends at <i>αc</i> = <i>β</i>,
      so the change depends only on the norm and on cos(<i>v</i>, <i>β</i>). Exact while the weights stay rank one; from
      larger norms new hidden directions can grow instead.</p>
      <p class="verdict" id="theory-verdict-align"></p>
      <p class="verdict" id="theory-fit-align"></p>
      <details><summary>Numbers</summary><table class="runs" id="theory-table-align"></table><p><a href="docs/theory.md">How these are computed</a></p></details>` },
];

const COL = { kernel: '#1f77b4', weight: '#d62728', aligned: '#2ca02c', 'partially aligned': '#1f77b4', unaligned: '#ff7f0e' };

// series: {name, colour, kind: 0 closed form (dashed) | 1 measured (dots +- sd), x, y, sd}
function chart(name, title, xLabel, yLabel, series, logX) {
  const [c, dpr] = canvasOf(name);
  const xs = [], ys = [], sds = [], lens = [];
  for (const s of series) { xs.push(...s.x); ys.push(...s.y); sds.push(...(s.sd ?? s.x.map(() => 0))); lens.push(s.x.length); }
  theory_chart(c, title, xLabel, yLabel, series.map((s) => s.name), series.map((s) => s.colour), Uint8Array.from(series, (s) => s.kind),
    Float64Array.from(xs), Float64Array.from(ys), Float64Array.from(sds), Uint32Array.from(lens), logX, 0, NaN, dpr);
}

const f3 = (v) => fixed(v, 3);
const pm = (o) => `${f3(o.mean)} ± ${f3(o.sd)}`;
const steps = (p) => (p.converged ? p.steps : `${p.steps} (not converged)`);

function table(id, head, rows) {
  document.getElementById(id).replaceChildren(tableRow(head, 'th'), ...rows.map((r) => tableRow(r)));
}

function verdict(id, text, holds) {
  const p = document.getElementById(id);
  p.textContent = text;
  p.dataset.holds = holds ? 'yes' : 'no';
}

function drawRank(r, norm) {
  const pts = r.points;
  const x = pts.map((p) => p.erank);
  chart('theory-rank', `Effective-rank sweep, |W1(0)| = ${norm}`, 'effective rank of W1(0) (log scale)', 'kernel change, weight change', [
    { name: 'kernel change', colour: COL.kernel, kind: 1, x, y: pts.map((p) => p.kernel_change.mean), sd: pts.map((p) => p.kernel_change.sd) },
    { name: '', colour: COL.kernel, kind: 0, x, y: pts.map((p) => p.kernel_change_predicted) },
    { name: 'weight change |ΔW1|', colour: COL.weight, kind: 1, x, y: pts.map((p) => p.dw1.mean), sd: pts.map((p) => p.dw1.sd) },
    { name: '', colour: COL.weight, kind: 0, x, y: pts.map((p) => p.dw1_predicted) },
    { name: 'dashed: closed form', colour: '#555555', kind: 0, x: [], y: [] },
  ], true);
}

function drawAlign(a, norm) {
  const series = [];
  for (const s of a.starts) {
    const x = s.points.map((p) => p.kappa);
    series.push({ name: s.start, colour: COL[s.start], kind: 1, x, y: s.points.map((p) => p.kernel_change.mean), sd: s.points.map((p) => p.kernel_change.sd) });
    series.push({ name: '', colour: COL[s.start], kind: 0, x, y: s.points.map((p) => p.kernel_change_predicted) });
  }
  series.push({ name: 'dashed: closed form', colour: '#555555', kind: 0, x: [], y: [] });
  chart('theory-align', `Rank-one starts, |W1(0)| = ${norm}`, 'condition number κ of F (log scale)', 'kernel change', series, true);
}

// The report's settings are those of the run (the form may have changed since).
function draw(state) {
  const r = state.reports[0];
  if (!r) return;
  drawRank(r.rank, r.settings.norm);
  drawAlign(r.align, r.settings.norm_align);
  verdict('theory-verdict-rank', r.rank.claim, r.rank.trend_holds);
  verdict('theory-fit-rank', r.rank.fit, r.rank.agrees);
  verdict('theory-verdict-align', r.align.claim, r.align.claim_holds);
  verdict('theory-fit-align', r.align.fit, r.align.agrees);
  table('theory-table-rank', ['erank', 'kernel change', 'closed form', '|ΔW1|', 'closed form', '|w2|', 'closed form', 'steps'],
    r.rank.points.map((p) => [p.erank, pm(p.kernel_change), f3(p.kernel_change_predicted), pm(p.dw1), f3(p.dw1_predicted), pm(p.dw2), f3(p.dw2_predicted), steps(p)]));
  table('theory-table-align', ['start', 'κ', 'cos(v, β)', 'kernel change', 'closed form', '|ΔW1|', 'closed form', 'steps'],
    r.align.starts.flatMap((s) => s.points.map((p) => [s.start, p.kappa, f3(p.cosine), pm(p.kernel_change), f3(p.kernel_change_predicted), pm(p.dw1), f3(p.dw1_predicted), steps(p)])));
}

export async function mount(root) {
  const state = await studyView(root, {
    name: 'theory',
    title: 'Theory: a linear network',
    intro,
    charts,
    draw,
    // In the link the settings carry a prefix (from when the panel shared the lab's page): ?view=theory&theory_norm=1.
    prefix: 'theory_',
    look: { intro: '', form: 'theory-controls', charts: 'theory-grid' },
    labels: 'help',
    done: (s) => ` (${s.settings.seeds} seed${s.settings.seeds > 1 ? 's' : ''}).`,
  });
  // The name the theory's tests know: its state, and the run's result as the view's JSON had it.
  window.richlazyTheory = state;
  Object.defineProperty(state, 'result', { get: () => (state.reports[0] ? { settings: state.settings, report: state.reports[0] } : null) });
  return state;
}
