"""The "Open as notebook" export: every view's notebook (from `richlazy notebook VIEW`, the bytes the page
downloads) is valid nbformat, runs headless in a fresh kernel, and its check finds the embedded report
(the command line's --json for the same settings) equal to the package's to_json(), byte for byte."""

import json

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from conftest import cli, cli_json, flags

# Each view's small settings, and the command whose --json is the page's report for them.
VIEWS = {
    "lab": (dict(hidden=16, iters=20, every=10, init="rank", rank=3), ["run"]),
    "theory": (dict(dim=8, seeds=1, kappa=10), ["theory"]),
    "perceptron": (dict(d=8, ps="16,32", ats="1,100", seeds=2, pte=200, cap=20000), ["sgd", "perceptron"]),
    "phase": (dict(L=1, h=4, P=64, B=8, log2_alpha="-2,2", log2_T="-6,-4", cap=200), ["sgd", "grid"]),
    "grok": (dict(mode="eps", d=6, p=20, n=10, test=50, epochs=60, epss="0.01,0.1"), ["grok"]),
    "grok-map": (dict(mode="map", d=6, p=20, n=10, test=50, epochs=40, alphas="1,2", epss="0.01,0.1"), ["grok"]),
}


def notebook(view, settings, tmp_path, report=None):
    """`richlazy notebook VIEW --key value ... [--report FILE]`'s text."""
    args = ["notebook", view, *flags(settings)]
    if report is not None:
        path = tmp_path / "report.json"
        path.write_text(report)
        args += ["--report", str(path)]
    return cli(*args).stdout


def execute(text, tmp_path):
    """The notebook read, checked against nbformat's schema and run to the end in a fresh kernel."""
    nb = nbformat.reads(text, as_version=4)
    nbformat.validate(nb)
    # Byte for byte what nbformat itself writes: saving it from Jupyter unchanged changes nothing.
    assert nbformat.writes(nb) + "\n" == text
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    return nb


def output(nb, start):
    """The printed output of the code cell whose source starts with `start`."""
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith(start))
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def images(nb):
    return sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)


@pytest.mark.parametrize("name", VIEWS)
def test_each_views_notebook_reruns_the_view_and_matches_its_report(name, tmp_path):
    settings, command = VIEWS[name]
    view = name.split("-")[0]
    report = cli_json(*command, *flags(settings))
    nb = execute(notebook(view, settings, tmp_path, report), tmp_path)
    call = next(c.source for c in nb.cells if c.source.startswith("result = "))
    for key, value in settings.items():
        assert f"\n    {key}=" in call, f"{key} in {call}"
    assert "Check passed: to_json() is the page's result, byte for byte" in output(nb, "if page_json is None")
    assert images(nb) >= 1


def test_a_lab_comparison_is_the_sweep_run_for_run(tmp_path):
    settings = dict(hidden=16, iters=10, every=5)
    page = dict(compare="rank:1,gaussian", seeds=2)
    # The page exports a comparison as the list of its runs' reports.
    runs = json.loads(cli_json("sweep", "--inits", page["compare"], "--seeds", "2", *flags(settings)))["runs"]
    nb = execute(notebook("lab", {**settings, **page}, tmp_path, json.dumps(runs)), tmp_path)
    assert "richlazy.sweep(\n    inits=[\"rank:1\", \"gaussian\"]," in nb.cells[3].source
    assert "Check passed: the sweep's 4 runs are the page's" in output(nb, "if page_json is None")
    assert images(nb) == 1


def test_without_a_report_there_is_nothing_to_compare(tmp_path):
    nb = execute(notebook("theory", dict(dim=4, seeds=1), tmp_path), tmp_path)
    assert output(nb, "if page_json is None").startswith("Nothing to compare")


def test_a_report_that_differs_fails_the_check(tmp_path):
    settings = dict(dim=4, seeds=1)
    report = cli_json("theory", *flags(settings)).replace('"seeds":1', '"seeds":2', 1)
    with pytest.raises(CellExecutionError, match="differs from the page's result from character"):
        execute(notebook("theory", settings, tmp_path, report), tmp_path)


def test_a_bad_setting_is_refused_by_the_views_table(tmp_path):
    r = cli("notebook", "perceptron", "--ps", "16,x", check=False)
    assert (r.returncode, r.stdout) == (2, "") and "ps: 'x' is not a number" in r.stderr
