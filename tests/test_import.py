"""python -m organising import: a messy .xlsx download lands in the embedded store as a person sees it."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import Workbook

from organising.__main__ import main
from organising.tools.importer import cell_text, tab_key
from organising.counting.metrics import compute_report

FISHERMEAD = "Fishermead Citizens Alliance"


def write_workbook(path, sheets: dict[str, list[list]]):
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(number, column, value)
    book.save(path)
    return path


@pytest.fixture
def messy(tmp_path):
    """A hand-kept sheet: renamed and reordered headers, blank rows, dates as dates and as text,
    a formula, an extra column and an extra tab. Excel forbids ':' in a tab name, hence '1_1S'."""
    return write_workbook(tmp_path / "alliance.xlsx", {
        " 1_1S ": [
            ["Who listened", "Date of 1:1", "Area", "Our remarks", "Listener's institution", "Issues", "Story",
             "Leader?", "Submission ID"],
            ["Sam", dt.datetime(2021, 10, 8), "fishermead", "=1+1", "St Aidan's", "housing", "x", "Yes", "s1"],
            [None] * 9,
            ["Ola", "8/6/2022", "bletchley", 40.0, "Masjid", "health", "y", "n", "s2"],
            ["Ola", "08-Jun-22", "bletchley", 1.5, "Masjid", "health", "y", "n", None],      # no submission id
            ["Bo", "sometime in May", "olney", None, "Masjid", "health", "y", "n", "s4"],    # unreadable date
            [None] * 9,
        ],
        "events": [
            ["Event", "Type", "Event date", "Forum", "Turnout", "submission_id"],
            ["Delegates Assembly", "delegates_assembly", dt.datetime(2022, 2, 10), "fishermead", 45, "e1"],
        ],
        "Scratch notes": [["whatever", "people"], ["keep", "out"]],
    })


def test_cells_are_the_text_a_person_sees():
    assert [cell_text(v) for v in (40.0, 1.5, 7, True, None, dt.datetime(2021, 6, 8),
                                   dt.datetime(2021, 6, 8, 14, 30), dt.date(2021, 6, 8), " as typed ")] == \
        ["40", "1.5", "7", "TRUE", "", "2021-06-08", "2021-06-08 14:30", "2021-06-08", " as typed "]
    assert tab_key(" 1_1S ") == tab_key("1:1s") == tab_key("1-1s") != tab_key("11s x")


def test_import_places_tabs_and_columns_and_keeps_row_numbers(messy, sqlite_store, capsys):
    assert main(["import", str(messy)]) == 0
    err = capsys.readouterr().err
    assert "1:1s (from ' 1_1S '): 4 rows\n  - 1 blank row kept, so row numbers match the sheet" in err
    assert "extra columns kept: 'Our remarks'" in err and "1 row without a submission id, kept as typed" in err
    assert "no column for contact" not in err  # asked only with consent, so not every row needs it
    assert "row 2 column 4: a formula with no saved value; kept its text '=1+1'" in err
    assert "'Scratch notes': not imported: no form writes a tab of that name" in err
    assert "Events: 1 row\n" in err

    tabs = sqlite_store.read_tabs(["1:1s", "Events", "Scratch notes"])
    one_to_ones = tabs["1:1s"]
    assert one_to_ones.header[:3] == ["Who listened", "Date of 1:1", "Area"]  # as typed, in the sheet's order
    assert [row for row, _ in one_to_ones.records()] == [2, 4, 5, 6]       # the sheet's own row numbers
    assert one_to_ones.rows[0][1:4] == ["2021-10-08", "fishermead", "=1+1"]
    assert one_to_ones.rows[2][1:4] == ["8/6/2022", "bletchley", "40"]
    assert one_to_ones.rows[3][3] == "1.5" and len(one_to_ones.rows) == 5  # the trailing blank row is dropped
    assert not tabs["Scratch notes"].exists


def test_the_report_counts_the_imported_rows(messy, sqlite_store, app_config, capsys):
    main(["import", str(messy)])
    capsys.readouterr()
    assert main(["report", "--programme", FISHERMEAD, "--as-of", "2022-08-31", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    actual = {(r["metric"], r["year"]): r["actual"] for r in report["rows"]}
    assert actual[("one_to_ones", "2021-22")] == 3 and actual[("delegates_assembly_attendance", "2021-22")] == 45
    assert report["left_out"] == 1
    computed = compute_report(app_config.programmes[FISHERMEAD], sqlite_store.read_tabs(["1:1s", "Events"]),
                              app_config.forms, dt.date(2022, 8, 31))
    assert [(p.tab, p.row, p.column) for p in computed.problems] == [("1:1s", 6, "conversation_date")]


def test_import_refuses_a_store_with_data_unless_forced(messy, sqlite_store, tmp_path, capsys):
    assert main(["import", str(messy)]) == 0
    smaller = write_workbook(tmp_path / "again.xlsx", {"1-1s": [["Date", "Listener"], ["1/10/2021", "Sam"]]})
    assert main(["import", str(smaller)]) == 1
    assert "already holds data; nothing was imported. Use --force" in capsys.readouterr().err
    assert len(sqlite_store.read_tabs(["1:1s"])["1:1s"].records()) == 4
    assert main(["import", str(smaller), "--force"]) == 0
    tabs = sqlite_store.read_tabs(["1:1s", "Events"])
    assert len(tabs["1:1s"].records()) == 1 and len(tabs["Events"].records()) == 1  # other tabs left alone


def test_import_explains_a_missing_or_broken_file(tmp_path, capsys):
    assert main(["import", str(tmp_path / "nowhere.xlsx")]) == 2
    assert "No workbook at" in capsys.readouterr().err
    broken = tmp_path / "notes.xlsx"
    broken.write_text("not a workbook")
    assert main(["import", str(broken)]) == 2
    assert "as an .xlsx workbook" in capsys.readouterr().err


def test_a_chart_sheet_is_listed_not_imported(tmp_path, sqlite_store, capsys):
    from openpyxl.chart import BarChart, Reference
    book = Workbook()
    sheet = book.active
    sheet.title = "Events"
    sheet.append(["Event", "Type", "Date"])
    sheet.append(["Delegates Assembly", "delegates_assembly", "10/2/2022"])
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=1, min_row=1, max_row=2))
    book.create_chartsheet("Turnout chart").add_chart(chart)
    book.save(tmp_path / "with-chart.xlsx")
    assert main(["import", str(tmp_path / "with-chart.xlsx")]) == 0
    assert "'Turnout chart': not imported: it is a chart, not a worksheet" in capsys.readouterr().err
    assert len(sqlite_store.read_tabs(["Events"])["Events"].records()) == 1
