"""Long calls release the GIL, stop cleanly on Ctrl-C, and the engine's threads give the same bits."""

import signal
import subprocess
import sys
import threading
import time

import richlazy

LONG = dict(task="2af", hidden=60, iters=100000, every=1000, seed=1)


def test_a_run_releases_the_gil_while_it_computes():
    ticks = []
    done = threading.Event()

    def count():
        while not done.is_set():
            ticks.append(1)
            time.sleep(0.001)

    t = threading.Thread(target=count)
    t.start()
    richlazy.run(progress=False, task="2af", hidden=60, iters=300, every=100)
    done.set()
    t.join()
    # With the GIL held through the run the counter could not have moved at all.
    assert len(ticks) > 10


def test_ctrl_c_stops_a_long_run_with_keyboard_interrupt():
    code = (
        "import richlazy, sys\n"
        "print('started', flush=True)\n"
        "try:\n"
        f"    richlazy.run(progress=False, **{LONG!r})\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', flush=True); sys.exit(3)\n"
    )
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "started"
    time.sleep(1.0)
    p.send_signal(signal.SIGINT)
    # The whole run would take minutes; the engine stops at its next chunk.
    out, _ = p.communicate(timeout=60)
    assert p.returncode == 3 and "interrupted" in out


def test_a_sweep_on_one_or_two_threads_gives_the_same_report():
    s = dict(inits="rank:1,gaussian", hidden=16, iters=20, every=10, seeds=2)
    assert richlazy.sweep(threads=1, progress=False, **s).to_json() == richlazy.sweep(threads=2, progress=False, **s).to_json()
