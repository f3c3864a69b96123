"""Google Forms as a source (issue 13): a form's tab is a Google Form's responses tab, its
headers the questions, a Timestamp column and no submission ids; read through the fake
Google Sheets API and through an .xlsx download imported with `python -m organising import`."""
from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from organising.__main__ import main
from organising.config import load_config
from organising.counting.metrics import compute_report, dated_rows
from organising.data_quality import all_problems, tab_counts
from organising.reporting.dashboard import counts, listening_frame
from organising.sheets import SUBMITTED_AT
from tests.conftest import REPO
from tests.test_import import write_workbook
from tests.test_pages import COORDINATOR, open_page

RESPONSES = "Form Responses 1"
FISHERMEAD = "Fishermead Citizens Alliance"
AS_OF = "2023-01-01"
# The questions as Google Forms titles the columns: the listening form's labels, word for word.
QUESTIONS = ["Timestamp", "Date of the conversation", "Your name (the listener)", "Your institution",
             "Where they live", "What issues came up?", "What they said", "Could this person be a leader?",
             "Roughly how many people does this issue affect?", "Score"]
# As Google Forms writes responses in a UK sheet: a Timestamp with the time of day, choices by
# their labels, checkboxes joined with ", " (an "Other" answer in its place), no submission ids.
ANSWERS = [
    ["08/10/2021 14:03:22", "08/10/2021", "Sam", "St Aidan's", "Fishermead", "Housing, Anti-social behaviour",
     "Damp in the flat", "Yes", "40", ""],
    ["09/10/2021 10:00:00", "09/10/2021", "Ola", "Masjid an-Nur", "Milton Keynes Village",
     "Health, Bins by the shops", "Bins overflow", "No", "", ""],
    ["10/10/2021 18:30:05", "10/10/2021", "Ola", "Masjid an-Nur", "Coffee Hall & Beanhill", "Housing",
     "Same words", "No", "", ""],
    ["10/10/2021 18:30:05", "10/10/2021", "Ola", "Masjid an-Nur", "Coffee Hall & Beanhill", "Housing",
     "Same words", "No", "", ""],  # alike in every cell, but two responses: both count
    ["15/10/2022 09:00:00", "15/10/2022", "Sam", "St Aidan's", "Bletchley", "Wages and work", "Two jobs", "Yes",
     "approx 12", ""],
    ["16/10/2022 09:00:00", "", "Sam", "St Aidan's", "Bletchley", "Housing", "No date given", "Yes", "", ""],
]


@pytest.fixture
def responses_config(tmp_path, monkeypatch):
    """The shipped configuration, with the 1:1 form reading a Google Form's responses tab."""
    config = tmp_path / "config"
    shutil.copytree(REPO / "config", config)
    form = config / "forms" / "listening.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace('tab: "1:1s"', f"tab: {RESPONSES}"), encoding="utf-8")
    targets = config / "targets.yaml"
    targets.write_text(targets.read_text(encoding="utf-8").replace('source: "1:1s"', f'source: "{RESPONSES}"'),
                       encoding="utf-8")
    monkeypatch.setenv("ORGANISING_CONFIG_DIR", str(config))
    loaded = load_config()
    assert loaded.forms["listening"].tab == RESPONSES
    return loaded


def one_to_ones(report: dict) -> dict[str, int]:
    return {r["year"]: r["actual"] for r in report["rows"] if r["metric"] == "one_to_ones"}


def check_figures(config, tabs) -> None:
    form = config.forms["listening"]
    report = compute_report(config.programmes[FISHERMEAD], tabs, config.forms, dt.date.fromisoformat(AS_OF))
    counted = {f.year: f.actual for f in report.figures if f.metric == "one_to_ones"}
    assert (counted["2021-22"], counted["2022-23"]) == (4, 1)  # the two alike responses count twice
    [blank] = report.problems
    assert (blank.tab, blank.row, blank.column) == (RESPONSES, 7, "conversation_date") and report.left_out == 1
    # Timestamp is the submission time: read as submitted_at, in the day it shows.
    sent = dated_rows(tabs[RESPONSES], form, SUBMITTED_AT, [])
    assert [day for _, day in sent][:2] == [dt.date(2021, 10, 8), dt.date(2021, 10, 9)] and len(sent) == 6
    frame = listening_frame(tabs[RESPONSES], form)
    assert dict(counts(frame, "area").values.tolist()) == {"coffee_hall_beanhill": 2, "fishermead": 1, "other": 1,
                                                           "bletchley": 1}
    assert dict(counts(frame, "issues").values.tolist()) == {"housing": 3, "anti_social_behaviour": 1, "health": 1,
                                                             "other": 1, "wages_and_work": 1}
    assert int(frame["potential_leader"].sum()) == 2
    found = all_problems(config, tabs, dt.date.fromisoformat(AS_OF))
    [responses] = [c for c in tab_counts(config, tabs, found) if c.tab == RESPONSES]
    assert (responses.read, responses.counted, responses.listed) == (6, 5, 1)


def test_a_google_forms_responses_tab_read_through_the_sheets_api(responses_config, sheets_app, fake_sheets,
                                                                   capsys):
    key = sheets_app(fake_sheets.create_spreadsheet("Alliance", {RESPONSES: [QUESTIONS, *ANSWERS]}))
    config = load_config()  # now with the Google Sheets store
    from integrations.stores import open_store
    store = open_store(config.settings, with_outbox=False)
    try:
        check_figures(config, store.read_tabs(config.tabs))
    finally:
        store.close()

    assert main(["report", "--programme", FISHERMEAD, "--as-of", AS_OF, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert one_to_ones(report)["2021-22"] == 4 and report["left_out"] == 1
    kept = [row + [""] * (len(QUESTIONS) - len(row)) for row in fake_sheets.values(key, RESPONSES)]
    assert kept == [QUESTIONS, *ANSWERS]  # read, never changed (the API trims blank cells at a row's end)


def test_connect_your_sheet_shows_which_questions_feed_which_fields(responses_config, sheets_app, fake_sheets):
    sheets_app(fake_sheets.create_spreadsheet("Alliance", {RESPONSES: [QUESTIONS, *ANSWERS]}))
    at = open_page("pages/connect_sheet.py", COORDINATOR)
    assert not at.exception
    [read_as, *_] = [d.value for d in at.dataframe]
    shown = dict(read_as.values.tolist())
    assert shown["Timestamp"] == "submitted_at"
    assert shown["Date of the conversation"] == "Date of the conversation (conversation_date)"
    assert shown["What issues came up?"] == "What issues came up? (issue_categories)"
    assert shown["Score"] == "not read: kept as it is"
    assert len(shown) == len(QUESTIONS)


def test_a_google_forms_responses_tab_imported_from_an_xlsx_download(responses_config, sqlite_store, tmp_path,
                                                                     capsys):
    # An .xlsx download holds the Timestamp and the date question as dates, the rest as text.
    def as_downloaded(row):
        stamp = dt.datetime.strptime(row[0], "%d/%m/%Y %H:%M:%S")
        day = dt.datetime.strptime(row[1], "%d/%m/%Y") if row[1] else None
        return [stamp, day, *row[2:8], float(row[8]) if row[8].isdigit() else row[8] or None, None]
    workbook = write_workbook(tmp_path / "responses.xlsx", {RESPONSES: [QUESTIONS, *map(as_downloaded, ANSWERS)]})
    assert main(["import", str(workbook)]) == 0
    printed = capsys.readouterr().err
    assert f"{RESPONSES}: 6 rows" in printed and "6 rows without a submission id, kept as typed" in printed
    assert "extra columns kept: 'Score'" in printed
    check_figures(responses_config, sqlite_store.read_tabs(responses_config.tabs))
    assert main(["report", "--programme", FISHERMEAD, "--as-of", AS_OF, "--format", "json"]) == 0
    assert one_to_ones(json.loads(capsys.readouterr().out))["2021-22"] == 4
