"""A lab run from Python: the command line's JSON byte for byte, its history as arrays, its weights."""

import numpy as np
import pytest
import richlazy
from conftest import cli, cli_json, flags

SMALL = dict(task="2af", init="rank", rank=3, hidden=24, iters=40, every=10, seed=2)
LOCAL = dict(task="dms", rule="eprop", dt=20, hidden=20, iters=30, every=10, lr=0.03, gain=0.75, seed=1)


@pytest.mark.parametrize("settings", [SMALL, LOCAL], ids=["bptt", "eprop"])
def test_run_json_equals_the_command_line(settings):
    r = richlazy.run(progress=False, **settings)
    assert r.to_json() == cli_json("run", *flags(settings))
    assert r.status == "done"
    assert r.config["hidden"] == settings["hidden"]


def test_history_is_one_array_per_measure_over_the_iterations():
    r = richlazy.run(progress=False, **SMALL)
    assert list(r.history["iter"]) == [0, 10, 20, 30, 40]
    for k in ("loss", "accuracy", "weight_change", "kernel_alignment", "rep_alignment", "lyap_max"):
        assert r.history[k].shape == (5,)
    assert r.history["weight_change"][0] == 0.0
    assert r.final["weight_change"] == r.history["weight_change"][-1]


def test_weights_have_the_networks_shapes_and_give_its_weight_change():
    r = richlazy.run(progress=False, **SMALL)
    w = r.weights
    n, n_in, n_out = 24, 3, 3
    assert w["W_in"].shape == (n, n_in) and w["W_rec"].shape == (n, n) and w["W_out"].shape == (n_out, n)
    assert w["W_rec0"].shape == (n, n)
    change = np.linalg.norm(w["W_rec"].astype(np.float64) - w["W_rec0"].astype(np.float64))
    assert change == pytest.approx(r.final["weight_change"], rel=1e-12)
    assert change > 0


def test_weights_round_trip_through_the_command_lines_npy(tmp_path):
    r = richlazy.run(progress=False, **SMALL)
    cli("run", *flags(SMALL), "--save_weights", str(tmp_path))
    for name, w in r.weights.items():
        saved = np.load(tmp_path / f"{name}.npy")
        assert saved.dtype == w.dtype and saved.dtype.byteorder in "<="
        assert np.array_equal(saved, w), name
    r.save_weights(tmp_path / "py")
    for name, w in r.weights.items():
        assert np.array_equal(np.load(tmp_path / "py" / f"{name}.npy"), w)


def test_progress_is_called_with_the_iterations():
    seen = []
    richlazy.run(progress=lambda done, total, label: seen.append((done, total)), **SMALL)
    assert seen and seen[-1] == (40, 40)
    assert all(t == 40 for _, t in seen)


SEQUENCE = dict(sequence="2af:20,dms:10", hidden=16, every=10, seed=3)


def test_a_sequence_equals_the_command_line_and_counts_every_phase():
    seen = []
    r = richlazy.run(progress=lambda done, total, label: seen.append((done, total)), **SEQUENCE)
    assert r.to_json() == cli_json("run", *flags(SEQUENCE))
    assert r.config["sequence"] == "2af:20,dms:10" and seen[-1] == (30, 30)
    assert [p["task"] for p in r.sequence["phases"]] == ["2af", "dms"] and richlazy.run(progress=False, **SMALL).sequence is None
    assert r.weights["W_in"].shape == (16, 8)  # 2AF's and DMS's 3 channels, and a cue each
    # One phase is the plain run, bit for bit.
    assert richlazy.run(progress=False, sequence="dms:20", hidden=16, seed=3).to_json() == cli_json(
        "run", "--task", "dms", "--iters", "20", "--hidden", "16", "--seed", "3"
    )


def test_a_bad_sequence_is_a_setting_error_with_its_key_and_code():
    with pytest.raises(richlazy.SettingError) as e:
        richlazy.run(progress=False, sequence="2af,smnist")
    assert (e.value.key, e.value.code) == ("sequence", "conflict")
