"""Many people watching a dashboard cost no more Google reads than one (benchmarks/sheets_viewers.py, short)."""
from __future__ import annotations

import pytest

from benchmarks.sheets_viewers import METADATA_SECONDS, Bench, app_environment

SPEEDUP = 30  # one simulated minute every 2 seconds
MINUTES = 3


@pytest.fixture
def bench(fake_sheets, tmp_path, monkeypatch):
    from integrations import google_sheets
    key = fake_sheets.create_spreadsheet("Alliance")
    for name, value in app_environment(tmp_path, fake_sheets, key, SPEEDUP).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(google_sheets, "_METADATA_SECONDS", METADATA_SECONDS / SPEEDUP)
    bench = Bench(fake_sheets, key, SPEEDUP, MINUTES)
    yield bench
    bench.data.store().close()


def test_ten_viewers_cost_at_most_two_reads_a_minute_while_the_naive_way_grows_with_them(bench):
    crowd, _ = bench.shared(10)
    assert crowd.busiest <= 2
    naive = bench.naive(10)
    assert naive.mean >= 5 * crowd.mean  # 10 viewers x 4 tabs a minute, as far as this machine keeps up


def test_each_submission_is_one_append_and_no_other_write(bench):
    run = bench.submitting(5)
    assert run["submissions"] == MINUTES
    assert run["appends"] == MINUTES and run["other_writes"] == 0
