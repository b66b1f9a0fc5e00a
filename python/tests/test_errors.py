"""Every call's errors raise SettingError (a ValueError) with the key and code the page and the
command line give."""

import pytest
import richlazy
from conftest import cli


@pytest.mark.parametrize(
    "settings, key",
    [
        (dict(rnak=3), "rnak"),
        (dict(rank="many"), "rank"),
        (dict(task="xor"), "task"),
        (dict(hidden=0), "hidden"),
        (dict(lr=-1), "lr"),
    ],
)
def test_run_refuses_a_bad_key_or_value_naming_it(settings, key):
    with pytest.raises(ValueError) as e:
        richlazy.run(progress=False, **settings)
    assert isinstance(e.value, richlazy.SettingError)
    assert e.value.key == key
    assert key in str(e.value)
    # The command line refuses the same flag with the same message.
    flag = next(iter(settings))
    out = cli("run", f"--{flag}", str(settings[flag]), check=False)
    assert out.returncode != 0 and str(e.value) in out.stderr


def test_settings_that_conflict_raise_a_setting_error_with_its_code():
    with pytest.raises(richlazy.SettingError, match="rank") as e:
        richlazy.run(progress=False, init="rank", rank=50, hidden=20)
    assert (e.value.key, e.value.code) == ("rank", "conflict")


def test_a_study_refuses_a_bad_value_naming_the_key():
    with pytest.raises(richlazy.SettingError) as e:
        richlazy.study("grok", progress=False, alpha="x")
    assert e.value.key == "alpha"
    assert e.value.code == "number"
    with pytest.raises(richlazy.SettingError, match="nosuch") as e:
        richlazy.study("nosuch")
    assert e.value.code == "choice"


def test_a_sweep_refuses_a_bad_item_naming_it():
    with pytest.raises(richlazy.SettingError) as e:
        richlazy.sweep(progress=False, inits="rank:x", hidden=20, iters=5)
    assert "rank: 'x'" in str(e.value)
    assert e.value.code == "number", e.value.code
    out = cli("sweep", "--inits", "rank:x", "--hidden", "20", "--iters", "5", check=False)
    assert out.returncode != 0 and str(e.value) in out.stderr


def test_merge_refuses_shards_of_different_runs_with_code_merge(tmp_path):
    a = richlazy.sweep(progress=False, inits="rank:1", hidden=12, iters=4, every=2, seeds=2, shard="0/2")
    b = richlazy.sweep(progress=False, inits="rank:1", hidden=14, iters=4, every=2, seeds=2, shard="1/2")
    with pytest.raises(richlazy.SettingError) as e:
        richlazy.merge([a, b])
    assert e.value.code == "merge", (e.value.code, str(e.value))


def test_a_missing_file_raises_a_setting_error_with_code_io(tmp_path):
    with pytest.raises(richlazy.SettingError) as e:
        richlazy.run(progress=False, init="file", file=str(tmp_path / "none.npy"), iters=2)
    assert (e.value.key, e.value.code) == ("file", "io"), (e.value.key, e.value.code, str(e.value))
