"""The dashboard benchmark runs, and its row-by-row reference gives the app's figures."""
from __future__ import annotations

import importlib.util

from tests.conftest import REPO


def test_the_benchmark_agrees_with_its_row_by_row_reference(capsys):
    spec = importlib.util.spec_from_file_location("dashboard_data", REPO / "benchmarks" / "dashboard_data.py")
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    assert benchmark.main(["--sizes", "1000", "--repeats", "1"]) == 0  # it stops if the two disagree
    assert "| 1,000 |" in capsys.readouterr().out


def test_the_workflows_benchmark_runs_and_every_delivery_arrives(capsys, monkeypatch, tmp_path):
    for name in ("ORGANISING_DATA_DIR", "ORGANISING_WORKFLOWS", "ORGANISING_SECRETS"):
        monkeypatch.setenv(name, str(tmp_path / name))  # the benchmark sets its own; put them back after
    spec = importlib.util.spec_from_file_location("workflows_benchmark", REPO / "benchmarks" / "workflows.py")
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    assert benchmark.main(["--submissions", "5", "--deliveries", "20"]) == 0  # it stops if one did not arrive
    out = capsys.readouterr().out
    assert "| workflows on (recorded, sent in the background) |" in out and "| app's sender" in out
