"""Plotly figures for the dashboard, and the table behind each: pure
functions of data, no Streamlit.

Readable by everyone (WCAG 2.2 AA): the colours are the Okabe-Ito hues
(safe for colour-blind readers), darkened to 3:1 or more against white
(1.4.11); every bar carries its number as text outside the bar, in the
page's text colour, with the axis text (4.5:1 and more, 1.4.3); a status is
written beside its colour, never told by colour alone; and each chart has a
table of its numbers for anyone who cannot see it (1.1.1). Margins are
small so charts read on a phone.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .. import inert

# Okabe-Ito's blue, vermillion, bluish green, reddish purple, orange and black,
# darkened where needed: each 4.4:1 or more on white.
PALETTE = ["#0072B2", "#C24E00", "#00805E", "#A85C8C", "#8F6400", "#000000"]
STATUS_COLOURS = {"green": "#00805E", "amber": "#8F6400", "red": "#C24E00", "scheduled": "#2A78AE",
                  "not started": "#6E6E6E", "no target": "#6E6E6E", "met": "#00805E", "missed": "#C24E00"}
TEXT = "#111111"    # the theme's text colour (.streamlit/config.toml)
TRACK = "#767676"   # the outline of a progress bar's whole length (4.5:1)


def _axis(title: str | None = None, **more) -> dict:
    return {"tickfont": {"color": TEXT}, "title": {"font": {"color": TEXT}, **({"text": title} if title else {})},
            **more}


def _figure(traces: list[dict], title: str, height: int = 320, xaxis: dict | None = None, **layout) -> go.Figure:
    """The figure from one whole spec: plotly checks a spec given at once
    several times faster than a figure changed update by update, and the
    dashboard draws seven of them on every run."""
    return go.Figure({"data": traces, "layout": {
        "title": {"text": title, "font": {"color": TEXT}}, "height": height,
        "margin": {"l": 8, "r": 8, "t": 48, "b": 8}, "showlegend": False, "font": {"size": 13, "color": TEXT},
        "colorway": PALETTE, "legend": {"font": {"color": TEXT}}, "xaxis": xaxis or _axis(), "yaxis": _axis(),
        **layout}})


def _names(values, labels: dict[str, str] | None) -> list[str]:
    # A name typed by a person, as text: plotly reads labels as HTML, so <a href=…> must not become a link.
    return [inert.html((labels or {}).get(v, v)) for v in values]


def bar_chart(table: pd.DataFrame, label_column: str, title: str, labels: dict[str, str] | None = None) -> go.Figure:
    """Horizontal bars, largest on top, each with its count written beside it."""
    table = table.iloc[::-1]
    bars = {"type": "bar", "x": table["count"], "y": _names(table[label_column], labels), "orientation": "h",
            "text": table["count"], "textposition": "outside", "cliponaxis": False, "textfont": {"color": TEXT},
            "marker": {"color": PALETTE[0]}}
    return _figure([bars], title, height=max(220, 60 + 28 * len(table)),
                   xaxis=_axis(range=[0, max([1, *table["count"]]) * 1.15]))  # room for the numbers


def bar_table(table: pd.DataFrame, label_column: str, heading: str, labels: dict[str, str] | None = None,
              counted: str = "1:1s") -> pd.DataFrame:
    """The numbers a bar chart draws: each name (as a person reads it) and its count."""
    return pd.DataFrame({heading: [(labels or {}).get(v, v) for v in table[label_column]],
                         counted: table["count"].tolist()})


def cumulative_chart(cumulative: pd.DataFrame, target_line: pd.DataFrame | None, title: str) -> go.Figure:
    """Running total of 1:1s against the 1:1s expected by each date."""
    lines = [{"type": "scatter", "x": cumulative["date"], "y": cumulative["total"], "mode": "lines",
              "name": "1:1s so far", "line": {"color": PALETTE[0], "width": 3}}]
    if target_line is not None:
        lines.append({"type": "scatter", "x": target_line["date"], "y": target_line["expected"], "mode": "lines",
                      "name": f"target pace ({target_line['expected'].iloc[-1]:.0f})",
                      "line": {"color": PALETTE[1], "width": 2, "dash": "dash"}})
    last = cumulative.iloc[-1] if len(cumulative) else None
    annotations = [] if last is None else [{"x": last["date"], "y": last["total"], "text": str(int(last["total"])),
                                            "showarrow": False, "yshift": 12, "font": {"color": TEXT}}]
    return _figure(lines, title, annotations=annotations, showlegend=True,
                   legend={"orientation": "h", "y": -0.15, "font": {"color": TEXT}})


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


def progress_chart(rows: list[dict], title: str) -> go.Figure:
    """Percent of target per metric, coloured by status, labelled with actual
    / target and the status in words. Each metric's whole length is drawn
    (an outlined track to 100%), so one at 0% still has its bar."""
    rows = [r for r in rows if r["target"]][::-1]
    names = [inert.html(r["label"]) for r in rows]
    track = {"type": "bar", "x": [100] * len(rows), "y": names, "orientation": "h", "hoverinfo": "skip",
             "showlegend": False, "marker": {"color": "rgba(0,0,0,0)", "line": {"color": TRACK, "width": 1}}}
    done = {"type": "bar", "x": [r["percent"] or 0 for r in rows], "y": names, "orientation": "h",
            "text": [f"{r['actual']} / {r['target']} ({r['status']})" for r in rows], "textposition": "outside",
            "cliponaxis": False, "textfont": {"color": TEXT},
            "marker": {"color": [STATUS_COLOURS[r["status"]] for r in rows]}}
    widest = max([110, *(r["percent"] or 0 for r in rows)]) * 1.45
    return _figure([track, done], title, height=max(240, 60 + 34 * len(rows)), barmode="overlay",
                   xaxis=_axis("% of target", range=[0, widest]))


def progress_table(rows: list[dict]) -> pd.DataFrame:
    """The numbers the progress chart draws, one row per target."""
    rows = [r for r in rows if r["target"]]
    return pd.DataFrame({"Target": [r["label"] for r in rows], "Actual": [r["actual"] for r in rows],
                         "Target number": [r["target"] for r in rows],
                         "% of target": [r["percent"] or 0 for r in rows], "Status": [r["status"] for r in rows]})
