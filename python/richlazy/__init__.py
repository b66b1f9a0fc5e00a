"""richlazy from Python: the engine behind the in-browser lab for Liu et al., ICLR 2024, with the same
settings, the same names and the same bits as the command line.

    import richlazy
    r = richlazy.run(task="dms", init="rank", rank=30, iters=2000, seed=1)
    r.history["weight_change"], r.weights["W_rec"], r.to_json()

Settings are the command line's keys (``richlazy run --help``), checked by the engine's own tables: a bad
key or value raises :class:`SettingError` (a ``ValueError``) whose ``.key`` names it; a setting given
where it has no effect (``rank`` with ``init="gaussian"``) is named by a :class:`SettingWarning` and the
call runs without it, as the command line's ``warning:`` line.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from typing import Any, Callable, Dict, Iterable, List, Optional, Union

import numpy as np

from . import _core
from ._core import SettingError

__all__ = ["run", "sweep", "study", "merge", "schema", "studies", "RunResult", "Report", "SettingError", "SettingWarning"]

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


def _warn_unused(name: str, pairs: List[tuple]) -> List[tuple]:
    """Warns once per given key that has no effect (the engine's rule, ``sweep::unused``); the pairs back."""
    for key, code, message in _core.unused(name, pairs):
        warnings.warn(SettingWarning(message, key, code), stacklevel=5)  # the caller of run, sweep or study
    return pairs


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
    to a numpy array over the measure points; ``history["iter"]`` is the iteration axis.
    """

    def __init__(self, text: str, weights: Optional[Dict[str, np.ndarray]] = None):
        self._json = text
        j = json.loads(text)
        self.config: Dict[str, Any] = j["config"]
        self.status: str = j["status"]
        self.diverged_at: Optional[int] = j["diverged_at"]
        self.initial: Dict[str, Any] = j["initial"]
        self.final: Optional[Dict[str, Any]] = j["final"]
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

    def __repr__(self) -> str:
        c = self.config
        return f"RunResult(task={c.get('task')!r}, init={c.get('init')!r}, status={self.status!r}, final={self.final})"


class Report:
    """A sweep's or a study's report: ``report`` is its JSON as a dict, ``table`` the command line's table."""

    def __init__(self, text: str, table: str):
        self._json, self.table = text, table
        self.report: Dict[str, Any] = json.loads(text)

    def to_json(self) -> str:
        """The report as the command line's ``--json`` prints it (without the final newline)."""
        return self._json

    def save(self, path: Union[str, os.PathLike]) -> None:
        """As ``--save PATH`` writes it (the JSON and a newline)."""
        with open(path, "w") as f:
            f.write(self._json + "\n")

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
    text, weights = _call("run", progress, lambda p: _core.run(_warn_unused("run", _pairs(settings)), p))
    return RunResult(text, weights)


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
