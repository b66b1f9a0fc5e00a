//! `richlazy._core`: the engine's runs, sweeps, studies and merges for Python. Every call goes through
//! the same library functions as the command line, so `to_json()` is its `--json` byte for byte; the
//! Python package (`richlazy/__init__.py`) turns the JSON and the weights into result objects.
//!
//! Long calls run on a worker thread while the calling thread waits without the GIL, waking every few
//! milliseconds to draw progress and to check for Ctrl-C, which stops the engine between chunks.

use numpy::{IntoPyArray, PyArray2, PyReadonlyArray2, PyReadonlyArray3};
use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use richlazy::config::Config;
use richlazy::experiment::{Experiment, Status};
use richlazy::linalg::{Mat, Real};
use richlazy::settings::{Code, SettingError as EngineError};
use richlazy::sweep::Control;
use richlazy::tasks::Batch;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::Mutex;
use std::time::Duration;

create_exception!(
    richlazy,
    SettingError,
    PyValueError,
    "A setting the engine's table refuses: `.key` names it, `.code` says why."
);

/// A refused setting as Python's `SettingError` (a `ValueError`) carrying its key and code.
fn setting_error(py: Python<'_>, e: &EngineError) -> PyErr {
    let err = SettingError::new_err(e.message.clone());
    let value = err.value(py);
    // Setting two attributes on a fresh exception object cannot fail.
    let _ = value.setattr("key", e.key.as_str());
    let _ = value.setattr("code", e.code.key());
    err
}

/// Any engine error: `SettingError` with its key and code, but a cancelled call (Ctrl-C) is a
/// `RuntimeError`, as it is not the caller's input.
fn engine_error(py: Python<'_>, e: EngineError) -> PyErr {
    if e.code == richlazy::settings::Code::Cancelled {
        PyRuntimeError::new_err("cancelled")
    } else {
        setting_error(py, &e)
    }
}

/// What the worker tells the waiting thread.
#[derive(Default)]
struct Ticker {
    cancel: AtomicBool,
    finished: AtomicBool,
    done: AtomicUsize,
    total: AtomicUsize,
    label: Mutex<String>,
}

impl Ticker {
    fn tick(&self, done: usize, total: usize, label: &str) {
        self.done.store(done, SeqCst);
        self.total.store(total, SeqCst);
        if let Ok(mut l) = self.label.lock() {
            l.clear();
            l.push_str(label);
        }
    }
}

/// Runs `work` on a worker thread; this thread waits without the GIL, calls `progress(done, total,
/// label)` when it moved, and on Ctrl-C (or an error in `progress`) asks the worker to stop, waits
/// for it and raises.
fn drive<T: Send>(
    py: Python<'_>,
    progress: Option<&Bound<'_, PyAny>>,
    work: impl FnOnce(&Ticker) -> T + Send,
) -> PyResult<T> {
    let ticker = Ticker::default();
    std::thread::scope(|s| {
        let t = &ticker;
        let handle = s.spawn(move || {
            let r = work(t);
            t.finished.store(true, SeqCst);
            r
        });
        let mut shown = (usize::MAX, usize::MAX);
        let stop = |e: PyErr| {
            t.cancel.store(true, SeqCst);
            while !t.finished.load(SeqCst) {
                py.detach(|| std::thread::sleep(Duration::from_millis(2)));
            }
            e
        };
        loop {
            let finished = py.detach(|| {
                for _ in 0..25 {
                    if t.finished.load(SeqCst) {
                        return true;
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
                false
            });
            if let Some(cb) = progress {
                let now = (t.done.load(SeqCst), t.total.load(SeqCst));
                if now != shown && now.1 > 0 {
                    shown = now;
                    let label = t.label.lock().map(|l| l.clone()).unwrap_or_default();
                    if let Err(e) = cb.call1((now.0, now.1, label)) {
                        return Err(stop(e));
                    }
                }
            }
            if finished {
                break;
            }
            if let Err(e) = py.check_signals() {
                return Err(stop(e));
            }
        }
        handle.join().map_err(|_| PyRuntimeError::new_err("richlazy: the engine panicked"))
    })
}

/// The command line's `--file PATH`: the matrix is read and registered, the settings carry its hash.
fn with_files(py: Python<'_>, pairs: Vec<(String, String)>) -> PyResult<Vec<(String, String)>> {
    pairs
        .into_iter()
        .map(|(k, v)| {
            if k == "file" {
                let (hash, _) = richlazy::init::file::load_path(&v).map_err(|e| setting_error(py, &e))?;
                Ok((k, richlazy::init::file::hex(hash)))
            } else {
                Ok((k, v))
            }
        })
        .collect()
}

/// A call's pairs as the command line's flags: files read and registered, a key given twice refused.
fn lab_pairs(py: Python<'_>, pairs: Vec<(String, String)>) -> PyResult<Vec<(String, String)>> {
    let pairs = with_files(py, pairs)?;
    richlazy::settings::without_repeats(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .1
        .first()
        .map_or(Ok(()), |e| Err(setting_error(py, e)))?;
    Ok(pairs)
}

/// The lab's settings from pairs, the first refused one raised.
fn config(py: Python<'_>, pairs: &[(String, String)]) -> PyResult<Config> {
    let mut c = Config::default();
    match c.apply(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).first() {
        Some(e) => Err(setting_error(py, e)),
        None => Ok(c),
    }
}

/// A matrix as the engine holds it: (rows, cols, data row-major).
type Held<T> = (usize, usize, Vec<T>);

fn held<T: Copy>(m: &Mat<T>) -> Held<T> {
    (m.rows, m.cols, m.data.clone())
}

fn array<'py, T: numpy::Element>(py: Python<'py>, (r, c, data): Held<T>) -> Bound<'py, PyArray2<T>> {
    ndarray::Array2::from_shape_vec((r, c), data).expect("rows x cols values").into_pyarray(py)
}

/// A run of `c` to its end, progress into the ticker; stopped between chunks when asked.
fn train(c: Config, t: &Ticker) -> Result<Experiment, EngineError> {
    let mut exp = Experiment::new(c)?;
    let (every, iters) = (exp.config().every, exp.config().total_iters());
    t.tick(exp.iter(), iters, "");
    while exp.status() == Status::Running {
        if t.cancel.load(SeqCst) {
            return Err(richlazy::sweep::cancelled());
        }
        exp.advance(every);
        t.tick(exp.iter(), iters, "");
    }
    Ok(exp)
}

/// One lab run, as `richlazy run --json`: (its JSON, {W_in, W_rec0, W_rec, W_out} as numpy arrays).
#[pyfunction]
#[pyo3(signature = (pairs, progress=None))]
fn run<'py>(
    py: Python<'py>,
    pairs: Vec<(String, String)>,
    progress: Option<Bound<'py, PyAny>>,
) -> PyResult<(String, Bound<'py, PyDict>)> {
    let c = config(py, &lab_pairs(py, pairs)?)?;
    let out = drive(py, progress.as_ref(), move |t| {
        let exp = train(c, t)?;
        let w = exp.weights();
        let weights = (held(w.w_in), held(w.w_rec0), held(w.w_rec), held(w.w_out));
        Ok::<_, EngineError>((richlazy::report::run_json(&exp).to_string(), weights))
    })?;
    let (json, (w_in, w_rec0, w_rec, w_out)) = out.map_err(|e| engine_error(py, e))?;
    let d = PyDict::new(py);
    d.set_item("W_in", array(py, w_in))?;
    d.set_item("W_rec0", array(py, w_rec0))?;
    d.set_item("W_rec", array(py, w_rec))?;
    d.set_item("W_out", array(py, w_out))?;
    Ok((json, d))
}

/// `richlazy analyse [run options]`: the run trained, then its start against its end, as the
/// command line prints it (without the final newline).
#[pyfunction]
#[pyo3(signature = (pairs, progress=None))]
fn analyse(py: Python<'_>, pairs: Vec<(String, String)>, progress: Option<Bound<'_, PyAny>>) -> PyResult<String> {
    let c = config(py, &lab_pairs(py, pairs)?)?;
    let out = drive(py, progress.as_ref(), move |t| {
        let exp = train(c, t)?;
        if exp.status().failed() {
            let message = format!("the run {}: nothing to analyse", exp.status().key());
            return Err(EngineError::new("", Code::Diverged, message));
        }
        Ok(richlazy::analysis::report::analyse_run(&exp, &Default::default()).to_string())
    })?;
    out.map_err(|e| engine_error(py, e))
}

/// Where `analyse_weights` reads the weights: a folder as `run --save_weights` writes it, or the
/// four `.npy` files' bytes in the order W_in, W_rec0, W_rec, W_out.
#[derive(FromPyObject)]
enum WeightFiles {
    Dir(PathBuf),
    Npy([Vec<u8>; 4]),
}

/// `richlazy analyse --weights DIR [settings]`: those weights on these settings' probe set; an error
/// about them is named as the command line names it, without its dashes.
#[pyfunction]
fn analyse_weights(py: Python<'_>, pairs: Vec<(String, String)>, files: WeightFiles) -> PyResult<String> {
    let c = config(py, &lab_pairs(py, pairs)?)?;
    let report = py.detach(move || {
        let w = match files {
            WeightFiles::Dir(dir) => richlazy::analysis::Weights::read_dir(&dir)?,
            WeightFiles::Npy([w_in, w_rec0, w_rec, w_out]) => richlazy::analysis::Weights::from_npy([
                ("W_in", &w_in),
                ("W_rec0", &w_rec0),
                ("W_rec", &w_rec),
                ("W_out", &w_out),
            ])?,
        };
        richlazy::analysis::report::analyse_weights(&c, &w, &Default::default())
    });
    report
        .map(|j| j.to_string())
        .map_err(|e| setting_error(py, &EngineError { message: format!("weights {}", e.message), ..e }))
}

/// A batch as numpy arrays and what the loss scores: x (steps, trials, inputs) float32, labels
/// (steps, trials) int64, conditions (trials, the task's condition names), scored and decision as
/// (first, end) steps, with the task's names, time step and leak.
fn batch_dict<'py>(py: Python<'py>, c: &Config, b: &Batch) -> PyResult<Bound<'py, PyDict>> {
    let task = c.task();
    let k = task.condition_names().len();
    let d = PyDict::new(py);
    let x = ndarray::Array3::from_shape_vec((b.seq_len, b.batch, b.n_in), b.x.clone()).expect("the batch's shape");
    d.set_item("x", x.into_pyarray(py))?;
    let labels = b.labels.iter().map(|&l| l as i64).collect();
    d.set_item(
        "labels",
        ndarray::Array2::from_shape_vec((b.seq_len, b.batch), labels).expect("labels").into_pyarray(py),
    )?;
    let conditions = b.conditions.iter().flat_map(|c| c[..k].iter().copied()).collect();
    d.set_item(
        "conditions",
        ndarray::Array2::from_shape_vec((b.batch, k), conditions).expect("conditions").into_pyarray(py),
    )?;
    d.set_item("scored", (b.scored.start, b.scored.end))?;
    let decision = task.decision_steps();
    d.set_item("decision", (decision.start, decision.end))?;
    d.set_item("task", task.key())?;
    d.set_item("input_names", task.input_names().to_vec())?;
    d.set_item("condition_names", task.condition_names().to_vec())?;
    d.set_item("dt", b.dt)?;
    d.set_item("alpha", c.alpha)?;
    Ok(d)
}

/// The batch training iteration `iteration` (0-based) of these settings trains on.
#[pyfunction]
fn trials<'py>(py: Python<'py>, pairs: Vec<(String, String)>, iteration: i64) -> PyResult<Bound<'py, PyDict>> {
    let c = config(py, &lab_pairs(py, pairs)?)?;
    let k = usize::try_from(iteration).map_err(|_| {
        let message = format!("iteration {iteration}: training iterations count from 0");
        setting_error(py, &EngineError::new("iteration", Code::Range, message))
    })?;
    let b = richlazy::trials::train_batch(&c, k).map_err(|e| setting_error(py, &e))?;
    batch_dict(py, &c, &b)
}

/// The probe set of these settings: its batches side by side on the trial axis.
#[pyfunction]
fn probe<'py>(py: Python<'py>, pairs: Vec<(String, String)>) -> PyResult<Bound<'py, PyDict>> {
    let c = config(py, &lab_pairs(py, pairs)?)?;
    let batches = richlazy::trials::probe(&c).map_err(|e| setting_error(py, &e))?;
    batch_dict(py, &c, &richlazy::trials::concat(&batches))
}

fn mat<T: Real>(a: &PyReadonlyArray2<'_, f64>) -> Mat<T> {
    let v = a.as_array();
    Mat::from_vec(v.nrows(), v.ncols(), v.iter().map(|&x| T::from_f64(x)).collect())
}

/// The model's hidden states (steps, trials, N) of W_in, W_rec at leak `alpha` on `x` (steps,
/// trials, inputs): in float32, the engine's training precision, where `single`, else float64.
#[pyfunction]
fn hidden<'py>(
    py: Python<'py>,
    w_in: PyReadonlyArray2<'py, f64>,
    w_rec: PyReadonlyArray2<'py, f64>,
    x: PyReadonlyArray3<'py, f32>,
    alpha: f64,
    single: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let xs = x.as_array();
    let (t, b, n) = (xs.shape()[0], xs.shape()[1], w_rec.as_array().nrows());
    let data: Vec<f32> = xs.iter().copied().collect();
    let shaped = |e| setting_error(py, &e);
    Ok(if single {
        let h = richlazy::trials::hidden::<f32>(mat(&w_in), mat(&w_rec), alpha, &data, (t, b)).map_err(shaped)?;
        ndarray::Array3::from_shape_vec((t, b, n), h).expect("steps x trials x N").into_pyarray(py).into_any()
    } else {
        let h = richlazy::trials::hidden::<f64>(mat(&w_in), mat(&w_rec), alpha, &data, (t, b)).map_err(shaped)?;
        ndarray::Array3::from_shape_vec((t, b, n), h).expect("steps x trials x N").into_pyarray(py).into_any()
    })
}

/// The engine's control for a worker: threads, the stop flag and progress into the ticker.
fn control<'a>(t: &'a Ticker, threads: usize, progress: &'a (dyn Fn(usize, usize, &str) + Sync)) -> Control<'a> {
    Control { threads, cancel: &t.cancel, progress }
}

fn threads(n: Option<usize>) -> usize {
    n.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1)
}

/// `richlazy sweep`: (report JSON, table).
#[pyfunction]
#[pyo3(signature = (pairs, threads=None, progress=None))]
fn sweep(
    py: Python<'_>,
    pairs: Vec<(String, String)>,
    threads: Option<usize>,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<(String, String)> {
    let pairs = with_files(py, pairs)?;
    let n = self::threads(threads);
    let out = drive(py, progress.as_ref(), move |t| {
        let tick = |d: usize, n: usize, l: &str| t.tick(d, n, l);
        richlazy::sweep::sweep(&pairs, &control(t, n, &tick))
    })?;
    out.map(|(j, table)| (j.to_string(), table)).map_err(|e| engine_error(py, e))
}

/// The sweep's own settings (inits, ranks, rules, ..., shard) as JSON, for the stubs.
#[pyfunction]
fn sweep_schema() -> String {
    richlazy::json::obj([(
        "params",
        richlazy::json::Json::Arr(richlazy::sweep::PARAMS.iter().map(|p| p.schema()).collect()),
    )])
    .to_string()
}

/// A registered study (theory, perceptron, phase, grok) to the end: (report JSON, table).
#[pyfunction]
#[pyo3(signature = (name, pairs, threads=None, progress=None))]
fn study(
    py: Python<'_>,
    name: &str,
    pairs: Vec<(String, String)>,
    threads: Option<usize>,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<(String, String)> {
    let spec = richlazy::studies::find(name).map_err(|e| setting_error(py, &e))?;
    let (_, errors) = spec.values(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if let Some(e) = errors.first() {
        return Err(setting_error(py, e));
    }
    let n = self::threads(threads);
    let name = name.to_string();
    let out = drive(py, progress.as_ref(), move |t| {
        let tick = |d: usize, n: usize, l: &str| t.tick(d, n, l);
        richlazy::sweep::study(&name, &pairs, &control(t, n, &tick))
    })?;
    out.map(|(j, table)| (j.to_string(), table)).map_err(|e| engine_error(py, e))
}

/// `richlazy merge`: shards (name, text) of one sweep or study as the whole run's (report, table).
#[pyfunction]
fn merge(py: Python<'_>, texts: Vec<(String, String)>) -> PyResult<(String, String)> {
    richlazy::sweep::merge(&texts).map(|(j, table)| (j.to_string(), table)).map_err(|e| engine_error(py, e))
}

/// A study's settings table as JSON (`schema("lab")` is the lab's, with its initial families).
#[pyfunction]
fn schema(py: Python<'_>, name: &str) -> PyResult<String> {
    Ok(richlazy::studies::find(name).map_err(|e| setting_error(py, &e))?.schema().to_string())
}

/// The given settings of a call (`run`, `sweep` or a study's name) that have no effect, as (key,
/// code, message) each: the command line's `warning:` lines (`sweep::unused`), which the package
/// raises as `richlazy.SettingWarning`.
#[pyfunction]
fn unused(name: &str, pairs: Vec<(String, String)>) -> Vec<(String, &'static str, String)> {
    richlazy::sweep::unused(name, &pairs).into_iter().map(|e| (e.key, e.code.key(), e.message)).collect()
}

/// The registered studies: (name, title).
#[pyfunction]
fn studies() -> Vec<(&'static str, &'static str)> {
    richlazy::studies::STUDIES.iter().map(|s| (s.name, s.title)).collect()
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("SettingError", m.py().get_type::<SettingError>())?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(analyse, m)?)?;
    m.add_function(wrap_pyfunction!(analyse_weights, m)?)?;
    m.add_function(wrap_pyfunction!(trials, m)?)?;
    m.add_function(wrap_pyfunction!(probe, m)?)?;
    m.add_function(wrap_pyfunction!(hidden, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(study, m)?)?;
    m.add_function(wrap_pyfunction!(merge, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_schema, m)?)?;
    m.add_function(wrap_pyfunction!(studies, m)?)?;
    m.add_function(wrap_pyfunction!(unused, m)?)?;
    Ok(())
}
