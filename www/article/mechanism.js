// What learning did to the network, in the article: the state-space study of docs/analysis.md
// (richlazy analyse at the paper's settings, 8 starts x 2 tasks x 3 seeds, bundled in
// results/analysis-study.json by tools/analysis-study.sh), and its quick check at N 100
// (results/analysis-quick.json), whose points a click recomputes in seconds.
import { analysisFigure } from './figures.js';

const STUDY = 'analysis-study.json';
const QUICK = 'analysis-quick.json';
const RANKS = ['rank1', 'rank30', 'rank100', 'rank300'];
const OTHERS = ['aligned1', 'connectome', 'v1', 'fly'];
const TASKS = [['2af', '2AF', '#1f77b4'], ['dms', 'DMS', '#d62728']];

export const claim = {
  id: 'state-space',
  title: 'TITLE',
  text: `TEXT`,
  verdict: 'VERDICT',
  numbers: `NUMBERS`,
  command: [
    'tools/analysis-study.sh        # richlazy analyse --task T START --seed S > results/analysis/T-START-sS.json, 48 runs',
    'python3 tools/analysis_table.py results/analysis --bundle results/analysis-study.json > results/analysis.txt',
    'for r in 1 100; do richlazy analyse --task 2af --hidden 100 --init rank --rank $r --iters 300 --every 30 --seed 1 > results/analysis-quick/2af-rank$r-s1.json; done',
  ].join('\n'),
  lab: { task: '2af', init: 'rank', rank: 1, hidden: 300, iters: 10000, analyse: 10000 },
  figure: analysisFigure({
    title: 'How much of the start\'s representation is kept (linear CKA of the probe\'s states, start against end)',
    file: STUDY,
    measure: (r) => r.change.cka,
    yLabel: 'CKA with the start',
    groups: [
      ...TASKS.flatMap(([task, name, colour]) => [
        { name: `${name}: ranks 1, 30, 100, 300`, task, starts: RANKS, colour, shape: 0 },
        { name: `${name}: aligned rank 1, worm, V1, fly`, task, starts: OTHERS, colour, shape: 1, joined: false },
      ]),
      { name: 'quick check (N 100, 300 iterations)', file: QUICK, task: '2af', starts: ['rank1', 'rank100'], colour: '#7f7f7f', shape: 4, joined: false },
    ],
  }),
};
