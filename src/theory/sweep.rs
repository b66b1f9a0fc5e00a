//! The panel's two sweeps, each measured (gradient descent on the network) and
//! predicted (the closed forms), seed by seed, then summarised with a verdict.

use super::closed::{rank_one, rich_limit, Prediction};
use super::net::{kernel_change, Problem, Student};
use crate::config::MAX_SEED;
use crate::init::spectrum::power_law;
use crate::json::{obj, Json};
use crate::linalg::{random_orthogonal, Mat};
use crate::metrics::{erank_entropy, erank_pr, mean_sd};
use crate::rng::Rng;
use crate::settings::{clip, param, Code, Kind, Param, SettingError};

/// Step size as a fraction of the stable limit `2 / (s_max^2 + |beta|)`: small
/// enough that gradient descent tracks the gradient flow the closed forms describe.
pub const LR_SCALE: f64 = 0.05;
/// Training stops when the loss is this fraction of its start...
pub const TOL: f64 = 1e-10;
/// ...or after this many steps (the run is then reported as not converged).
pub const MAX_STEPS: usize = 200_000;
/// The verdict's tolerance on |measured - closed form| of the kernel change:
/// this much, plus this fraction of the predicted value.
pub const AGREE_ABS: f64 = 0.01;
pub const AGREE_REL: f64 = 0.05;

/// Random streams of one seed: inputs, teacher, the start's directions.
const STREAM_INPUTS: u64 = 101;
const STREAM_TEACHER: u64 = 102;
const STREAM_START: u64 = 103;
const STREAM_UNALIGNED: u64 = 104;

#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Input dimension d = hidden width h (n = 2d whitened inputs).
    pub dim: usize,
    /// |W1(0)|_F in the effective-rank sweep.
    pub norm: f64,
    /// |W1(0)|_F in the alignment sweep.
    pub norm_align: f64,
    /// Largest condition number kappa of the feature modulation F.
    pub kappa: f64,
    pub seeds: usize,
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { dim: 50, norm: 0.2, norm_align: 2.0, kappa: 100.0, seeds: 3, seed: 0 }
    }
}

/// The panel's settings: its form, its link and `richlazy theory --help` come from this table.
pub const PARAMS: [Param; 6] = [
    Param { key: "dim", default: "50", kind: Kind::Int { lo: 4, hi: 100 }, help: "input dimension d = width h (even)" },
    Param { key: "norm", default: "0.2", kind: Kind::Real { lo: 0.01, hi: 10.0 }, help: "|W1(0)|_F, rank sweep" },
    Param {
        key: "norm_align",
        default: "2",
        kind: Kind::Real { lo: 0.01, hi: 10.0 },
        help: "|W1(0)|_F, alignment sweep",
    },
    Param { key: "kappa", default: "100", kind: Kind::Real { lo: 1.0, hi: 1000.0 }, help: "largest kappa" },
    Param { key: "seeds", default: "3", kind: Kind::Int { lo: 1, hi: 10 }, help: "seeds" },
    Param { key: "seed", default: "0", kind: Kind::Int { lo: 0, hi: MAX_SEED }, help: "first seed" },
];

impl Settings {
    /// Sets one field from text; on error the field keeps its value.
    pub fn set(&mut self, key: &str, v: &str) -> Result<(), SettingError> {
        let Some(p) = param(&PARAMS, key) else {
            let keys: Vec<&str> = PARAMS.iter().map(|p| p.key).collect();
            return Err(SettingError::new(
                key,
                Code::Unknown,
                format!("unknown setting '{}' (theory takes {})", clip(key), keys.join(", ")),
            ));
        };
        let x = p.number(v)?;
        match key {
            "dim" => {
                let d = x as usize;
                if !d.is_multiple_of(2) {
                    return Err(SettingError::new(
                        key,
                        Code::Conflict,
                        format!("dim: {d} is odd (kappa scales half of the {d} features)"),
                    ));
                }
                self.dim = d;
            }
            "norm" => self.norm = x,
            "norm_align" => self.norm_align = x,
            "kappa" => self.kappa = x,
            "seeds" => self.seeds = x as usize,
            _ => self.seed = x as u64,
        }
        Ok(())
    }

    /// Applies every pair in order; returns the errors of those that were refused.
    pub fn apply<'a>(&mut self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<SettingError> {
        pairs.into_iter().filter_map(|(k, v)| self.set(k, v).err()).collect()
    }

    pub fn to_json(&self) -> Json {
        obj([
            ("dim", self.dim.into()),
            ("norm", self.norm.into()),
            ("norm_align", self.norm_align.into()),
            ("kappa", self.kappa.into()),
            ("seeds", self.seeds.into()),
            ("seed", self.seed.into()),
        ])
    }

    /// Effective ranks of the first sweep: 1 to d.
    pub fn eranks(&self) -> Vec<f64> {
        let d = self.dim as f64;
        let mut v: Vec<f64> = [1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 40.0].into_iter().filter(|&e| e < d).collect();
        v.push(d);
        v
    }

    /// Condition numbers of the second sweep: 1 to kappa, about three per decade.
    pub fn kappas(&self) -> Vec<f64> {
        let mut v: Vec<f64> =
            [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0].into_iter().filter(|&k| k < self.kappa).collect();
        v.push(self.kappa);
        v
    }
}

/// One training run, measured and predicted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    pub kernel: f64,
    pub dw1: f64,
    pub dw2: f64,
    pub steps: usize,
    pub converged: bool,
    pub predicted: Prediction,
}

fn unit(v: Vec<f64>) -> Vec<f64> {
    let n = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    v.into_iter().map(|x| x / n).collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Trains from `w1` (w2 = 0) and measures the changes.
fn measure(problem: &Problem, w1: Mat<f64>, s_max: f64, predicted: Prediction) -> Outcome {
    let h = w1.rows;
    let start = Student { w1, w2: vec![0.0; h] };
    let beta_norm = dot(&problem.beta, &problem.beta).sqrt();
    let lr = LR_SCALE * 2.0 / (s_max * s_max + beta_norm);
    let end = start.train(problem, lr, TOL, MAX_STEPS);
    Outcome {
        kernel: kernel_change(&start.tangent_kernel(problem), &end.student.tangent_kernel(problem)),
        dw1: end.student.w1.sub(&start.w1).frob_norm(),
        dw2: dot(&end.student.w2, &end.student.w2).sqrt(),
        steps: end.steps,
        converged: end.rel_loss <= TOL,
        predicted,
    }
}

/// The effective-rank sweep for one seed: W1(0) = U diag(s) V^T with the
/// power-law spectrum of each effective rank at Frobenius norm `norm`, the
/// same U, V, teacher and inputs for every rank.
pub fn rank_runs(s: &Settings, seed: u64) -> Vec<Outcome> {
    let d = s.dim;
    let problem = {
        let beta = unit(
            (0..d)
                .map({
                    let mut r = Rng::new(seed, STREAM_TEACHER);
                    move |_| r.normal()
                })
                .collect(),
        );
        Problem::new(d, 2 * d, beta, &mut Rng::new(seed, STREAM_INPUTS))
    };
    let mut rng = Rng::new(seed, STREAM_START);
    let u = random_orthogonal(d, &mut rng);
    let v = random_orthogonal(d, &mut rng);
    // The teacher's direction in the right singular basis.
    let b: Vec<f64> = (0..d).map(|k| (0..d).map(|j| v.at(j, k) * problem.beta[j]).sum()).collect();
    s.eranks()
        .into_iter()
        .map(|e| {
            let mut sv = power_law(d, e);
            let f = s.norm / dot(&sv, &sv).sqrt();
            sv.iter_mut().for_each(|x| *x *= f);
            let us = Mat::from_fn(d, d, |r, c| u.at(r, c) * sv[c]);
            let w1 = us.matmul_t(&v);
            let lambda: Vec<f64> = sv.iter().map(|x| x * x).collect();
            measure(&problem, w1, sv[0], rich_limit(&lambda, &b, 1.0))
        })
        .collect()
}

/// The three rank-one starts of the alignment sweep.
pub const STARTS: [&str; 3] = ["aligned", "partially aligned", "unaligned"];

/// The alignment sweep for one seed: features `z = F x` with F = diag(kappa on
/// the first d/2 inputs, 1 on the rest), teacher `y = w . z`, so beta = F w
/// (normalised to 1). Rank-one starts `norm u v^T`: v = beta (aligned),
/// v = F_{d/2} w, F truncated to its top d/2 directions (partially aligned),
/// v random (unaligned). Returns [kappa][start].
pub fn align_runs(s: &Settings, seed: u64) -> Vec<[Outcome; 3]> {
    let d = s.dim;
    let w = unit(
        (0..d)
            .map({
                let mut r = Rng::new(seed, STREAM_TEACHER);
                move |_| r.normal()
            })
            .collect(),
    );
    let mut rng = Rng::new(seed, STREAM_START);
    let u = unit((0..d).map(|_| rng.normal()).collect());
    let random = unit(
        (0..d)
            .map({
                let mut r = Rng::new(seed, STREAM_UNALIGNED);
                move |_| r.normal()
            })
            .collect(),
    );
    let partial = unit((0..d).map(|i| if i < d / 2 { w[i] } else { 0.0 }).collect());
    s.kappas()
        .into_iter()
        .map(|kappa| {
            let beta = unit((0..d).map(|i| if i < d / 2 { kappa * w[i] } else { w[i] }).collect());
            let problem = Problem::new(d, 2 * d, beta.clone(), &mut Rng::new(seed, STREAM_INPUTS));
            let run = |v: &[f64]| {
                let w1 = Mat::from_fn(d, d, |r, c| s.norm_align * u[r] * v[c]);
                measure(&problem, w1, s.norm_align, rank_one(s.norm_align, dot(v, &beta), 1.0, d))
            };
            [run(&beta), run(&partial), run(&random)]
        })
        .collect()
}

/// Means over seeds of one sweep point.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub kernel: (f64, f64),
    pub kernel_pred: f64,
    pub dw1: (f64, f64),
    pub dw1_pred: f64,
    pub dw2: (f64, f64),
    pub dw2_pred: f64,
    pub max_steps: usize,
    pub converged: bool,
}

impl Point {
    fn of(x: f64, runs: &[Outcome]) -> Point {
        let col = |f: &dyn Fn(&Outcome) -> f64| runs.iter().map(f).collect::<Vec<_>>();
        Point {
            x,
            kernel: mean_sd(&col(&|o| o.kernel)),
            kernel_pred: mean_sd(&col(&|o| o.predicted.kernel)).0,
            dw1: mean_sd(&col(&|o| o.dw1)),
            dw1_pred: mean_sd(&col(&|o| o.predicted.dw1)).0,
            dw2: mean_sd(&col(&|o| o.dw2)),
            dw2_pred: mean_sd(&col(&|o| o.predicted.dw2)).0,
            max_steps: runs.iter().map(|o| o.steps).max().unwrap_or(0),
            converged: runs.iter().all(|o| o.converged),
        }
    }

    /// |measured - predicted| of the kernel change, and whether it is within tolerance.
    pub fn gap(&self) -> f64 {
        (self.kernel.0 - self.kernel_pred).abs()
    }

    pub fn agrees(&self) -> bool {
        self.gap() <= AGREE_ABS + AGREE_REL * self.kernel_pred
    }

    fn to_json(&self, x_key: &str) -> Json {
        let ms = |(m, s): (f64, f64)| obj([("mean", m.into()), ("sd", s.into())]);
        obj([
            (x_key, self.x.into()),
            ("kernel_change", ms(self.kernel)),
            ("kernel_change_predicted", self.kernel_pred.into()),
            ("dw1", ms(self.dw1)),
            ("dw1_predicted", self.dw1_pred.into()),
            ("dw2", ms(self.dw2)),
            ("dw2_predicted", self.dw2_pred.into()),
            ("steps", self.max_steps.into()),
            ("converged", self.converged.into()),
        ])
    }
}

/// The effective-rank sweep, summarised.
#[derive(Clone, Debug, PartialEq)]
pub struct RankSweep {
    pub points: Vec<Point>,
    /// Participation-ratio effective rank of each spectrum (the x axis is the entropy one).
    pub erank_pr: Vec<f64>,
}

impl RankSweep {
    /// The paper's trend in the measured values: the kernel change falls
    /// (within 0.005) from each effective rank to the next, and by more than 0.05 overall.
    pub fn trend_holds(&self) -> bool {
        let k: Vec<f64> = self.points.iter().map(|p| p.kernel.0).collect();
        k.windows(2).all(|w| w[1] <= w[0] + 0.005) && k[0] - k[k.len() - 1] > 0.05
    }

    pub fn agrees(&self) -> bool {
        self.points.iter().all(Point::agrees)
    }

    pub fn max_gap(&self) -> f64 {
        self.points.iter().map(Point::gap).fold(0.0, f64::max)
    }

    /// Whether the measured values follow the paper's result, in a sentence.
    pub fn claim(&self, s: &Settings) -> String {
        let (first, last) = (&self.points[0], &self.points[self.points.len() - 1]);
        if self.trend_holds() {
            format!("The paper's result holds: the measured kernel change falls from {:.3} at effective rank 1 to {:.3} at {}.", first.kernel.0, last.kernel.0, s.dim)
        } else {
            format!(
                "The paper's result fails here: the measured kernel change does not fall steadily with effective rank ({}).",
                self.points.iter().map(|p| format!("{:.3}", p.kernel.0)).collect::<Vec<_>>().join(", ")
            )
        }
    }

    /// Whether the measured values follow the closed form, in a sentence.
    pub fn fit(&self, s: &Settings) -> String {
        if self.agrees() {
            format!("The closed form matches every point (largest gap {:.3}).", self.max_gap())
        } else {
            let worst = self.points.iter().max_by(|a, b| a.gap().total_cmp(&b.gap())).unwrap();
            format!(
                "The closed form (a small-first-layer limit) misses by up to {:.3} (at effective rank {}: measured {:.3}, predicted {:.3}): |W1(0)| = {} is too large for it.",
                self.max_gap(), worst.x, worst.kernel.0, worst.kernel_pred, s.norm
            )
        }
    }

    pub fn verdict(&self, s: &Settings) -> String {
        format!("{} {}", self.claim(s), self.fit(s))
    }
}

pub fn rank_sweep(s: &Settings) -> RankSweep {
    let per_seed: Vec<Vec<Outcome>> = (0..s.seeds as u64).map(|k| rank_runs(s, s.seed + k)).collect();
    let eranks = s.eranks();
    let points = eranks
        .iter()
        .enumerate()
        .map(|(i, &e)| Point::of(e, &per_seed.iter().map(|r| r[i]).collect::<Vec<_>>()))
        .collect();
    let erank_pr = eranks.iter().map(|&e| erank_pr(&power_law(s.dim, e))).collect();
    debug_assert!(eranks.iter().all(|&e| (erank_entropy(&power_law(s.dim, e)) - e).abs() < 1e-3 * e));
    RankSweep { points, erank_pr }
}

/// The alignment sweep, summarised: one curve per start.
#[derive(Clone, Debug, PartialEq)]
pub struct AlignSweep {
    /// [start][kappa]
    pub curves: Vec<Vec<Point>>,
    /// Mean cosine between each start and the teacher, [start][kappa].
    pub cosines: Vec<Vec<f64>>,
}

impl AlignSweep {
    /// The paper's exception: the aligned rank-one start changes its kernel
    /// less than the unaligned one at every kappa, and the partially aligned
    /// start moves toward the aligned one as kappa grows.
    pub fn claim_holds(&self) -> bool {
        let (al, pa, un) = (&self.curves[0], &self.curves[1], &self.curves[2]);
        let n = al.len();
        al.iter().zip(un).all(|(a, u)| a.kernel.0 < u.kernel.0) && (n < 2 || pa[n - 1].kernel.0 < pa[0].kernel.0)
    }

    pub fn agrees(&self) -> bool {
        self.curves.iter().flatten().all(Point::agrees)
    }

    pub fn max_gap(&self) -> f64 {
        self.curves.iter().flatten().map(Point::gap).fold(0.0, f64::max)
    }

    /// Whether the measured values follow the paper's result, in a sentence.
    pub fn claim(&self, s: &Settings) -> String {
        let (al, pa, un) = (&self.curves[0], &self.curves[1], &self.curves[2]);
        let n = al.len();
        if self.claim_holds() {
            format!(
                "The paper's result holds: the aligned rank-one start changes its kernel by {:.3} against {:.3} for the unaligned one; the partially aligned start goes from {:.3} at κ 1 to {:.3} at κ {}.",
                al[0].kernel.0, un[0].kernel.0, pa[0].kernel.0, pa[n - 1].kernel.0, s.kappa
            )
        } else {
            format!(
                "The paper's result fails here: aligned {:.3}, partially aligned {:.3} to {:.3}, unaligned {:.3} (κ 1 to {}).",
                al[0].kernel.0, pa[0].kernel.0, pa[n - 1].kernel.0, un[0].kernel.0, s.kappa
            )
        }
    }

    /// Whether the measured values follow the closed form, in a sentence.
    pub fn fit(&self) -> String {
        if self.agrees() {
            format!("The closed form matches every point (largest gap {:.3}).", self.max_gap())
        } else {
            let mut worst = (0.0, 0, 0.0);
            for (i, c) in self.curves.iter().enumerate() {
                for p in c {
                    if p.gap() > worst.0 {
                        worst = (p.gap(), i, p.x);
                    }
                }
            }
            format!(
                "The closed form misses by up to {:.3} ({} start, κ {}): the weights left the rank-one solution it assumes, growing new hidden directions.",
                worst.0, STARTS[worst.1], worst.2
            )
        }
    }

    pub fn verdict(&self, s: &Settings) -> String {
        format!("{} {}", self.claim(s), self.fit())
    }
}

pub fn align_sweep(s: &Settings) -> AlignSweep {
    let per_seed: Vec<Vec<[Outcome; 3]>> = (0..s.seeds as u64).map(|k| align_runs(s, s.seed + k)).collect();
    let kappas = s.kappas();
    let curves = (0..3)
        .map(|start| {
            kappas
                .iter()
                .enumerate()
                .map(|(i, &kappa)| Point::of(kappa, &per_seed.iter().map(|r| r[i][start]).collect::<Vec<_>>()))
                .collect()
        })
        .collect();
    let cosines = (0..3)
        .map(|start| {
            kappas
                .iter()
                .map(|&kappa| {
                    mean_sd(&(0..s.seeds as u64).map(|k| start_cosine(s, s.seed + k, kappa, start)).collect::<Vec<_>>())
                        .0
                })
                .collect()
        })
        .collect();
    AlignSweep { curves, cosines }
}

/// Cosine between start `start` and the teacher at this kappa (as in `align_runs`).
fn start_cosine(s: &Settings, seed: u64, kappa: f64, start: usize) -> f64 {
    let d = s.dim;
    let w = unit(
        (0..d)
            .map({
                let mut r = Rng::new(seed, STREAM_TEACHER);
                move |_| r.normal()
            })
            .collect(),
    );
    let beta = unit((0..d).map(|i| if i < d / 2 { kappa * w[i] } else { w[i] }).collect());
    match start {
        0 => 1.0,
        1 => dot(&unit((0..d).map(|i| if i < d / 2 { w[i] } else { 0.0 }).collect()), &beta),
        _ => dot(
            &unit(
                (0..d)
                    .map({
                        let mut r = Rng::new(seed, STREAM_UNALIGNED);
                        move |_| r.normal()
                    })
                    .collect(),
            ),
            &beta,
        ),
    }
}

/// Both sweeps.
pub struct Report {
    pub settings: Settings,
    pub rank: RankSweep,
    pub align: AlignSweep,
}

pub fn run(s: &Settings) -> Report {
    Report { settings: s.clone(), rank: rank_sweep(s), align: align_sweep(s) }
}

impl Report {
    pub fn to_json(&self) -> Json {
        let s = &self.settings;
        let rank = obj([
            (
                "points",
                Json::Arr(
                    self.rank
                        .points
                        .iter()
                        .zip(&self.rank.erank_pr)
                        .map(|(p, pr)| {
                            let mut j = p.to_json("erank");
                            if let Json::Obj(v) = &mut j {
                                v.insert(1, ("erank_pr".into(), (*pr).into()));
                            }
                            j
                        })
                        .collect(),
                ),
            ),
            ("trend_holds", self.rank.trend_holds().into()),
            ("agrees", self.rank.agrees().into()),
            ("max_gap", self.rank.max_gap().into()),
            ("claim", self.rank.claim(s).into()),
            ("fit", self.rank.fit(s).into()),
        ]);
        let align = obj([
            (
                "starts",
                Json::Arr(
                    STARTS
                        .iter()
                        .zip(self.align.curves.iter().zip(&self.align.cosines))
                        .map(|(name, (c, cos))| {
                            obj([
                                ("start", (*name).into()),
                                (
                                    "points",
                                    Json::Arr(
                                        c.iter()
                                            .zip(cos)
                                            .map(|(p, cs)| {
                                                let mut j = p.to_json("kappa");
                                                if let Json::Obj(v) = &mut j {
                                                    v.insert(1, ("cosine".into(), (*cs).into()));
                                                }
                                                j
                                            })
                                            .collect(),
                                    ),
                                ),
                            ])
                        })
                        .collect(),
                ),
            ),
            ("claim_holds", self.align.claim_holds().into()),
            ("agrees", self.align.agrees().into()),
            ("max_gap", self.align.max_gap().into()),
            ("claim", self.align.claim(s).into()),
            ("fit", self.align.fit().into()),
        ]);
        obj([("settings", s.to_json()), ("rank", rank), ("align", align)])
    }

    /// The command line's tables.
    pub fn table(&self) -> String {
        let s = &self.settings;
        let mut out = format!(
            "two-layer linear student, d = h = {}, {} whitened inputs, w2(0) = 0, gradient descent to loss < {:e} x start; {} seed(s) from {}\n\n",
            s.dim, 2 * s.dim, TOL, s.seeds, s.seed
        );
        out += &format!("effective-rank sweep, |W1(0)|_F = {}: kernel change = 1 - alignment; closed form: small-first-layer limit\n", s.norm);
        out += "erank erank_pr |  kernel change (pred)       |  |dW1|_F (pred)             |  |w2| (pred)                | steps\n";
        for (p, pr) in self.rank.points.iter().zip(&self.rank.erank_pr) {
            out += &format!(
                "{:>5} {:>8.2} | {:.4} ± {:.4} ({:.4}) | {:.4} ± {:.4} ({:.4}) | {:.4} ± {:.4} ({:.4}) | {}{}\n",
                p.x,
                pr,
                p.kernel.0,
                p.kernel.1,
                p.kernel_pred,
                p.dw1.0,
                p.dw1.1,
                p.dw1_pred,
                p.dw2.0,
                p.dw2.1,
                p.dw2_pred,
                p.max_steps,
                if p.converged { "" } else { " (not converged)" }
            );
        }
        out += &format!("{}\n\n", self.rank.verdict(s));
        out += &format!(
            "alignment sweep, rank-one starts, |W1(0)|_F = {}: closed form exact on the rank-one solution\n",
            s.norm_align
        );
        out += "start              kappa cosine |  kernel change (pred)       |  |dW1|_F (pred)             | steps\n";
        for ((name, c), cos) in STARTS.iter().zip(&self.align.curves).zip(&self.align.cosines) {
            for (p, cs) in c.iter().zip(cos) {
                out += &format!(
                    "{:<18} {:>5} {:>6.3} | {:.4} ± {:.4} ({:.4}) | {:.4} ± {:.4} ({:.4}) | {}{}\n",
                    name,
                    p.x,
                    cs,
                    p.kernel.0,
                    p.kernel.1,
                    p.kernel_pred,
                    p.dw1.0,
                    p.dw1.1,
                    p.dw1_pred,
                    p.max_steps,
                    if p.converged { "" } else { " (not converged)" }
                );
            }
        }
        out += &format!("{}\n", self.align.verdict(s));
        out
    }
}
