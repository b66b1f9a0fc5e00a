"""A sweep's shards as a Slurm job array on a single-node cluster started here, merged, equal byte for
byte to the unsharded run. `RICHLAZY_SLURM=1` (test.sh sets it) makes a missing Slurm a failure."""

import os

import pytest
from conftest import CLI, cli, cli_json, flags
from slurm import Cluster, available

SETTINGS = dict(inits="rank:1,rank:5,gaussian,orthogonal", hidden=16, iters=30, every=10, seeds=2)
SHARDS = 4


@pytest.fixture
def cluster(tmp_path):
    why = available()
    if why:
        if os.environ.get("RICHLAZY_SLURM") == "1":
            pytest.fail(f"Slurm cannot start: {why}")
        pytest.skip(why)
    c = Cluster(tmp_path / "slurm")
    try:
        yield c.start()
    finally:
        c.stop()


def test_a_slurm_job_array_of_shards_merges_into_the_unsharded_sweep(cluster, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    command = " ".join(
        [str(CLI), "sweep", *flags(SETTINGS), "--threads", "1", "--shard", f"$SLURM_ARRAY_TASK_ID/{SHARDS}",
         "--save", f"{out}/part-$SLURM_ARRAY_TASK_ID.json"]
    )
    job = cluster.sbatch(f"--array=0-{SHARDS - 1}", f"--output={out}/log-%a.txt", "--wrap", command)
    cluster.wait(job)
    parts = sorted(str(p) for p in out.glob("part-*.json"))
    assert len(parts) == SHARDS, [p.read_text() for p in out.glob("log-*.txt")]
    assert cli_json("merge", *parts) == cli_json("sweep", *flags(SETTINGS))
