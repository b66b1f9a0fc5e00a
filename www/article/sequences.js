// Tasks in sequence, in the article: the paper's two named implications (forgetting and the cost of
// plasticity) measured at its settings, three sequences from eight starts (tools/sequence-study.sh,
// results/sequence-A-B.json, read in docs/sequences.md), and a quick check at N 100
// (results/sequence-quick.json) whose points a click recomputes in seconds.
import { startsFigure } from './figures.js';

const SEQUENCES = [['2af-dms', '2AF → DMS', '#1f77b4'], ['dms-2af', 'DMS → 2AF', '#d62728'], ['2af-cxt', '2AF → CXT', '#2ca02c']];
const RANKS = ['rank:1', 'rank:30', 'rank:100', 'rank:300'];
const OTHERS = ['aligned:1', 'connectome', 'v1', 'fly'];
const QUICK = 'sequence-quick.json';
const SETTINGS = 'N 300 (the worm 279, the fly 443), 10,000 iterations a task, SGD lr 0.003, 3 seeds';
const COMMAND = [
  ...SEQUENCES.map(([s]) => `tools/sequence-study.sh ${s.replace('-', ' ')}   # results/sequence-${s}.json and -fresh.json, 26-28 min on one thread`),
  'richlazy sweep --sequence 2af,dms --hidden 100 --iters 1000 --every 100 --inits rank:1,rank:100 --seeds 2 --save results/sequence-quick.json',
].join('\n');

// What the second task made the network forget of the first: its accuracy at the end of its own
// phase less at the end of the next; and the path of W_rec over both phases.
const forgotten = (run) => run.sequence.phases[1]?.forgetting[0]?.accuracy;
const path = (run) => run.sequence.total.path_w_rec;

// One series of the rank sweep and one of the other starts per sequence, then the quick check.
function groups() {
  return [
    ...SEQUENCES.flatMap(([s, name, colour]) => [
      { name: `${name}: ranks 1, 30, 100, 300`, file: `sequence-${s}.json`, starts: RANKS, colour, shape: 0 },
      { name: `${name}: aligned rank 1, worm, V1, fly`, file: `sequence-${s}.json`, starts: OTHERS, colour, shape: 1, joined: false },
    ]),
    { name: 'quick check (N 100, 1,000 iterations a task)', file: QUICK, starts: ['rank:1', 'rank:100'], colour: '#7f7f7f', shape: 4, joined: false },
  ];
}

export const forgetting = {
  id: 'forgetting',
  title: 'A low-rank start forgets more of its first task, and the aligned start does not escape it',
  text: `The paper closes on two implications it did not measure: the initial connectivity should shape the "risks of catastrophic
    forgetting" and the "metabolic costs of plasticity". We measure both: one network learns task A, then task B, and A's probe
    accuracy is taken at the end of each (${SETTINGS}). Both tasks reach the network through one input layer, each task's channels in
    a block of their own with a one-hot task cue, and share one output (our choice, as in Yang et al. 2019). Each point is the accuracy
    of A that learning B lost, against the start's effective rank. The grey squares are rank 1 and rank 100 at N 100, stored so that a
    click recomputes them in seconds; every other point is a few minutes of training in your browser.`,
  verdict: 'holds',
  numbers: `The rank-1 start forgets the most in all three sequences: 0.33 of 2AF's accuracy while learning DMS, 0.74 of DMS's
    while learning 2AF and 0.72 of 2AF's while learning CXT, against 0.05-0.09, 0.22-0.45 and 0.05-0.16 for ranks 30 to 300. From
    DMS to 2AF forgetting falls with every step in rank (0.74, 0.45, 0.31, 0.22). The aligned rank-1 start, lazy by the paper's
    measures, forgets less than rank 1 but more than every higher rank (0.35, 0.57 and 0.33). V1 and the fly sit among the high
    ranks; the worm, whose almost all-positive wiring runs away in its first phase, forgets 0.44, 0.22 and 0.27. Every
    start learned both tasks (0.85-0.88 on 2AF, 1.00 on DMS but the worm's 0.91). Three seeds: the spreads are wide (rank 1 on
    2AF then DMS: ± 0.38, one seed forgets almost nothing). The quick check at N 100 and 1,000 iterations a task goes the other
    way (rank 1 0.27, rank 100 0.56): at that size and length it checks the bits, not the finding.`,
  command: COMMAND,
  lab: { sequence: '2af,dms', hidden: 300, iters: 10000, compare: 'rank:1,rank:30,rank:100,rank:300,aligned:1', seeds: 3 },
  figure: startsFigure({ title: 'Accuracy of the first task lost while learning the second', measure: 'forgetting', yLabel: 'accuracy lost',
    value: forgotten, logX: true, groups: groups() }),
};

export const cost = {
  id: 'plasticity-cost',
  title: 'A low-rank start pays more for what it learns',
  text: `The same runs: the cost of plasticity as the path length of W_rec, the sum over every iteration of both tasks of
    ‖W_rec(t+1) − W_rec(t)‖<sub>F</sub> (the docs add its square sum, the other common proxy for the energy of synaptic change, and
    both for all weights). Log scale: the worm's path is six times the others'.`,
  verdict: 'holds in part',
  numbers: `Rank 1 moves W_rec along a longer path than ranks 30 to 300 in every sequence: 42.8 against 32.0-32.5 (2AF then DMS), 47.3
    against 32.0-33.3 (DMS then 2AF) and 69.5 against 57.2-58.5 (2AF then CXT); its square sum over all weights is about twice
    theirs (0.40 against 0.18-0.19, 0.71 against 0.33-0.35) and 25 times on DMS then 2AF (4.47 against 0.18). The aligned rank-1
    start pays the least of all on 2AF then DMS (28.3) but more than the high ranks on the other two (42.3 and 65.2): it does
    not escape the cost either. V1 and the fly pay a little more than the high ranks (34.1-36.7 on the DMS sequences); the worm pays
    by far the most (186-202), almost all of it in its first phase.`,
  command: COMMAND,
  lab: { sequence: '2af,dms', hidden: 300, iters: 10000, compare: 'rank:1,rank:30,rank:100,rank:300,aligned:1', seeds: 3 },
  figure: startsFigure({ title: 'Path length of W_rec over both tasks', measure: 'path_w_rec', yLabel: 'Σ‖W_rec(t+1) − W_rec(t)‖_F',
    value: path, logX: true, logY: true, groups: groups() }),
};
