"""The funder report: target against actual, aggregates only.

Nothing here carries a name, contact or story: a Figure holds counts and
labels from config, so every format below is safe to send to trustees.
"""
from __future__ import annotations

import io
import json
from dataclasses import asdict

from .. import inert
from ..counting.metrics import Report
from ..counting.records import csv_text

COLUMNS = ["metric", "label", "year", "target", "actual", "percent", "status"]
STATUS_TEXT = {"green": "on track", "amber": "a little behind", "red": "behind", "scheduled": "scheduled",
               "not started": "not started", "no target": "no target", "met": "met", "missed": "missed"}
FINISHED = ("met", "missed")  # a year that has ended: never a pace


def report_rows(report: Report, year: str | None = None) -> list[dict]:
    return [{**{k: v for k, v in asdict(f).items() if k in COLUMNS}, "note": note(f)}
            for f in report.figures if year is None or f.year == year]


def note(figure) -> str:
    """A short plain-English note for trustees."""
    parts = []
    if figure.status in FINISHED:
        parts.append(by_how_much(figure))
    if figure.status in ("green", "amber", "red") and figure.expected is not None and figure.year != "programme" \
            and figure.expected < (figure.target or 0):
        parts.append(f"{STATUS_TEXT[figure.status]}: {figure.expected:g} expected by now")
    if figure.projection is not None and figure.expected is not None and figure.expected < (figure.target or 0):
        parts.append(f"on course for {figure.projection}")
    if figure.note:
        parts.append(figure.note)
    return "; ".join(parts)


def by_how_much(figure) -> str:
    """How far a finished year's figure is from its target, in words."""
    gap = figure.actual - (figure.target or 0)
    return f"missed by {-gap}" if gap < 0 else f"met, {gap} over the target" if gap else "met exactly"


def as_json(report: Report, year: str | None = None) -> str:
    rows = [{k: r[k] for k in COLUMNS} for r in report_rows(report, year)]
    return json.dumps({"programme": report.programme, "as_of": report.as_of.isoformat(), "rows": rows,
                       "left_out": report.left_out}, indent=2)


def as_csv(report: Report, year: str | None = None) -> str:
    header = [*COLUMNS, "note"]
    return csv_text(header, ([r[k] for k in header] for r in report_rows(report, year)))


def as_markdown(report: Report, year: str | None = None) -> str:
    lines = [f"# {report.programme}: funder targets as of {report.as_of:%d %B %Y}", "",
             "| year | measure | target | actual | % | status | note |", "|---|---|---:|---:|---:|---|---|"]
    for r in report_rows(report, year):
        cells = [r["year"], r["label"], "" if r["target"] is None else r["target"], r["actual"],
                 "" if r["percent"] is None else f"{r['percent']}%", STATUS_TEXT[r["status"]]]
        # A note can carry an event's title: it shows as typed wherever the file is rendered.
        lines.append("| " + " | ".join([*(str(c).replace("|", "/") for c in cells),
                                        inert.markdown(r["note"], one_line=True)]) + " |")
    if report.left_out:
        lines += ["", f"{report.left_out} rows could not be read and were left out (see Data quality)."]
    return "\n".join(lines) + "\n"


def as_typed(sheet) -> None:
    """Every cell of an openpyxl worksheet kept as the text it is: openpyxl
    stores any text starting with "=" as a formula, which Excel would run."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def as_xlsx(report: Report) -> bytes:
    """A workbook with one sheet of figures, for trustees who live in Excel."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Funder report"
    sheet.append([f"{report.programme}: funder targets as of {report.as_of:%d %B %Y}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(["Year", "Measure", "Target", "Actual", "Percent", "Status", "Note"])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for r in report_rows(report):
        sheet.append([r["year"], r["label"], r["target"], r["actual"], r["percent"], STATUS_TEXT[r["status"]],
                      r["note"]])
    if report.left_out:
        sheet.append([])
        sheet.append([f"{report.left_out} rows could not be read and were left out."])
    as_typed(sheet)  # labels and notes (an event title can start a note) are text
    for column, width in zip("ABCDEFG", (11, 52, 8, 8, 8, 16, 60)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
