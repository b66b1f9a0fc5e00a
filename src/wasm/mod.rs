//! The browser binding: a thin wasm-bindgen layer over the pure core.
//! Settings cross as parallel arrays of keys and values (the page's URL
//! parameters); results cross as JSON text built by `report`.

mod analysis;
mod charts;
mod notebook;
mod seed;
mod study;
mod theory;

use crate::analysis::live::Live;
use crate::config::Config;
use crate::experiment::{initial_network, Experiment, Status};
use crate::json::{obj, Json};
use crate::metrics::Spectrum;
use crate::report::{config_json, measures_json, run_json, weight_files};
use crate::rng::Rng;
use crate::settings::{errors_json, without_repeats, Code, SettingError};
use crate::sweep::{named, parse_variants};
use wasm_bindgen::prelude::*;

/// The engine's version, so the page can show what it runs.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// A configuration from the pairs; bad pairs keep their default and are reported.
/// A key given more than once is refused and named (`settings::without_repeats`).
fn lenient(keys: &[String], values: &[String]) -> (Config, Vec<SettingError>) {
    let mut c = Config::default();
    let (pairs, mut errors) = without_repeats(keys.iter().map(String::as_str).zip(values.iter().map(String::as_str)));
    errors.extend(c.apply(pairs));
    (c, errors)
}

/// Validates link or form settings: `{"config": {...}, "errors": [{"key", "code", "message"}, ...],
/// "notices": [...], "unused": [...], "link": {key: value}}` (notices: values kept, with a caution,
/// `Config::notices`, and the given keys that have no effect, code `unused`, also listed alone in
/// `unused`; link: the pairs a link carries, `Config::link`). The page shows the messages, marks
/// the fields by key, uses the config, defaults filled in, and builds its link from `link` only.
#[wasm_bindgen]
pub fn settings(keys: Vec<String>, values: Vec<String>) -> String {
    let (c, errors) = lenient(&keys, &values);
    let unused = c.unused(keys.iter().map(String::as_str), &errors);
    let notices: Vec<SettingError> = c.notices().into_iter().chain(unused.iter().cloned()).collect();
    let link = Json::Obj(c.link().into_iter().map(|(k, v)| (k.to_string(), Json::Str(v))).collect());
    obj([
        ("config", config_json(&c)),
        ("errors", errors_json(&errors)),
        ("notices", errors_json(&notices)),
        ("unused", errors_json(&unused)),
        ("link", link),
    ])
    .to_string()
}

/// An engine error as JavaScript catches it: an `Error` with the reader's line as its message and the
/// error's `key` and `code` as properties (the worker posts the three to the page).
pub(crate) fn thrown(e: &SettingError) -> JsValue {
    let err = js_sys::Error::new(&e.message);
    for (k, v) in [("key", e.key.as_str()), ("code", e.code.key())] {
        // Setting a property on a fresh Error cannot fail.
        let _ = js_sys::Reflect::set(&err, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    err.into()
}

/// Checks a `.npy` or `.csv` matrix (`name` gives the format) and keeps it in this engine instance
/// (each worker has its own) for the file starts: `{"hash": "16 hex digits", "n": N}` or `{"error": {"key", "code", "message"}}`.
#[wasm_bindgen]
pub fn load_matrix(bytes: &[u8], name: &str) -> String {
    match crate::init::file::load(bytes, name) {
        Ok((hash, n)) => obj([("hash", Json::from(crate::init::file::hex(hash).as_str())), ("n", n.into())]),
        Err(e) => obj([("error", e.json())]),
    }
    .to_string()
}

/// Keeps MNIST in this engine instance (each worker has its own) for the sMNIST task, from the
/// four raw IDX files in `mnist::FILES` order (the page fetches the bundled .gz files and
/// decompresses them): `{"train": 60000, "test": 10000}` or `{"error": {"key", "code", "message"}}`.
#[wasm_bindgen]
pub fn load_mnist(train_images: &[u8], train_labels: &[u8], test_images: &[u8], test_labels: &[u8]) -> String {
    match crate::mnist::Mnist::from_idx([train_images, train_labels, test_images, test_labels]) {
        Ok(m) => {
            let sizes = obj([("train", m.train.len().into()), ("test", m.test.len().into())]);
            crate::mnist::load(m);
            sizes
        }
        Err(e) => obj([("error", e.json())]),
    }
    .to_string()
}

fn spectrum_json(s: &Spectrum) -> Json {
    obj([
        ("singular_values", s.singular_values.as_slice().into()),
        ("erank_entropy", s.erank_entropy.into()),
        ("erank_pr", s.erank_pr.into()),
    ])
}

/// The initial W_rec of some settings, before any training, built once for
/// both views of it the page shows.
#[wasm_bindgen]
pub struct Preview {
    w_rec: crate::linalg::Mat<f32>,
}

#[wasm_bindgen]
impl Preview {
    /// An error only for a file start whose matrix is not loaded (`load_matrix`), or for sMNIST
    /// before its data is (`load_mnist`).
    #[wasm_bindgen(constructor)]
    pub fn new(keys: Vec<String>, values: Vec<String>) -> Result<Preview, JsValue> {
        let (c, _) = lenient(&keys, &values);
        if c.init.is_file() && c.init.file_matrix().is_none() {
            let message = crate::init::file::missing(c.init.file);
            return Err(thrown(&SettingError::new("file", Code::MissingFile, message)));
        }
        c.task().ready().map_err(|e| thrown(&e))?;
        Ok(Preview { w_rec: initial_network(&c).w_rec })
    }

    /// Its spectrum, effective ranks and Frobenius norm, as JSON.
    pub fn summary(&self) -> String {
        let mut j = spectrum_json(&Spectrum::of(&self.w_rec));
        if let Json::Obj(p) = &mut j {
            p.push(("frob_norm".into(), self.w_rec.frob_norm().into()));
        }
        j.to_string()
    }

    /// A heat map's pixels (N x N RGBA, see `charts::heat_rgba`); the page
    /// blits them into `heatmap_axes`.
    pub fn image(&self) -> Vec<u8> {
        charts::heat_rgba(&self.w_rec.data)
    }
}

/// The runs of a comparison from a list such as `rank:30,aligned:1,connectome` or
/// `rule:eprop+gain:0.5,rank:30+rule:rflo`, or a named figure ("paper", "local", see `sweep::named`):
/// `{"variants": [{"label", "pairs": {key: value}}], "base": {key: value}}` ("base" for
/// named lists only) or `{"error": {"key", "code", "message"}}`.
#[wasm_bindgen]
pub fn variants(list: &str) -> String {
    let named = named(list);
    let list = named.as_ref().map_or(list, |(l, _)| l.as_str());
    match parse_variants(list) {
        Ok(vs) => {
            let mut out = vec![(
                "variants".to_string(),
                Json::Arr(
                    vs.into_iter()
                        .map(|v| {
                            obj([
                                ("label", Json::from(v.label.as_str())),
                                (
                                    "pairs",
                                    Json::Obj(
                                        v.pairs
                                            .into_iter()
                                            .map(|(k, v)| (k.to_string(), Json::from(v.as_str())))
                                            .collect(),
                                    ),
                                ),
                            ])
                        })
                        .collect(),
                ),
            )];
            if let Some((_, base)) = named {
                out.push((
                    "base".to_string(),
                    Json::Obj(base.iter().map(|&(k, v)| (k.to_string(), Json::from(v))).collect()),
                ));
            }
            Json::Obj(out)
        }
        Err(e) => obj([("error", e.json())]),
    }
    .to_string()
}

/// One trial of the chosen task: `{"seq_len", "n_in", "names", "x": [t][i] flattened, "labels": [t]}`,
/// or `{"error": {"key", "code", "message"}}` while its data is not loaded (sMNIST).
#[wasm_bindgen]
pub fn sample_trial(keys: Vec<String>, values: Vec<String>) -> String {
    let (c, _) = lenient(&keys, &values);
    let task = c.task();
    if let Err(e) = task.ready() {
        return obj([("error", e.json())]).to_string();
    }
    let (t, n_in) = (task.seq_len(), task.n_in());
    let mut x = vec![0f32; t * n_in];
    let mut labels = vec![0usize; t];
    task.trial(&mut Rng::new(c.seed, 0), &mut x, &mut labels);
    obj([
        ("seq_len", t.into()),
        ("n_in", n_in.into()),
        ("n_out", task.n_out().into()),
        ("names", Json::Arr(task.input_names().iter().map(|&n| Json::from(n)).collect())),
        ("x", Json::Arr(x.iter().map(|&v| Json::from(v as f64)).collect())),
        ("labels", Json::Arr(labels.iter().map(|&l| Json::from(l)).collect())),
    ])
    .to_string()
}

/// A training run, driven a chunk of iterations at a time by the worker.
#[wasm_bindgen]
pub struct Run {
    exp: Experiment,
    live: Live,
    /// State-space frames not yet taken, each with its measure point's weight files.
    frames: Vec<(Json, [(&'static str, Vec<u8>); 4])>,
    /// The frames `take_frames` last handed out.
    taken: Vec<[(&'static str, Vec<u8>); 4]>,
}

#[wasm_bindgen]
impl Run {
    /// Strict: any bad setting is an error naming it.
    #[wasm_bindgen(constructor)]
    pub fn new(keys: Vec<String>, values: Vec<String>) -> Result<Run, JsValue> {
        let (c, errors) = lenient(&keys, &values);
        if let Some(first) = errors.first() {
            // The first error's key and code; every error's line in the message.
            let message = errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; ");
            return Err(thrown(&SettingError { message, ..first.clone() }));
        }
        let exp = Experiment::new(c).map_err(|e| thrown(&e))?;
        let (live, first) = Live::new(&exp);
        let frames = first.map(|f| (f, weight_files(&exp))).into_iter().collect();
        Ok(Run { exp, live, frames, taken: Vec::new() })
    }

    /// Up to `n` iterations, framing each measure point; returns whether the run goes on.
    pub fn advance(&mut self, n: usize) -> bool {
        for _ in 0..n {
            let (going, frame) = self.live.step(&mut self.exp);
            if let Some(f) = frame {
                self.frames.push((f, weight_files(&self.exp)));
            }
            if !going {
                break;
            }
        }
        self.exp.status() == Status::Running
    }

    /// The state-space frames (`analysis::report::frame`, with `iter`) of the measure points since the
    /// last call, as a JSON array; their weights stay for `taken_weight` until the next call.
    pub fn take_frames(&mut self) -> String {
        let (frames, weights): (Vec<Json>, Vec<_>) = std::mem::take(&mut self.frames).into_iter().unzip();
        self.taken = weights;
        Json::Arr(frames).to_string()
    }

    /// One weight file (`W_in.npy`, ...) of frame `i` of the last `take_frames`, as `weight_npy` writes it.
    pub fn taken_weight(&self, i: usize, name: &str) -> Vec<u8> {
        let files = self.taken.get(i).map_or(&[][..], |f| &f[..]);
        files.iter().find(|(n, _)| *n == name).map_or_else(Vec::new, |(_, b)| b.clone())
    }

    pub fn iter(&self) -> usize {
        self.exp.iter()
    }

    /// The iterations of the whole run (a sequence's: every phase's).
    pub fn iters(&self) -> usize {
        self.exp.config().total_iters()
    }

    /// "running", "done" or "diverged".
    pub fn status(&self) -> String {
        self.exp.status().key().to_string()
    }

    pub fn train_loss(&self) -> f64 {
        self.exp.train_loss
    }

    /// History rows from index `from` on, as a JSON array.
    pub fn history_since(&self, from: usize) -> String {
        let h = self.exp.history();
        Json::Arr(h[from.min(h.len())..].iter().map(measures_json).collect()).to_string()
    }

    /// The leading Lyapunov exponents (per time step) at the latest measurement, as a JSON array.
    pub fn lyap_spectrum(&self) -> String {
        Json::from(self.exp.latest().map_or(&[][..], |m| m.lyap_spectrum.as_slice())).to_string()
    }

    /// ... and at iteration 0 (after any pre-flossing), as a JSON array.
    pub fn initial_lyap_spectrum(&self) -> String {
        Json::from(self.exp.initial_lyap_spectrum()).to_string()
    }

    /// ... and before pre-flossing (JSON `null` when no pre-flossing ran).
    pub fn unflossed_lyap_spectrum(&self) -> String {
        Json::from(self.exp.unflossed_lyap_spectrum()).to_string()
    }

    /// Singular values and effective ranks of W_rec now.
    pub fn spectrum(&self) -> String {
        spectrum_json(&self.exp.spectrum()).to_string()
    }

    /// A sequence's section of the report as it stands (`report::sequence_json`: the phases ended so
    /// far, every task's probe at every measure point), or `null` for a run of one task.
    pub fn sequence(&self) -> String {
        self.exp.sequence().map_or(Json::Null, |s| crate::report::sequence_json(s, &self.exp)).to_string()
    }

    /// The whole run in the command line's `--json` shape.
    pub fn report(&self) -> String {
        run_json(&self.exp).to_string()
    }

    /// The names of the weight files (`W_in.npy`, `W_rec0.npy`, ...), as a JSON array.
    pub fn weight_names(&self) -> String {
        Json::Arr(weight_files(&self.exp).iter().map(|(n, _)| Json::from(*n)).collect()).to_string()
    }

    /// One weight file's bytes, exactly as `richlazy run --save_weights DIR` writes it.
    pub fn weight_npy(&self, name: &str) -> Vec<u8> {
        weight_files(&self.exp).into_iter().find(|(n, _)| *n == name).map_or_else(Vec::new, |(_, b)| b)
    }
}

/// The iterations a run of these settings trains, every phase of a sequence included (0 for settings
/// that do not parse): what the page's and the article's cost estimates scale by.
#[wasm_bindgen]
pub fn total_iters(keys: Vec<String>, values: Vec<String>) -> usize {
    let (c, errors) = lenient(&keys, &values);
    if errors.is_empty() {
        c.total_iters()
    } else {
        0
    }
}

/// `richlazy bench` in the browser or Node: `{"iters", "iteration_ms", "kernel_alignment_ms", "svd_ms", ...}`,
/// or `{"error": {"key", "code", "message"}}` while the task's data is not loaded (sMNIST).
#[wasm_bindgen]
pub fn bench(keys: Vec<String>, values: Vec<String>, iters: usize) -> String {
    bench_json(&keys, &values, iters, false)
}

/// `bench` with the state-space analysis's timings (`frame_ms`, `frame_share`, `fixed_point_search_ms`,
/// `analysis_ms`: a few seconds more at N 300), as `richlazy bench` prints them.
#[wasm_bindgen]
pub fn bench_analysis(keys: Vec<String>, values: Vec<String>, iters: usize) -> String {
    bench_json(&keys, &values, iters, true)
}

fn bench_json(keys: &[String], values: &[String], iters: usize, analysis: bool) -> String {
    let (c, _) = lenient(keys, values);
    if let Err(e) = c.task().ready() {
        return obj([("error", e.json())]).to_string();
    }
    crate::bench::run(&c, iters.max(1), analysis, &now_ms).to_json().to_string()
}

/// `performance.now()` (0.1 ms or finer in a worker and in Node), where `Date.now()` would
/// round the few-millisecond timings to whole milliseconds.
fn now_ms() -> f64 {
    let perf = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).ok().filter(|p| p.is_object());
    let now = perf
        .as_ref()
        .and_then(|p| js_sys::Reflect::get(p, &"now".into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match (perf, now) {
        (Some(p), Some(f)) => f.call0(&p).ok().and_then(|v| v.as_f64()).unwrap_or_else(js_sys::Date::now),
        _ => js_sys::Date::now(),
    }
}
