//! `richlazy._core`: the engine's runs, sweeps, studies and merges for Python. Every call goes through
//! the same library functions as the command line, so `to_json()` is its `--json` byte for byte; the
//! Python package (`richlazy/__init__.py`) turns the JSON and the weights into result objects.
//!
//! Long calls run on a worker thread while the calling thread waits without the GIL, waking every few
//! milliseconds to draw progress and to check for Ctrl-C, which stops the engine between chunks.

use numpy::{IntoPyArray, PyArray2};
use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use richlazy::config::Config;
use richlazy::experiment::{Experiment, Status};
use richlazy::linalg::Mat;
use richlazy::settings::SettingError as EngineError;
use richlazy::sweep::Control;
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

/// One lab run, as `richlazy run --json`: (its JSON, {W_in, W_rec0, W_rec, W_out} as numpy arrays).
#[pyfunction]
#[pyo3(signature = (pairs, progress=None))]
fn run<'py>(
    py: Python<'py>,
    pairs: Vec<(String, String)>,
    progress: Option<Bound<'py, PyAny>>,
) -> PyResult<(String, Bound<'py, PyDict>)> {
    let pairs = with_files(py, pairs)?;
    richlazy::settings::without_repeats(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .1
        .first()
        .map_or(Ok(()), |e| Err(setting_error(py, e)))?;
    let c = config(py, &pairs)?;
    let out = drive(py, progress.as_ref(), move |t| {
        let mut exp = Experiment::new(c)?;
        let (every, iters) = (exp.config().every, exp.config().iters);
        t.tick(exp.iter(), iters, "");
        while exp.status() == Status::Running {
            if t.cancel.load(SeqCst) {
                return Err(richlazy::sweep::cancelled());
            }
            exp.advance(every);
            t.tick(exp.iter(), iters, "");
        }
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
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(study, m)?)?;
    m.add_function(wrap_pyfunction!(merge, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_schema, m)?)?;
    m.add_function(wrap_pyfunction!(studies, m)?)?;
    m.add_function(wrap_pyfunction!(unused, m)?)?;
    Ok(())
}
