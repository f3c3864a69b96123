"""Trustees: every funder target with target, actual, percent and status.
Aggregates only: no names, contacts or stories reach this page."""
import datetime as dt

import pandas as pd
import streamlit as st

from organising.counting.metrics import compute_report
from organising.reporting.pdf_report import as_pdf
from organising.reporting.reports import STATUS_TEXT, as_csv, as_markdown, as_xlsx, report_rows
from ui.data import all_tabs
from ui.session import config, require_page

require_page(__file__)
st.title("Funder report")
programmes = config().programmes
if not programmes:
    st.info("No funder targets are configured yet (config/targets.yaml).")
    st.stop()
name = st.selectbox("Programme", options=list(programmes))
programme = programmes[name]
as_of = st.date_input("As of", value=min(dt.date.today(), programme.years[-1].end), format="DD/MM/YYYY",
                      help="See the figures as they stood on any past date.")
tabs = all_tabs()
report = compute_report(programme, tabs, config().forms, as_of)

for year in [*(y.label for y in programme.years), "programme"]:
    rows = report_rows(report, year)
    if not rows:
        continue
    st.subheader("Whole programme" if year == "programme" else f"Programme year {year}")
    table = pd.DataFrame([{"Target": r["label"], "Goal": r["target"], "Actual": r["actual"],
                           "%": None if r["percent"] is None else f"{r['percent']}%",
                           "Status": STATUS_TEXT[r["status"]], "Note": r["note"]} for r in rows])
    st.dataframe(table, hide_index=True, width="stretch")

if report.left_out:
    st.warning(f"{report.left_out} rows could not be read and are left out of these figures. "
               "A coordinator can see which on the Data quality page.")
stem = f"{name} funder report {as_of.isoformat()}"
forms = config().forms
# Drawn only when clicked (on its own thread), so changing the date stays quick.
st.download_button("Download PDF (with charts)", lambda: as_pdf(report, programme, tabs, forms),
                   file_name=f"{stem}.pdf", mime="application/pdf")
st.download_button("Download Excel (XLSX)", as_xlsx(report), file_name=f"{stem}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
st.download_button("Download CSV", as_csv(report).encode("utf-8-sig"), file_name=f"{stem}.csv", mime="text/csv")
st.download_button("Download Markdown", as_markdown(report).encode("utf-8"), file_name=f"{stem}.md",
                   mime="text/markdown")
