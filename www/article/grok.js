// Grokking as the move from lazy to rich training (Kumar, Bordelon, Gershman, Pehlevan, ICLR 2024) in
// the article: one row per claim, numbers from results/grok-*.json and docs/grokking.md. The map is
// read from its summary (results/grok-map-summary.json, `--summary`: the report without epoch rows).
import { COLOURS } from '../plot.js';
import { studyRun, costs } from './verify.js';

// The fields of a run's summary that a recomputation must reproduce (its epoch rows, its index and
// map cell are not compared: the sweep and the one-run job number them differently).
const SKIP = ['run', 'cell', 'rows'];
const work = (s, epochs) => epochs * Number(s.n) * Number(s.p) * Number(s.d) * costs.GROK_UNIT_S;

function sweep(fileName, key, xLabel, title) {
  return (data, schemas) => {
    const file = data[fileName];
    const s = file.settings;
    const runs = file.runs;
    const points = runs.map((r) => ({ series: 0, x: r[key], y: r.grokking ?? r.grokking_at_least, label: `${key === 'eps' ? 'ε' : 'α'} ${r[key]}: grokking ${r.grokking ?? `at least ${r.grokking_at_least}`} epochs (t_train ${r.t_train}, t_test ${r.t_test})`,
      jobs: [studyRun({ name: 'grok', schema: schemas.grok, settings: s, pairs: { [`${key}s`]: r[key] }, stored: r, pick: (report) => report.runs[0], skip: SKIP,
        seconds: work(s, r.epochs_run ?? Number(s.epochs)), label: `${key === 'eps' ? 'ε' : 'α'} ${r[key]}, ${Number(s.epochs).toLocaleString('en')} epochs` })] }));
    const series = [{ name: 'grokking amount', colour: COLOURS[0], x: points.map((p) => p.x), y: points.map((p) => p.y) }];
    return { kind: 'lines', title, x: xLabel, y: 't_test − t_train (epochs)', series, opts: { markers: true, logX: true }, points };
  };
}

function map(data, schemas) {
  const file = data['grok-map-summary.json'];
  const s = file.settings, m = file.map;
  const values = [], marks = [], points = [];
  m.alphas.forEach((alpha, j) => m.epss.forEach((eps, i) => {
    const g = m.grokking[j][i], least = m.grokking_at_least[j][i];
    values.push(g ?? least ?? NaN);
    marks.push(g === null);
    const cell = j * m.epss.length + i + 1;
    const stored = file.runs?.find((r) => r.cell === cell);
    if (!stored) return;
    points.push({ i, j, label: `α ${alpha}, ε ${eps}: grokking ${g ?? `at least ${least}`} epochs`,
      jobs: [studyRun({ name: 'grok', schema: schemas.grok, settings: s, pairs: { shard: `${cell - 1}/${m.alphas.length * m.epss.length}` }, stored, pick: (report) => report.runs[0], skip: SKIP,
        seconds: work(s, stored.epochs_run ?? Number(s.epochs)), label: `map cell ${cell} (α ${alpha}, ε ${eps})` })] });
  }));
  return { kind: 'heatmap', title: 'Grokking amount over (ε, α); crossed: not fallen by the last epoch (lower bound)', x: 'ε (initial alignment)', y: 'α (laziness)',
    xs: m.epss, ys: m.alphas, values, opts: { marks, logX: true, logY: true, logV: true, valueLabel: 'epochs' }, points };
}

export const study = {
  id: 'grokking',
  title: 'Grokking as the move from lazy to rich',
  source: 'T. Kumar, B. Bordelon, S. Gershman, C. Pehlevan, ICLR 2024 (<a href="https://arxiv.org/abs/2310.06110">arXiv 2310.06110</a>)',
  intro: `A two-layer network learns a quadratic target of a random direction. Trained from a lazy start, it first fits the training set
    with its initial kernel, and only later, when its weights turn towards the target, does the test loss fall: the delay is grokking.
    The output scale α sets how lazy the start is; ε how well the initial kernel fits the target.`,
  claims: [
    {
      id: 'grok-alpha',
      title: 'The delay grows with α',
      text: 'At ε 0.02, the grokking amount (epochs from the train loss falling to the test loss falling) for α 0.5 to 4.',
      verdict: 'holds',
      numbers: 'About linearly: 957, 2084, 4651, 7634, 11117 epochs for α 0.5, 1, 2, 3, 4 (t_test 1183 to 12421, t_train only 226 to 1304).',
      command: 'richlazy grok --mode alpha --epochs 30000 --save results/grok-alpha.json',
      view: 'grok',
      link: { mode: 'alpha', epochs: 30000 },
      figure: sweep('grok-alpha.json', 'alpha', 'α (laziness)', 'Grokking amount against α (ε 0.02)'),
    },
    {
      id: 'grok-eps',
      title: 'A better-aligned start shortens the delay, up to a point',
      text: 'At α 1, the grokking amount for ε 0.01 to 0.2.',
      verdict: 'holds in part',
      numbers: '3799, 2084, 982, 621 epochs for ε 0.01, 0.02, 0.05, 0.1, then 702 at 0.2: it shrinks up to ε 0.1 only.',
      command: 'richlazy grok --mode eps --epochs 10000 --save results/grok-eps.json',
      view: 'grok',
      link: { mode: 'eps' },
      figure: sweep('grok-eps.json', 'eps', 'ε (initial alignment)', 'Grokking amount against ε (α 1)'),
    },
    {
      id: 'grok-map',
      title: 'The map over α and ε',
      text: 'The 5 × 5 map, 40,000 epochs a cell.',
      verdict: 'holds in part',
      numbers: `The amount grows with α at every ε and shrinks with ε at α 0.5 and 1. But at α ≥ 2 with ε 0.1–0.2 the initial kernel fits the
        training set within 44–174 epochs while the test loss has not fallen by epoch 40,000: a delay of more than 39,800 epochs, larger, not
        smaller. A larger ε shortens the delay only while the lazy phase cannot fit the training set by itself.`,
      command: 'richlazy grok --mode map --epochs 40000 --summary --save results/grok-map-summary.json',
      view: 'grok',
      link: { mode: 'map', epochs: 40000 },
      figure: map,
    },
  ],
};
