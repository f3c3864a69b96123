import datetime as dt

from organising.reporting.charts import (PALETTE, STATUS_COLOURS, TRACK, bar_chart, bar_table, cumulative_chart,
                                        cumulative_table, progress_chart, progress_table)
from organising.reporting.dashboard import (counts, cumulative_by_day, filter_options, filtered, listening_frame,
                                            one_to_ones_target_line, signups_by_area, target_line, year_figures)
from organising.counting.metrics import compute_report, dated_rows
from organising.sheets import Tab
from organising.counting.targets import ProgrammeYear, load_programmes
from organising.config import load_config
from tests.conftest import REPO

FORMS = load_config().forms
LISTENING, SIGNUPS = FORMS["listening"], FORMS["cag_signup"]

YEAR = ProgrammeYear("2025-26", dt.date(2025, 9, 1), dt.date(2026, 8, 31))
ONE_TO_ONES = Tab("1:1s", ["conversation_date", "participant_area", "listener", "listener_institution",
                           "issue_categories", "potential_leader", "submission_id"], [
    ["2025-10-01", "fishermead", "Sam", "St Aidan's", "housing, health", "yes", "a"],
    ["2025-10-01", "fishermead", "Sam", "St Aidan's", "housing, health", "yes", "a"],  # pasted twice
    ["3/10/2025", "bletchley", "Ola", "Masjid", "housing", "No", "b"],
    ["sometime", "bletchley", "Ola", "Masjid", "health", "no", "c"],                   # unreadable date
    ["2026-10-01", "olney", "Ola", "Masjid", "housing", "✓", "d"],                     # next year
])


def test_listening_frame_reads_each_usable_1to1_once():
    frame = listening_frame(ONE_TO_ONES, LISTENING)
    assert frame["date"].tolist() == [dt.date(2025, 10, 1), dt.date(2025, 10, 3), dt.date(2026, 10, 1)]
    assert frame["potential_leader"].tolist() == [True, False, True]


def test_filters_and_counts():
    frame = filtered(listening_frame(ONE_TO_ONES, LISTENING), YEAR, dt.date(2026, 1, 1))
    assert counts(frame, "issues").values.tolist() == [["housing", 2], ["health", 1]]
    assert filtered(frame, YEAR, dt.date(2026, 1, 1), areas=["bletchley"])["listener"].tolist() == ["Ola"]
    assert filtered(frame, YEAR, dt.date(2026, 1, 1), institutions=["St Aidan's"])["area"].tolist() == ["fishermead"]
    assert cumulative_by_day(frame)["total"].tolist() == [1, 2]


def test_a_years_figures_are_counted_once_per_read_for_each_filter():
    tab = Tab(ONE_TO_ONES.name, ONE_TO_ONES.header, ONE_TO_ONES.rows)  # a read of its own
    figures = year_figures(tab, LISTENING, YEAR, dt.date(2026, 1, 1))
    assert figures.cumulative["total"].tolist() == [1, 2] and figures.leaders == 1
    assert figures.breakdowns["issues"].values.tolist() == [["housing", 2], ["health", 1]]
    assert figures.breakdowns["listener"].values.tolist() == [["Sam", 1], ["Ola", 1]]
    assert year_figures(tab, LISTENING, YEAR, dt.date(2026, 1, 1)) is figures  # a refresh counts nothing again
    ola = year_figures(tab, LISTENING, YEAR, dt.date(2026, 1, 1), institutions=["Masjid"])
    assert ola.leaders == 0 and ola.breakdowns["area"].values.tolist() == [["bletchley", 1]]
    assert year_figures(tab, LISTENING, YEAR, dt.date(2025, 9, 30)).empty
    assert filter_options(tab, LISTENING) == (["bletchley", "fishermead", "olney"], ["Masjid", "St Aidan's"])


def test_signups_by_area_counts_blank_areas_as_not_given():
    tab = Tab("CAG sign-ups", ["organisation", "area"], [["A", "olney"], ["B", ""], ["C", "olney"]])
    assert signups_by_area(tab, SIGNUPS).values.tolist() == [["olney", 2], ["(not given)", 1]]


def test_bars_carry_their_numbers_and_readable_labels():
    chart = bar_chart(counts(listening_frame(ONE_TO_ONES, LISTENING), "issues"), "issues", "Issues raised",
                      {"housing": "Housing", "health": "Health"})
    assert chart["data"]["values"] == [{"name": "Housing", "count": 3}, {"name": "Health", "count": 1}]
    assert chart["encoding"]["y"]["sort"] is None  # drawn in that order: the largest on top
    bars, numbers = chart["layer"]
    assert bars["mark"]["color"] == PALETTE[0] and numbers["encoding"]["text"]["field"] == "count"


def test_cumulative_chart_draws_the_target_line_to_the_year_end():
    frame = filtered(listening_frame(ONE_TO_ONES, LISTENING), YEAR, dt.date(2026, 8, 31))
    chart = cumulative_chart(cumulative_by_day(frame), target_line(YEAR, 150), "1:1s")
    pace = [p for p in chart["data"]["values"] if p["line"] == "target pace (150)"]
    assert pace[0]["date"] == YEAR.start.isoformat() and pace[-1]["date"] == YEAR.end.isoformat()
    assert pace[-1]["value"] == 150
    so_far = chart["layer"][-1]["data"]["values"]  # the running total written at the line's end
    assert so_far == [{"date": "2025-10-03", "value": 2, "line": "1:1s so far"}]


def test_the_target_line_follows_the_pace_the_cards_use():
    """With the seasonal profile, the line is steep in autumn and meets the card's expected-by-now."""
    programme = load_programmes(REPO / "config" / "targets.yaml")["Fishermead Citizens Alliance"]
    year = programme.year("2021-22")
    line = one_to_ones_target_line(programme, year).set_index("date")["expected"]
    for as_of in (dt.date(2021, 10, 15), dt.date(2022, 1, 31), dt.date(2022, 6, 1)):
        report = compute_report(programme, {}, FORMS, as_of)
        card = next(f for f in report.figures if f.metric == "one_to_ones" and f.year == "2021-22")
        assert round(line[as_of], 1) == card.expected
    assert line[dt.date(2021, 11, 30)] > 150 / 2  # a straight line would be at a quarter


def test_progress_chart_labels_actual_over_target_with_status():
    rows = [{"label": "1:1s", "target": 100, "actual": 50, "percent": 50, "status": "amber"},
            {"label": "Leaders", "target": None, "actual": 3, "percent": None, "status": "no target"}]
    chart = progress_chart(rows, "Progress")
    assert chart["data"]["values"] == [{"name": "1:1s", "percent": 50, "end": 100, "text": "50 / 100 (amber)",
                                        "colour": STATUS_COLOURS["amber"]}]
    track = chart["layer"][0]["encoding"]
    assert track["x"]["datum"] == 0 and track["x2"]["datum"] == 100  # the whole length, so one at 0% shows its bar
    assert progress_table(rows).to_dict("records") == [
        {"Target": "1:1s", "Actual": 50, "Target number": 100, "% of target": 50, "Status": "amber"}]


def contrast(colour: str, background: str = "#FFFFFF") -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(colour), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_chart_colours_and_text_can_be_read_on_white():
    """WCAG 1.4.11: bars and lines 3:1 against white; 1.4.3: the text on a chart 4.5:1."""
    assert min(contrast(c) for c in [*PALETTE, *STATUS_COLOURS.values(), TRACK]) >= 3
    chart = bar_chart(counts(listening_frame(ONE_TO_ONES, LISTENING), "issues"), "issues", "Issues raised")
    numbers = chart["layer"][1]["mark"]
    assert numbers["type"] == "text" and numbers["align"] == "left" and contrast(numbers["color"]) >= 4.5
    axes = [chart["encoding"][axis]["axis"] for axis in ("x", "y")]
    assert min(contrast(a[key]) for a in axes for key in ("labelColor", "titleColor")) >= 4.5
    assert contrast(chart["title"]["color"]) >= 4.5


def test_each_chart_has_a_table_of_its_numbers():
    frame = filtered(listening_frame(ONE_TO_ONES, LISTENING), YEAR, dt.date(2026, 8, 31))
    issues = counts(frame, "issues")
    assert bar_table(issues, "issues", "Issue", {"housing": "Housing"}).values.tolist() == [["Housing", 2], ["health", 1]]
    table = cumulative_table(cumulative_by_day(frame), target_line(YEAR, 150))
    assert table.columns.tolist() == ["Month", "1:1s so far", "Expected by then"]
    assert table["Month"].tolist() == ["October 2025"] and table["1:1s so far"].tolist() == [2]


def test_dashboard_and_figures_count_the_same_rows_from_one_read():
    """A pasted row keeps its first copy's id (even with an unreadable date): the charts and the
    funder figures agree, and reading the tab twice gives the same answer."""
    tab = Tab("1:1s", ["conversation_date", "listener", "submission_id"], [
        ["someday", "Sam", "x"], ["2025-10-02", "Sam", "x"], [], ["2025-10-03", "Ola", ""], ["2025-10-03", "Ola", ""],
    ])
    problems = []
    assert [day for _, day in dated_rows(tab, LISTENING, "conversation_date", problems)] == [dt.date(2025, 10, 3)] * 2
    assert [(p.row, p.value) for p in problems] == [(3, "x"), (2, "someday")]
    assert "a second copy of submission x, first at row 2" in problems[0].reason
    assert listening_frame(tab, LISTENING)["listener"].tolist() == ["Ola", "Ola"]
    again = []
    dated_rows(tab, LISTENING, "conversation_date", again)
    assert again == problems
