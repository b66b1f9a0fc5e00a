"""The example script runs, prints its table and writes its figure."""

import subprocess
import sys

from conftest import ROOT


def test_the_rank_sweep_example_writes_its_table_and_figure(tmp_path):
    out = tmp_path / "rank_sweep.png"
    p = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "rank_sweep.py"), str(out)], capture_output=True, text=True, check=True
    )
    lines = p.stdout.splitlines()
    assert lines[0].split()[:2] == ["start", "erank(0)"]
    starts = [line.split()[0] for line in lines[1:6]]
    assert starts == ["rank:1", "rank:3", "rank:10", "rank:30", "gaussian"]
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000
