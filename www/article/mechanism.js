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
  title: 'A low-rank start rebuilds its representation; higher ranks keep more of it',
  text: `The paper's words for rich learning are "significant changes to network states and representation". We measure them
    directly (<code>richlazy analyse</code>): the probe's states averaged per task condition at the start and after training, compared
    by linear CKA (1: the same geometry), by how far the trajectories moved, by the fixed points under each constant input, and by the
    effective rank of the learned change ΔW. The start is W_rec(0) with the trained input and readout weights (our choice: a folder of
    saved weights holds no other). 2AF and DMS at the paper's settings (N 300, 10,000 iterations, 3 seeds): ranks 1 to 300, the
    aligned rank-1 start, the worm (N 279), mouse V1 and the fly (N 443). The grey squares are rank 1 and rank 100 at N 100 after
    300 iterations, stored so that a click recomputes them in seconds; every other point is a minute or two of training.`,
  verdict: 'holds in part',
  numbers: `On both tasks the rank-1 start keeps the least of its representation: CKA 0.46 on 2AF against 0.75, 0.75 and 0.76 for
    ranks 30, 100 and 300, and 0.46 on DMS against 0.67, 0.66 and 0.75. On 2AF it moves its trajectories 2.4 times as far as rank 300
    (shift 4.47 against 1.86) with a change of half the effective rank (7.5 against 13.9). But the higher ranks are not lazy in this
    picture: ranks 30 to 300 are alike on 2AF, and in most of their seeds the start's stable point under the stimulus turns into a
    saddle or vanishes too (rank 1's does in every seed, under every input, on both tasks). The measured animals rebuild their representation as far as rank 1 on 2AF (CKA 0.49 the worm, 0.48
    V1, 0.46 the fly) at effective ranks of 125 to 160; the worm does it with the lowest-rank change of all (ΔW's effective rank 2.1,
    its top direction 0.86 on the readout). The aligned rank-1 start moves its trajectories least on 2AF (shift 1.70) yet keeps as
    little of its geometry (CKA 0.42); on DMS two of its three seeds diverge. One measure, three seeds: the spreads are wide.`,
  command: [
    'tools/analysis-study.sh        # richlazy analyse --task T START --seed S > results/analysis/T-START-sS.json, 48 runs',
    'python3 tools/analysis_table.py results/analysis --bundle results/analysis-study.json > results/analysis.txt',
    'for r in 1 100; do richlazy analyse --task 2af --hidden 100 --init rank --rank $r --iters 300 --every 30 --seed 1 > results/analysis-quick/2af-rank$r-s1.json; done',
  ].join('\n'),
  lab: { task: '2af', init: 'rank', rank: 1, hidden: 300, iters: 10000, analyse: 10000 },
  figure: analysisFigure({
    title: 'Representation kept from the start (CKA of the probe\'s states)',
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
