// SGD noise and the rich/lazy axis (the perceptron and the phase diagram) in the article: one row per
// claim, numbers from results/perceptron-chi*.json, phase-digits.json and docs/sgd-noise.md.
import { COLOURS } from '../plot.js';
import { studyRun, costs } from './verify.js';

const PERCEPTRON = (chi, ps) => `richlazy sgd perceptron --chi ${chi} --ps ${ps} --ats 0.03,0.1,0.3,1,3,10,30,100,300,1000,3000,10000 --seeds 3 --save results/perceptron-chi${chi}.json`;
const fmt = (x) => (Number.isInteger(x) ? String(x) : x.toPrecision(3));

// A perceptron cell (P, alpha*T, mean over its seeds): recomputed as the same study at that one P and alpha*T.
function cellJob(file, schemas, c) {
  const seed = Number(file.settings.seed), seeds = Number(file.settings.seeds);
  const steps = file.runs.filter((r) => r.p === c.p && r.at === c.at).reduce((a, r) => a + r.steps, 0);
  return studyRun({ name: 'perceptron', schema: schemas.perceptron, settings: file.settings, pairs: { ps: c.p, ats: c.at },
    stored: c, pick: (report) => report.cells[0], seconds: steps * costs.PERCEPTRON_STEP_S,
    label: `chi ${file.settings.chi}, P ${c.p}, αT ${fmt(c.at)} (${seeds} seeds from ${seed}, ${steps.toLocaleString('en')} SGD steps)` });
}

function plateau(data, schemas) {
  const file = data['perceptron-chi0.json'];
  const ps = [...new Set(file.cells.map((c) => c.p))];
  const points = [];
  const series = ps.map((p, k) => {
    const cells = file.cells.filter((c) => c.p === p);
    cells.forEach((c) => points.push({ series: k, x: c.at, y: c.dw, label: `P ${p}, αT ${fmt(c.at)}: |dw| ${c.dw.toFixed(3)}`, jobs: [cellJob(file, schemas, c)] }));
    return { name: `P ${p}`, colour: COLOURS[k], x: cells.map((c) => c.at), y: cells.map((c) => c.dw) };
  });
  return { kind: 'lines', title: 'χ 0: |w* − w0| against αT, one line per P', x: 'αT', y: '|dw|', series, opts: { logX: true, logY: true, markers: true }, points };
}

function inP(data, schemas) {
  const points = [], series = [];
  [['perceptron-chi0.json', 0], ['perceptron-chi1.json', 1]].forEach(([name, chi]) => {
    const file = data[name];
    for (const at of [0.03, 10000]) {
      const cells = file.cells.filter((c) => c.at === at);
      const k = series.length;
      cells.forEach((c) => points.push({ series: k, x: c.p, y: c.dw, label: `χ ${chi}, αT ${fmt(at)}, P ${c.p}: |dw| ${c.dw.toFixed(3)}`, jobs: [cellJob(file, schemas, c)] }));
      series.push({ name: `χ ${chi}, αT ${fmt(at)}`, colour: COLOURS[k], dashed: at > 1, x: cells.map((c) => c.p), y: cells.map((c) => c.dw) });
    }
  });
  return { kind: 'lines', title: '|dw| against P on the plateau (αT 0.03) and the branch (αT 10⁴)', x: 'P', y: '|dw|', series, opts: { logX: true, logY: true, markers: true }, points };
}

function phase(data, schemas) {
  const file = data['phase-digits.json'];
  const s = file.settings;
  const la = s.log2_alpha.split(',').map(Number), lt = s.log2_T.split(',').map(Number);
  // x: alpha (index a), y: T (index t); values[t * alphas + a].
  const values = new Array(la.length * lt.length).fill(NaN), marks = new Array(values.length).fill(false);
  const points = [];
  for (const c of file.cells) {
    const t = file.Ts.indexOf(c.T), a = file.alphas.indexOf(c.alpha);
    if (t < 0 || a < 0) continue;
    values[t * la.length + a] = c.test_err;
    marks[t * la.length + a] = c.capped || c.diverged;
    points.push({ i: a, j: t, label: `α 2^${la[a]}, T 2^${lt[t]}: test error ${c.test_err.toFixed(3)}${c.capped ? ' (capped)' : c.diverged ? ' (diverged)' : ''}`,
      jobs: [studyRun({ name: 'phase', schema: schemas.phase, settings: s, pairs: { log2_alpha: la[a], log2_T: lt[t] }, stored: c,
        pick: (report) => report.cells[0], skip: ['i'], seconds: Math.max(c.steps, 1) * costs.PHASE_STEP_S,
        label: `α 2^${la[a]}, T 2^${lt[t]} (${c.steps.toLocaleString('en')} SGD steps)` })] });
  }
  const line = { x: file.alphas, y: file.alphas.map((a) => file.line.T0 * (a / file.line.alpha0) ** file.line.k) };
  return { kind: 'heatmap', title: 'Test error over (α, T); dashed: T0 (α/α0)^k, k = 1/2', x: 'α (laziness)', y: 'T (temperature)',
    xs: file.alphas, ys: file.Ts, values, opts: { marks, logX: true, logY: true, logV: true, valueLabel: 'test error', line }, points };
}

export const study = {
  id: 'sgd',
  title: 'SGD noise and the rich/lazy axis',
  source: 'the perceptron’s noise branch and the (α, T) phase diagram of SGD with label noise, after the follow-up work on SGD temperature',
  intro: `Two regime studies: a perceptron trained by SGD to zero hinge loss, where the product of the output scale α and the SGD
    temperature T sets how far the weights move; and a mean-field network on 8×8 digits over a grid of (α, T).`,
  claims: [
    {
      id: 'plateau',
      title: 'The perceptron: a plateau, then a noise branch',
      text: `How far the weights move, |w* − w0|, against αT: flat while the margin dominates, then growing with the noise.`,
      verdict: 'holds',
      numbers: `Up to αT ≈ 0.3 |dw| is flat (within 10 %); above, its local slope climbs to 1 from about αT 30 on, for every P and both χ.
        Over the branch the fitted slopes are 0.96–0.97 (χ 0) and 0.93–0.98 (χ 1): linear in αT, the classical perceptron algorithm scaled by αT.`,
      command: PERCEPTRON(0, '256,1024,4096'),
      view: 'perceptron',
      link: { chi: 0, ps: '256,1024,4096' },
      figure: plateau,
    },
    {
      id: 'p-exponents',
      title: 'The perceptron: exponents in P',
      text: 'How |dw| grows with the number of training points P, on the plateau and on the noise branch, for χ 0 and χ 1.',
      verdict: 'holds',
      numbers: '|dw| ~ P^0.95 (χ 0) and P^0.49 (χ 1) on the plateau, P^0.86 and P^0.44 at αT = 10⁴: close to 1/(1+χ). The growth is all along the teacher; |dw⊥| does not depend on P.',
      command: `${PERCEPTRON(0, '256,1024,4096')}\n${PERCEPTRON(1, '256,1024,4096,16384')}`,
      view: 'perceptron',
      link: { chi: 1, ps: '256,1024,4096,16384' },
      figure: inP,
    },
    {
      id: 'phase',
      title: 'The phase diagram: the best temperature grows with α',
      text: `A 3-layer mean-field GELU network on even-against-odd digits, trained to zero hinge loss at each (α, T). The paper: the best
        temperature scales as α^k, k = (L−1)/(L+1) = 1/2. Crossed cells hit the step cap or diverged.`,
      verdict: 'holds in part',
      numbers: `In the feature regime (α ≤ 1) the fitted slope of log₂(best T) against log₂ α is 0.50, 0.90, 0.50 for three seeds and 0.45 on
        their mean. But the best T sits just below a stability edge (the hottest T at which every seed fits is exactly α^0.5): the scaling is
        largely that edge moving. In the lazy regime (α ≥ 16) T hardly matters until every α diverges from T 2^−2. Best error 0.014–0.017.`,
      command: 'richlazy sgd grid --L 3 --h 32 --P 1024 --B 16 --log2_alpha -8,-6,-4,-2,0,2,4,6,8 \\\n  --log2_T -13,-12,-11,-10,-9,-8,-7,-6,-5,-4,-3,-2,-1 --cap 30000 --seed 1 --save results/phase-digits.json',
      view: 'phase',
      link: { L: 3, h: 32, P: 1024, B: 16, log2_alpha: '-8,-6,-4,-2,0,2,4,6,8', log2_T: '-13,-12,-11,-10,-9,-8,-7,-6,-5,-4,-3,-2,-1', cap: 30000 },
      figure: phase,
    },
  ],
};
