//! A run's configuration, history and final measures as JSON: the shape the
//! command line prints and the page receives.

use crate::config::Config;
use crate::experiment::{Experiment, Status};
use crate::json::{obj, Json};
use crate::metrics::{erank_entropy, erank_pr, Measures};

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
    obj(pairs)
}
