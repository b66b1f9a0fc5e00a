"""The analysis from Python (`richlazy analyse` byte for byte, from a run or from weights), the trials an
iteration trains on, the probe set, and the model's hidden states against an independent numpy forward."""

import numpy as np
import pytest
import richlazy
from conftest import cli, flags

TWO_AF = dict(task="2af", hidden=24, iters=30, every=10, seed=1)
DMS = dict(task="dms", init="rank", rank=2, hidden=20, iters=30, every=10, seed=2)
# dt 20 ms: 40 steps and the leak 0.2, so that hidden() is checked away from alpha = 1.
LEAKY = dict(task="dms", dt=20, hidden=16, iters=20, every=10, lr=0.03, seed=3)


@pytest.mark.parametrize("settings", [TWO_AF, DMS], ids=["2af", "dms"])
def test_analyse_json_equals_the_command_line(settings, tmp_path):
    a = richlazy.analyse(progress=False, **settings)
    out = cli("analyse", *flags(settings)).stdout
    assert out == a.to_json() + "\n"
    a.save(tmp_path / "a.json")
    assert (tmp_path / "a.json").read_text() == out
    assert a.report["task"] == settings["task"] and a.report["hidden"] == settings["hidden"]
    assert a.report["change"]["trajectory_shift"] > 0


def test_analysing_saved_weights_equals_the_analysis_inside_the_run(tmp_path):
    inside = richlazy.analyse(progress=False, **DMS).to_json()
    r = richlazy.run(progress=False, **DMS)
    assert r.analyse().to_json() == inside
    assert richlazy.analyse(weights=r.weights, **DMS).to_json() == inside
    r.save_weights(tmp_path / "py")
    assert richlazy.analyse(weights=tmp_path / "py", **DMS).to_json() == inside
    # The command line's own run writes them; its --weights route reads them back.
    cli("analyse", *flags(DMS), "--save_weights", str(tmp_path / "cli"))
    assert richlazy.analyse(weights=str(tmp_path / "cli"), **DMS).to_json() == inside
    assert cli("analyse", "--weights", str(tmp_path / "py"), *flags(DMS)).stdout == inside + "\n"
    # The weights are what is analysed: the start against itself has not moved.
    still = richlazy.analyse(weights=dict(r.weights, W_rec=r.weights["W_rec0"]), **DMS).report["change"]
    assert still["trajectory_shift"] == 0.0 and still["cka"] == pytest.approx(1.0, abs=1e-12)


def test_weights_that_do_not_fit_are_setting_errors(tmp_path):
    w = richlazy.run(progress=False, **TWO_AF).weights
    cases = [
        (dict(w, W_in=w["W_in"][:, :2]), "conflict"),  # 2AF has 3 inputs
        (dict(w, W_out=np.zeros(24)), "format"),  # not a matrix
        ({k: v for k, v in w.items() if k != "W_rec0"}, "format"),
        (tmp_path / "absent", "io"),
    ]
    messages = []
    for weights, code in cases:
        with pytest.raises(richlazy.SettingError) as e:
            richlazy.analyse(weights=weights, **TWO_AF)
        assert (e.value.key, e.value.code) == ("weights", code), str(e.value)
        messages.append(str(e.value))
    assert messages[0] == "weights W_in is 24 x 2: the task and W_rec need 24 x 3"


def test_analyse_refuses_and_warns_as_run_does():
    with pytest.raises(richlazy.SettingError) as e:
        richlazy.analyse(progress=False, hiden=24)
    assert (e.value.key, e.value.code) == ("hiden", "unknown")
    with pytest.warns(richlazy.SettingWarning) as seen:
        richlazy.analyse(progress=False, init="gaussian", rank=3, **TWO_AF)
    assert [(w.message.key, w.message.code) for w in seen] == [("rank", "unused")]
    assert seen[0].filename == __file__
    wild = dict(TWO_AF, lr=10)
    r = richlazy.run(progress=False, **wild)
    assert r.status == "diverged"
    out = cli("analyse", *flags(wild), check=False)
    assert out.returncode != 0 and out.stderr.endswith("the run diverged: nothing to analyse\n")
    for call in (lambda: richlazy.analyse(progress=False, **wild), r.analyse):
        with pytest.raises(richlazy.SettingError) as e:
            call()
        assert (e.value.code, str(e.value)) == ("diverged", "the run diverged: nothing to analyse")


def test_2af_trials_are_the_task_spec():
    t = richlazy.trials(iteration=0, **TWO_AF)
    assert (t.task, t.x.shape, t.x.dtype, t.labels.shape) == ("2af", (8, 32, 3), np.float32, (8, 32))
    assert (t.scored, t.decision, t.condition_names, t.conditions.shape) == (range(8), range(7, 8), ["side", "coherence"], (32, 2))
    assert np.all(t.x[:7, :, 0] == 1) and np.all(t.x[7] == 0)
    assert np.all(t.labels[:7] == 0) and np.array_equal(t.labels[7], t.conditions[:, 0])
    assert set(t.labels[7]) <= {1, 2} and set(t.conditions[:, 1]) <= {0, 6.4, 12.8, 25.6, 51.2}
    # Side 1 (angle 0) drives s1 above s2 by coherence / 100, far above the noise where it is strong.
    strong = t.conditions[:, 1] >= 25.6
    s1_wins = (t.x[:7, :, 1] - t.x[:7, :, 2]).mean(axis=0) > 0
    assert strong.any() and np.array_equal(s1_wins[strong], t.labels[7, strong] == 1)


def test_dms_trials_and_probe_are_the_task_spec():
    t = richlazy.trials(iteration=5, **DMS)
    assert (t.x.shape, t.scored, t.decision, t.condition_names) == ((8, 32, 3), range(8), range(7, 8), ["sample", "match"])
    assert np.all(t.x[1:6, :, 1:] == 0) and np.all(t.x[7] == 0) and np.all(t.x[:7, :, 0] == 1)
    same = np.argmax(t.x[0, :, 1:], axis=1) == np.argmax(t.x[6, :, 1:], axis=1)
    assert np.array_equal(same, t.labels[7] == 1) and np.array_equal(same, t.conditions[:, 1] == 1)
    p = richlazy.probe(**DMS)
    assert (p.x.shape, p.labels.shape, p.conditions.shape) == ((8, 320, 3), (8, 320), (320, 2))
    assert set(map(tuple, p.conditions)) == {(0, 0), (0, 1), (1, 0), (1, 1)}


def test_trials_are_fixed_by_task_batch_seed_and_iteration():
    t = richlazy.trials(iteration=3, **TWO_AF)
    again = richlazy.trials(iteration=3, **dict(TWO_AF, hidden=8, lr=0.1, init="rank", rank=1))
    for name in ("x", "labels", "conditions"):
        assert np.array_equal(getattr(t, name), getattr(again, name)), name
    for other in (
        richlazy.trials(iteration=2, **TWO_AF),
        richlazy.trials(iteration=3, **dict(TWO_AF, seed=2)),
        richlazy.probe(**TWO_AF),
    ):
        assert not np.array_equal(t.x, other.x[:, :32])
    assert richlazy.trials(iteration=3, **dict(TWO_AF, batch=5)).x.shape == (8, 5, 3)
    for k in (30, -1):  # a run of 30 iterations trains on 0 to 29
        with pytest.raises(richlazy.SettingError) as e:
            richlazy.trials(iteration=k, **TWO_AF)
        assert (e.value.key, e.value.code) == ("iteration", "range")


def numpy_forward(w_in, w_rec, x, alpha):
    """h_t = relu((1 - a) h_{t-1} + a (W_in x_t + W_rec h_{t-1})) from h_{-1} = 0, in float64."""
    w_in, w_rec, x = (np.asarray(a, dtype=np.float64) for a in (w_in, w_rec, x))
    h, out = np.zeros((x.shape[1], w_rec.shape[0])), []
    for x_t in x:
        h = np.maximum((1 - alpha) * h + alpha * (x_t @ w_in.T + h @ w_rec.T), 0.0)
        out.append(h)
    return np.stack(out)


@pytest.mark.parametrize("settings", [TWO_AF, LEAKY], ids=["2af", "dms-dt20"])
def test_hidden_states_reproduce_the_runs_final_loss_and_accuracy(settings):
    r = richlazy.run(progress=False, **settings)
    w, p = r.weights, richlazy.probe(**settings)
    assert p.alpha == (0.2 if settings.get("dt") == 20 else 1.0)
    h = richlazy.hidden(w, p)
    assert (h.shape, h.dtype) == ((p.x.shape[0], 320, settings["hidden"]), np.float32)
    ref = numpy_forward(w["W_in"], w["W_rec"], p.x, p.alpha)
    np.testing.assert_allclose(h, ref, rtol=1e-4, atol=1e-5)
    h64 = richlazy.hidden({k: v.astype(np.float64) for k, v in w.items()}, p.x, alpha=p.alpha)
    assert h64.dtype == np.float64
    np.testing.assert_allclose(h64, ref, rtol=1e-12, atol=1e-13)
    # The run's final probe loss (cross-entropy over the scored steps) and decision accuracy.
    y = h.astype(np.float64) @ w["W_out"].astype(np.float64).T
    scored, labels = y[p.scored], p.labels[p.scored]
    top = scored.max(axis=2, keepdims=True)
    ce = np.log(np.exp(scored - top).sum(axis=2)) + top[..., 0] - np.take_along_axis(scored, labels[..., None], 2)[..., 0]
    assert ce.mean() == pytest.approx(r.final["loss"], rel=1e-5)
    right = np.argmax(y[p.decision], axis=2) == p.labels[p.decision]
    assert right.mean() == pytest.approx(r.final["accuracy"], rel=1e-12)


def test_hidden_refuses_shapes_that_do_not_fit():
    w = {"W_in": np.ones((4, 3)), "W_rec": np.eye(4)}
    with pytest.raises(richlazy.SettingError) as e:
        richlazy.hidden(w, np.zeros((8, 2, 2)))
    assert e.value.key == "x"
    with pytest.raises(richlazy.SettingError) as e:
        richlazy.hidden({"W_in": np.ones((4, 3)), "W_rec": np.ones((4, 5))}, np.zeros((8, 2, 3)))
    assert e.value.key == "weights"
