"""Plotly figures for the dashboard: pure functions of data, no Streamlit.

Colours are the Okabe-Ito palette (safe for colour-blind readers), every bar
carries its number as text, and margins are small so charts read on a phone.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .. import inert

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
STATUS_COLOURS = {"green": "#009E73", "amber": "#E69F00", "red": "#D55E00", "scheduled": "#56B4E9",
                  "not started": "#999999", "no target": "#999999", "met": "#009E73", "missed": "#D55E00"}


def _layout(fig: go.Figure, title: str, height: int = 320) -> go.Figure:
    fig.update_layout(title=title, height=height, margin=dict(l=8, r=8, t=48, b=8), showlegend=False,
                      font=dict(size=13), colorway=OKABE_ITO)
    return fig


def bar_chart(table: pd.DataFrame, label_column: str, title: str, labels: dict[str, str] | None = None) -> go.Figure:
    """Horizontal bars, largest on top, each with its count written on it."""
    table = table.iloc[::-1]
    # Plotly reads labels as HTML: a name typed as <a href=…> must not become a link.
    names = [inert.html((labels or {}).get(v, v)) for v in table[label_column]]
    fig = go.Figure(go.Bar(x=table["count"], y=names, orientation="h", text=table["count"],
                           textposition="auto", marker_color=OKABE_ITO[0]))
    return _layout(fig, title, height=max(220, 60 + 28 * len(table)))


def cumulative_chart(cumulative: pd.DataFrame, target_line: pd.DataFrame | None, title: str) -> go.Figure:
    """Running total of 1:1s against the 1:1s expected by each date."""
    fig = go.Figure(go.Scatter(x=cumulative["date"], y=cumulative["total"], mode="lines", name="1:1s so far",
                               line=dict(color=OKABE_ITO[0], width=3)))
    if target_line is not None:
        fig.add_trace(go.Scatter(x=target_line["date"], y=target_line["expected"], mode="lines",
                                 name=f"target pace ({target_line['expected'].iloc[-1]:.0f})",
                                 line=dict(color=OKABE_ITO[1], width=2, dash="dash")))
    if len(cumulative):
        last = cumulative.iloc[-1]
        fig.add_annotation(x=last["date"], y=last["total"], text=str(int(last["total"])), showarrow=False,
                           yshift=12)
    fig = _layout(fig, title)
    fig.update_layout(showlegend=True, legend=dict(orientation="h", y=-0.15))
    return fig


def progress_chart(rows: list[dict], title: str) -> go.Figure:
    """Percent of target per metric, coloured by status, labelled with actual / target."""
    rows = [r for r in rows if r["target"]][::-1]
    fig = go.Figure(go.Bar(
        x=[r["percent"] for r in rows], y=[inert.html(r["label"]) for r in rows], orientation="h",
        text=[f"{r['actual']} / {r['target']} ({r['status']})" for r in rows], textposition="auto",
        marker_color=[STATUS_COLOURS[r["status"]] for r in rows]))
    fig = _layout(fig, title, height=max(240, 60 + 34 * len(rows)))
    fig.update_xaxes(title="% of target", range=[0, max([110, *(r["percent"] or 0 for r in rows)])])
    return fig
