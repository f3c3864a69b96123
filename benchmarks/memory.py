"""Benchmark: what the shared read and what the pages work out from it hold
in memory, without a browser.

Builds the store benchmarks/pages.py builds (the demo alliance grown to
100,000 1:1s and 20,000 sign-ins), then, in a fresh process, opens every
page of the coordinator's menu as a coordinator with Streamlit's AppTest
(the pages' own scripts, the shared read in st.cache_resource as on the
server), twice: the second time within the same cache window, then once more
after a new read replaces the old. It reports the process's peak resident
size (VmHWM) and resident size now (VmRSS) against the same process after
opening the pages on an empty store (the app's own), the rows' own size in
pandas, and the biggest holders: the tabs themselves and each thing worked
out and kept on the shared read, counted once each (what one holder shares
with another counts with the first). Last, what one look of the workflow
worker at the tabs (once a minute on the server) takes on top.

Run from the repository root (about 2 minutes at 100,000, and a minute
more for each further run):

    python3 benchmarks/memory.py [--size 100000] [--runs 3] [--trace]

With --runs, each store is measured in that many fresh processes and the
medians are reported (the figures move by 10 MB or so between runs).

--trace also takes a tracemalloc snapshot and lists the lines that allocated
what is held at the end (slower).
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def deep_size(obj, seen: set[int]) -> int:
    """Bytes held by obj and everything it refers to not in `seen` (added
    to it); numpy arrays and pandas columns by their buffers, the objects of
    an object column once each."""
    import numpy as np
    import pandas as pd
    total = 0
    stack = [obj]
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, type):
            continue
        seen.add(id(item))
        if isinstance(item, pd.DataFrame):
            stack.extend(item[column] for column in item.columns)
            stack.append(item.index)
            continue
        if isinstance(item, (pd.Series, pd.Index)) and item.dtype == object:
            # Its objects once each, not as pandas' deep count does (once per cell that shares them).
            total += item.memory_usage(deep=False) if isinstance(item, pd.Index) else item.memory_usage(index=False)
            stack.extend(item.tolist())
            continue
        if isinstance(item, (pd.Series, pd.Index)):
            total += int(item.memory_usage(deep=True) if isinstance(item, pd.Index) else
                         item.memory_usage(deep=True, index=False))
            continue
        if isinstance(item, np.ndarray):
            total += item.nbytes if item.base is None else 0
            if item.dtype == object:
                stack.extend(item.ravel().tolist())
            continue
        total += sys.getsizeof(item)
        stack.extend(gc.get_referents(item))
    return total


def status_mb() -> dict[str, float]:
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return {name: int(fields[name].split()[0]) / 1024 for name in ("VmRSS", "VmHWM")}


def open_pages(pages) -> None:
    from streamlit.testing.v1 import AppTest
    from ui.session import User
    for info in pages:
        at = AppTest.from_file(str(REPO / info.path), default_timeout=600)
        at.session_state["user"] = User("Cora", "coordinator")
        at.run()
        if at.exception:
            raise RuntimeError(f"{info.title}: {at.exception[0].value}")


def shared_reads():
    from organising.sheets import Tabs
    gc.unfreeze()  # the latest read is frozen out of the collector's view (ui/data.py)
    gc.collect()
    return [o for o in gc.get_objects() if type(o) is Tabs]


def holders(reads) -> list[tuple[str, float]]:
    """(what, MB) for the tabs' cells and each thing kept on the reads (the
    shared read, and the read with a few more tabs that shares its tabs)."""
    seen: set[int] = set()
    tabs = {name: tab for read in reads for name, tab in read.items()}
    rows = [(f"tab {name}: rows", deep_size(tab.rows, seen)) for name, tab in tabs.items()]
    found = [(f"tab {name}: {_name(key)}", deep_size(value, seen))
             for name, tab in tabs.items() for key, value in tab._derived.items()]
    found += [(f"read: {_name(key)}", deep_size(value, seen)) for read in reads for key, value in read._derived.items()]
    together: dict[str, float] = {}
    for what, size in rows + found:
        together[what] = together.get(what, 0) + size / 1e6
    return sorted(together.items(), key=lambda item: -item[1])


def _name(key: tuple) -> str:
    first = key[0]
    return first if isinstance(first, str) else type(first).__name__


def worker_look() -> tuple[float, float]:
    """What one look of the workflow worker at the tabs (once a minute on
    the server) takes on top of what the process holds, in MB, and its
    seconds. The first look, which only notes the rows already there, is
    not the one measured."""
    from ui.workflows import worker
    looks = worker()  # the server's own (the Workflows page started it), holding the lease to look
    looks.stop()      # its thread looks no more: the looks measured are these
    looks.scan()
    held = status_mb()["VmRSS"]
    Path("/proc/self/clear_refs").write_text("5")  # the peak from here on
    started = time.perf_counter()
    if looks.scan() is None:
        raise RuntimeError("the worker could not take the lease to look at the tabs")
    return status_mb()["VmHWM"] - held, time.perf_counter() - started


def measure(size: int, trace: bool) -> None:
    """In this process: open every coordinator page twice, then after a new read."""
    import streamlit as st
    from ui.navigation import HOME, menu
    pages = [p for section in menu("coordinator").values() for p in section if p is not HOME]
    if trace:  # from here on: what the app's own imports take is not traced
        import tracemalloc
        tracemalloc.start(1)
    started = time.perf_counter()
    open_pages(pages)
    first = time.perf_counter() - started
    open_pages(pages)
    held = status_mb()  # its VmHWM: the peak of the first read and all worked out from it
    # A new read replaces the old one, as after a write.
    from ui.data import after_write
    after_write()
    open_pages(pages)
    after = status_mb()
    look_mb, look_seconds = worker_look()
    print(f"SIZE {size} first {first:.1f} held {held['VmRSS']:.0f} first-peak {held['VmHWM']:.0f} peak "
          f"{after['VmHWM']:.0f} after-new-read {after['VmRSS']:.0f} reads-alive {len(shared_reads())} "
          f"look-mb {look_mb:.0f} look-s {look_seconds:.2f}")
    for what, mb in holders(shared_reads())[:25]:  # last: counting takes memory of its own
        print(f"HOLDER {mb:8.1f} MB  {what}")
    if trace:
        snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
        print(f"TRACE peak {tracemalloc.get_traced_memory()[1] / 1e6:.0f} MB traced")
        for stat in snapshot.statistics("lineno")[:25]:
            print(f"TRACE {stat.size / 1e6:8.1f} MB  {stat.count:9,} blocks  {stat.traceback[0]}")
    st.cache_resource.clear()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="1:1s in the store")
    parser.add_argument("--runs", type=int, default=1, help="fresh processes per store; medians are reported")
    parser.add_argument("--trace", action="store_true", help="also list what allocated the memory held")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)  # the child process's part
    args = parser.parse_args(argv)
    if args.measure is not None:
        measure(args.measure, args.trace)
        return 0
    from benchmarks.pages import SIGN_INS_PER_1_1, app_config_dir, build_store, pandas_megabytes
    results = {}
    for size in (0, args.size):
        with tempfile.TemporaryDirectory(prefix="organising-memory-") as folder:
            folder = Path(folder)
            data = folder / "data"
            if size:
                build_store(data / "organising.sqlite3", size, int(size * SIGN_INS_PER_1_1), dt.date.today())
                in_pandas = pandas_megabytes(data / "organising.sqlite3")
            else:
                data.mkdir()
                in_pandas = 0.0
            env = {**os.environ, "ORGANISING_DATA_DIR": str(data),
                   "ORGANISING_CONFIG_DIR": str(app_config_dir(folder)),
                   "ORGANISING_SECRETS": str(folder / "no-secrets.toml")}
            runs = []
            for run in range(args.runs):
                child = subprocess.run([sys.executable, __file__, "--measure", str(size),
                                        *(["--trace"] * (args.trace and size > 0))],
                                       env=env, cwd=REPO, capture_output=True, text=True)
                if child.returncode:
                    print(child.stdout, child.stderr, file=sys.stderr)
                    return 1
                lines = child.stdout.splitlines()
                head = next(line.split() for line in lines if line.startswith("SIZE"))
                runs.append(dict(zip(head[2::2], map(float, head[3::2]))))
                if size:
                    print(f"run {run + 1}: " + " ".join(head[2:]))
                    if run == args.runs - 1:
                        print("\n".join(line for line in lines if not line.startswith("SIZE")))
            results[size] = (in_pandas, {name: statistics.median(r[name] for r in runs) for name in runs[0]})
    base = results[0][1]["peak"]
    in_pandas, figures = results[args.size]
    medians = f", median of {args.runs} runs" if args.runs > 1 else ""
    print(f"\n{args.size:,} 1:1s{medians}: rows in pandas {in_pandas:.0f} MB; "
          f"the app's own peak (empty store) {base:.0f} MB; "
          f"peak {figures['peak']:.0f} MB, so the rows add {figures['peak'] - base:.0f} MB = "
          f"{(figures['peak'] - base) / in_pandas:.1f}× their size in pandas; held within a cache window "
          f"{figures['held']:.0f} MB ({(figures['held'] - base) / in_pandas:.1f}×); peak before a new read "
          f"{figures['first-peak']:.0f} MB; after a new read "
          f"{figures['after-new-read']:.0f} MB; first open of every page {figures['first']:.1f} s; "
          f"the workflow worker's look at the tabs {figures['look-mb']:.0f} MB on top, {figures['look-s']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
