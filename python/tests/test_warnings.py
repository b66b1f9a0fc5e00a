"""A setting given where it has no effect is named by a SettingWarning (the command line's warning line),
the call runs without it, and its JSON never carries the key."""

import json
import warnings

import pytest

import richlazy

SMALL = dict(hidden=8, iters=2, every=2)


def caught(f, **settings):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        result = f(**settings)
    return result, [x for x in w if issubclass(x.category, richlazy.SettingWarning)]


@pytest.mark.parametrize(
    "settings, key, when",
    [
        (dict(init="gaussian", rank=5), "rank", "init gaussian"),
        (dict(init="v1", dataset="witvliet_3"), "dataset", "init v1"),
        (dict(floss_k=3), "floss_k", "floss none"),
    ],
)
def test_run_warns_with_key_and_code_and_never_writes_the_key(settings, key, when):
    r, w = caught(richlazy.run, **SMALL, **settings)
    assert len(w) == 1, [str(x.message) for x in w]
    e = w[0].message
    assert isinstance(e, UserWarning) and (e.key, e.code) == (key, "unused")
    assert str(e).startswith(f"{key}: has no effect with {when} (it applies with ")
    assert w[0].filename == __file__, "the warning points at the caller"
    assert key not in json.loads(r.to_json())["config"]
    assert key not in r.config


def test_a_key_that_applies_warns_nothing():
    _, w = caught(richlazy.run, **SMALL, init="rank", rank=3, floss="pre", floss_k=2, floss_iters=1)
    assert w == []


def test_sweep_and_study_warn_as_the_command_line():
    _, w = caught(richlazy.sweep, **SMALL, inits=["rank:1", "rank:2"], dataset="witvliet_2", seeds=1)
    assert [(x.message.key, x.message.code) for x in w] == [("dataset", "unused")]
    assert str(w[0].message).endswith("in every run of the sweep")
    _, w = caught(lambda **s: richlazy.study("grok", **s), mode="run", alphas=[1, 2], epochs=1, n=4, p=4)
    assert [x.message.key for x in w] == ["alphas"]


def test_an_empty_list_item_is_refused():
    with pytest.raises(ValueError, match="item 2 of 'rank:1,,rank:2' is empty"):
        richlazy.sweep(**SMALL, inits="rank:1,,rank:2", seeds=1)
