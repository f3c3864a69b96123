"""Coordinators: residents' personal data under UK GDPR. How long it is
kept and the purge, forgetting a person, and everything held about someone
(docs/PRIVACY.md)."""
import pandas as pd
import streamlit as st

from organising.privacy.access import subject_access
from organising.privacy.erasure import plan_erasure
from organising.privacy.retention import alliance_today, plan_purge, retention_status
from ui.audit import log
from ui.data import all_tabs
from ui.privacy import add_names, fresh, search_form, show_outcome, show_plan, workflow_data
from ui.session import config, require_page

require_page(__file__)
cfg = config()
today = alliance_today(cfg)
st.title("Privacy")
st.caption("Residents' names, contacts and stories: how long they are kept, forgetting a person who asks, and "
           "everything held about someone. Trustees never see them. Each action here is in the audit log.")
data = workflow_data()
retention, forget, access = st.tabs(["Retention", "Forget a person", "Everything about a person"])

with retention:
    status = retention_status(cfg, all_tabs(data.tabs), today, data)
    st.metric(f"Rows with personal data older than {status.months} months", status.rows_past)
    st.caption(f"Personal data is kept {status.months} months (retention_months in config/settings.yaml): the "
               f"purge blanks it in rows recorded before {status.cutoff:%d %B %Y}, keeping the rows, so every "
               "count stays the same.")
    if status.past:
        st.dataframe(pd.DataFrame({"Tab": list(status.past), "Rows past retention": list(status.past.values())}),
                     hide_index=True)
    st.caption(f"The delivery log keeps what each workflow sent {status.delivery_days} days (payload_retention_days "
               f"in the workflows file); the workflow sender then removes it by itself. Now "
               f"{len(status.deliveries)} deliveries hold what they sent longer ago than that.")
    if status.undated:
        st.warning("Some rows hold personal data but no date the app can read, so they are never purged. "
                   "Give them a date in the sheet (submitted_at, or the form's date).")
        st.dataframe(pd.DataFrame([{"Tab": tab, "Sheet rows": ", ".join(map(str, rows))}
                                   for tab, rows in status.undated.items()]), hide_index=True)
    show_outcome("purge")
    if st.button("Prepare the purge", disabled=not status.anything):
        with st.spinner("Working out what to blank, and checking every figure…"):
            st.session_state["privacy:purge"] = plan_purge(cfg, fresh(data)[0], today, data)[0]
            st.session_state.pop("privacy:purge:done", None)
    if "privacy:purge" in st.session_state:
        show_plan(st.session_state["privacy:purge"], "purge", "Purge now", data)

with forget:
    st.caption("Someone asks to be forgotten: find them by name, e-mail or phone. Their name, contacts and "
               "story are blanked in every tab, in the sheet and in submissions waiting to be sent; what the "
               "workflows sent naming them is removed from the delivery log, and what they have not sent yet is "
               "cancelled. The rows stay, so every count stays. The audit log records that it happened, never who "
               "it was.")
    show_outcome("forget")
    query = search_form("forget", "Find everything to erase")
    if query is not None:
        with st.spinner("Looking in every tab…"):
            tabs, waiting = fresh(data, every_tab=True)
            st.session_state["privacy:forget"] = plan_erasure(cfg, tabs, waiting, query, today, data)
            st.session_state["privacy:forget:tabs"] = tabs
            st.session_state.pop("privacy:forget:done", None)
    if "privacy:forget" in st.session_state:
        plan, found = st.session_state["privacy:forget"]
        if found.names:
            st.info("Names on these rows that you may also want to erase (other spellings, or the person behind "
                    "an e-mail address):")
            st.dataframe(pd.DataFrame({"Name": found.names}), hide_index=True)
            st.button("Search for these names too", on_click=add_names, args=("forget", found.names))
        if found.mentions:
            tabs = st.session_state["privacy:forget:tabs"]
            st.warning("These cells mention them but are not erased: someone else's words, or a column no form "
                       "knows. Read them in the sheet and edit them by hand if they are about this person.")
            st.dataframe(pd.DataFrame([{"Tab": tab, "Sheet row": tabs[tab].sheet_row(i) if i >= 0 else
                                        "waiting to be sent", "Column": column} for tab, i, column in found.mentions]),
                         hide_index=True, width="stretch")
        if not plan.empty:
            show_plan(plan, "forget", "Erase", data)
        else:
            st.info("Nothing to erase: no personal cell in any tab, and no delivery in the delivery log, matches.")

with access:
    st.caption("A subject access request: everything held about a person, from every tab (every column of "
               "every row that names them), as one spreadsheet to send them. The law gives a month to answer.")
    query = search_form("access", "Find everything about them")
    if query is not None:
        with st.spinner("Looking in every tab…"):
            tabs, waiting = fresh(data, every_tab=True)
            st.session_state["privacy:access"] = subject_access(cfg, tabs, waiting, query, today, data)
    export = st.session_state.get("privacy:access")
    if export is not None:
        if not export.found:
            st.info("Nothing found: no tab and no delivery the workflows sent names them by that name, e-mail or "
                    "phone.")
        else:
            st.write(f"{export.rows} rows in {export.tabs} tabs name them"
                     + (f", and {export.deliveries} deliveries the workflows sent." if export.deliveries else "."))
            st.download_button("Download everything about them (.xlsx)", export.workbook,
                               file_name=f"Subject access {today.isoformat()}.xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               on_click=log, args=("access_request", export.summary))
