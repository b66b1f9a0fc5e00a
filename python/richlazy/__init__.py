"""richlazy from Python: the engine behind the in-browser lab for Liu et al., ICLR 2024, with the same
settings, the same names and the same bits as the command line.

    import richlazy
    r = richlazy.run(task="dms", init="rank", rank=30, iters=2000, seed=1)
    r.history["weight_change"], r.weights["W_rec"], r.to_json()
    a = r.analyse()                  # richlazy analyse: trajectories, fixed points, structure of W_rec - W_rec0
    t = richlazy.trials(iteration=0, task="dms", seed=1)   # the exact batch an iteration trains on
    h = richlazy.hidden(r.weights, richlazy.probe(task="dms", seed=1))  # states (steps, trials, N)

Settings are the command line's keys (``richlazy run --help``), checked by the engine's own tables: a bad
key or value raises :class:`SettingError` (a ``ValueError``) whose ``.key`` names it; a setting given
where it has no effect (``rank`` with ``init="gaussian"``) is named by a :class:`SettingWarning` and the
call runs without it, as the command line's ``warning:`` line.
"""

from __future__ import annotations

import io
import json
import os
import sys
import warnings
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Union

import numpy as np

from . import _core
from ._core import SettingError

__all__ = [
    "run",
    "analyse",
    "trials",
    "probe",
    "hidden",
    "sweep",
    "study",
    "merge",
    "schema",
    "studies",
    "RunResult",
    "Analysis",
    "Trials",
    "Report",
    "SettingError",
    "SettingWarning",
]

Progress = Union[None, bool, Callable[[int, int, str], Any]]


def _text(v: Any) -> str:
    """A Python value as the command line would spell it."""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, (list, tuple)):
        return ",".join(_text(x) for x in v)
    if isinstance(v, float):
        return repr(v)
    return str(v)


def _pairs(settings: Dict[str, Any]) -> List[tuple]:
    return [(k, _text(v)) for k, v in settings.items() if v is not None]


class SettingWarning(UserWarning):
    """A setting given where it has no effect (``rank`` with ``init="gaussian"``, ``floss_k`` without
    flossing): ``.key`` names it, ``.code`` is ``"unused"``. The call runs without it."""

    def __init__(self, message: str, key: str, code: str):
        super().__init__(message)
        self.key, self.code = key, code


def _warn_unused(name: str, pairs: List[tuple], stacklevel: int = 5) -> List[tuple]:
    """Warns once per given key that has no effect (the engine's rule, ``sweep::unused``); the pairs back.
    ``stacklevel`` points at the caller of the public function (5 from the lambda that ``_call`` runs)."""
    for key, code, message in _core.unused(name, pairs):
        warnings.warn(SettingWarning(message, key, code), stacklevel=stacklevel)
    return pairs


def _setting_error(key: str, code: str, message: str) -> SettingError:
    """A :class:`SettingError` raised from Python, keyed as the engine's are."""
    e = SettingError(message)
    e.key, e.code = key, code
    return e


WEIGHT_NAMES = ("W_in", "W_rec0", "W_rec", "W_out")


def _weight_files(weights: Union[str, os.PathLike, Mapping[str, Any]]) -> Union[str, List[bytes]]:
    """A folder of weights as is, or a dict of arrays as the four ``.npy`` files' bytes (float32 stays
    float32, so that a run's weights reach the engine with their bits; anything else as float64)."""
    if isinstance(weights, (str, os.PathLike)):
        return os.fspath(weights)
    missing = [n for n in WEIGHT_NAMES if n not in weights]
    if missing:
        raise _setting_error("weights", "format", f"weights: no {', '.join(missing)} (the dict needs {', '.join(WEIGHT_NAMES)})")
    files = []
    for name in WEIGHT_NAMES:
        a = np.asarray(weights[name])
        buf = io.BytesIO()
        np.save(buf, np.ascontiguousarray(a, dtype=np.float32 if a.dtype == np.float32 else np.float64))
        files.append(buf.getvalue())
    return files


class _Bar:
    """A progress bar where one shows: tqdm's (its notebook widget in Jupyter) if installed, else a
    line on a terminal's stderr; nothing when neither applies."""

    def __init__(self, desc: str):
        self.desc, self.bar, self.last = desc, None, None
        try:
            from tqdm.auto import tqdm

            self.tqdm = tqdm
        except ImportError:
            self.tqdm = None
        self.tty = hasattr(sys.stderr, "isatty") and sys.stderr.isatty()

    def __call__(self, done: int, total: int, label: str) -> None:
        if self.tqdm is not None:
            if self.bar is None:
                self.bar = self.tqdm(total=total, desc=self.desc, leave=False)
            self.bar.total = total
            self.bar.n = done
            if label:
                self.bar.set_postfix_str(label, refresh=False)
            self.bar.refresh()
        elif self.tty:
            sys.stderr.write(f"\r{self.desc}: {done}/{total} {label}"[:100].ljust(100))
            sys.stderr.flush()
            self.last = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self.last is not None:
            sys.stderr.write("\n")


def _call(desc: str, progress: Progress, f: Callable[[Optional[Callable]], Any]) -> Any:
    if progress is True or progress is None:
        bar = _Bar(desc)
        try:
            return f(bar)
        finally:
            bar.close()
    return f(progress or None)


class RunResult:
    """One lab run: its settings, status, measures over training and final weights.

    ``history`` maps each measure (``loss``, ``accuracy``, ``weight_change``, ``kernel_alignment``, ...)
    to a numpy array over the measure points; ``history["iter"]`` is the iteration axis. ``sequence`` is a
    run of tasks in sequence's section (phases, every task's probe history, forgetting, cost; docs/sequences.md),
    None for a run of one task.
    """

    def __init__(self, text: str, weights: Optional[Dict[str, np.ndarray]] = None, settings: Optional[List[tuple]] = None):
        self._json, self._settings = text, settings
        j = json.loads(text)
        self.config: Dict[str, Any] = j["config"]
        self.status: str = j["status"]
        self.diverged_at: Optional[int] = j["diverged_at"]
        self.initial: Dict[str, Any] = j["initial"]
        self.final: Optional[Dict[str, Any]] = j["final"]
        self.sequence: Optional[Dict[str, Any]] = j.get("sequence")
        rows = j["history"]
        keys = list(rows[0].keys()) if rows else []
        self.history: Dict[str, np.ndarray] = {
            k: np.array([np.nan if r[k] is None else r[k] for r in rows], dtype=np.int64 if k == "iter" else float)
            for k in keys
        }
        self.weights: Dict[str, np.ndarray] = weights or {}

    def to_json(self) -> str:
        """The run as ``richlazy run --json`` prints it (without the final newline), byte for byte."""
        return self._json

    def save_weights(self, directory: Union[str, os.PathLike]) -> None:
        """W_in.npy, W_rec0.npy, W_rec.npy, W_out.npy, as ``richlazy run --save_weights DIR`` writes them."""
        os.makedirs(directory, exist_ok=True)
        for name, w in self.weights.items():
            np.save(os.path.join(directory, f"{name}.npy"), w)

    def analyse(self) -> "Analysis":
        """This run's start against its end: the report of ``richlazy.analyse`` with this run's settings,
        byte for byte, from its own weights (``richlazy analyse --weights DIR`` on them)."""
        if not self.weights or self._settings is None:
            raise ValueError("this run kept no weights (a sweep's runs keep none): analyse a richlazy.run(...)")
        if self.status in ("diverged", "silent"):
            raise _setting_error("", "diverged", f"the run {self.status}: nothing to analyse")
        return Analysis(_core.analyse_weights(self._settings, _weight_files(self.weights)))

    def __repr__(self) -> str:
        c = self.config
        return f"RunResult(task={c.get('task')!r}, init={c.get('init')!r}, status={self.status!r}, final={self.final})"


class _Json:
    """A report as the engine wrote it: ``report`` is its JSON as a dict."""

    def __init__(self, text: str):
        self._json = text
        self.report: Dict[str, Any] = json.loads(text)

    def to_json(self) -> str:
        """The report as the command line prints it with ``--json`` (without the final newline), byte for byte."""
        return self._json

    def save(self, path: Union[str, os.PathLike]) -> None:
        """The command line's ``--save PATH`` (or its stdout): the JSON and a newline."""
        with open(path, "w") as f:
            f.write(self._json + "\n")


class Analysis(_Json):
    """What learning did to a network (``richlazy analyse``, docs/analysis.md): ``report`` is its JSON as a
    dict: ``config``, ``probe``, ``conditions``, ``components``, ``trajectories`` (start and end,
    ``[condition][step][component]``), ``change`` (``trajectory_shift``, ``principal_angles``, ``cka``),
    ``fixed_points``, ``delta_w`` and ``w_rec0``. ``to_json()`` is the command line's stdout less its newline."""

    def __repr__(self) -> str:
        r, c = self.report, self.report["change"]
        return f"Analysis(task={r['task']!r}, hidden={r['hidden']}, trajectory_shift={c['trajectory_shift']:.3g}, cka={c['cka']:.3g})"


class Trials:
    """Trials as the engine draws them, time-major:

    - ``x``: inputs, (steps, trials, inputs) float32 (channels ``input_names``);
    - ``labels``: targets, (steps, trials) int64 class indices (0: fixate, then the answers);
    - ``conditions``: (trials, len(condition_names)) float64, what each trial's draws fixed;
    - ``scored``: the steps the loss averages: loss = mean over t in scored and all trials of
      cross_entropy(h[t] @ W_out.T, labels[t]) (every step for 2AF, DMS and CXT; the last for sMNIST);
    - ``decision``: the steps accuracy is read on (argmax of the logits against ``labels``);
    - ``task``, ``dt`` (ms) and ``alpha`` (the leak the settings give, for :func:`hidden`).
    """

    def __init__(self, d: Dict[str, Any]):
        self.x: np.ndarray = d["x"]
        self.labels: np.ndarray = d["labels"]
        self.conditions: np.ndarray = d["conditions"]
        self.scored = range(*d["scored"])
        self.decision = range(*d["decision"])
        self.task: str = d["task"]
        self.input_names: List[str] = d["input_names"]
        self.condition_names: List[str] = d["condition_names"]
        self.dt: int = d["dt"]
        self.alpha: float = d["alpha"]

    def __repr__(self) -> str:
        return f"Trials(task={self.task!r}, x={self.x.shape}, scored={self.scored}, decision={self.decision})"


class Report(_Json):
    """A sweep's or a study's report: ``report`` is its JSON as a dict, ``table`` the command line's table."""

    def __init__(self, text: str, table: str):
        super().__init__(text)
        self.table = table

    @property
    def summary(self) -> List[Dict[str, Any]]:
        """A sweep's rows: one per item, each measure's mean and sd over its seeds."""
        return self.report.get("summary", [])

    @property
    def runs(self) -> List[RunResult]:
        """A sweep's runs, each as a :class:`RunResult` (without weights)."""
        return [RunResult(json.dumps(r, separators=(",", ":"))) for r in self.report.get("runs", [])]

    def __repr__(self) -> str:
        return self.table


def run(*, progress: Progress = None, **settings: Any) -> RunResult:
    """One training run of the lab: ``richlazy run`` with the same keys (``task``, ``init``, ``rank``,
    ``iters``, ``seed``, ``rule``, ``file``, ...)."""
    pairs = _pairs(settings)
    text, weights = _call("run", progress, lambda p: _core.run(_warn_unused("run", pairs), p))
    return RunResult(text, weights, pairs)


def analyse(
    *, weights: Union[None, str, os.PathLike, Mapping[str, Any]] = None, progress: Progress = None, **settings: Any
) -> Analysis:
    """``richlazy analyse``: the run of these settings (``run``'s keys) trained, then its start (W_rec0 with
    the trained W_in and W_out) against its end on the probe set. With ``weights``, a folder holding
    W_in.npy, W_rec0.npy, W_rec.npy, W_out.npy (as ``save_weights`` writes them) or a dict of those four
    arrays (W_in N x inputs, W_rec0 and W_rec N x N, W_out outputs x N), no run: those weights on the probe
    set of these settings' task, seed, batch and leak (``richlazy analyse --weights DIR``); shapes that do
    not fit the task raise :class:`SettingError` with key ``"weights"``."""
    pairs = _warn_unused("run", _pairs(settings), stacklevel=3)
    if weights is not None:
        return Analysis(_core.analyse_weights(pairs, _weight_files(weights)))
    return Analysis(_call("analyse", progress, lambda p: _core.analyse(pairs, p)))


def trials(*, iteration: int, **settings: Any) -> Trials:
    """The batch that training iteration ``iteration`` of the run of these settings trains on, exactly:
    0-based, the update that takes the run from ``k`` iterations done to ``k + 1`` (``history["iter"]``
    counts them), so a run of ``iters`` iterations trains on 0 to ``iters - 1``. One batch per iteration from the training stream,
    which depends on ``task``, ``dt``, ``batch`` and ``seed`` alone (gradient flossing draws its own)."""
    return Trials(_core.trials(_warn_unused("run", _pairs(settings), stacklevel=3), iteration))


def probe(**settings: Any) -> Trials:
    """The fixed probe set of these settings, on which every measure and the analysis are taken: its 10
    batches of ``batch`` held-out trials side by side, trial j of batch i at ``i * batch + j``."""
    return Trials(_core.probe(_warn_unused("run", _pairs(settings), stacklevel=3)))


def hidden(weights: Mapping[str, Any], x: Union[np.ndarray, Trials], *, alpha: Optional[float] = None) -> np.ndarray:
    """The model's hidden states (steps, trials, N) of ``weights`` (``W_in`` N x inputs and ``W_rec`` N x N;
    other entries are ignored) on inputs ``x`` (steps, trials, inputs, taken as float32 as the engine
    holds inputs; or a :class:`Trials`), by the engine's forward pass (src/model.rs), without biases:
    h[t] = relu((1 - alpha) h[t-1] + alpha (x[t] @ W_in.T + h[t-1] @ W_rec.T)) from h[-1] = 0; the
    logits are h[t] @ W_out.T. ``alpha`` is the leak: a :class:`Trials`' own by default, else 1 (dt 100 ms).
    In float32, the precision training runs in, when W_in and W_rec are both float32 (a run's weights),
    else in float64, the analysis's. For a run's start, pass ``{"W_in": w["W_in"], "W_rec": w["W_rec0"]}``."""
    if isinstance(x, Trials):
        x, alpha = x.x, x.alpha if alpha is None else alpha
    w_in, w_rec = np.asarray(weights["W_in"]), np.asarray(weights["W_rec"])
    single = w_in.dtype == np.float32 and w_rec.dtype == np.float32
    x = np.asarray(x, dtype=np.float32)
    if w_in.ndim != 2 or w_rec.ndim != 2:
        raise _setting_error("weights", "conflict", f"W_in and W_rec must be matrices: they are {w_in.shape} and {w_rec.shape}")
    if x.ndim != 3:
        raise _setting_error("x", "conflict", f"x must be steps x trials x inputs: it is {x.shape}")
    # float32 weights travel as float64 and back, which is exact.
    a = 1.0 if alpha is None else float(alpha)
    return _core.hidden(w_in.astype(np.float64), w_rec.astype(np.float64), x, a, single)


def sweep(*, threads: Optional[int] = None, progress: Progress = None, **settings: Any) -> Report:
    """``richlazy sweep``: ``inits`` (or ``ranks``), ``rules``, ``gains``, ``flosses``, ``figure``, ``seeds``,
    ``shard`` ("K/N") and any lab setting; lists may be Python lists."""
    text, table = _call("sweep", progress, lambda p: _core.sweep(_warn_unused("sweep", _pairs(settings)), threads, p))
    return Report(text, table)


def study(name: str, *, threads: Optional[int] = None, progress: Progress = None, **settings: Any) -> Report:
    """A study to the end: ``theory``, ``perceptron`` (``richlazy sgd perceptron``), ``phase`` (``richlazy sgd
    grid``) or ``grok``, with its keys (``schema(name)`` lists them) and ``shard`` ("K/N") where it shards."""
    text, table = _call(name, progress, lambda p: _core.study(name, _warn_unused(name, _pairs(settings)), threads, p))
    return Report(text, table)


def merge(parts: Iterable[Union[str, os.PathLike, Report]]) -> Report:
    """``richlazy merge``: the shards of one sweep or study (report files, reports, or their JSON texts) as
    the report of the whole run, byte for byte."""
    texts = []
    for i, p in enumerate(parts):
        if isinstance(p, Report):
            texts.append((f"part {i}", p.to_json()))
        elif isinstance(p, str) and p.lstrip().startswith("{"):
            texts.append((f"part {i}", p))
        else:
            with open(p) as f:
                texts.append((str(p), f.read()))
    return Report(*_core.merge(texts))


def schema(name: str = "lab") -> Dict[str, Any]:
    """A study's settings table (keys, defaults, kinds, help), as the page and the command line read it."""
    return json.loads(_core.schema(name))


def studies() -> List[tuple]:
    """The registered studies: (name, title)."""
    return _core.studies()
