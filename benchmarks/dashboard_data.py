"""Benchmark: the time to compute all dashboard data.

All dashboard data is what the Dashboard page computes on each refresh:
compute_report for the programme, listening_frame, and the group-bys
(filter to the year, cumulative 1:1s, issues, areas, institutions,
listeners, potential leaders, CAG sign-ups by area). It is measured on
generated sheets (fixed seed, with messy cells) of 1k, 10k and 100k 1:1
rows plus 20k attendance rows, against a straightforward row-by-row
implementation written below, in the same run; both must give the same
figures. Run from the repository root:

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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from organising.config import load_config  # noqa: E402
from organising.reporting.dashboard import counts, cumulative_by_day, filtered, listening_frame, signups_by_area  # noqa: E402
from organising.counting.metrics import compute_report  # noqa: E402
from organising.counting.people import person_key  # noqa: E402
from organising.cells import clean_text, parse_count  # noqa: E402
from organising.sheets import Tab  # noqa: E402
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


def fresh(tabs: dict[str, Tab]) -> dict[str, Tab]:
    """The tabs as a new read gives them: nothing worked out from them yet."""
    return {name: Tab(tab.name, tab.header, tab.rows) for name, tab in tabs.items()}


def median_seconds(run, tabs: dict[str, Tab], repeats: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of run(fresh tabs)."""
    wall, cpu = [], []
    for _ in range(repeats):
        copy = fresh(tabs)
        start, start_cpu = time.perf_counter(), time.process_time()
        run(copy)
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
    print("| 1:1 rows | app | row by row | row by row ÷ app |")
    print("|---:|---:|---:|---:|")
    for n in args.sizes:
        tabs = generate(n)
        app = dashboard_data(programme, fresh(tabs), config.forms, year)
        naive = naive_dashboard_data(programme, tabs, config.forms, year)
        if app != naive:
            differing = sorted(k for k in app if app[k] != naive[k])
            raise SystemExit(f"the two implementations disagree on {differing}")
        fast = median_seconds(lambda t: dashboard_data(programme, t, config.forms, year), tabs, args.repeats)
        slow = median_seconds(lambda t: naive_dashboard_data(programme, t, config.forms, year), tabs, args.repeats)
        print(f"| {n:,} | {fast[0]:.3f} ({fast[1]:.3f}) | {slow[0]:.3f} ({slow[1]:.3f}) | "
              f"{slow[0] / fast[0]:.1f}× ({slow[1] / fast[1]:.1f}×) |", flush=True)
    print(f"\nLoad average while measuring: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
