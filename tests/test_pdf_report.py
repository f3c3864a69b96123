"""The funder report as a PDF with its charts: readable figures, colours by status, no personal data."""
from __future__ import annotations

import datetime as dt
import sys
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from organising.__main__ import main
from organising.reporting.charts import PALETTE, STATUS_COLOURS
from organising.reporting.dashboard import listening_frame, one_to_ones_target_line
from organising.tools.demo import load_demo
from organising.counting.metrics import compute_report
from organising.reporting.pdf_report import as_pdf, cumulative_drawing, progress_drawing
from organising.reporting.reports import as_csv, as_markdown, as_xlsx, report_rows
from organising.sheets import Tab
from organising.counting.targets import load_programmes
from tests.privacy import add_a_phone_and_a_merge, leaked

DEMO = "Riverside Citizens Alliance (demo)"


@pytest.fixture
def demo(sqlite_store, app_config):
    load_demo(sqlite_store, app_config.forms)
    add_a_phone_and_a_merge(sqlite_store)
    programme = app_config.programmes[DEMO]
    tabs = sqlite_store.read_tabs(app_config.tabs)
    return programme, tabs, compute_report(programme, tabs, app_config.forms, dt.date.today())


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_the_pdf_holds_every_year_with_its_figures_and_charts(demo, app_config):
    programme, tabs, report = demo
    text = pdf_text(as_pdf(report, programme, tabs, app_config.forms))
    assert f"{DEMO}: funder targets" in text and f"{report.as_of:%d %B %Y}" in text
    for year in programme.years:
        assert f"Programme year {year.label}" in text and f"1:1s in {year.label}, against the target line" in text
    current = next(r for r in report_rows(report, programme.years[-1].label) if r["metric"] == "one_to_ones")
    assert f"{current['actual']} / {current['target']} (" in text  # the progress bar's label
    assert "1:1s so far" in text and f"target pace ({current['target']})" in text
    assert "Whole programme" in text and "none were left out" in text
    # The years that have ended say met or missed, by how much, in the table and on the bars; never a pace.
    last_year = next(r for r in report_rows(report, programme.years[-2].label) if r["metric"] == "one_to_ones")
    assert last_year["status"] in ("met", "missed") and last_year["note"].startswith(("met", "missed by"))
    assert f"{last_year['actual']} / {last_year['target']} ({last_year['status']})" in " ".join(text.split())
    ended = [r for y in programme.years[:-1] for r in report_rows(report, y.label)]
    assert {r["status"] for r in ended} <= {"met", "missed", "no target"}


def test_no_download_carries_a_name_contact_or_story(demo, app_config, sqlite_store):
    programme, tabs, report = demo
    sheet = load_workbook(BytesIO(as_xlsx(report))).active
    workbook_text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    for text in (pdf_text(as_pdf(report, programme, tabs, app_config.forms)), workbook_text, as_csv(report),
                 as_markdown(report)):
        assert not leaked(text, sqlite_store)


def test_progress_bars_take_the_dashboards_status_colours():
    rows = [{"label": "1:1s", "target": 100, "actual": 95, "percent": 95, "status": "green"},
            {"label": "Assembly", "target": 80, "actual": 0, "percent": 0, "status": "scheduled"},
            {"label": "Training", "target": 10, "actual": 2, "percent": 20, "status": "red"},
            {"label": "Leaders", "target": None, "actual": 3, "percent": None, "status": "no target"}]
    chart = next(c for c in progress_drawing(rows, "Progress").contents if hasattr(c, "bars"))
    assert [chart.bars[(0, i)].fillColor.hexval().lower() for i in range(3)] == \
        ["0x" + STATUS_COLOURS[s].lower().lstrip("#") for s in ("green", "scheduled", "red")]
    assert chart.barLabelArray == [["95 / 100 (on track)", "0 / 80 (scheduled)", "2 / 10 (behind)"]]


def test_the_pdfs_target_line_is_the_dashboards(demo, app_config):
    programme, tabs, report = demo
    year = programme.years[-1]
    dates = listening_frame(tabs["1:1s"], app_config.forms["listening"])[["date"]]
    plot = next(c for c in cumulative_drawing(dates, programme, year, report.as_of, "1:1s").contents
                if hasattr(c, "lines"))
    line = one_to_ones_target_line(programme, year)
    assert [y for _, y in plot.data[1]] == line["expected"].tolist()
    assert plot.lines[0].strokeColor.hexval().lower() == "0x" + PALETTE[0].lower().lstrip("#")
    one_to_ones = next(f for f in report.figures if f.metric == "one_to_ones" and f.year == year.label)
    assert plot.data[0][-1][1] == one_to_ones.actual  # the running total ends at the card's figure


def test_report_command_writes_a_pdf_to_a_file(demo, tmp_path, capsys):
    out = tmp_path / "trustees.pdf"
    assert main(["report", "--programme", DEMO, "--format", "pdf", "--output", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF") and "funder targets" in pdf_text(out.read_bytes())
    assert f"to {out}" in capsys.readouterr().err


def test_report_command_will_not_print_a_pdf_to_a_terminal(demo, monkeypatch, capsys):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["report", "--programme", DEMO, "--format", "pdf"]) == 2
    captured = capsys.readouterr()
    assert "give --output report.pdf" in captured.err and not captured.out


def test_the_pdf_says_how_many_rows_were_left_out(app_config):
    programme = app_config.programmes["Fishermead Citizens Alliance"]
    tabs = {"1:1s": Tab("1:1s", ["conversation_date", "submission_id"],
                        [["8/10/2021", "a"], ["sometime", "b"], [], ["31/2/2022", "c"]])}
    report = compute_report(programme, tabs, app_config.forms, dt.date(2022, 6, 30))
    text = pdf_text(as_pdf(report, programme, tabs, app_config.forms, only_year="2021-22"))
    assert "2 rows could not be read and were left out" in text
    assert "Programme year 2021-22" in text and "Programme year 2020-21" not in text


MARKUP = """
programmes:
  - name: Fish & Chips <Alliance>
    years: [2021-22]
    metrics:
      - {id: assembly, label: "Assemblies & <b>rallies", count: attendance, event_types: [delegates_assembly],
         targets: [40]}
"""


def test_titles_and_names_with_markup_characters_print_as_typed(tmp_path, app_config):
    path = tmp_path / "targets.yaml"
    path.write_text(MARKUP, encoding="utf-8")
    programme = next(iter(load_programmes(path).values()))
    title = 'Delegates <i>Assembly & "friends" at St Aidan\'s <img src="http://127.0.0.1:9/x.png"/> &amp;'
    tabs = {"Events": Tab("Events", ["event_type", "title", "event_date", "headcount", "submission_id"],
                          [["delegates_assembly", title, "6/11/2021", "40", "e1"]])}
    report = compute_report(programme, tabs, app_config.forms, dt.date(2022, 9, 1))
    text = " ".join(pdf_text(as_pdf(report, programme, tabs, app_config.forms)).split())
    assert f"{title}: headcount 40 used" in text
    assert "Fish & Chips <Alliance>: funder targets" in text and "Assemblies & <b>rallies" in text
