"""Benchmark: the time to compute all dashboard data.

All dashboard data is what the Dashboard page computes on each refresh:
compute_report for the programme, listening_frame, and the group-bys
(filter to the year, cumulative 1:1s, issues, areas, institutions,
listeners, potential leaders, CAG sign-ups by area). It is measured on
generated sheets (fixed seed, with messy cells) of 1k, 10k and 100k 1:1
rows plus 20k attendance rows: on a new read of the tabs (nothing worked
out from them yet, as after each cache period or write), and again on the
same read (a refresh within the cache window, when what the page needs
was worked out already), in the same run against:

- a straightforward row-by-row implementation written below (a dict per
  row, one loop over the rows per figure);
- two peers that parse nothing messy: the same rows with every cell
  already clean (an ISO date or nothing, a choice's name, a whole number,
  a sign-in's event id and person), as a tidy database would hold them,
  counted by polars and by DuckDB. They are the floor: what the figures
  cost when nobody types a date by hand.

All four must give the same figures. Run from the repository root:

    python3 benchmarks/dashboard_data.py [--repeats 5] [--sizes 1000 10000 100000]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from organising.config import load_config  # noqa: E402
from organising.reporting.dashboard import counts, cumulative_by_day, filtered, listening_frame, signups_by_area  # noqa: E402
from organising.counting.metrics import compute_report  # noqa: E402
from organising.counting.people import person_key  # noqa: E402
from organising.cells import clean_text, parse_count  # noqa: E402
from organising.sheets import Tab, Tabs  # noqa: E402
from organising.counting.targets import ProgrammeYear  # noqa: E402

SEED = 20211008
PROGRAMME = "Fishermead Citizens Alliance"
AS_OF = dt.date(2022, 6, 30)
ATTENDANCE_ROWS = 20_000
AREAS = ["fishermead", "bletchley", "olney", "conniburrow", "springfield", "netherfield", "central_mk", ""]
INSTITUTIONS = ["St Aidan's", "Masjid", "Fishermead School", "Residents' Association", "Unite", "Food bank"]
ISSUES = ["housing", "health", "anti_social_behaviour", "physical_environment", "community_pride", "wages_and_work"]
EVENT_TYPES = ["issues_workshop", "delegates_assembly", "accountability_assembly", "one_day_training",
               "three_day_training", "six_day_training"]


def typed_date(day: dt.date, rng: random.Random) -> str:
    """A date as people type it: mostly ISO or day first, some with month names, some messy."""
    form = rng.random()
    if form < 0.45:
        return day.isoformat()
    if form < 0.75:
        return f"{day.day}/{day.month}/{day.year}"
    if form < 0.85:
        return day.strftime("%d-%b-%y")
    if form < 0.93:
        return f"{day.day} {day:%B %Y}"
    if form < 0.97:
        return str((day - dt.date(1899, 12, 30)).days)  # a Sheets serial
    return rng.choice(["", "sometime in May", "31/2/2022", " 8/6/2021 "])


def one_to_ones(n: int, rng: random.Random) -> Tab:
    header = ["conversation_date", "listener", "listener_institution", "participant_area", "issue_categories",
              "potential_leader", "what_they_said", "submission_id"]
    start, days = dt.date(2020, 9, 1), 3 * 365
    listeners = [f"Listener {i}" for i in range(300)]
    rows = []
    for i in range(n):
        if rng.random() < 0.01:
            rows.append([])  # a blank row
            continue
        sid = f"s{i}" if rng.random() > 0.02 else f"s{max(i - 1, 0)}"  # some pasted twice
        rows.append([typed_date(start + dt.timedelta(days=rng.randrange(days)), rng), rng.choice(listeners),
                     rng.choice(INSTITUTIONS), rng.choice(AREAS), ", ".join(rng.sample(ISSUES, rng.randint(1, 3))),
                     rng.choice(["Yes", "no", "y", "TRUE", "✓", "", "maybe"]), "a story", sid])
    return Tab("1:1s", header, rows)


def events_and_attendance(rng: random.Random) -> tuple[Tab, Tab]:
    events, keys = [], []
    for year in (2020, 2021, 2022):
        for n, kind in enumerate(EVENT_TYPES * 3):
            day = dt.date(year, 9, 15) + dt.timedelta(days=n * 17)
            key = f"e{year}-{n}"
            keys.append((key, f"{kind} {year}"))
            events.append([kind, f"{kind} {year}", typed_date(day, rng),
                           rng.choice(["", "", "40", "approx 40", "45+"]), key])
    people = [(f"Person {i}", rng.choice(INSTITUTIONS)) for i in range(3000)]
    attendance = []
    for i in range(ATTENDANCE_ROWS):
        key, title = rng.choice(keys)
        name, institution = rng.choice(people)
        by_title = rng.random() < 0.1  # typed by hand: the event's title, not its id
        attendance.append(["" if by_title else key, title if by_title else "", name if rng.random() > 0.01 else "",
                           institution, f"a{i}"])
    return (Tab("Events", ["event_type", "title", "event_date", "headcount", "submission_id"], events),
            Tab("Attendance", ["event_id", "event", "attendee_name", "institution", "submission_id"], attendance))


def generate(n: int) -> dict[str, Tab]:
    rng = random.Random(SEED + n)
    events, attendance = events_and_attendance(rng)
    signups = Tab("CAG sign-ups", ["organisation", "area"], [[f"Group {i}", rng.choice(AREAS)] for i in range(200)])
    return {"1:1s": one_to_ones(n, rng), "Events": events, "Attendance": attendance, "CAG sign-ups": signups}


# -- the app's code, as the Dashboard page calls it ---------------------------

def dashboard_data(programme, tabs, forms, year: ProgrammeYear) -> dict:
    report = compute_report(programme, tabs, forms, AS_OF)
    mine = filtered(listening_frame(tabs["1:1s"], forms["listening"]), year, AS_OF)
    return {
        "figures": {(f.metric, f.year): f.actual for f in report.figures},
        "left_out": report.left_out,
        "cumulative": cumulative_by_day(mine)["total"].tolist(),
        "leaders": int(mine["potential_leader"].sum()),
        **{column: dict(counts(mine, column).values.tolist()) for column in ("issues", "area", "institution",
                                                                              "listener")},
        "signups": dict(signups_by_area(tabs["CAG sign-ups"], forms["cag_signup"]).values.tolist()),
    }


# -- a straightforward row-by-row implementation of the same figures -----------

def naive_dashboard_data(programme, tabs, forms, year: ProgrammeYear) -> dict:
    """What a first version would do: one loop over the rows per figure, reading each cell as it goes
    (with the app's own cell readers, so both read a cell alike)."""
    dates = forms["listening"].dates
    kind, leader = forms["events"].field("event_type").reader, forms["listening"].field("potential_leader").reader
    issue_choices, area = forms["listening"].field("issue_categories").reader, forms["listening"].field(
        "participant_area").reader

    def shown(parsed) -> str:
        return parsed.value or ("(could not be read)" if parsed.problem else "(not given)")

    figures, problems = {}, set()
    span = ProgrammeYear("programme", programme.years[0].start, programme.years[-1].end)
    one = tabs["1:1s"]
    events = tabs["Events"]
    attendance = tabs["Attendance"]
    for metric in programme.metrics:
        periods = list(zip(programme.years, metric.targets)) + ([(span, metric.total)] if metric.total else [])
        for period, target in periods:
            if metric.count == "rows":
                seen, actual = set(), 0
                for i, row in enumerate(one.rows):
                    record = dict(zip(one.header, row))
                    if not any(c.strip() for c in row):
                        continue
                    sid = clean_text(record.get("submission_id"))
                    if sid and sid in seen:
                        problems.add(("1:1s", i))  # a second copy is listed
                        continue
                    seen.add(sid)
                    day = dates.read(record.get("conversation_date")).value
                    if day is None:
                        problems.add(("1:1s", i))
                    elif period.holds(day) and day <= AS_OF:
                        actual += 1
                figures[(metric.id, period.label)] = actual
                continue
            held, by_title, readable = {}, {}, set()
            for i, row in enumerate(events.rows):
                record = dict(zip(events.header, row))
                day = dates.read(record.get("event_date")).value
                if day is None:
                    problems.add(("Events", i))
                    continue
                readable.add(record["submission_id"])
                by_title.setdefault(f"{record['title']} ({day.isoformat()})".casefold(), record["submission_id"])
                by_title.setdefault(record["title"].casefold(), record["submission_id"])
                if kind.read(record["event_type"]).value in metric.event_types and period.holds(day) and day <= AS_OF:
                    held[record["submission_id"]] = parse_count(record.get("headcount")).value
            people = defaultdict(set)
            seen = set()
            for i, row in enumerate(attendance.rows):
                record = dict(zip(attendance.header, row))
                if not clean_text(record.get("attendee_name")) and not any(c.strip() for c in row):
                    continue
                if record["submission_id"] in seen:
                    continue
                seen.add(record["submission_id"])
                key = record["event_id"] if record["event_id"] in readable else \
                    by_title.get(clean_text(record["event"]).casefold(), "")
                if not key:
                    problems.add(("Attendance", i))
                elif key in held:
                    people[key].add(person_key(record["attendee_name"], record["institution"],
                                               record["submission_id"]))
            if metric.count == "attendance":
                actual = sum(len(people[k]) or (h or 0) for k, h in held.items())
            else:
                actual = len(set().union(*people.values())) if people else 0
            if not (period is span and target is None):
                figures[(metric.id, period.label)] = actual if AS_OF >= period.start else 0
    tallies = {column: Counter() for column in ("issues", "area", "institution", "listener")}
    daily, leaders, seen = Counter(), 0, set()
    for row in one.rows:
        record = dict(zip(one.header, row))
        sid = clean_text(record.get("submission_id"))
        if not any(c.strip() for c in row) or (sid and sid in seen):
            continue
        seen.add(sid)
        day = dates.read(record.get("conversation_date")).value
        if day is None or not (year.holds(day) and day <= AS_OF):
            continue
        daily[day] += 1
        leaders += leader.read(record.get("potential_leader")).value == "yes"
        tallies["area"][shown(area.read(record.get("participant_area")))] += 1
        tallies["institution"][clean_text(record.get("listener_institution")) or "(not given)"] += 1
        tallies["listener"][clean_text(record.get("listener")) or "(not given)"] += 1
        for issue in issue_choices.read(record.get("issue_categories")).value or ():
            tallies["issues"][issue] += 1
    running, cumulative = 0, []
    for day in sorted(daily):
        running += daily[day]
        cumulative.append(running)
    signup_area = forms["cag_signup"].field("area").reader
    signups = Counter(shown(signup_area.read(dict(zip(tabs["CAG sign-ups"].header, row)).get("area")))
                      for row in tabs["CAG sign-ups"].rows)
    return {"figures": figures, "left_out": len(problems), "cumulative": cumulative, "leaders": leaders,
            **{k: dict(v) for k, v in tallies.items()}, "signups": dict(signups)}


# -- peers that parse nothing messy: polars and DuckDB on clean rows ------------------

ONE_TO_ONE_COLUMNS = ["date", "listener", "institution", "area", "issues", "leader", "submission_id"]
EVENT_COLUMNS = ["key", "type", "title", "date", "headcount"]
SIGN_IN_COLUMNS = ["event", "person", "submission_id"]


def clean(tabs: dict[str, Tab], forms) -> dict[str, list[list[str]]]:
    """The rows as a tidy database would hold them: blank rows gone, every
    cell read once by the app's own readers (done here, before timing), a
    date as ISO 8601 or "" when it cannot be read, choices by name
    (issues joined by ";"), a headcount as a whole number, a sign-in as the
    key of the event it names (or "") and the person the funder figures
    match it to. Second copies of a submission stay: counting each once is
    the peers' work."""
    listening, events_form = forms["listening"], forms["events"]
    dates = listening.dates

    def iso(cell) -> str:
        day = dates.read(cell).value
        return day.isoformat() if day else ""

    def records(tab: Tab) -> list[dict[str, str]]:
        return [record for _, record in tab.records()]
    one = [[iso(r["conversation_date"]), clean_text(r["listener"]), clean_text(r["listener_institution"]),
            listening.field("participant_area").reader.read(r["participant_area"]).value or "",
            ";".join(listening.field("issue_categories").reader.read(r["issue_categories"]).value or ()),
            listening.field("potential_leader").reader.read(r["potential_leader"]).value or "",
            clean_text(r["submission_id"])] for r in records(tabs["1:1s"])]
    events = [[clean_text(r["submission_id"]) or clean_text(r["title"]),
               events_form.field("event_type").reader.read(r["event_type"]).value or "", clean_text(r["title"]),
               iso(r["event_date"]), str(parse_count(r["headcount"]).value or "")] for r in records(tabs["Events"])]
    readable = {key for key, _, _, day, _ in events if day}
    by_title: dict[str, str] = {}
    for key, _, title, day, _ in events:
        if day:
            by_title.setdefault(f"{title} ({day})".casefold(), key)
            by_title.setdefault(title.casefold(), key)
    sign_ins = []
    for r in records(tabs["Attendance"]):
        event = r["event_id"] if r["event_id"] in readable else by_title.get(clean_text(r["event"]).casefold(), "")
        sign_ins.append([event, person_key(r["attendee_name"], r["institution"], r["submission_id"]),
                         r["submission_id"]])
    area = forms["cag_signup"].field("area").reader
    return {"1:1s": one, "Events": events, "Attendance": sign_ins,
            "CAG sign-ups": [[area.read(r.get("area")).value or ""] for r in records(tabs["CAG sign-ups"])]}


def _periods(programme):
    span = ProgrammeYear("programme", programme.years[0].start, programme.years[-1].end)
    for metric in programme.metrics:
        yield from ((metric, year) for year in programme.years)
        if metric.total is not None:
            yield metric, span


def _tallies(frame_counts) -> dict:
    return {column: dict(frame_counts(column)) for column in ("issues", "area", "institution", "listener")}


def polars_dashboard_data(programme, rows: dict[str, list[list[str]]], year: ProgrammeYear) -> dict:
    import polars as pl
    one = pl.DataFrame(rows["1:1s"], schema=ONE_TO_ONE_COLUMNS, orient="row").with_row_index()
    first = (pl.col("submission_id") == "") | (pl.col("index") == pl.col("index").min().over("submission_id"))
    kept = one.filter(first).with_columns(pl.col("date").str.to_date(strict=False))
    dated = kept.filter(pl.col("date").is_not_null())
    events = pl.DataFrame(rows["Events"], schema=EVENT_COLUMNS, orient="row").with_columns(
        pl.col("date").str.to_date(strict=False), pl.col("headcount").cast(pl.Int64, strict=False))
    held = events.filter(pl.col("date").is_not_null() & (pl.col("date") <= AS_OF))
    sign_ins = pl.DataFrame(rows["Attendance"], schema=SIGN_IN_COLUMNS, orient="row").unique(
        "submission_id", keep="first", maintain_order=True)
    people = sign_ins.filter(pl.col("event") != "").unique(["event", "person"])
    figures = {}
    for metric, period in _periods(programme):
        start, end = period.start, min(period.end, AS_OF)
        if metric.count == "rows":
            figures[(metric.id, period.label)] = dated.filter(pl.col("date").is_between(start, end)).height
            continue
        these = held.filter(pl.col("type").is_in(list(metric.event_types)) & pl.col("date").is_between(start, end))
        came = people.join(these.select("key"), left_on="event", right_on="key")
        if metric.count == "attendance":
            signed = came.group_by("event").len()
            actual = these.join(signed, left_on="key", right_on="event", how="left").select(
                pl.when(pl.col("len") > 0).then(pl.col("len")).otherwise(pl.col("headcount").fill_null(0)).sum()).item()
        else:
            actual = came["person"].n_unique()
        figures[(metric.id, period.label)] = int(actual or 0) if AS_OF >= period.start else 0
    mine = dated.filter(pl.col("date").is_between(year.start, min(year.end, AS_OF)))
    daily = mine.group_by("date").len().sort("date")
    def frame_counts(column: str):
        if column == "issues":
            values = mine.select(pl.col("issues").str.split(";").explode()).filter(pl.col("issues") != "")
            return values.group_by("issues").len().iter_rows()
        named = mine.select(pl.when(pl.col(column) == "").then(pl.lit("(not given)")).otherwise(pl.col(column))
                            .alias(column))
        return named.group_by(column).len().iter_rows()
    left_out = (one.height - kept.height) + (kept.height - dated.height) + events["date"].null_count() + \
        sign_ins.filter(pl.col("event") == "").height
    signups = pl.DataFrame(rows["CAG sign-ups"], schema=["area"], orient="row").select(
        pl.when(pl.col("area") == "").then(pl.lit("(not given)")).otherwise(pl.col("area")).alias("area"))
    return {"figures": figures, "left_out": left_out, "cumulative": daily["len"].cum_sum().to_list(),
            "leaders": mine.filter(pl.col("leader") == "yes").height, **_tallies(frame_counts),
            "signups": dict(signups.group_by("area").len().iter_rows())}


def duckdb_dashboard_data(programme, rows: dict[str, list[list[str]]], year: ProgrammeYear) -> dict:
    import duckdb
    import pyarrow as pa

    def table(data: list[list[str]], columns: list[str]):
        return pa.table(dict(zip(columns, map(list, zip(*data)))) if data else {c: [] for c in columns})
    db = duckdb.connect()
    db.register("raw_one", table(rows["1:1s"], ONE_TO_ONE_COLUMNS))
    db.register("raw_events", table(rows["Events"], EVENT_COLUMNS))
    db.register("raw_sign_ins", table(rows["Attendance"], SIGN_IN_COLUMNS))
    db.register("signups", table(rows["CAG sign-ups"], ["area"]))
    db.execute("""CREATE TEMP TABLE one AS SELECT *, row_number() OVER () AS n FROM raw_one""")
    db.execute("""CREATE TEMP TABLE kept AS SELECT * REPLACE (TRY_CAST(NULLIF(date, '') AS DATE) AS date) FROM one
                  WHERE submission_id = '' OR n = (SELECT min(n) FROM one o WHERE o.submission_id = one.submission_id)""")
    db.execute("""CREATE TEMP TABLE events AS SELECT key, type, title, TRY_CAST(NULLIF(date, '') AS DATE) AS date,
                  TRY_CAST(NULLIF(headcount, '') AS INTEGER) AS headcount FROM raw_events""")
    db.execute("""CREATE TEMP TABLE sign_ins AS SELECT * FROM raw_sign_ins
                  QUALIFY row_number() OVER (PARTITION BY submission_id) = 1""")
    db.execute("CREATE TEMP TABLE people AS SELECT DISTINCT event, person FROM sign_ins WHERE event != ''")
    figures = {}
    for metric, period in _periods(programme):
        start, end = period.start, min(period.end, AS_OF)
        if metric.count == "rows":
            actual = db.execute("SELECT count(*) FROM kept WHERE date BETWEEN ? AND ?", [start, end]).fetchone()[0]
        else:
            held = ("SELECT key, headcount FROM events WHERE date IS NOT NULL AND date BETWEEN ? AND ? "
                    "AND list_contains(?, type)")
            args = [start, end, list(metric.event_types)]
            if metric.count == "attendance":
                actual = db.execute(f"""SELECT coalesce(sum(CASE WHEN coalesce(n, 0) > 0 THEN n ELSE coalesce(headcount, 0) END), 0)
                    FROM ({held}) h LEFT JOIN (SELECT event, count(*) AS n FROM people GROUP BY event) p
                    ON p.event = h.key""", args).fetchone()[0]
            else:
                actual = db.execute(f"SELECT count(DISTINCT person) FROM people WHERE event IN (SELECT key FROM ({held}))",
                                    args).fetchone()[0]
        figures[(metric.id, period.label)] = int(actual) if AS_OF >= period.start else 0
    db.execute("CREATE TEMP TABLE mine AS SELECT * FROM kept WHERE date BETWEEN ? AND ?",
               [year.start, min(year.end, AS_OF)])

    def frame_counts(column: str):
        if column == "issues":
            return db.execute("""SELECT issue, count(*) FROM (SELECT unnest(string_split(issues, ';')) AS issue
                                 FROM mine) WHERE issue != '' GROUP BY issue""").fetchall()
        source = {"area": "area", "institution": "institution", "listener": "listener"}[column]
        return db.execute(f"SELECT CASE WHEN {source} = '' THEN '(not given)' ELSE {source} END AS v, count(*) "
                          "FROM mine GROUP BY v").fetchall()
    left_out = db.execute("""SELECT (SELECT count(*) FROM one) - (SELECT count(*) FROM kept WHERE date IS NOT NULL)
                             + (SELECT count(*) FROM events WHERE date IS NULL)
                             + (SELECT count(*) FROM sign_ins WHERE event = '')""").fetchone()[0]
    daily = [n for _, n in db.execute("SELECT date, count(*) FROM mine GROUP BY date ORDER BY date").fetchall()]
    return {"figures": figures, "left_out": int(left_out), "cumulative": list(accumulate(daily)),
            "leaders": db.execute("SELECT count(*) FROM mine WHERE leader = 'yes'").fetchone()[0],
            **_tallies(frame_counts),
            "signups": dict(db.execute("SELECT CASE WHEN area = '' THEN '(not given)' ELSE area END AS v, count(*) "
                                       "FROM signups GROUP BY v").fetchall())}


def fresh(tabs: dict[str, Tab]) -> dict[str, Tab]:
    """The tabs as a new read gives them: nothing worked out from them yet."""
    return {name: Tab(tab.name, tab.header, tab.rows) for name, tab in tabs.items()}


def median_seconds(run, given, repeats: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of run(given()); given() is not timed."""
    wall, cpu = [], []
    for _ in range(repeats):
        data = given()
        start, start_cpu = time.perf_counter(), time.process_time()
        run(data)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    args = parser.parse_args(argv)
    config = load_config()
    programme = config.programmes[PROGRAMME]
    year = programme.year("2021-22")
    print(f"Dashboard data for {PROGRAMME} as of {AS_OF}, {ATTENDANCE_ROWS:,} attendance rows; "
          f"median of {args.repeats} runs; wall-clock seconds (CPU seconds of this process)\n")
    print("| 1:1 rows | app, new read | app, same read | row by row | polars, clean rows | DuckDB, clean rows "
          "| row by row ÷ app | app ÷ polars | app ÷ DuckDB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        tabs = generate(n)
        rows = clean(tabs, config.forms)
        app = dashboard_data(programme, fresh(tabs), config.forms, year)
        ways = {"row by row": naive_dashboard_data(programme, tabs, config.forms, year),
                "polars": polars_dashboard_data(programme, rows, year),
                "DuckDB": duckdb_dashboard_data(programme, rows, year)}
        for name, found in ways.items():
            if found != app:
                differing = sorted(k for k in app if app[k] != found[k])
                raise SystemExit(f"{name} and the app disagree on {differing}")
        fast = median_seconds(lambda t: dashboard_data(programme, t, config.forms, year), lambda: fresh(tabs),
                              args.repeats)
        shared = Tabs(fresh(tabs))  # the app's shared read: a refresh within the cache window
        dashboard_data(programme, shared, config.forms, year)
        warm = median_seconds(lambda t: dashboard_data(programme, t, config.forms, year), lambda: shared,
                              args.repeats)
        slow = median_seconds(lambda t: naive_dashboard_data(programme, t, config.forms, year), lambda: tabs,
                              args.repeats)
        polars = median_seconds(lambda r: polars_dashboard_data(programme, r, year), lambda: rows, args.repeats)
        duck = median_seconds(lambda r: duckdb_dashboard_data(programme, r, year), lambda: rows, args.repeats)
        cells = " | ".join(f"{w:.3f} ({c:.3f})" for w, c in (fast, warm, slow, polars, duck))
        print(f"| {n:,} | {cells} | {slow[0] / fast[0]:.1f}× | {fast[0] / polars[0]:.2f}× | "
              f"{fast[0] / duck[0]:.2f}× |", flush=True)
    print(f"\nLoad average while measuring: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
