"""The same run from Python and from the command line, and what the Python call adds per measure point.

    .venv/bin/python tools/python_bench.py [--hidden N] [--iters I] [--every K] [--repeats R]

Each figure is the best of R repeats (wall clock). The command line's time includes its process start
(a few ms); the Python call's, the GIL-free wait and the progress polling.
"""

import argparse
import subprocess
import time
from pathlib import Path

import richlazy

ROOT = Path(__file__).resolve().parents[1]


def best(f, repeats):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return min(times), out


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--hidden", type=int, default=300)
    a.add_argument("--iters", type=int, default=300)
    a.add_argument("--every", type=int, default=50)
    a.add_argument("--repeats", type=int, default=3)
    o = a.parse_args()
    s = dict(task="2af", hidden=o.hidden, iters=o.iters, every=o.every, seed=1)
    cli = [str(ROOT / "target/release/richlazy"), "run", "--json"] + [x for k, v in s.items() for x in (f"--{k}", str(v))]
    t_cli, out = best(lambda: subprocess.run(cli, capture_output=True, text=True, check=True).stdout, o.repeats)
    t_py, r = best(lambda: richlazy.run(progress=False, **s), o.repeats)
    assert r.to_json() == out.rstrip("\n"), "Python and the command line disagree"
    points = len(r.history["iter"])
    print(f"run: 2AF, N {o.hidden}, {o.iters} iterations, a measure every {o.every} ({points} points), best of {o.repeats}")
    print(f"  command line: {t_cli * 1e3:8.1f} ms")
    print(f"  Python:       {t_py * 1e3:8.1f} ms  ({(t_py / t_cli - 1) * 100:+.1f}%)")
    print(f"  Python's overhead per measure point: {(t_py - t_cli) / points * 1e3:+.2f} ms (the same JSON, byte for byte)")


if __name__ == "__main__":
    main()
