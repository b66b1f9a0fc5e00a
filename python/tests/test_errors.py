"""Bad settings raise ValueError naming the key, as the page and the command line name it."""

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


def test_settings_that_conflict_raise_value_error():
    with pytest.raises(ValueError, match="rank"):
        richlazy.run(progress=False, init="rank", rank=50, hidden=20)


def test_a_study_refuses_a_bad_value_naming_the_key():
    with pytest.raises(richlazy.SettingError) as e:
        richlazy.study("grok", progress=False, alpha="x")
    assert e.value.key == "alpha"
    with pytest.raises(ValueError, match="nosuch"):
        richlazy.study("nosuch")


def test_a_sweep_refuses_a_bad_item_naming_it():
    with pytest.raises(ValueError) as e:
        richlazy.sweep(progress=False, inits="rank:x", hidden=20, iters=5)
    assert "rank: 'x'" in str(e.value)
    out = cli("sweep", "--inits", "rank:x", "--hidden", "20", "--iters", "5", check=False)
    assert out.returncode != 0 and str(e.value) in out.stderr
