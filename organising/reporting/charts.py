"""Vega-Lite charts for the dashboard, and the table behind each: pure
functions of data, no Streamlit. A chart is a spec (a dict) that Streamlit
draws on a canvas: names typed by people are data drawn as text, never read
as HTML or as an expression.

Readable by everyone (WCAG 2.2 AA): the colours are the Okabe-Ito hues
(safe for colour-blind readers), darkened to 3:1 or more against white
(1.4.11); every bar carries its number as text beside the bar, in the
page's text colour, with the axis text (4.5:1 and more, 1.4.3); a status is
written beside its colour, never told by colour alone; and each chart has a
table of its numbers for anyone who cannot see it (1.1.1), which the page
shows under every chart when asked (ui/charts.py).
"""
from __future__ import annotations

import pandas as pd

# Okabe-Ito's blue, vermillion, bluish green, reddish purple, orange and black,
# darkened where needed: each 4.4:1 or more on white.
PALETTE = ["#0072B2", "#C24E00", "#00805E", "#A85C8C", "#8F6400", "#000000"]
STATUS_COLOURS = {"green": "#00805E", "amber": "#8F6400", "red": "#C24E00", "scheduled": "#2A78AE",
                  "not started": "#6E6E6E", "no target": "#6E6E6E", "met": "#00805E", "missed": "#C24E00"}
TEXT = "#111111"    # the theme's text colour (.streamlit/config.toml)
TRACK = "#767676"   # the outline of a progress bar's whole length (4.5:1)
ROW = 28            # pixels per bar: each name shown, none hidden for want of room


def _axis(title: str | None = None) -> dict:
    # A long name (a target, an institution) takes at most 40% of the chart's width, then ends in "…"
    # (it is whole in the table under the chart): on a phone the bars keep room to be seen.
    return {"title": title, "labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 13,
            "labelLimit": {"expr": "max(80, containerSize()[0] * 0.4)"}}


def _spec(title: str, height: int | dict, data: list[dict], **chart) -> dict:
    return {"title": {"text": title, "color": TEXT, "anchor": "start"}, "height": height,
            "data": {"values": data}, **chart}


def _words(**placement) -> dict:
    """A text mark in the page's text colour and size, placed as asked."""
    return {"type": "text", "color": TEXT, "fontSize": 13, **placement}


def _number_beside(field: str, at: str) -> dict:
    """A text mark writing `field` just right of the x position `at`."""
    return {"mark": _words(align="left", dx=4),
            "encoding": {"x": {"field": at, "type": "quantitative"}, "text": {"field": field}}}


def _label(value: str, labels: dict[str, str] | None) -> str:
    return (labels or {}).get(value, value)


def bar_chart(table: pd.DataFrame, label_column: str, title: str, labels: dict[str, str] | None = None) -> dict:
    """Horizontal bars, largest on top (the table's order), each with its count written beside it."""
    bars = [{"name": _label(v, labels), "count": int(n)} for v, n in zip(table[label_column], table["count"])]
    widest = max([1, *(b["count"] for b in bars)]) * 1.15  # room for the numbers
    return _spec(title, {"step": ROW}, bars, encoding={
        "y": {"field": "name", "type": "nominal", "sort": None, "axis": _axis()},
        "x": {"field": "count", "type": "quantitative", "scale": {"domain": [0, widest]}, "axis": _axis()},
    }, layer=[{"mark": {"type": "bar", "color": PALETTE[0]}}, _number_beside("count", "count")])


def bar_table(table: pd.DataFrame, label_column: str, heading: str, labels: dict[str, str] | None = None,
              counted: str = "1:1s") -> pd.DataFrame:
    """The numbers a bar chart draws: each name (as a person reads it) and its count."""
    return pd.DataFrame({heading: [_label(v, labels) for v in table[label_column]],
                         counted: table["count"].tolist()})


def cumulative_chart(cumulative: pd.DataFrame, target_line: pd.DataFrame | None, title: str) -> dict:
    """Running total of 1:1s against the 1:1s expected by each date, the
    total so far written at the end of its line."""
    so_far = "1:1s so far"
    points = [{"date": d.isoformat(), "value": int(v), "line": so_far}
              for d, v in zip(cumulative["date"], cumulative["total"])]
    lines, colours, dashes = [so_far], [PALETTE[0]], [[1, 0]]
    if target_line is not None:
        pace = f"target pace ({target_line['expected'].iloc[-1]:.0f})"
        points += [{"date": d.isoformat(), "value": round(float(v), 1), "line": pace}
                   for d, v in zip(target_line["date"], target_line["expected"])]
        lines, colours, dashes = lines + [pace], colours + [PALETTE[1]], dashes + [[6, 4]]
    date = {"field": "date", "type": "temporal", "scale": {"type": "utc"}, "axis": {**_axis(), "format": "%b %Y"}}
    layers = [{"mark": {"type": "line", "strokeWidth": 3}, "encoding": {
        "x": date, "y": {"field": "value", "type": "quantitative", "axis": _axis()},
        "color": {"field": "line", "type": "nominal", "scale": {"domain": lines, "range": colours},
                  "legend": {"title": None, "orient": "bottom", "labelColor": TEXT, "labelFontSize": 13}},
        "strokeDash": {"field": "line", "type": "nominal", "scale": {"domain": lines, "range": dashes},
                       "legend": None}}}]
    if len(cumulative):
        last = points[len(cumulative) - 1]
        layers.append({"data": {"values": [last]}, "mark": _words(dy=-12),
                       "encoding": {"x": date, "y": {"field": "value", "type": "quantitative"},
                                    "text": {"field": "value"}}})
    return _spec(title, 300, points, layer=layers)


def cumulative_table(cumulative: pd.DataFrame, target_line: pd.DataFrame | None) -> pd.DataFrame:
    """The running total at the end of each month (and the pace expected
    then): the chart's line in a few rows."""
    if cumulative.empty:
        return pd.DataFrame({"Month": [], "1:1s so far": []})
    done = cumulative.assign(month=pd.to_datetime(cumulative["date"]).dt.to_period("M"))
    table = done.groupby("month")["total"].last().reset_index()
    out = pd.DataFrame({"Month": table["month"].dt.strftime("%B %Y"), "1:1s so far": table["total"].astype(int)})
    if target_line is not None:
        pace = target_line.assign(month=pd.to_datetime(target_line["date"]).dt.to_period("M"))
        expected = pace.groupby("month")["expected"].last()
        out["Expected by then"] = [round(expected[m]) if m in expected.index else None for m in table["month"]]
    return out


def progress_chart(rows: list[dict], title: str) -> dict:
    """Percent of target per metric, coloured by status, labelled with actual
    / target and the status in words. Each metric's whole length is drawn
    (an outlined track to 100%), so one at 0% still has its bar."""
    bars = [{"name": r["label"], "percent": r["percent"] or 0, "end": max(100, r["percent"] or 0),
             "text": f"{r['actual']} / {r['target']} ({r['status']})", "colour": STATUS_COLOURS[r["status"]]}
            for r in rows if r["target"]]
    widest = max([110, *(b["percent"] for b in bars)]) * 1.45  # room for the words
    return _spec(title, {"step": ROW + 6}, bars, encoding={
        "y": {"field": "name", "type": "nominal", "sort": None, "axis": _axis()},
        "x": {"field": "percent", "type": "quantitative", "scale": {"domain": [0, widest]},
              "axis": _axis("% of target")},
    }, layer=[
        {"mark": {"type": "bar", "fill": "transparent", "stroke": TRACK, "strokeWidth": 1},
         "encoding": {"x": {"datum": 0, "type": "quantitative"}, "x2": {"datum": 100}}},
        {"mark": {"type": "bar"}, "encoding": {"color": {"field": "colour", "type": "nominal", "scale": None}}},
        _number_beside("text", "end"),
    ])


def progress_table(rows: list[dict]) -> pd.DataFrame:
    """The numbers the progress chart draws, one row per target."""
    rows = [r for r in rows if r["target"]]
    return pd.DataFrame({"Target": [r["label"] for r in rows], "Actual": [r["actual"] for r in rows],
                         "Target number": [r["target"] for r in rows],
                         "% of target": [r["percent"] or 0 for r in rows], "Status": [r["status"] for r in rows]})
