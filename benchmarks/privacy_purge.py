"""The retention purge on Google Sheets: planning time, and the API requests
spent writing it, against the fake Sheets API holding the demo alliance.

The same planned cells (python -m organising privacy purge: personal cells
of rows past retention blanked, pseudonymous person ids written) are written
three ways, each on its own copy of the spreadsheet, in one run:

- app: Store.edit_cells (one values.batchGet of the tabs edited, then
  values.batchUpdate, RAW, up to 1,000 cells a request; each row found by
  its submission id and each cell checked to hold what was read);
- naive: gspread's Worksheet.update_cell, one request per cell, at the row
  and column the plan was made on (no check);
- peer: one Spreadsheet.values_batch_update of every cell at the row and
  column the plan was made on (as a competent gspread user would, no check).

The run stops if the three copies differ afterwards.

    python -m benchmarks.privacy_purge [--repeats 3]
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TODAY = dt.date(2026, 11, 22)
READS = ("values_get", "values_batch_get", "get_spreadsheet")
WRITES = ("values_append", "values_update", "values_batch_update", "batch_update", "values_clear")


def ten_alliances(config) -> dict:
    """The demo ten times over (other seeds, ids made unique): a larger sheet to plan for."""
    from organising.sheets import Tab
    from organising.tools.demo import SEED, demo_rows
    tabs: dict[str, Tab] = {}
    for n in range(10):
        for name, items in demo_rows(config.forms, TODAY, seed=SEED + n).items():
            header = config.form_for_tab(name).columns
            tab = tabs.setdefault(name, Tab(name, header, []))
            for sid, row in items:
                tab.rows.append([{**row, "submission_id": f"{n}-{sid}",
                                  "event_id": f"{n}-{row['event_id']}" if row.get("event_id") else ""}.get(h, "")
                                 for h in header])
    return tabs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    from integrations.google_sheets import GoogleSheetsStore, quoted, sheets_settings
    from organising.config import load_config
    from organising.counting.people import PERSON_ID
    from organising.privacy.retention import plan_purge
    from organising.sheets import Tab, column_letter
    from organising.tools.demo import load_demo
    from tests.conftest import sheets_secrets
    from tests.fakesheets import FakeSheets, gspread_client

    config = load_config()
    with FakeSheets() as fake, tempfile.TemporaryDirectory() as folder:
        def store_for(key: str) -> GoogleSheetsStore:
            return GoogleSheetsStore(sheets_settings(sheets_secrets(fake, key)), None)

        source = fake.create_spreadsheet("Demo alliance")
        load_demo(store_for(source), config.forms, TODAY)
        tabs = store_for(source).read_tabs(list(config.tabs))
        rows = sum(len(t.records()) for t in tabs.values())
        planning = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            plan, status = plan_purge(config, tabs, TODAY)
            planning.append(time.perf_counter() - started)
        edits = [c.edit for c in plan.changes]

        def copy() -> str:
            key = fake.create_spreadsheet("Copy")
            for name in fake.tabs(source):
                fake.set_values(key, name, fake.values(source, name))
            store = store_for(key)
            for name in plan.id_columns:  # as carry_out does first, for every way
                store.ensure_tab(name, [PERSON_ID])
            return key

        def columns(key: str) -> dict[tuple[str, str], int]:
            found = {}
            for name in {e.tab for e in edits}:
                header = fake.values(key, name)[0]
                for e in edits:
                    if e.tab == name:
                        found[(name, e.column)] = next(i for i, h in enumerate(header) if h == e.column)
            return found

        def app(key: str) -> None:
            assert all(r.done for r in store_for(key).edit_cells(edits))

        def naive(key: str) -> None:
            book = gspread_client(fake).open_by_key(key)
            where = columns(key)
            sheets = {name: book.worksheet(name) for name in {e.tab for e in edits}}
            for e in edits:
                sheets[e.tab].update_cell(e.row, where[(e.tab, e.column)] + 1, e.after)

        def peer(key: str) -> None:
            book = gspread_client(fake).open_by_key(key)
            where = columns(key)
            book.values_batch_update({"valueInputOption": "RAW", "data": [
                {"range": f"{quoted(e.tab)}!{column_letter(where[(e.tab, e.column)])}{e.row}", "values": [[e.after]]}
                for e in edits]})

        results, finals = {}, {}
        for name, write in (("app", app), ("naive", naive), ("peer", peer)):
            times, counts = [], None
            for _ in range(args.repeats):
                key = copy()
                fake.clear_log()
                started = time.perf_counter()
                write(key)
                times.append(time.perf_counter() - started)
                counts = (sum(fake.count(k) for k in READS), sum(fake.count(k) for k in WRITES))
                finals[name] = {t: fake.values(key, t) for t in fake.tabs(key)}
            results[name] = (counts, statistics.median(times))
        if not finals["app"] == finals["naive"] == finals["peer"]:
            print("The three ways left different sheets: the benchmark is wrong.", file=sys.stderr)
            return 1

    print(f"Demo alliance in the fake Google Sheets API: {rows:,} rows; retention {status.months} months as of "
          f"{TODAY:%d %B %Y}: {status.rows_past} rows past it; the plan changes {len(edits)} cells "
          f"({len(plan.removed)} personal, {len(edits) - len(plan.removed)} person ids) and adds "
          f"{len(plan.links)} Person merges rows.")
    print(f"Planning (plan_purge, every figure worked out before and after): median "
          f"{statistics.median(planning):.2f} s of {args.repeats}.")
    larger = ten_alliances(config)
    timings = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        big, _ = plan_purge(config, {n: Tab(n, t.header, t.rows) for n, t in larger.items()}, TODAY)
        timings.append(time.perf_counter() - started)
    print(f"Planning for ten demo alliances in one sheet ({sum(len(t.rows) for t in larger.values()):,} rows, "
          f"{len(big.changes):,} cells, figures changed: {len(big.changed_figures)}): median "
          f"{statistics.median(timings):.2f} s of {args.repeats}.")
    print()
    print("| way | read requests | write requests | minutes of the 60 writes/min quota | seconds (median) "
          "| rows checked at write time |")
    print("|---|---:|---:|---:|---:|---|")
    for name, ((reads, writes), seconds) in results.items():
        print(f"| {name} | {reads} | {writes} | {writes / 60:.2f} | {seconds:.2f} | "
              f"{'yes' if name == 'app' else 'no'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
