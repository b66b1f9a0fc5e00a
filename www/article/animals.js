// The paper's experimental claim in the article: starts measured in animals (mouse V1, the fly's optic
// lobe, the worm from birth to adult) beside the Gaussian of their own N at the same norm and their
// controls. Numbers from results/animals-2af-paper.json, worms-2af-paper.json, animals-2af-erank.json
// and animals-dms-paper.json (docs/connectivity.md, "Measured animals"); the two cheap points from
// results/animals-2af-quick.json. A new animal is one row of ANIMALS (or STAGES: no controls run).
import { startsFigure } from './figures.js';

const PAPER = 'animals-2af-paper.json';
const WORMS = 'worms-2af-paper.json';
const ERANK = 'animals-2af-erank.json';
const QUICK = 'animals-2af-quick.json';

/** An animal's start: its name, its --inits item and dataset, N, and the entropy effective rank of its start. */
export const ANIMALS = [
  { name: 'mouse V1', init: 'v1', n: 300, erank: 159.5 },
  { name: 'fly', init: 'fly', n: 443, erank: 133.7 },
  { name: 'worm, Witvliet 8 (adult)', init: 'connectome', dataset: 'witvliet_8', n: 180, erank: 90 },
  { name: 'worm, Cook (adult)', init: 'connectome', dataset: 'cook_herm', n: 302, erank: 149.2 },
];
/** The worm's earlier stages: beside their Gaussians in WORMS, without controls. */
const STAGES = [[1, 161], [2, 162], [3, 162], [4, 168], [5, 173], [6, 175], [7, 180]].map(([k, n]) =>
  ({ name: `worm, Witvliet ${k}${k < 5 ? ' (L1)' : k === 5 ? ' (L2)' : k === 6 ? ' (L3)' : ' (adult)'}`, init: 'connectome', dataset: `witvliet_${k}`, n }));
/** The sizes whose Gaussian was run: one per animal's N (stages 2 and 3 share stage 1's nearest, 161). */
const GAUSSIANS = [[PAPER, 300], [PAPER, 443], [WORMS, 161], [WORMS, 168], [WORMS, 175], [PAPER, 180], [PAPER, 302]];

/** A figure point: the runs of `file` with start `init`, the animal's dataset and N. */
const item = (file, a, init = a.init, name = `${a.name} (N ${a.n})`) =>
  ({ file, start: init, where: (c) => (c.dataset ?? null) === (a.dataset ?? null) && c.hidden === a.n, name });
const control = (a, kind) => item(PAPER, a, `${a.init}_${kind}`);
const gaussian = (file, n, name = `N ${n}`) => item(file, { init: 'gaussian', n }, 'gaussian', name);
const powerLaw = (a) => ({ file: ERANK, start: 'spectrum', where: (c) => c.hidden === a.n && c.erank === a.erank, name: `${a.name} (N ${a.n}, effective rank ${a.erank})` });

export const claim = {
  id: 'animals',
  title: 'Wiring measured in animals learns richly',
  text: `The paper's experimental claim: connectivity measured in animals has a lower effective rank than a random matrix of its
    size and norm, and learns more richly from it. Our measured starts, on 2AF at the paper's settings (10,000 iterations, 3 seeds,
    N the animal's): mouse V1 drawn from the Allen Institute's cell-type tables (N 300), the fly's optic lobe from flyvis (N 443),
    and the worm through development, Witvliet et al.'s eight animals from L1 to adult and Cook et al.'s adult (N 161–302,
    unsigned). Each beside the Gaussian of its own N at the same Frobenius norm, and three controls: its singular values on random
    singular vectors, its entries shuffled, and a power-law spectrum of its effective rank. The grey squares are V1 and its Gaussian at N 100
    after 300 iterations, stored so that a click recomputes them in seconds (every other point is minutes of runs); so early the
    gap has begun in the kernel (0.40 against 0.56), not in the weight change (0.052 against 0.058).`,
  verdict: 'holds in part',
  numbers: `Both halves hold, the reason does not. Every animal's effective rank is below its Gaussian's (V1 160 against 241, the fly
    134 against 357, the worm's stages 82–92 against 129–145, Cook 149 against 243), and every one learns more richly: kernel
    alignment 0.26 against 0.66 (V1), 0.30 against 0.70 (fly), 0.14–0.34 against 0.57–0.61 (the worm's stages), 0.12 against 0.71
    (Cook); relative weight change 0.069 against 0.051, 0.050 against 0.041, and for the worms 2–73 against 0.05–0.08. But its own
    singular values on random singular vectors, the same effective rank exactly, learn about as lazily as the Gaussian (kernel
    alignment 0.53, 0.47, 0.47, 0.59; weight change 0.052, 0.042, 0.070, 0.054), and a power law of that effective rank turns the
    kernel as far (0.22, 0.17, 0.36, 0.30) without moving the weights much more (0.055, 0.046, 0.081, 0.056). What makes V1 and the fly
    rich here is their singular vectors; the worms are rich by the runaway of their all-but-excitatory wiring (largest Lyapunov
    exponent at the start 1.2–1.7 per step, the Gaussians' about −0.1). On DMS the fly's weight change is not above its
    Gaussian's (0.044 against 0.047).`,
  command: [
    'richlazy sweep --task 2af --iters 10000 --every 500 --seeds 3 --inits gaussian,v1,v1_shuffled,v1_spectrum,\\',
    'gaussian+hidden:443,fly,fly_shuffled,fly_spectrum,\\',
    'gaussian+hidden:180,connectome+dataset:witvliet_8,connectome_shuffled+dataset:witvliet_8,connectome_spectrum+dataset:witvliet_8,\\',
    'gaussian+hidden:302,connectome+dataset:cook_herm,connectome_shuffled+dataset:cook_herm,connectome_spectrum+dataset:cook_herm \\',
    '--save results/animals-2af-paper.json',
    `W=${[1, 2, 3, 4, 5, 6, 7, 8].map((k) => `connectome+dataset:witvliet_${k}`).join(',')},connectome+dataset:cook_herm`,
    'G=gaussian+hidden:161,gaussian+hidden:168,gaussian+hidden:175,gaussian+hidden:180,gaussian+hidden:302',
    'richlazy sweep --task 2af --iters 10000 --every 500 --seeds 3 --inits "$W,$G" --save results/worms-2af-paper.json',
    'richlazy sweep --task 2af --iters 10000 --every 500 --seeds 3 \\',
    '--inits spectrum:159.5,spectrum:133.7+hidden:443,spectrum:90+hidden:180,spectrum:149.2+hidden:302 --save results/animals-2af-erank.json',
    'richlazy sweep --task 2af --hidden 100 --iters 300 --every 30 --seeds 2 --inits v1,gaussian --save results/animals-2af-quick.json',
  ].join('\n'),
  lab: { task: '2af', hidden: 300, iters: 10000, compare: 'gaussian,v1,v1_shuffled,v1_spectrum,spectrum:159.5', seeds: 3 },
  figure: startsFigure({
    title: 'Kernel alignment after training: measured wiring, its Gaussian and its controls (2AF)',
    measure: 'kernel_alignment',
    yLabel: 'kernel alignment',
    groups: [
      { name: 'measured in an animal', shape: 0, joined: false, items: [...ANIMALS.map((a) => item(PAPER, a)), ...STAGES.map((a) => item(WORMS, a))] },
      { name: 'Gaussian of its N, same norm', shape: 4, joined: false, items: GAUSSIANS.map(([file, n]) => gaussian(file, n)) },
      { name: 'its spectrum, random vectors', shape: 1, joined: false, items: ANIMALS.map((a) => control(a, 'spectrum')) },
      { name: 'its entries shuffled', shape: 2, joined: false, items: ANIMALS.map((a) => control(a, 'shuffled')) },
      { name: 'power law of its effective rank', shape: 3, joined: false, items: ANIMALS.map(powerLaw) },
      { name: 'quick check (N 100, 300 iterations)', colour: '#7f7f7f', shape: 4, joined: false,
        items: [item(QUICK, { init: 'v1', n: 100 }, 'v1', 'V1'), gaussian(QUICK, 100, 'Gaussian')] },
    ],
  }),
};
