"""The funder report as a PDF with its charts, for trustees.

Drawn with reportlab's own graphics, so no browser is needed. Aggregates
only: the tables and progress charts come from the report's figures, and the
1:1s chart reads nothing but conversation dates.
"""
from __future__ import annotations

import datetime as dt
import io
import textwrap
from typing import Mapping

import pandas as pd
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .. import inert
from .charts import PALETTE, STATUS_COLOURS
from .dashboard import cumulative_by_day, filtered, listening_frame, one_to_ones_metric, one_to_ones_target_line
from ..counting.metrics import Forms, Report, form_writing
from .reports import STATUS_TEXT, report_rows
from ..sheets import Tab
from ..counting.targets import Programme, ProgrammeYear

WIDTH = A4[0] - 36 * mm  # the text width between 18 mm margins
_STYLES = getSampleStyleSheet()
_CELL = ParagraphStyle("cell", parent=_STYLES["BodyText"], fontSize=8, leading=10)
_NUMBER = ParagraphStyle("number", parent=_CELL, alignment=TA_RIGHT)
_HEAD = ParagraphStyle("head", parent=_CELL, fontName="Helvetica-Bold")
_HEAD_NUMBER = ParagraphStyle("head_number", parent=_HEAD, alignment=TA_RIGHT)


def _hex(colour: str) -> colors.Color:
    return colors.HexColor(colour)


def _table(rows: list[dict]) -> Table:
    widths = [52 * mm, 13 * mm, 14 * mm, 12 * mm, 24 * mm]
    widths.append(WIDTH - sum(widths))
    head = [Paragraph("Target", _HEAD), *(Paragraph(t, _HEAD_NUMBER) for t in ("Goal", "Actual", "%")),
            Paragraph("Status", _HEAD), Paragraph("Note", _HEAD)]
    body = [[Paragraph(inert.html(r["label"]), _CELL),
             Paragraph("" if r["target"] is None else str(r["target"]), _NUMBER),
             Paragraph(str(r["actual"]), _NUMBER),
             Paragraph("" if r["percent"] is None else f"{r['percent']}%", _NUMBER),
             Paragraph(STATUS_TEXT[r["status"]], _CELL),
             Paragraph(inert.html(r["note"]), _CELL)] for r in rows]
    table = Table([head, *body], colWidths=widths, repeatRows=1)
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
             ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey)]
    # The status cell carries its colour as a bar on the left, the same colour as the chart.
    style += [("LINEBEFORE", (4, i), (4, i), 4, _hex(STATUS_COLOURS[r["status"]])) for i, r in enumerate(rows, 1)]
    table.setStyle(TableStyle(style))
    return table


def progress_drawing(rows: list[dict], title: str) -> Drawing | None:
    """Percent of target per measure, coloured by status, labelled actual / target (status)."""
    rows = [r for r in rows if r["target"]]
    if not rows:
        return None
    bar_height, label_width = 22, 70 * mm
    drawing = Drawing(WIDTH, 40 + bar_height * len(rows))
    drawing.add(String(0, drawing.height - 12, title, fontName="Helvetica-Bold", fontSize=10))
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 20
    chart.width, chart.height = WIDTH - label_width - 90, bar_height * len(rows)  # room for the labels
    chart.data = [[r["percent"] for r in rows]]
    chart.categoryAxis.categoryNames = [textwrap.fill(r["label"], 42) for r in rows]
    chart.categoryAxis.reverseDirection = 1  # first measure on top, as in the table
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.textAnchor = "end"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(120, *(r["percent"] for r in rows))
    chart.valueAxis.valueStep = 20 if chart.valueAxis.valueMax <= 140 else 50
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.labels.fontSize = 7
    chart.barWidth, chart.groupSpacing = 14, 8
    chart.bars.strokeColor = None
    for i, r in enumerate(rows):
        chart.bars[(0, i)].fillColor = _hex(STATUS_COLOURS[r["status"]])
    chart.barLabelFormat = "values"
    chart.barLabelArray = [[f"{r['actual']} / {r['target']} ({STATUS_TEXT[r['status']]})" for r in rows]]
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def cumulative_drawing(dates: pd.DataFrame, programme: Programme, year: ProgrammeYear, as_of: dt.date,
                       title: str) -> Drawing:
    """Running total of 1:1s in the year against the target line the cards use."""
    def day(d: dt.date) -> int:
        return (d - year.start).days

    totals = cumulative_by_day(filtered(dates, year, as_of))
    points = [(0, 0), *((day(d), t) for d, t in zip(totals["date"], totals["total"]))]
    points.append((day(min(as_of, year.end)), points[-1][1]))  # flat to the "as of" date
    line = one_to_ones_target_line(programme, year)
    series = [points]
    if line is not None:
        series.append([(day(d), e) for d, e in zip(line["date"], line["expected"])])
    drawing = Drawing(WIDTH, 190)
    drawing.add(String(0, drawing.height - 12, title, fontName="Helvetica-Bold", fontSize=10))
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 30, 40, WIDTH - 60, 120
    plot.data = series
    plot.lines[0].strokeColor, plot.lines[0].strokeWidth = _hex(PALETTE[0]), 2.5
    plot.lines[1].strokeColor, plot.lines[1].strokeWidth = _hex(PALETTE[1]), 1.5
    plot.lines[1].strokeDashArray = (4, 3)
    months = list(pd.date_range(year.start, year.end, freq="MS").date)
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 0, day(year.end)
    plot.xValueAxis.valueSteps = [day(m) for m in months]
    plot.xValueAxis.labelTextFormat = lambda x: (year.start + dt.timedelta(days=x)).strftime("%b")
    plot.xValueAxis.labels.fontSize = plot.yValueAxis.labels.fontSize = 7
    highest = max([p[1] for s in series for p in s] + [1])
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = 0, highest * 1.1
    plot.yValueAxis.labelTextFormat = "%d"
    drawing.add(plot)
    last_x, last_total = points[-1]
    drawing.add(String(plot.x + plot.width * last_x / max(day(year.end), 1) + 3,
                       plot.y + plot.height * last_total / plot.yValueAxis.valueMax + 3, str(last_total),
                       fontSize=8, fillColor=_hex(PALETTE[0])))
    legend = Legend()
    legend.x, legend.y, legend.fontSize, legend.alignment = plot.x, 14, 8, "right"
    legend.columnMaximum, legend.dx, legend.dy = 1, 14, 3
    legend.colorNamePairs = [(_hex(PALETTE[0]), "1:1s so far"),
                             *([(_hex(PALETTE[1]), f"target pace ({line['expected'].iloc[-1]:.0f})")]
                               if line is not None else [])]
    drawing.add(legend)
    return drawing


def as_pdf(report: Report, programme: Programme, tabs: Mapping[str, Tab], forms: Forms,
           only_year: str | None = None) -> bytes:
    """The report with a table, a progress chart and the 1:1s chart per year
    (of the 1:1s tab only the conversation dates are used)."""
    metric = one_to_ones_metric(programme)
    form = form_writing(forms, metric.source) if metric else None
    dates = None if form is None else listening_frame(tabs.get(form.tab, Tab(form.tab)), form)[["date"]]
    # A Paragraph reads its text as markup: names and titles are escaped so "&" or "<i>" print as typed.
    name = inert.html(report.programme)
    story = [Paragraph(f"{name}: funder targets", _STYLES["Title"]),
             Paragraph(f"Programme: {name}. Figures as of {report.as_of:%d %B %Y}. "
                       "Aggregates only: no names, contacts or stories.", _STYLES["BodyText"])]
    if report.left_out:
        story.append(Paragraph(f"{report.left_out} rows could not be read and were left out of these figures "
                               "(a coordinator can see which on the Data quality page).", _STYLES["BodyText"]))
    else:
        story.append(Paragraph("Every row could be read: none were left out.", _STYLES["BodyText"]))
    for year in [*programme.years, None]:
        label = year.label if year else "programme"
        rows = report_rows(report, label)
        if not rows or only_year not in (None, label):
            continue
        heading = f"Programme year {label}" if year else "Whole programme"
        story += [CondPageBreak(80 * mm), Paragraph(heading, _STYLES["Heading2"]), _table(rows), Spacer(1, 4 * mm)]
        progress = progress_drawing(rows, f"Progress in {label}" if year else "Progress over the programme")
        if progress is not None:
            story += [KeepTogether([progress]), Spacer(1, 2 * mm)]
        if year is not None and dates is not None and report.as_of >= year.start:
            story.append(cumulative_drawing(dates, programme, year, report.as_of,
                                            f"1:1s in {label}, against the target line"))
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                                 bottomMargin=16 * mm, title=f"{report.programme}: funder targets",
                                 author="Organising app")

    def footer(canvas, doc) -> None:
        canvas.setFont("Helvetica", 7)
        canvas.drawString(18 * mm, 9 * mm, f"{report.programme}, funder targets as of {report.as_of:%d %B %Y}")
        canvas.drawRightString(A4[0] - 18 * mm, 9 * mm, f"page {doc.page}")

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
