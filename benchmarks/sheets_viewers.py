"""Google Sheets API calls per minute with 1, 10 and 50 dashboard viewers, against the fake.

Shared: every viewer refreshes through the app's own read path (ui.data.all_tabs:
one st.cache_data entry per cache period over the Google Sheets store).
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
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
VIEWER_COUNTS = (1, 10, 50)
CACHE_SECONDS = 60      # config/settings.yaml cache_seconds
REFRESH_SECONDS = 60    # pages/dashboard.py @st.fragment(run_every=60)
METADATA_SECONDS = 300  # integrations/google_sheets.py _METADATA_SECONDS
READS = ("values_get", "values_batch_get", "get_spreadsheet")
WRITES = ("values_append", "values_update", "values_clear", "batch_update")


def configure(workdir: Path, fake, key: str, speedup: int) -> None:
    """Point the app at the fake through its own settings: a config copy with the
    cache period scaled down, and a secrets file (never the repo's .streamlit/)."""
    from tests.conftest import sheets_secrets, toml_text

    config = workdir / "config"
    shutil.copytree(REPO / "config", config)
    settings = yaml.safe_load((config / "settings.yaml").read_text())
    settings["cache_seconds"] = CACHE_SECONDS // speedup
    (config / "settings.yaml").write_text(yaml.safe_dump(settings))
    secrets = workdir / "secrets.toml"
    secrets.write_text(toml_text(sheets_secrets(fake, key)))
    os.environ.update(ORGANISING_STORE="google_sheets", ORGANISING_SECRETS=str(secrets),
                      ORGANISING_CONFIG_DIR=str(config), ORGANISING_DATA_DIR=str(workdir / "data"))


def watch(viewers: int, seconds: float, refresh: float, read) -> None:
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


def start_of_period(period: float) -> float:
    """Wait for a cache period to begin, so each simulated minute holds one period."""
    time.sleep(period - time.time() % period + 0.01)
    return time.time()


def per_minute(fake, kinds, since: float, minute: float, minutes: int) -> tuple[float, int]:
    """(mean, busiest) calls of these kinds per simulated minute."""
    buckets = [0] * minutes
    for entry in list(fake.log):
        bucket = int((entry.time - since) // minute)
        if entry.kind in kinds and 0 <= bucket < minutes:
            buckets[bucket] += 1
    return statistics.mean(buckets), max(buckets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=int, default=5, help="simulated minutes per run")
    parser.add_argument("--speedup", type=int, default=20, choices=(1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60),
                        help="time compression (the cache period must stay a whole number of seconds)")
    args = parser.parse_args()
    minute = 60 / args.speedup

    from streamlit import logger

    from integrations import google_sheets

    logger.set_log_level("error")  # outside a Streamlit server every cached call warns
    from tests.fakesheets import FakeSheets, gspread_client

    google_sheets._METADATA_SECONDS = METADATA_SECONDS / args.speedup
    with FakeSheets() as fake, tempfile.TemporaryDirectory() as tmp:
        key = fake.create_spreadsheet("Alliance")
        configure(Path(tmp), fake, key, args.speedup)
        import streamlit as st

        from organising.demo import demo_rows, load_demo
        from organising.sheets import SUBMISSION_ID
        from ui import data

        app = data.config()
        load_demo(data.store(), app.forms)
        tabs = data.known_tabs()
        naive = gspread_client(fake).open_by_key(key)
        print(f"Demo alliance: {sum(len(fake.values(key, t)) for t in tabs)} rows in {len(tabs)} tabs; "
              f"time compressed {args.speedup}x (cache period {CACHE_SECONDS // args.speedup} s, refresh every "
              f"{REFRESH_SECONDS / args.speedup:g} s, one simulated minute = {minute:g} s); "
              f"{args.minutes} simulated minutes per run.\n")
        print("| viewers | shared: reads/min (busiest minute) | of which tab list | "
              "naive: reads/min (busiest minute) | naive if the fake kept up |")
        print("|---:|---:|---:|---:|---:|")
        for viewers in VIEWER_COUNTS:
            results = []
            for read in (data.all_tabs, lambda: [naive.values_get(f"'{tab}'") for tab in tabs]):
                st.cache_data.clear()
                since = start_of_period(minute)
                watch(viewers, args.minutes * minute, REFRESH_SECONDS / args.speedup, read)
                results.append([per_minute(fake, kinds, since, minute, args.minutes)
                                for kinds in (READS, ("get_spreadsheet",))])
            (shared, tab_list), (naive_reads, _) = results
            print(f"| {viewers} | {shared[0]:.1f} ({shared[1]}) | {tab_list[0]:.1f} | "
                  f"{naive_reads[0]:.1f} ({naive_reads[1]}) | {viewers * len(tabs)} |")

        # Volunteers submitting while 10 viewers watch: writes per submission.
        form = app.forms["cag_signup"]
        template = demo_rows(app.forms)[form.tab][0][1]
        submissions = 0
        st.cache_data.clear()
        since = start_of_period(minute)

        def submit_every_minute() -> None:
            nonlocal submissions
            time.sleep(minute / 2)  # mid-period, as people do: not when the shared read is renewed anyway
            for _ in range(args.minutes):
                submission_id = uuid.uuid4().hex
                # What ui.formview does on Submit: one append_row, then refresh the shared read.
                data.store().append_row(form.tab, {**template, SUBMISSION_ID: submission_id},
                                        submission_id, form.aliases)
                data.after_write()
                submissions += 1
                time.sleep(minute)

        volunteer = threading.Thread(target=submit_every_minute)
        volunteer.start()
        watch(10, args.minutes * minute, REFRESH_SECONDS / args.speedup, data.all_tabs)
        volunteer.join()
        writes = {kind: sum(1 for e in fake.log if e.kind == kind and e.time >= since) for kind in WRITES}
        for entry in fake.log:  # the store's duplicate check reads row 1 and the id column
            if entry.kind == "values_batch_get" and "!1:1" in str(entry.query.get("ranges")):
                entry.kind = "duplicate_check"
        reads = {kind: per_minute(fake, (kind,), since, minute, args.minutes)
                 for kind in (*READS, "duplicate_check")}
        everything = per_minute(fake, (*READS, "duplicate_check"), since, minute, args.minutes)
        print(f"\nOne submission per minute while 10 viewers watch: {submissions} submissions, "
              f"{writes['values_append']} values.append calls "
              f"({writes['values_append'] / submissions:g} per submission), other write calls: "
              f"{sum(writes.values()) - writes['values_append']}. Reads per minute: "
              f"{everything[0]:.1f} (busiest minute {everything[1]}) = "
              f"{reads['values_batch_get'][0]:.1f} shared reads (renewed each period and after each write) + "
              f"{reads['duplicate_check'][0]:.1f} duplicate checks before appending + "
              f"{reads['values_get'][0] + reads['get_spreadsheet'][0]:.1f} other (tab list).")
        data.store().close()


if __name__ == "__main__":
    main()
