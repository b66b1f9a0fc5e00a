//! A run's configuration, history and final measures as JSON: the shape the
//! command line prints and the page receives.

use crate::config::Config;
use crate::experiment::{Experiment, Status};
use crate::json::{obj, Json};
use crate::linalg::Mat;
use crate::metrics::{erank_entropy, erank_pr, Measures};
use crate::sequence::{Closed, Tracker, LEARNED_ACCURACY};
#[cfg(not(target_arch = "wasm32"))]
use crate::settings::{Code, SettingError};

pub fn config_json(c: &Config) -> Json {
    let pairs: Vec<(String, Json)> = c
        .pairs()
        .into_iter()
        .map(|(k, v)| {
            // (A file's hash stays text: 16 hex digits may read as a number.)
            let j = if k == "file" { Json::Str(v) } else { v.parse::<f64>().map(Json::Num).unwrap_or(Json::Str(v)) };
            (k.to_string(), j)
        })
        .collect();
    Json::Obj(pairs)
}

/// One measure of a history row, as the page draws and tabulates it: key (in `measures_json`'s
/// order, the CSV's columns), chart title, table header, axis, log axis, digits in tables.
pub struct Measure {
    pub key: &'static str,
    pub label: &'static str,
    pub short: &'static str,
    pub axis: &'static str,
    pub log: bool,
    pub digits: usize,
}

const fn measure(key: &'static str, label: &'static str, short: &'static str, axis: &'static str) -> Measure {
    Measure { key, label, short, axis, log: false, digits: 4 }
}

/// The history row's measures, in its order (the schema's `measures`).
pub const MEASURES: [Measure; 9] = [
    Measure { digits: 0, ..measure("iter", "Iteration", "iteration", "iteration") },
    Measure { log: true, ..measure("loss", "Loss", "probe loss", "cross-entropy") },
    Measure { digits: 3, ..measure("accuracy", "Decision accuracy", "accuracy", "fraction correct") },
    measure("weight_change", "Weight change of W_rec, absolute", "weight change (abs)", "|W_rec - W_rec(0)|"),
    measure("weight_change_rel", "Weight change of W_rec", "weight change", "relative change"),
    Measure { digits: 3, ..measure("sign_similarity", "Sign similarity", "sign similarity", "fraction of signs kept") },
    measure("rep_alignment", "Representation alignment", "repr. alignment", "alignment with start"),
    measure("kernel_alignment", "Tangent-kernel alignment", "kernel alignment", "alignment with start"),
    Measure { digits: 3, ..measure("lyap_max", "Largest Lyapunov exponent", "λ_max", "λ_max per time step") },
];

/// `[{"key", "label", "short", "axis", "log", "digits"}]`.
pub fn measures_schema() -> Json {
    Json::Arr(
        MEASURES
            .iter()
            .map(|m| {
                obj([
                    ("key", Json::from(m.key)),
                    ("label", Json::from(m.label)),
                    ("short", Json::from(m.short)),
                    ("axis", Json::from(m.axis)),
                    ("log", Json::Bool(m.log)),
                    ("digits", Json::from(m.digits)),
                ])
            })
            .collect(),
    )
}

pub fn measures_json(m: &Measures) -> Json {
    obj([
        ("iter", m.iter.into()),
        ("loss", m.loss.into()),
        ("accuracy", m.accuracy.into()),
        ("weight_change", m.weight_change.into()),
        ("weight_change_rel", m.weight_change_rel.into()),
        ("sign_similarity", m.sign_similarity.into()),
        ("rep_alignment", m.rep_alignment.into()),
        ("kernel_alignment", m.kernel_alignment.into()),
        ("lyap_max", m.lyap_max().into()),
    ])
}

/// The latest measures plus the spectrum of W_rec now; null if the run diverged.
pub fn final_json(exp: &Experiment) -> Json {
    let Some(m) = exp.latest() else { return Json::Null };
    let spec = exp.spectrum();
    let mut j = measures_json(m);
    if let Json::Obj(pairs) = &mut j {
        pairs.push(("erank_entropy".into(), spec.erank_entropy.into()));
        pairs.push(("erank_pr".into(), spec.erank_pr.into()));
        pairs.push(("lyap_spectrum".into(), m.lyap_spectrum.as_slice().into()));
    }
    j
}

/// The start: effective ranks of W_rec and the Lyapunov exponents (also before pre-flossing, when it ran).
fn initial_json(exp: &Experiment) -> Json {
    let s0 = exp.initial_spectrum();
    let lyap = exp.initial_lyap_spectrum();
    let mut pairs = vec![
        ("erank_entropy", erank_entropy(s0).into()),
        ("erank_pr", erank_pr(s0).into()),
        ("lyap_max", lyap[0].into()),
        ("lyap_spectrum", lyap.into()),
    ];
    if let Some(u) = exp.unflossed_lyap_spectrum() {
        pairs.push(("lyap_spectrum_unflossed", u.into()));
    }
    obj(pairs)
}

/// The whole run: config, status, initial spectrum, history and final measures.
pub fn run_json(exp: &Experiment) -> Json {
    let diverged_at = match exp.status() {
        Status::Diverged { iter } => Json::from(iter),
        _ => Json::Null,
    };
    let mut pairs = vec![
        ("config", config_json(exp.config())),
        ("status", exp.status().key().into()),
        ("diverged_at", diverged_at),
    ];
    // Only a silent run has this key, so every other report keeps its bytes.
    if let Status::Silent { iter } = exp.status() {
        pairs.push(("silent_at", Json::from(iter)));
    }
    pairs.extend([
        ("initial", initial_json(exp)),
        ("history", Json::Arr(exp.history().iter().map(measures_json).collect())),
        ("final", final_json(exp)),
    ]);
    // Only a sequence of two phases or more has this key: a run of one task keeps its bytes.
    if let Some(s) = exp.sequence() {
        pairs.push(("sequence", sequence_json(s, exp)));
    }
    obj(pairs)
}

/// `{"<task>": {"loss", "accuracy"}, ...}` for every task of the run.
fn per_task(s: &Tracker, values: &[(f64, f64)]) -> Json {
    Json::Obj(
        s.tasks
            .iter()
            .zip(values)
            .map(|(t, &(l, a))| (t.key().to_string(), obj([("loss", l.into()), ("accuracy", a.into())])))
            .collect(),
    )
}

/// A phase's or the run's weight change and cost.
fn cost_pairs(c: &Closed) -> Vec<(&'static str, Json)> {
    vec![
        ("change_w_rec", c.change_w_rec.into()),
        ("change_all", c.change_all.into()),
        ("path_w_rec", c.cost.path_w_rec.into()),
        ("path_all", c.cost.path_all.into()),
        ("path_sq_w_rec", c.cost.path_sq_w_rec.into()),
        ("path_sq_all", c.cost.path_sq_all.into()),
    ]
}

/// The `sequence` section of a run's report (docs/sequences.md): the tasks and their input blocks,
/// each phase that ended with its measures, every task's probe history and the run's totals.
pub fn sequence_json(s: &Tracker, exp: &Experiment) -> Json {
    let (blocks, cue) = crate::tasks::blocks(&s.tasks);
    let layer = s.tasks.iter().zip(&blocks).enumerate().map(|(j, (t, &(at, n)))| {
        let mut pairs = vec![("task", Json::from(t.key())), ("channels", Json::Arr(vec![at.into(), (at + n).into()]))];
        // One distinct task has no cue: its layer is its own.
        if s.tasks.len() > 1 {
            pairs.push(("cue", (cue + j).into()));
        }
        obj(pairs)
    });
    let phases = s.closed.iter().enumerate().map(|(p, c)| {
        let plan = s.plan[p];
        let forgetting = s.forgetting(p).into_iter().map(|(t, since, acc, loss)| {
            obj([
                ("task", Json::from(s.tasks[t].key())),
                ("since_phase", since.into()),
                ("accuracy", acc.into()),
                ("loss", loss.into()),
            ])
        });
        let mut pairs = vec![
            ("task", Json::from(s.tasks[plan.task].key())),
            ("start", plan.start.into()),
            ("end", plan.end.into()),
            ("lr", plan.lr.into()),
            ("probe", per_task(s, &s.points[c.end].tasks)),
            ("iters_to_learn", s.iters_to_learn(p).into()),
            ("forgetting", Json::Arr(forgetting.collect())),
        ];
        pairs.extend(cost_pairs(c));
        obj(pairs)
    });
    let history = s.points.iter().map(|q| {
        obj([
            ("iter", q.iter.into()),
            ("phase", q.phase.into()),
            ("loss", Json::Obj(s.tasks.iter().zip(&q.tasks).map(|(t, v)| (t.key().to_string(), v.0.into())).collect())),
            (
                "accuracy",
                Json::Obj(s.tasks.iter().zip(&q.tasks).map(|(t, v)| (t.key().to_string(), v.1.into())).collect()),
            ),
        ])
    });
    obj([
        ("tasks", Json::Arr(s.tasks.iter().map(|t| Json::from(t.key())).collect())),
        ("inputs", Json::Arr(layer.collect())),
        ("learned_accuracy", LEARNED_ACCURACY.into()),
        ("phases", Json::Arr(phases.collect())),
        ("history", Json::Arr(history.collect())),
        ("total", obj(cost_pairs(&s.total(exp.net())))),
    ])
}

/// An element type that `.npy` files name (`<f4`, `<f8`: little-endian).
pub trait NpyElem: Copy {
    const DESCR: &'static str;
    fn put(self, out: &mut Vec<u8>);
}
impl NpyElem for f32 {
    const DESCR: &'static str = "<f4";
    fn put(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}
impl NpyElem for f64 {
    const DESCR: &'static str = "<f8";
    fn put(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}

/// A matrix as a `.npy` v1.0 file: C order, its rows x cols, its own element type.
pub fn npy<T: NpyElem>(m: &Mat<T>) -> Vec<u8> {
    let mut header =
        format!("{{'descr': '{}', 'fortran_order': False, 'shape': ({}, {}), }}", T::DESCR, m.rows, m.cols);
    // The magic, version and length take 10 bytes; the header ends in a newline at a multiple of 64.
    let pad = (64 - (10 + header.len() + 1) % 64) % 64;
    header.push_str(&" ".repeat(pad));
    header.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    for &x in &m.data {
        x.put(&mut out);
    }
    out
}

/// The four weight files of a run (name, bytes): W_in, W_rec0, W_rec, W_out.
pub fn weight_files(exp: &Experiment) -> [(&'static str, Vec<u8>); 4] {
    let w = exp.weights();
    [("W_in.npy", npy(w.w_in)), ("W_rec0.npy", npy(w.w_rec0)), ("W_rec.npy", npy(w.w_rec)), ("W_out.npy", npy(w.w_out))]
}

/// `run --save_weights DIR`: the four weight files into `dir` (made if missing).
#[cfg(not(target_arch = "wasm32"))]
pub fn save_weights(exp: &Experiment, dir: &std::path::Path) -> Result<(), SettingError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| SettingError::new("save_weights", Code::Io, format!("save_weights {}: {e}", dir.display())))?;
    for (name, bytes) in weight_files(exp) {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| {
            SettingError::new("save_weights", Code::Io, format!("save_weights {}: {e}", path.display()))
        })?;
    }
    Ok(())
}
