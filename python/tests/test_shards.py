"""Every sweeping command shards (`shard="K/N"`, `--shard K/N`) and `merge` joins the shards into the
unsharded report byte for byte, from Python and from the command line."""

import pytest
import richlazy
from conftest import cli, cli_json, flags
from test_studies import STUDIES

SWEEP = dict(inits="rank:1,rank:5,gaussian", rules="bptt,eprop", hidden=16, iters=20, every=10, seeds=2)
GROK_MAP = dict(mode="map", d=6, p=20, n=10, test=50, epochs=60, alphas="1,2", epss="0.01,0.1")
SWEEPING = {
    "sweep": (["sweep"], SWEEP),
    "perceptron": STUDIES["perceptron"],
    "phase": STUDIES["phase"],
    "grok": (["grok"], GROK_MAP),
}


def call(name, **settings):
    if name == "sweep":
        return richlazy.sweep(progress=False, threads=2, **settings)
    return richlazy.study(name, progress=False, **settings)


@pytest.mark.parametrize("name", SWEEPING)
def test_merged_shards_equal_the_unsharded_run(name, tmp_path):
    command, settings = SWEEPING[name]
    whole = call(name, **settings).to_json()
    parts = [call(name, shard=f"{k}/3", **settings) for k in range(3)]
    assert all(p.to_json() != whole for p in parts)
    # Any order of the parts.
    assert richlazy.merge([parts[2], parts[0], parts[1]]).to_json() == whole
    # The command line's shards, merged by the command line, are the same bytes.
    files = []
    for k in range(3):
        f = tmp_path / f"part-{k}.json"
        cli(*command, *flags(settings), "--shard", f"{k}/3", "--save", str(f))
        files.append(str(f))
    assert cli_json("merge", *files) == whole
    assert richlazy.merge(files).to_json() == whole


def test_a_missing_doubled_or_foreign_shard_is_refused():
    command, settings = SWEEPING["perceptron"]
    parts = [call("perceptron", shard=f"{k}/2", **settings) for k in range(2)]
    with pytest.raises(ValueError, match="shard"):
        richlazy.merge(parts[:1])
    with pytest.raises(ValueError, match="shard"):
        richlazy.merge([parts[0], parts[0], parts[1]])
    other = call("perceptron", shard="1/2", **dict(settings, seed=5))
    with pytest.raises(ValueError):
        richlazy.merge([parts[0], other])
