"""Google Sheets API calls per minute with 1, 10 and 50 dashboard viewers, against the fake.

Shared: every viewer refreshes through the app's own read path (ui.data.all_tabs:
one shared st.cache_resource entry per cache period over the Google Sheets store).
Naive: every viewer, at every refresh, reads each tab with its own values.get.
Both run in the same process against one fake server (tests/fakesheets) holding
the demo alliance; reads and writes are counted from the fake's request log.

Time is compressed: the cache period (settings cache_seconds, 60 s), the
dashboard's refresh (run_every=60 s) and the store's tab-list refresh (300 s)
are all divided by --speedup, and figures are given per simulated minute.

    python -m benchmarks.sheets_viewers [--minutes 5] [--speedup 20]
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

REPO = Path(__file__).resolve().parent.parent
VIEWER_COUNTS = (1, 10, 50)
CACHE_SECONDS = 60      # config/settings.yaml cache_seconds
REFRESH_SECONDS = 60    # pages/dashboard.py @st.fragment(run_every=60)
METADATA_SECONDS = 300  # integrations/google_sheets.py _METADATA_SECONDS
READS = ("values_get", "values_batch_get", "get_spreadsheet")
WRITES = ("values_append", "values_update", "values_clear", "batch_update")
DUPLICATE_CHECK = "duplicate_check"


def app_environment(workdir: Path, fake, key: str, speedup: int) -> dict[str, str]:
    """Environment pointing the app at the fake through its own settings: a config copy
    with the cache period scaled down, and a secrets file (never the repo's .streamlit/)."""
    from tests.conftest import sheets_secrets, toml_text

    config = workdir / "config"
    shutil.copytree(REPO / "config", config)
    settings = yaml.safe_load((config / "settings.yaml").read_text())
    settings["cache_seconds"] = CACHE_SECONDS // speedup
    (config / "settings.yaml").write_text(yaml.safe_dump(settings))
    secrets = workdir / "secrets.toml"
    secrets.write_text(toml_text(sheets_secrets(fake, key)))
    return {"ORGANISING_STORE": "google_sheets", "ORGANISING_SECRETS": str(secrets),
            "ORGANISING_CONFIG_DIR": str(config), "ORGANISING_DATA_DIR": str(workdir / "data")}


def watch(viewers: int, seconds: float, refresh: float, read: Callable[[], object]) -> None:
    """`viewers` threads, each calling read() every `refresh` seconds from a random start."""
    stop = threading.Event()

    def viewer() -> None:
        stop.wait(random.uniform(0, refresh))
        while not stop.is_set():
            started = time.monotonic()
            read()
            stop.wait(max(0.0, refresh - (time.monotonic() - started)))

    threads = [threading.Thread(target=viewer, daemon=True) for _ in range(viewers)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()


@dataclass(frozen=True)
class PerMinute:
    mean: float
    busiest: int

    def __str__(self) -> str:
        return f"{self.mean:.1f} ({self.busiest})"


class Bench:
    """The app on Google Sheets (the fake, holding the demo alliance), in this process.
    Call from inside the environment app_environment() returns."""

    def __init__(self, fake, key: str, speedup: int, minutes: int):
        from organising.tools.demo import load_demo
        from ui import data

        self.fake, self.key, self.minutes = fake, key, minutes
        self.minute = 60 / speedup
        self.refresh = REFRESH_SECONDS / speedup
        self.data = data
        self.forms = data.config().forms
        load_demo(data.store(), self.forms)
        # The naive way reads every tab the sheet has of those the app reads (the demo leaves some empty, never created).
        self.tabs = [t for t in data.config().tabs if t in data.store().tab_names()]

    def per_minute(self, kinds: tuple[str, ...], since: float) -> PerMinute:
        """Calls of these kinds in each simulated minute from `since`."""
        buckets = [0] * self.minutes
        for entry in list(self.fake.log):
            bucket = int((entry.time - since) // self.minute)
            if entry.kind in kinds and 0 <= bucket < self.minutes:
                buckets[bucket] += 1
        return PerMinute(statistics.mean(buckets), max(buckets))

    def _start(self) -> float:
        """Start on a fresh cache, as a cache period begins: each simulated minute then holds one period."""
        self.data.after_write()
        time.sleep(self.minute - time.time() % self.minute + 0.01)
        return time.time()

    def shared(self, viewers: int) -> tuple[PerMinute, PerMinute]:
        """(all reads, tab-list reads) per minute with viewers on the app's shared read."""
        since = self._start()
        watch(viewers, self.minutes * self.minute, self.refresh, self.data.all_tabs)
        return self.per_minute(READS, since), self.per_minute(("get_spreadsheet",), since)

    def naive(self, viewers: int) -> PerMinute:
        from tests.fakesheets import gspread_client
        book = gspread_client(self.fake).open_by_key(self.key)
        since = self._start()
        watch(viewers, self.minutes * self.minute, self.refresh,
              lambda: [book.values_get(f"'{tab}'") for tab in self.tabs])
        return self.per_minute(READS, since)

    def submitting(self, viewers: int) -> dict:
        """One CAG sign-up per minute, made as the form page makes it, while viewers watch."""
        from organising.tools.demo import demo_rows
        from organising.sheets import SUBMISSION_ID
        form = self.forms["cag_signup"]
        template = demo_rows(self.forms)[form.tab][0][1]
        made = []

        def volunteer() -> None:
            time.sleep(self.minute / 2)  # mid-period, as people do: not when the shared read renews anyway
            for _ in range(self.minutes):
                submission_id = uuid.uuid4().hex
                # What ui.formview does on Submit: one append_row, then refresh the shared read.
                self.data.store().append_row(form.tab, {**template, SUBMISSION_ID: submission_id},
                                             submission_id, form.aliases)
                self.data.after_write()
                made.append(submission_id)
                time.sleep(self.minute)

        since = self._start()
        submitter = threading.Thread(target=volunteer)
        submitter.start()
        watch(viewers, self.minutes * self.minute, self.refresh, self.data.all_tabs)
        submitter.join()
        for entry in self.fake.log:  # the store's duplicate check reads row 1 and the id column
            if entry.kind == "values_batch_get" and "!1:1" in str(entry.query.get("ranges")):
                entry.kind = DUPLICATE_CHECK
        writes = {kind: sum(1 for e in self.fake.log if e.kind == kind and e.time >= since) for kind in WRITES}
        return {"submissions": len(made), "appends": writes["values_append"],
                "other_writes": sum(writes.values()) - writes["values_append"],
                "reads": self.per_minute((*READS, DUPLICATE_CHECK), since),
                "shared_reads": self.per_minute(("values_batch_get",), since),
                "duplicate_checks": self.per_minute((DUPLICATE_CHECK,), since),
                "other_reads": self.per_minute(("values_get", "get_spreadsheet"), since)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=int, default=5, help="simulated minutes per run")
    parser.add_argument("--speedup", type=int, default=20, choices=(1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60),
                        help="time compression (the cache period must stay a whole number of seconds)")
    args = parser.parse_args()

    from streamlit import logger

    from integrations import google_sheets
    from tests.fakesheets import FakeSheets

    logger.set_log_level("error")  # outside a Streamlit server every cached call warns
    google_sheets._METADATA_SECONDS = METADATA_SECONDS / args.speedup
    with FakeSheets() as fake, tempfile.TemporaryDirectory() as tmp:
        key = fake.create_spreadsheet("Alliance")
        os.environ.update(app_environment(Path(tmp), fake, key, args.speedup))
        bench = Bench(fake, key, args.speedup, args.minutes)
        print(f"Demo alliance: {sum(len(fake.values(key, t)) for t in bench.tabs)} rows in {len(bench.tabs)} "
              f"tabs; time compressed {args.speedup}x (cache period {CACHE_SECONDS // args.speedup} s, refresh "
              f"every {bench.refresh:g} s, one simulated minute = {bench.minute:g} s); "
              f"{args.minutes} simulated minutes per run.\n")
        print("| viewers | shared: reads/min (busiest minute) | of which tab list | "
              "naive: reads/min (busiest minute) | naive if the fake kept up |")
        print("|---:|---:|---:|---:|---:|")
        for viewers in VIEWER_COUNTS:
            shared, tab_list = bench.shared(viewers)
            print(f"| {viewers} | {shared} | {tab_list.mean:.1f} | {bench.naive(viewers)} | "
                  f"{viewers * len(bench.tabs)} |")
        run = bench.submitting(10)
        print(f"\nOne submission per minute while 10 viewers watch: {run['submissions']} submissions, "
              f"{run['appends']} values.append calls ({run['appends'] / run['submissions']:g} per submission), "
              f"other write calls: {run['other_writes']}. Reads per minute: {run['reads']} = "
              f"{run['shared_reads'].mean:.1f} shared reads (renewed each period and after each write) + "
              f"{run['duplicate_checks'].mean:.1f} duplicate checks before appending + "
              f"{run['other_reads'].mean:.1f} other (tab list).")
        bench.data.store().close()


if __name__ == "__main__":
    main()
