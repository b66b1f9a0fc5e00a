//! One network's start against its end, as one JSON report: condition-averaged trajectories in
//! shared principal components, the representation change (principal angles, linear CKA), fixed and
//! slow points under each constant input of the task, and the structure of ΔW.
//!
//! The start is W_rec(0) with the end's input and readout weights: the four weight files a run saves
//! (`run --save_weights`) hold no other, so that the report from a folder of weights and the one
//! computed inside the run are the same.

use super::fixed::{find_fixed_points, FixedPoint, Options as SearchOptions};
use super::subspace::{linear_cka, principal_angles, Components};
use super::trajectories::Trajectories;
use super::{delta_structure, StepMap};
use crate::json::{obj, Json};
use crate::linalg::{singular_values, Mat};
use crate::metrics::{erank_entropy, erank_pr};
use crate::model::Rnn;
use crate::rng::Rng;
use crate::settings::{Code, SettingError};
use crate::tasks::{Batch, Task};

/// A network's weights in f64 (rows x cols, row-major): W_in N x inputs, W_rec0 and W_rec N x N,
/// W_out outputs x N.
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    pub w_in: Mat<f64>,
    pub w_rec0: Mat<f64>,
    pub w_rec: Mat<f64>,
    pub w_out: Mat<f64>,
}

impl Weights {
    /// A run's weights as the engine holds them.
    pub fn of(w: &crate::experiment::Weights) -> Weights {
        Weights { w_in: w.w_in.to_f64(), w_rec0: w.w_rec0.clone(), w_rec: w.w_rec.to_f64(), w_out: w.w_out.to_f64() }
    }

    /// The four `.npy` files `run --save_weights` writes, as (name, bytes): W_in, W_rec0, W_rec, W_out.
    pub fn from_npy(files: [(&str, &[u8]); 4]) -> Result<Weights, SettingError> {
        let read = |(name, bytes): (&str, &[u8])| {
            crate::init::file::npy_matrix(bytes).map_err(|e| SettingError {
                key: "weights".into(),
                message: format!("{name}: {}", e.message),
                ..e
            })
        };
        let [w_in, w_rec0, w_rec, w_out] = files;
        Ok(Weights { w_in: read(w_in)?, w_rec0: read(w_rec0)?, w_rec: read(w_rec)?, w_out: read(w_out)? })
    }

    /// W_in.npy, W_rec0.npy, W_rec.npy and W_out.npy from `dir`, as `run --save_weights` writes them.
    pub fn read_dir(dir: &std::path::Path) -> Result<Weights, SettingError> {
        let names = ["W_in.npy", "W_rec0.npy", "W_rec.npy", "W_out.npy"];
        let mut bytes = Vec::new();
        for name in names {
            let p = dir.join(name);
            bytes.push(
                std::fs::read(&p)
                    .map_err(|e| SettingError::new("weights", Code::Io, format!("{}: {e}", p.display())))?,
            );
        }
        Weights::from_npy([0, 1, 2, 3].map(|i| (names[i], bytes[i].as_slice())))
    }

    /// The shapes agree with each other and with the task's inputs and outputs.
    pub fn check(&self, n_in: usize, n_out: usize) -> Result<(), SettingError> {
        let n = self.w_rec.rows;
        let want = [("W_in", n, n_in), ("W_rec0", n, n), ("W_rec", n, n), ("W_out", n_out, n)];
        for ((name, r, c), m) in want.iter().zip([&self.w_in, &self.w_rec0, &self.w_rec, &self.w_out]) {
            if (m.rows, m.cols) != (*r, *c) {
                let message = format!("{name} is {} x {}: the task and W_rec need {r} x {c}", m.rows, m.cols);
                return Err(SettingError::new("weights", Code::Conflict, message));
            }
        }
        Ok(())
    }
}

#[derive(Clone, Debug)]
pub struct Options {
    /// Shared principal components drawn and reported.
    pub components: usize,
    /// Each network's own top components compared by principal angles.
    pub angles: usize,
    /// States the fixed-point search starts from per network and input.
    pub starts: usize,
    /// The starts' noise, as a fraction of the states' RMS spread about their mean.
    pub noise: f64,
    /// Jacobian eigenvalues reported per point, largest modulus first.
    pub eigenvalues: usize,
    /// ΔW's singular values reported and top directions described.
    pub singular_values: usize,
    pub directions: usize,
    pub search: SearchOptions,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            components: 3,
            angles: 3,
            starts: 24,
            noise: 0.1,
            eigenvalues: 6,
            singular_values: 20,
            directions: 3,
            search: SearchOptions::default(),
        }
    }
}

/// The report of a run's start against where it is now, on its own probe set, its settings first.
pub fn analyse_run(exp: &crate::experiment::Experiment, opt: &Options) -> Json {
    let task = exp.config().probe_task();
    let report = analyse(task.as_ref(), &exp.probe().batches, exp.config().alpha, &Weights::of(&exp.weights()), opt);
    with_config(exp.config(), report)
}

/// `{"config": the settings (as `run --json` gives them), ...report}`.
fn with_config(config: &crate::config::Config, report: Json) -> Json {
    let Json::Obj(mut keys) = report else { unreachable!("a report is an object") };
    keys.insert(0, ("config".to_string(), crate::report::config_json(config)));
    Json::Obj(keys)
}

/// The report of weights trained elsewhere (or saved by a run) on the probe set of `config`'s task,
/// seed and batch, at its leak, the settings first; refused where the shapes do not fit the task.
pub fn analyse_weights(config: &crate::config::Config, w: &Weights, opt: &Options) -> Result<Json, SettingError> {
    let task = config.probe_task();
    let probe = crate::trials::probe(config)?;
    w.check(task.n_in(), task.n_out())?;
    Ok(with_config(config, analyse(task.as_ref(), &probe, config.alpha, w, opt)))
}

/// The constant inputs the fixed points are searched under: the fixation cue alone (no input where a
/// task has no fixation channel), then each period's mean input over the probe set but the decision's;
/// an input equal to an earlier one is left out.
pub fn constant_inputs(task: &dyn Task, probe: &[Batch]) -> Vec<(String, Vec<f64>)> {
    let n_in = task.n_in();
    let fixation = task.input_names().first() == Some(&"fixation");
    let mut out = vec![(
        if fixation { "fixation" } else { "none" }.to_string(),
        (0..n_in).map(|i| if fixation && i == 0 { 1.0 } else { 0.0 }).collect::<Vec<f64>>(),
    )];
    let periods = task.periods_ms();
    for &(name, _) in &periods[..periods.len() - 1] {
        let steps = task.period(name);
        let mut mean = vec![0.0; n_in];
        let mut count = 0usize;
        for b in probe {
            for t in steps.clone() {
                for row in b.x_at(t).chunks_exact(n_in) {
                    mean.iter_mut().zip(row).for_each(|(m, &x)| *m += x as f64);
                    count += 1;
                }
            }
        }
        if count == 0 {
            continue;
        }
        mean.iter_mut().for_each(|m| *m /= count as f64);
        if !out.iter().any(|(_, x)| *x == mean) {
            out.push((name.to_string(), mean));
        }
    }
    out
}

/// A start and its end on the probe set: their networks, condition-averaged states and the
/// components of the two pooled, in which both are drawn.
struct Pair {
    start: Rnn<f64>,
    end: Rnn<f64>,
    ts: Trajectories,
    te: Trajectories,
    shared: Components,
}

impl Pair {
    fn of(task: &dyn Task, probe: &[Batch], alpha: f64, w: &Weights, opt: &Options) -> Pair {
        let net = |w_rec: &Mat<f64>| Rnn { w_in: w.w_in.clone(), w_rec: w_rec.clone(), w_out: w.w_out.clone(), alpha };
        let (start, end) = (net(&w.w_rec0), net(&w.w_rec));
        let of = |net: &Rnn<f64>| Trajectories::of(net, probe, task.decision_steps());
        let (ts, te) = (of(&start), of(&end));
        let pooled = Mat::from_vec(
            ts.states.rows * 2,
            ts.states.cols,
            [ts.states.data.clone(), te.states.data.clone()].concat(),
        );
        let shared = Components::of(&pooled, opt.components);
        Pair { start, end, ts, te, shared }
    }

    /// The keys every report and frame opens with: task, hidden, alpha, the start's and the end's probe
    /// loss and accuracy, conditions, components and trajectories.
    fn head(&self, task: &dyn Task) -> Vec<(&'static str, Json)> {
        let (ts, te, shared) = (&self.ts, &self.te, &self.shared);
        vec![
            ("task", Json::from(task.key())),
            ("hidden", self.end.hidden().into()),
            ("alpha", self.end.alpha.into()),
            ("probe", obj([("start", scores(ts)), ("end", scores(te))])),
            (
                "conditions",
                obj([
                    ("names", Json::Arr(task.condition_names().iter().map(|&s| Json::from(s)).collect())),
                    ("values", Json::Arr(ts.conditions.iter().map(|c| condition_json(task, c)).collect())),
                    ("trials", Json::Arr(ts.counts.iter().map(|&c| Json::from(c)).collect())),
                ]),
            ),
            (
                "components",
                obj([
                    ("explained", Json::from(&shared.explained[..])),
                    ("explained_start", Json::from(&explained_by(shared, &ts.states)[..])),
                    ("explained_end", Json::from(&explained_by(shared, &te.states)[..])),
                ]),
            ),
            ("trajectories", obj([("start", projected(shared, ts)), ("end", projected(shared, te))])),
        ]
    }

    fn shift(&self) -> (&'static str, Json) {
        ("trajectory_shift", shift(&self.ts.states, &self.te.states).into())
    }

    fn cka(&self) -> (&'static str, Json) {
        ("cka", linear_cka(&self.ts.states, &self.te.states).into())
    }
}

fn scores(tr: &Trajectories) -> Json {
    obj([("loss", tr.loss.into()), ("accuracy", tr.accuracy.into())])
}

fn erank_keys(sv: &[f64], entropy: f64, pr: f64, opt: &Options) -> [(&'static str, Json); 3] {
    [
        ("singular_values", Json::from(&sv[..opt.singular_values.min(sv.len())])),
        ("erank_entropy", entropy.into()),
        ("erank_pr", pr.into()),
    ]
}

/// The report of `w` on `task`'s probe set `probe`, at leak `alpha`.
pub fn analyse(task: &dyn Task, probe: &[Batch], alpha: f64, w: &Weights, opt: &Options) -> Json {
    let pair = Pair::of(task, probe, alpha, w, opt);
    let (own_s, own_e) = (Components::of(&pair.ts.states, opt.angles), Components::of(&pair.te.states, opt.angles));
    let inputs = constant_inputs(task, probe);
    let fixed = |label: &'static str, net: &Rnn<f64>, tr: &Trajectories, x: &[f64], stream: u64| {
        let map = StepMap::new(&net.w_rec, &net.w_in, x, alpha);
        let starts = search_starts(tr, opt, stream);
        let points = find_fixed_points(&map, &starts, &opt.search);
        (label, points_json(&points, &pair.shared, opt))
    };
    let fixed_points = inputs
        .iter()
        .enumerate()
        .map(|(i, (name, x))| {
            let (a, b) =
                (fixed("start", &pair.start, &pair.ts, x, i as u64), fixed("end", &pair.end, &pair.te, x, i as u64));
            obj([("input", Json::from(name.as_str())), ("x", Json::from(&x[..])), a, b])
        })
        .collect();
    let delta = delta_structure(&w.w_rec0, &w.w_rec, &w.w_in, &w.w_out, opt.directions);
    let directions = delta.top.iter().map(|d| {
        obj([
            ("singular_value", Json::from(d.singular_value)),
            ("left_on_input", d.left_on_input.into()),
            ("right_on_output", d.right_on_output.into()),
            ("left_on_start", d.left_on_start.into()),
            ("right_on_start", d.right_on_start.into()),
        ])
    });
    let angles = ("principal_angles", Json::from(&principal_angles(&own_s.axes, &own_e.axes)[..]));
    let mut delta_w = erank_keys(&delta.singular_values, delta.erank_entropy, delta.erank_pr, opt).to_vec();
    delta_w.push(("directions", Json::Arr(directions.collect())));
    let mut keys = pair.head(task);
    keys.push(("change", obj([pair.shift(), angles, pair.cka()])));
    keys.push(("fixed_points", Json::Arr(fixed_points)));
    keys.push(("delta_w", obj(delta_w)));
    let s0 = singular_values(&w.w_rec0);
    keys.push(("w_rec0", obj([("erank_entropy", erank_entropy(&s0).into()), ("erank_pr", erank_pr(&s0).into())])));
    obj(keys)
}

/// The live picture of a run at one measure point, cheap enough to draw at every one: the report's
/// keys but the fixed points, the principal angles and ΔW's directions (`analyse` adds those).
pub fn frame(task: &dyn Task, probe: &[Batch], alpha: f64, w: &Weights, opt: &Options) -> Json {
    let pair = Pair::of(task, probe, alpha, w, opt);
    let sv = singular_values(&w.w_rec.sub(&w.w_rec0));
    let mut keys = pair.head(task);
    keys.push(("change", obj([pair.shift(), pair.cka()])));
    keys.push(("delta_w", obj(erank_keys(&sv, erank_entropy(&sv), erank_pr(&sv), opt))));
    obj(keys)
}

/// A run's frame now (see `frame`), with the iteration first.
pub fn frame_run(exp: &crate::experiment::Experiment, opt: &Options) -> Json {
    let task = exp.config().probe_task();
    let Json::Obj(mut keys) =
        frame(task.as_ref(), &exp.probe().batches, exp.config().alpha, &Weights::of(&exp.weights()), opt)
    else {
        unreachable!("a frame is an object")
    };
    keys.insert(0, ("iter".to_string(), exp.iter().into()));
    Json::Obj(keys)
}

/// The search's starts: `opt.starts` condition-averaged states evenly spaced over all conditions and
/// steps, each plus Gaussian noise of `opt.noise` times the states' RMS spread (per unit), from the
/// input's own stream, so that the start and the end are searched from the same noise.
pub fn search_starts(tr: &Trajectories, opt: &Options, stream: u64) -> Vec<Vec<f64>> {
    let (rows, n) = (tr.states.rows, tr.states.cols);
    let spread = rms_spread(&tr.states);
    let sd = opt.noise * spread / (n as f64).sqrt();
    let mut rng = Rng::new(0, stream);
    let count = opt.starts.min(rows).max(1);
    (0..count).map(|i| tr.states.row(i * rows / count).iter().map(|h| h + sd * rng.normal()).collect()).collect()
}

/// sqrt of the mean squared distance of the rows from their mean.
fn rms_spread(x: &Mat<f64>) -> f64 {
    let mean = row_mean(x);
    let ss: f64 = (0..x.rows).map(|r| x.row(r).iter().zip(&mean).map(|(h, m)| (h - m) * (h - m)).sum::<f64>()).sum();
    (ss / x.rows.max(1) as f64).sqrt()
}

/// How far the end's trajectories lie from the start's, relative to the start's spread: the RMS of
/// ‖h_end − h_start‖ over conditions and steps over the start's RMS spread about its mean (0: unmoved).
fn shift(start: &Mat<f64>, end: &Mat<f64>) -> f64 {
    let moved: f64 = start.data.iter().zip(&end.data).map(|(a, b)| (a - b) * (a - b)).sum::<f64>();
    let spread = rms_spread(start);
    if spread > 0.0 {
        (moved / start.rows as f64).sqrt() / spread
    } else {
        f64::NAN
    }
}

fn row_mean(x: &Mat<f64>) -> Vec<f64> {
    let mut mean = vec![0.0; x.cols];
    for r in 0..x.rows {
        mean.iter_mut().zip(x.row(r)).for_each(|(m, h)| *m += h);
    }
    mean.iter_mut().for_each(|m| *m /= x.rows.max(1) as f64);
    mean
}

/// The fraction of `x`'s variance (about its own mean) along each shared axis.
fn explained_by(c: &Components, x: &Mat<f64>) -> Vec<f64> {
    let mean = row_mean(x);
    let total = rms_spread(x).powi(2) * x.rows as f64;
    c.axes
        .iter()
        .map(|a| {
            let v: f64 = (0..x.rows)
                .map(|r| x.row(r).iter().zip(&mean).zip(a).map(|((h, m), a)| (h - m) * a).sum::<f64>().powi(2))
                .sum();
            if total > 0.0 {
                v / total
            } else {
                0.0
            }
        })
        .collect()
}

/// Each condition's trajectory on the shared axes: `[condition][step][component]`.
fn projected(c: &Components, tr: &Trajectories) -> Json {
    Json::Arr(
        (0..tr.conditions.len())
            .map(|k| Json::Arr((0..tr.seq_len).map(|t| Json::from(&c.project(tr.state(k, t))[..])).collect()))
            .collect(),
    )
}

fn condition_json(task: &dyn Task, c: &[f64; 3]) -> Json {
    Json::from(&c[..task.condition_names().len()])
}

fn points_json(points: &[FixedPoint], c: &Components, opt: &Options) -> Json {
    let count = |k: &str| points.iter().filter(|p| p.stability.key() == k).count();
    let list = points.iter().map(|p| {
        let eig = p.eigenvalues.iter().take(opt.eigenvalues).map(|e| Json::from(&[e.re, e.im][..]));
        obj([
            ("q", Json::from(p.q)),
            ("exact", p.exact.into()),
            ("stability", p.stability.key().into()),
            ("unstable_modes", p.unstable_modes.into()),
            ("active", p.active.into()),
            ("spectral_radius", p.eigenvalues.first().map(|e| e.modulus()).into()),
            ("pcs", Json::from(&c.project(&p.h)[..])),
            ("eigenvalues", Json::Arr(eig.collect())),
        ])
    });
    obj([
        ("stable", Json::from(count("stable"))),
        ("saddle", count("saddle").into()),
        ("unstable", count("unstable").into()),
        ("points", Json::Arr(list.collect())),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::{TaskKind, TaskStream};

    fn weights(n: usize, n_in: usize, seed: u64) -> Weights {
        let mut rng = Rng::new(seed, 0);
        let w_rec0 = Mat::from_fn(n, n, |_, _| 1.2 * rng.normal() / (n as f64).sqrt());
        let net = Rnn::<f64>::new(w_rec0.clone(), n_in, 3, 1.0, &mut rng);
        Weights { w_in: net.w_in, w_rec: w_rec0.clone(), w_rec0, w_out: net.w_out }
    }

    #[test]
    fn a_network_against_itself_has_not_moved_and_its_points_are_the_starts() {
        let task = TaskKind::DelayMatch.build();
        let mut stream = TaskStream::new(TaskKind::DelayMatch.build(), 16, 5, 0);
        let probe: Vec<Batch> = (0..4).map(|_| stream.next_batch()).collect();
        let r = analyse(task.as_ref(), &probe, 1.0, &weights(16, 3, 2), &Options::default());
        let change = r.get("change").unwrap();
        assert_eq!(change.number("trajectory_shift"), Some(0.0));
        assert!((change.number("cka").unwrap() - 1.0).abs() < 1e-12);
        let Some(Json::Arr(angles)) = change.get("principal_angles") else { panic!("{r}") };
        assert!(angles.iter().all(|a| matches!(a, Json::Num(x) if x.abs() < 1e-6)), "{angles:?}");
        assert_eq!(r.get("trajectories").unwrap().get("start"), r.get("trajectories").unwrap().get("end"));
        // Two samples times match or not; inputs fixation (= the delay's), sample and test.
        let Some(Json::Arr(values)) = r.get("conditions").unwrap().get("values") else { panic!() };
        assert_eq!(values.len(), 4);
        let Some(Json::Arr(fixed)) = r.get("fixed_points") else { panic!() };
        let names: Vec<String> = fixed.iter().map(|f| f.get("input").unwrap().to_string()).collect();
        assert_eq!(names, ["\"fixation\"", "\"sample\"", "\"test\""]);
        for f in fixed {
            assert_eq!(f.get("start"), f.get("end"), "the same network and the same starts");
        }
        let delta = r.get("delta_w").unwrap();
        let Some(Json::Arr(sv)) = delta.get("singular_values") else { panic!() };
        assert!(sv.len() == 16 && sv.iter().all(|s| *s == Json::Num(0.0)), "{sv:?}");
    }

    #[test]
    fn saved_weights_read_back_as_the_run_holds_them() {
        let mut c = crate::config::Config::default();
        assert!(c.apply([("task", "2af"), ("hidden", "6"), ("iters", "2")]).is_empty());
        let mut exp = crate::experiment::Experiment::new(c).unwrap();
        exp.run_to_end();
        let dir = std::env::temp_dir().join(format!("richlazy-weights-{}", std::process::id()));
        crate::report::save_weights(&exp, &dir).unwrap();
        assert_eq!(Weights::read_dir(&dir).unwrap(), Weights::of(&exp.weights()));
        std::fs::remove_file(dir.join("W_out.npy")).unwrap();
        let e = Weights::read_dir(&dir).unwrap_err();
        assert_eq!((e.key.as_str(), e.code), ("weights", Code::Io));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
