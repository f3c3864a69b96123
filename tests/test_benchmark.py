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
