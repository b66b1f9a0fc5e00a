// The local-rules study (Liu, Zhang and Liu, 2024) in the article: one row per claim. Numbers from
// results/local-dms.json and docs/local-rules.md (DMS, N 100, dt 20, 2,000 iterations, 3 seeds).
import { settingFigure } from './figures.js';

const RULES = [['bptt', 'BPTT'], ['eprop', 'e-prop'], ['rflo', 'random feedback']];
const FILE = 'local-dms.json';
const COMMAND = 'richlazy sweep --task dms --dt 20 --hidden 100 --iters 2000 --every 100 --lr 0.03 --rules bptt,eprop,rflo \\\n  --gains 0.5,0.75,1,1.25,1.5,2 --flosses none,pre,pre+floss_mode:local --seeds 3 --save results/local-dms.json';
const noFloss = (c) => !c.floss || c.floss === 'none';
const LAB = { task: 'dms', dt: 20, hidden: 100, iters: 2000, every: 100, lr: 0.03, seeds: 3 };

export const study = {
  id: 'local',
  title: 'Learning rules that are local in space and time',
  source: 'Y. H. Liu, W. Zhang, Y. H. Liu, 2024 (<a href="https://arxiv.org/abs/2410.11164">arXiv 2410.11164</a>)',
  intro: `The same networks trained by rules a synapse could compute: <em>e-prop</em> and <em>random feedback</em> keep a trace of each
    synapse's recent input and multiply it by a broadcast error. Gradient flossing (Engelken 2023) first pushes the largest Lyapunov
    exponents towards 0. The rules' exact forms, the time step and the local flossing rule are our choices.`,
  claims: [
    {
      id: 'small-gain',
      title: 'Small gains hurt the local rules more, and flossing rescues them',
      text: `On the delayed match-to-sample task (DMS), starts of gain 0.5 to 2: which rules still learn at a small gain, and does 100 steps
        of flossing before training help?`,
      verdict: 'holds in part',
      numbers: `BPTT learns DMS from gain 0.75, e-prop from 1.25–1.5, random feedback from 1.5–2. Pre-flossing lifts e-prop at gain 0.5 from
        0.52 to 0.89 (exact) / 0.84 (local) and random feedback from 0.51 to 0.70 / 0.85; it does not help BPTT at 0.5 (0.52, 0.67) and costs
        it at 0.75 (1.00 → 0.84). On 2AF every rule learns at every gain, so the claim cannot be seen there at this size.`,
      command: COMMAND,
      lab: { ...LAB, compare: 'rule:eprop+gain:0.5,rule:eprop+gain:0.5+floss:pre,rule:rflo+gain:0.5,rule:rflo+gain:0.5+floss:pre' },
      figure: settingFigure({ title: 'DMS: final accuracy against the gain', file: FILE, measure: 'accuracy', yLabel: 'accuracy', key: 'gain', xLabel: 'initial gain',
        groups: [
          ...RULES.map(([r, name]) => ({ name, where: (c) => c.rule === r && noFloss(c) })),
          ...RULES.slice(1).map(([r, name]) => ({ name: `${name}, pre-flossed`, where: (c) => c.rule === r && c.floss === 'pre' && c.floss_mode !== 'local' })),
        ] }),
    },
    {
      id: 'lazier',
      title: 'The local rules learn more lazily than BPTT',
      text: 'From the same starts, without flossing: how far W_rec moves, and how much of the start is kept.',
      verdict: 'holds',
      numbers: `On DMS at gain 2, where all three learn: W_rec moves 6.6 (BPTT), 5.1 (e-prop), 1.9 (random feedback); sign similarity 0.53 / 0.58 / 0.81.
        At every gain random feedback moves least and keeps its representation most; on 2AF the same order holds for the weight change (gain 1: 3.2 / 2.7 / 1.7).`,
      command: COMMAND,
      lab: { ...LAB, compare: 'rule:bptt+gain:2,rule:eprop+gain:2,rule:rflo+gain:2' },
      figure: settingFigure({ title: 'DMS: weight change against the gain', file: FILE, measure: 'weight_change', yLabel: '|W_rec − W_rec(0)|', key: 'gain', xLabel: 'initial gain',
        groups: RULES.map(([r, name]) => ({ name, where: (c) => c.rule === r && noFloss(c) })) }),
    },
  ],
};
