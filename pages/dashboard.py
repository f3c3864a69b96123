"""Coordinators: are we on track? Live from the shared cached read."""
import datetime as dt
from functools import partial

import streamlit as st

from organising import inert
from organising.reporting.charts import (bar_chart, bar_table, cumulative_chart, cumulative_table, progress_chart,
                                        progress_table)
from organising.reporting.dashboard import (card_delta, filter_options, one_to_ones_target_line, signups_by_area,
                                            year_figures)
from organising.counting.metrics import compute_report
from organising.reporting.reports import report_rows
from ui.charts import chart, numbers_toggle
from ui.data import all_tabs
from ui.sheet_status import sheet_status_warning
from ui.session import config, require_page
from ui.tables import choice_labels, shown_as

require_page(__file__)
st.title("Dashboard")
cfg = config()
if not cfg.programmes:
    st.info("No funder targets are configured yet (config/targets.yaml).")
    st.stop()
listening = cfg.forms["listening"]
labels = choice_labels(listening) | choice_labels(cfg.forms["cag_signup"])

today = dt.date.today()
programme = cfg.programmes[st.selectbox("Programme", options=list(cfg.programmes),
                                        index=len(cfg.programmes) - 1)]
current = next((i for i, y in enumerate(programme.years) if y.holds(today)), len(programme.years) - 1)
year = programme.years[st.radio("Programme year", options=range(len(programme.years)), index=current,
                                format_func=shown_as(dict(enumerate(y.label for y in programme.years))),
                                horizontal=True)]


# Moving figures can be paused (WCAG 2.2.2): while this is off, the page changes only when asked.
updating = st.toggle("Update every minute", value=True,
                     help="Turn off to read the figures without them changing; turn on again to catch up.")
numbers_toggle()


@st.fragment(run_every=60 if updating else None)
def live() -> None:
    # Reruns every minute through the shared cached read: no extra API calls per viewer.
    tabs = all_tabs()
    sheet_status_warning()
    report = compute_report(programme, tabs, cfg.forms, today)
    if report.left_out:
        st.warning(f"{report.left_out} rows could not be read and are left out of these figures; see Data quality.")
    rows = report_rows(report, year.label)
    cards = st.columns(2)
    for i, r in enumerate(rows):
        figure = next(f for f in report.figures if f.metric == r["metric"] and f.year == year.label)
        delta, colour = card_delta(figure)
        with cards[i % 2].container(border=True):
            st.metric(r["label"], f"{r['actual']} / {r['target']}" if r["target"] else str(r["actual"]),
                      delta=delta, delta_color=colour, help=inert.markdown(r["note"]) or None)
            if r["target"]:  # a bar for each target, an empty one at 0%
                st.progress(min(r["percent"] or 0, 100) / 100, text=f"{r['percent'] or 0}% of the target")
    chart(progress_chart(rows, f"Progress in {year.label}"), partial(progress_table, rows))

    one_to_ones = tabs[listening.tab]
    all_areas, all_institutions = filter_options(one_to_ones, listening)
    with st.expander("Filter 1:1s by area or institution"):
        areas = st.multiselect("Area", all_areas, format_func=shown_as(labels))
        institutions = st.multiselect("Institution", all_institutions)
    figures = year_figures(one_to_ones, listening, year, today, areas, institutions)
    pace = one_to_ones_target_line(programme, year)
    chart(cumulative_chart(figures.cumulative, pace, f"1:1s in {year.label}, against the target line"),
          partial(cumulative_table, figures.cumulative, pace))
    if figures.empty:
        st.info("No 1:1s recorded for this year and filter yet.")
        return
    st.metric("Potential leaders spotted in these 1:1s", figures.leaders)
    for column, title, heading in [("issues", "Issues raised", "Issue"), ("area", "Where people live", "Area"),
                                   ("institution", "1:1s by listener's institution", "Institution"),
                                   ("listener", "Top listeners", "Listener")]:
        table = figures.breakdowns[column]
        chart(bar_chart(table, column, title, labels), partial(bar_table, table, column, heading, labels))
    signups = signups_by_area(tabs[cfg.forms["cag_signup"].tab], cfg.forms["cag_signup"])
    if not signups.empty:
        chart(bar_chart(signups, "area", "CAG sign-ups by area", labels),
              partial(bar_table, signups, "area", "Area", labels, counted="Groups"))


live()
