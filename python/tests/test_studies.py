"""Each study from Python gives the command line's JSON byte for byte."""

import pytest
import richlazy
from conftest import cli_json, flags

# Small settings for each study, and the command that runs it.
STUDIES = {
    "theory": (["theory"], dict(dim=8, seeds=1, kappa=10)),
    "perceptron": (["sgd", "perceptron"], dict(d=8, ps="16,32", ats="1,100", seeds=2, pte=200, cap=20000)),
    "phase": (["sgd", "grid"], dict(L=1, h=4, P=64, B=8, log2_alpha="-2,2", log2_T="-6,-4", cap=200)),
    "grok": (["grok"], dict(mode="eps", d=6, p=20, n=10, test=50, epochs=60, epss="0.01,0.1")),
}


@pytest.mark.parametrize("name", STUDIES)
def test_study_json_equals_the_command_line(name):
    command, settings = STUDIES[name]
    r = richlazy.study(name, progress=False, **settings)
    assert r.to_json() == cli_json(*command, *flags(settings))
    assert r.table.strip()


def test_the_registry_and_schemas_are_the_engines():
    names = [n for n, _ in richlazy.studies()]
    assert names == ["lab", "theory", "perceptron", "phase", "grok"]
    lab = richlazy.schema("lab")
    keys = [p["key"] for p in lab["params"]]
    assert {"task", "init", "rank", "iters", "seed", "rule"} <= set(keys)
    assert "orthogonal" in [f["key"] for f in lab["families"]]


def test_the_committed_stubs_are_the_engines_tables():
    from pathlib import Path

    from richlazy.stubs import stubs

    committed = Path(richlazy.__file__).with_name("__init__.pyi").read_text()
    assert committed == stubs(), "run: python -m richlazy.stubs > python/richlazy/__init__.pyi"
    assert "    rank: Optional[int] = None,  # " in committed
