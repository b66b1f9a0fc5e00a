// ?view=phase: the SGD-noise phase diagram (src/regimes/phase.rs). Every (alpha, T) cell is one pool
// job (shard i/cells), so cells appear as workers finish them.
import { studyView } from '../study.js';
import { heatmap } from '../plot.js';

const intro = `<p>Sclocchi, Geiger and Wyart (ICML 2023) map how SGD noise acts in the two regimes: a
mean-field fully connected net trained to zero hinge loss, at a scale alpha (small: features are
learned; large: lazy) and a temperature <i>T</i> = dt / (<i>B h</i>). Here on scikit-learn's 8x8
handwritten digits, even against odd, with the test set the digits left out of training. In the feature
regime the paper finds the best temperature growing as <i>T</i><sub>opt</sub> ~ alpha<sup>k</sup>,
<i>k</i> = (<i>L</i> - 1)/(<i>L</i> + 1); the dashed line is that power anchored at the best fitted cell
of the smallest alpha (the constant is unknown: the anchor is ours). Crossed grey cells hit the step cap
or diverged before the train loss reached zero (their numbers are in the exports).</p>
<details><summary>Our choices</summary><p>The paper's net has 5 hidden layers of width 128 on MNIST;
the page's default is smaller. GELU is the exact erf form (the authors' jax default is the tanh
approximation), divided by its root mean square under a standard normal as the authors do. Pixels are
divided by 16, centred by the mean pixel and each image scaled to norm 8 (= sqrt 64). Every cell uses
the same split, start and batch stream; batches are B distinct points. Training stops at the first step
where every train point has alpha y F &ge; 1, exactly. The page runs each cell as its own job
(shard <em>i</em>/cells); the same shards split a grid over a cluster's job array on the command line
(<code>richlazy sgd grid ... --shard K/N</code>, then <code>richlazy merge</code>).</p></details>`;

/** The grid's axes as the engine orders them (schema("phase").grid: cell i = i_alpha * len(T) + i_T,
 * each axis a list of exponents of `base`). */
function axes(state) {
  const { order, base } = state.schema.grid;
  const [alphas, temps] = order.map((k) => String(state.settings[k]).split(',').map((v) => base ** Number(v)));
  return { alphas, temps };
}
/** A cell the engine's grid calls unfit (it hit the step cap or diverged): crossed, never coloured. */
const unfit = (state, c) => state.schema.grid.unfit.some((k) => c[k]);

/** The grid's axes, the cells' values in the heat map's order (T-major) and the unfit cells' marks.
 * Only fitted cells are coloured: a capped or diverged cell's numbers (in the exports) would set the
 * colour scale (weight changes of 1e19 where the noise blew the weights up). */
function grid(state, pick) {
  const { alphas, temps } = axes(state);
  const cells = state.data.cells ?? {};
  const values = [], marks = [];
  for (let it = 0; it < temps.length; it++) {
    for (let ia = 0; ia < alphas.length; ia++) {
      const c = cells[ia * temps.length + it];
      const failed = !!c && unfit(state, c);
      values.push(c && !failed ? pick(c) : NaN);
      marks.push(failed);
    }
  }
  return { alphas, temps, values, marks };
}

/** T0 (alpha / alpha0)^k through the best fitted cell of the smallest alpha that has one, the lower T on
 * ties (the engine's rule: schema("phase").optimum, whose exponent is k below). */
function optimum(state, alphas, temps) {
  const cells = state.data.cells ?? {};
  const L = Number(state.settings.L), k = (L - 1) / (L + 1);
  for (let ia = 0; ia < alphas.length; ia++) {
    let best = null;
    for (let it = 0; it < temps.length; it++) {
      const c = cells[ia * temps.length + it];
      if (c && !unfit(state, c) && (!best || c.test_err < best.test_err)) best = c;
    }
    if (best) return { x: alphas, y: alphas.map((a) => best.T * (a / best.alpha) ** k) };
  }
  return undefined;
}

const CSV_KEYS = ['i', 'alpha', 'T', 'test_err', 'rel_dw', 't_star', 'steps', 'capped', 'diverged'];

export function mount(root) {
  return studyView(root, {
    name: 'phase',
    intro,
    charts: [
      { id: 'phase-err', caption: 'Test error over the (alpha, T) grid; dashed: the feature-regime optimum T ~ alpha^k, anchored at the smallest alpha.' },
      { id: 'phase-dw', caption: 'Relative weight change |w* - w0| / |w0| (colours by log10): large in the feature regime, small in the lazy one.' },
      { id: 'phase-tstar', caption: 'Training time t* = dt x steps to zero train loss (colours by log10).' },
    ],
    jobs(settings, state) {
      const n = state.schema.grid.order.map((k) => String(settings[k]).split(',').length).reduce((a, b) => a * b);
      return Array.from({ length: n }, (_, i) => ({ label: `cell ${i}`, pairs: { shard: `${i}/${n}` } }));
    },
    progress(state, p) {
      state.data.cells ??= {};
      for (const c of p.cells) state.data.cells[c.i] = c;
    },
    draw(state) {
      const show = (id, title, label, pick, opts) => {
        const g = grid(state, pick);
        heatmap(id, title, 'alpha', 'temperature T', g.alphas, g.temps, g.values, { logX: true, logY: true, marks: g.marks, valueLabel: label, ...opts(g) });
      };
      show('phase-err', 'Test error', 'test error', (c) => c.test_err, (g) => ({ line: optimum(state, g.alphas, g.temps) }));
      show('phase-dw', 'Relative weight change', '|w*-w0|/|w0|', (c) => c.rel_dw, (g) => ({ logV: true, line: optimum(state, g.alphas, g.temps) }));
      show('phase-tstar', 'Training time t*', 't*', (c) => c.t_star, () => ({ logV: true }));
    },
    csv(state) {
      const cells = Object.values(state.data.cells ?? {}).sort((a, b) => a.i - b.i);
      return [CSV_KEYS.join(','), ...cells.map((c) => CSV_KEYS.map((k) => c[k]).join(','))].join('\n') + '\n';
    },
  });
}
