"""Coordinators: connect the alliance's Google Sheet and check it is ready."""
import pandas as pd
import streamlit as st

from integrations.google_sheets import sheets_settings
from integrations.stores import SQLITE_FILE, load_secrets, secrets_path
from organising import inert
from organising.forms.spec import ConfigError
from organising.forms.sheet_layout import compare_layout, header_table
from ui.data import after_write, store
from ui.sheet_status import check_again, outbox_summary, sheet_check, waiting_text
from ui.session import config, require_page

require_page(__file__)
st.title("Connect your sheet")
cfg = config()
if cfg.settings.store != "google_sheets":
    st.info(f"The app uses its **embedded store** ({SQLITE_FILE} in {cfg.settings.data_dir}), so no Google "
            "account is needed. To use the alliance's Google Sheet instead, fill the [google_sheets] section of "
            ".streamlit/secrets.toml (see .streamlit/secrets.toml.example and the README's \"Connect your Google "
            "Sheet\"), set `store: google_sheets` in config/settings.yaml, restart the app and come back here.")
    st.stop()

try:
    sheets = sheets_settings(load_secrets())
except ConfigError as exc:
    st.error(f"**The Google Sheet is not set up yet** ({secrets_path()}).\n\n{exc}")
    st.stop()

st.write("Share the sheet with the app's service account, as **Editor**:")
st.code(sheets.service_account_email, language=None)

summary = outbox_summary()
if summary and summary.waiting:
    st.warning(waiting_text(summary) + (f"\n\nLast problem: {summary.problem}" if summary.problem else ""),
               icon=":material/outbox:")
    if st.button("Send waiting submissions now"):
        if store().drain():
            after_write()
            st.rerun()
        st.error("Nothing could be sent yet; the app keeps trying by itself.")

if st.button("Check again", help="Ask Google now, after sharing the sheet or editing its tabs; otherwise what "
             f"is shown is at most {cfg.settings.cache_seconds} seconds old."):
    check_again()
check = sheet_check()
if not check.reachable:
    st.error(f"**The sheet cannot be used right now.** {check.problem}", icon=":material/link_off:")
    st.stop()
st.success(f"Connected to **{inert.markdown(check.title or sheets.spreadsheet_key)}**.", icon=":material/link:")

layout = compare_layout(cfg.forms.values(), check.headers or {})
for tab in layout.tabs:
    written_by = ", ".join(tab.forms)
    if not tab.exists:
        st.markdown(f":orange[:material/warning:] **{tab.tab}** ({written_by}): the tab is missing.")
    elif tab.missing:
        st.markdown(f":orange[:material/warning:] **{tab.tab}** ({written_by}): missing columns "
                    f"{', '.join(tab.missing)}.")
    else:
        st.markdown(f":green[:material/check_circle:] **{tab.tab}** ({written_by}): every column is there.")
    if tab.exists:
        # Headers are typed by people (or are a Google Form's questions): shown in a table, never as Markdown.
        with st.expander(f"Which of the {tab.tab} tab's columns the app reads"):
            st.dataframe(header_table(tab, cfg.form_for_tab(tab.tab)), hide_index=True, width="stretch")
if layout.other_tabs:
    st.caption("Other tabs, left alone:")
    st.dataframe(pd.DataFrame({"Tab": layout.other_tabs}), hide_index=True)

if layout.complete:
    st.info("The sheet is ready: every form's tab and column is there.")
elif st.button("Create missing tabs and columns", type="primary",
               help="Adds missing tabs, and missing headers at the end of row 1. Existing columns and rows "
                    "are never changed."):
    for form in cfg.forms.values():
        store().ensure_tab(form.tab, form.columns, form.aliases)
    after_write()
    check_again()
    st.rerun()
