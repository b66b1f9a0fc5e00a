"""Shared helpers: the command line the Python results are compared with, byte for byte."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(os.environ.get("RICHLAZY_CLI", ROOT / "target" / "release" / "richlazy"))


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Runs `richlazy ARGS`; stdout is the JSON or the table."""
    if not CLI.exists():
        pytest.fail(f"the command line is not built: {CLI} (cargo build --release)")
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, check=check)


def cli_json(*args: str) -> str:
    """`richlazy ARGS --json`'s stdout, without its final newline (what `to_json()` returns)."""
    out = cli(*args, "--json").stdout
    assert out.endswith("\n")
    return out[:-1]


def flags(settings: dict) -> list:
    """Python keyword settings as the command line's flags."""
    out = []
    for k, v in settings.items():
        out += [f"--{k}", ",".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v)]
    return out
