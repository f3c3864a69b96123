"""Benchmark: how long each coordinator page takes to open in Chromium, and
the server's peak memory, at 10,000 and 100,000 1:1s.

For each size it builds an embedded store holding the demo alliance grown
to that many 1:1s (and a fifth as many sign-ins), runs `streamlit run` on
it, signs in as a coordinator on Home and opens every page of the
coordinator's menu from Home's links, 3 times each. A page counts as opened
when its script run has finished: from the click to the server's
script_finished message reaching the browser (then tests/browser.py
wait_for_run_to_end sees the page settle). In the same run it times the
floor: a bare Streamlit page (benchmarks/pages_floor.py) that shows the
1:1s tab's rows, read once, in one st.dataframe, opened as often as each
page both before and after the app's pages; and submitting a 1:1 (from
Submit to the confirmation on screen) then opening the dashboard (the first
read after a write). Peak memory is the server process's peak resident
size (VmHWM), set against the size of the store's rows as pandas DataFrames
(memory_usage(deep=True)).

Run from the repository root (about 14 minutes; it queues behind other
browser tests for the machine's browser lock):

    python3 benchmarks/pages.py [--sizes 10000 100000] [--repeats 3] [--pages Dashboard Records]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SEED = 20261201
SIGN_INS_PER_1_1 = 0.2  # 20,000 sign-ins at 100,000 1:1s
ONE_TO_ONES = "1:1s"
def build_store(path: Path, one_to_ones: int, sign_ins: int, today: dt.date) -> dict[str, int]:
    """The demo alliance in a new embedded store at `path`, its 1:1s and
    sign-ins grown to these numbers with rows like the demo's (about 3% of
    dates and 1% of areas typed so that Data quality lists them). Returns
    rows per tab."""
    from benchmarks.dashboard_data import typed_date
    from integrations.sqlite_store import SQLiteStore
    from organising.config import load_config
    from organising.tools.demo import demo_rows, programme_years

    config = load_config()
    rows = demo_rows(config.forms, today)
    rng = random.Random(SEED + one_to_ones)
    first = dt.date(programme_years(today)[0], 9, 1)
    days = (today - first).days
    listening = rows[config.forms["listening"].tab]
    templates = [row for _, row in listening]
    for n in range(len(listening), one_to_ones):
        day = first + dt.timedelta(days=rng.randrange(days))
        row = dict(rng.choice(templates), conversation_date=typed_date(day, rng) if rng.random() < 0.1
                   else day.isoformat(), submitted_at=f"{day.isoformat()}T12:{n % 60:02d}:00Z")
        # What people said is theirs: no two stories alike, as in a real sheet.
        row["what_they_said"] = f"{row['what_they_said']} ({n})"
        if rng.random() < 0.01:
            row["participant_area"] = rng.choice(["Fishermead estate", "the lakes", "??"])
        listening.append((f"bench-1to1-{n}", row))
    attendance = rows[config.forms["attendance"].tab]
    templates = [row for _, row in attendance]
    for n in range(len(attendance), sign_ins):
        attendance.append((f"bench-signin-{n}", dict(rng.choice(templates))))

    store = SQLiteStore(path)
    by_tab = {f.tab: f for f in config.forms.values()}
    for tab, items in rows.items():
        form = by_tab[tab]
        store.ensure_tab(tab, form.columns, form.aliases)
        for start in range(0, len(items), 1000):
            store.append_rows(tab, items[start:start + 1000], form.aliases)
    return {tab: len(items) for tab, items in rows.items()}


def pandas_megabytes(path: Path) -> float:
    """The store's rows as pandas DataFrames (one per tab, pandas' own
    column types), in MB: the rows' own size."""
    import pandas as pd
    from integrations.sqlite_store import SQLiteStore
    store = SQLiteStore(path)
    total = 0
    for tab in store.read_tabs(store.tab_names()).values():
        width = len(tab.header)
        frame = pd.DataFrame([row + [""] * (width - len(row)) for row in tab.rows], columns=tab.header)
        total += int(frame.memory_usage(deep=True).sum())
    return total / 1e6


def server_pid(port: int) -> int:
    """The `streamlit run` process serving on this port."""
    wanted = f"--server.port\0{port}\0".encode()
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and wanted in (proc / "cmdline").read_bytes():
                return int(proc.name)
        except OSError:
            continue
    raise RuntimeError(f"no server on port {port}")


def memory_mb(pid: int) -> dict[str, float]:
    """The process's resident size now (VmRSS) and at its peak (VmHWM), in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {name: int(fields[name].split()[0]) / 1024 for name in ("VmRSS", "VmHWM")}


class RunWatch:
    """When each script run of the page ends: the server's script_finished
    message, taken off the page's websocket as it arrives."""

    def __init__(self, page):
        self.page = page
        self.finished: list[float] = []
        page.on("websocket", lambda socket: socket.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        if not isinstance(payload, (bytes, bytearray)):
            return
        message = ForwardMsg()
        message.ParseFromString(bytes(payload))
        if message.WhichOneof("type") == "script_finished" \
                and message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
            self.finished.append(time.perf_counter())

    def seconds(self, act, path: str | None = None) -> float:
        """Seconds from act() until the first whole script run after it
        has ended (with `path` shown, when given)."""
        from tests.browser import wait_for_run_to_end
        started = time.perf_counter()
        act()
        deadline = started + float(os.environ.get("PAGES_TIMEOUT", "300"))
        while not any(t > started for t in self.finished):
            if time.perf_counter() > deadline:
                raise TimeoutError(f"no script run ended within {deadline - started:.0f} s")
            self.page.wait_for_timeout(10)  # frames are taken off the socket while Playwright waits
        ended = next(t for t in self.finished if t > started)
        if path:
            self.page.wait_for_function("path => location.pathname.endsWith(path)", arg=path)
        wait_for_run_to_end(self.page)
        return ended - started


def url_path(script: str) -> str:
    return "/" + Path(script).stem


def sign_in(page, url: str) -> None:
    page.goto(url)
    page.get_by_text("Coordinator", exact=True).click()
    page.get_by_label("Your name").fill("Cora")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as").wait_for()


def open_page(page, runs: RunWatch, title: str, script: str) -> float:
    """Go Home (not timed), then open the page from Home's link (timed)."""
    runs.seconds(page.get_by_role("link", name="Home", exact=True).first.click)
    page.get_by_text("Signed in as").wait_for()
    seconds = runs.seconds(page.get_by_role("link", name=title, exact=True).last.click, url_path(script))
    if page.get_by_test_id("stException").count():
        raise RuntimeError(f"{title} shows an exception")
    return seconds


def submit_one_to_one(page, runs: RunWatch) -> float:
    """Record a 1:1 as a volunteer would; seconds from Submit to the
    confirmation on screen (the first run to end after the click is not
    always the save's: one still ending from the last answer can be)."""
    from tests.browser import fill_in, pick, wait_for_run_to_end
    from tests.journeys import INSTITUTION, LISTENER, SAVED
    another = page.get_by_role("button", name="Record another 1:1")
    if another.count():  # the last one's confirmation is still shown
        another.click()
    page.get_by_role("button", name="Submit").wait_for()
    wait_for_run_to_end(page)
    day = page.get_by_role("spinbutton", name=re.compile(r"^day, Date of the conversation"))
    if day.get_attribute("aria-valuenow") is None:  # the form did not start from today
        day.click()
        page.keyboard.type(dt.date.today().strftime("%d%m%Y"))
    fill_in(page, {"Your name (the listener) *": LISTENER, "Your institution *": INSTITUTION,
                   "What they said *": "The lift has been broken for a month."},
            {"Where they live *": "Fishermead", "What issues came up? *": "Housing"})
    pick(page, "Could this person be a leader? *", "No")
    wait_for_run_to_end(page)
    started = time.perf_counter()
    page.get_by_role("button", name="Submit").click()
    page.get_by_text(SAVED).wait_for()
    seconds = time.perf_counter() - started
    wait_for_run_to_end(page)
    return seconds


def app_config_dir(folder: Path) -> Path:
    """The app's config with a cache period longer than a run, so every
    open but the ones after a write is within one cache window."""
    target = folder / "config"
    shutil.copytree(REPO / "config", target)
    settings = target / "settings.yaml"
    settings.write_text(settings.read_text().replace("cache_seconds: 60", "cache_seconds: 3600"))
    return target


def measure_app(env: dict[str, str], log: Path, pages, repeats: int) -> tuple[dict[str, list[float]], dict]:
    from tests.browser import chromium_page, free_port, running_app
    port = free_port()
    times: dict[str, list[float]] = {}
    with running_app(env, log, port=port) as url, chromium_page(width=1400, height=1000) as page:
        pid = server_pid(port)
        at_start = memory_mb(pid)["VmRSS"]
        runs = RunWatch(page)
        sign_in(page, url)
        for info in pages:
            for _ in range(repeats):
                times.setdefault(info.title, []).append(open_page(page, runs, info.title, info.path))
            print(f"  {info.title}: {statistics.median(times[info.title]):.2f} s", flush=True)
        for _ in range(repeats):
            open_page(page, runs, "Record a 1:1", "pages/listening.py")
            times.setdefault("submitting a 1:1, to its confirmation", []).append(submit_one_to_one(page, runs))
            times.setdefault("Dashboard, first open after a write", []).append(
                open_page(page, runs, "Dashboard", "pages/dashboard.py"))
        memory = {"start": at_start, **memory_mb(pid)}
    return times, memory


def measure_floor(env: dict[str, str], log: Path, repeats: int) -> tuple[list[float], dict]:
    from tests.browser import chromium_page, free_port, running_app
    port = free_port()
    times = []
    with running_app(env, log, port=port, script="benchmarks/pages_floor.py") as url, \
            chromium_page(width=1400, height=1000) as page:
        pid = server_pid(port)
        at_start = memory_mb(pid)["VmRSS"]
        runs = RunWatch(page)
        page.goto(url)
        page.get_by_text("Nothing here").wait_for()
        rows = page.get_by_role("link", name="Rows", exact=True)
        runs.seconds(rows.click, "/rows")  # reads the rows once
        for _ in range(repeats):
            runs.seconds(page.get_by_role("link", name="Start", exact=True).click)
            times.append(runs.seconds(rows.click, "/rows"))
        memory = {"start": at_start, **memory_mb(pid)}
    return times, memory


def label(size: int) -> str:
    return f"{size:,}" if size else "demo"


def main(argv: list[str] | None = None) -> int:
    from ui.navigation import HOME, menu
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 10_000, 100_000],
                        help="1:1s in the store; 0: the demo alone, whose peak memory is the app's own")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pages", nargs="*", default=[], help="only the pages with these titles")
    args = parser.parse_args(argv)
    pages = [p for section in menu("coordinator").values() for p in section
             if p is not HOME and (not args.pages or p.title in args.pages)]
    results = {}
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="organising-pages-") as folder:
            folder = Path(folder)
            data = folder / "data"
            started = time.perf_counter()
            rows = build_store(data / "organising.sqlite3", size, int(size * SIGN_INS_PER_1_1), dt.date.today())
            print(f"{label(size)} 1:1s: store built in {time.perf_counter() - started:.0f} s "
                  f"({sum(rows.values()):,} rows in {len(rows)} tabs)", flush=True)
            env = {"ORGANISING_DATA_DIR": str(data), "ORGANISING_CONFIG_DIR": str(app_config_dir(folder)),
                   "ORGANISING_SECRETS": str(folder / "no-secrets.toml")}
            # The floor is opened before and after the app's pages: a machine busier in one half of
            # the run than in the other moves both sides of the ratio alike.
            floor, floor_memory = measure_floor(env, folder / "floor.log", args.repeats)
            times, memory = measure_app(env, folder / "app.log", pages, args.repeats)
            floor += measure_floor(env, folder / "floor-after.log", args.repeats)[0]
            print(f"  floor (the 1:1s in one st.dataframe): {statistics.median(floor):.2f} s", flush=True)
            results[size] = (statistics.median(floor), {k: statistics.median(v) for k, v in times.items()},
                             memory, floor_memory, pandas_megabytes(data / "organising.sqlite3"))
    print(f"\nMedian of {args.repeats} opens, seconds from the click to the end of the page's script run; "
          "÷ floor: against a bare page showing the 1:1s in one st.dataframe, in the same run\n")
    sizes = list(results)
    print("| page | " + " | ".join(f"{label(s)} 1:1s | ÷ floor" for s in sizes) + " |")
    print("|---|" + "---:|---:|" * len(sizes))
    print("| floor: the 1:1s in one st.dataframe | " + " | ".join(f"{results[s][0]:.2f} | 1.0×" for s in sizes) + " |")
    for name in results[sizes[0]][1]:
        print(f"| {name} | " + " | ".join(f"{results[s][1][name]:.2f} | {results[s][1][name] / results[s][0]:.1f}×"
                                           for s in sizes) + " |")
    # The app's own memory (Python, Streamlit, pandas…) is its peak with the demo alone.
    base = results[0][2]["VmHWM"] if 0 in results else results[sizes[0]][2]["start"]
    print(f"\n| 1:1s | rows in pandas (MB) | server at start (MB) | server's peak (MB) | peak − {base:.0f} MB "
          "÷ rows | floor's peak (MB) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for s in sizes:
        _, _, memory, floor_memory, in_pandas = results[s]
        print(f"| {label(s)} | {in_pandas:.0f} | {memory['start']:.0f} | {memory['VmHWM']:.0f} | "
              f"{(memory['VmHWM'] - base) / in_pandas:.1f}× | {floor_memory['VmHWM']:.0f} |")
    print(f"\nLoad average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
