"""Writes the package's type stubs (``__init__.pyi``) from the engine's settings tables, so that an editor
completes every setting by name with its type, default and help, and the stubs cannot drift from the
engine (a test compares them with the committed file).

    python -m richlazy.stubs > python/richlazy/__init__.pyi
"""

from __future__ import annotations

import json
from typing import Dict, List

from . import _core

TYPES = {"int": "int", "real": "float", "reals": "Union[str, Sequence[float]]", "text": "str", "shard": "str"}


def _type(p: Dict) -> str:
    if p["kind"] == "choice":
        return "Literal[" + ", ".join(repr(c) for c in p["choices"]) + "]"
    return TYPES[p["kind"]]


# Keywords the functions take themselves (`threads`), or that only the command line has.
OWN = {"threads", "progress", "save_weights"}


def _args(params: List[Dict]) -> List[str]:
    lines = []
    for p in params:
        if p["key"] in OWN:
            continue
        # Settings left out keep the engine's default (given in the help, as the table spells it).
        default = f" [default {p['default']}]" if p["default"] else ""
        lines.append(f"    {p['key']}: Optional[{_type(p)}] = None,  # {p['help']}{default}")
    return lines


def _sweep_params() -> List[Dict]:
    return json.loads(_core.sweep_schema())["params"]


def stubs() -> str:
    lab = json.loads(_core.schema("lab"))["params"]
    out = [
        '"""Type stubs written by `python -m richlazy.stubs` from the engine\'s tables; do not edit."""',
        "",
        "import os",
        "from typing import Any, Callable, Dict, Iterable, List, Literal, Mapping, Optional, Sequence, Union, overload",
        "",
        "import numpy as np",
        "",
        "Progress = Union[None, bool, Callable[[int, int, str], Any]]",
        "",
        "class SettingError(ValueError):",
        "    key: str",
        "    code: str",
        "",
        "class SettingWarning(UserWarning):",
        "    key: str",
        "    code: str",
        "",
        "class RunResult:",
        "    config: Dict[str, Any]",
        "    status: str",
        "    diverged_at: Optional[int]",
        "    initial: Dict[str, Any]",
        "    final: Optional[Dict[str, Any]]",
        "    sequence: Optional[Dict[str, Any]]",
        "    history: Dict[str, np.ndarray]",
        "    weights: Dict[str, np.ndarray]",
        "    def to_json(self) -> str: ...",
        "    def save_weights(self, directory: Union[str, os.PathLike]) -> None: ...",
        "    def analyse(self) -> Analysis: ...",
        "",
        "class Analysis:",
        "    report: Dict[str, Any]",
        "    def to_json(self) -> str: ...",
        "    def save(self, path: Union[str, os.PathLike]) -> None: ...",
        "",
        "class Trials:",
        "    x: np.ndarray",
        "    labels: np.ndarray",
        "    conditions: np.ndarray",
        "    scored: range",
        "    decision: range",
        "    task: str",
        "    input_names: List[str]",
        "    condition_names: List[str]",
        "    dt: int",
        "    alpha: float",
        "",
        "class Report:",
        "    report: Dict[str, Any]",
        "    table: str",
        "    summary: List[Dict[str, Any]]",
        "    runs: List[RunResult]",
        "    def to_json(self) -> str: ...",
        "    def save(self, path: Union[str, os.PathLike]) -> None: ...",
        "",
        "def run(",
        "    *,",
        "    progress: Progress = None,",
        *_args(lab),
        ") -> RunResult: ...",
        "def analyse(",
        "    *,",
        "    weights: Union[None, str, os.PathLike, Mapping[str, Any]] = None,",
        "    progress: Progress = None,",
        *_args(lab),
        ") -> Analysis: ...",
        "def trials(",
        "    *,",
        "    iteration: int,",
        *_args(lab),
        ") -> Trials: ...",
        "def probe(",
        "    *,",
        *_args(lab),
        ") -> Trials: ...",
        "def hidden(weights: Mapping[str, Any], x: Union[np.ndarray, Trials], *, alpha: Optional[float] = None) -> np.ndarray: ...",
        "def sweep(",
        "    *,",
        "    threads: Optional[int] = None,",
        "    progress: Progress = None,",
        *_args(_sweep_params()),
        *_args(lab),
        ") -> Report: ...",
    ]
    for name, _title in _core.studies():
        if name == "lab":
            continue
        params = json.loads(_core.schema(name))["params"]
        out += [
            "@overload",
            "def study(",
            f"    name: Literal[{name!r}],",
            "    *,",
            "    threads: Optional[int] = None,",
            "    progress: Progress = None,",
            *_args(params),
            ") -> Report: ...",
        ]
    out += [
        "def merge(parts: Iterable[Union[str, os.PathLike, Report]]) -> Report: ...",
        "def schema(name: str = 'lab') -> Dict[str, Any]: ...",
        "def studies() -> List[tuple]: ...",
        "",
    ]
    return "\n".join(out)


if __name__ == "__main__":
    print(stubs(), end="")
