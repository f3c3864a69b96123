"""Coordinators read the audit log: sign-ins, wrong passcodes, waits imposed,
role changes, kiosk links, exports and erasures. Read-only: the app only
ever adds entries."""
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from organising.privacy.audit import ACTIONS, AUDIT_TAB, read_audit
from organising.sheets import StoreUnavailable
from ui.data import store
from ui.session import config, require_page
from ui.tables import shown_as

require_page(__file__)
st.title("Audit log")
st.write("What people did that matters for security and privacy, newest first. The app only ever adds to "
         "this log: nobody can change or delete an entry from the app.")
try:
    entries = read_audit(store().read_tabs([AUDIT_TAB])[AUDIT_TAB])
except StoreUnavailable as exc:
    st.error(f"The audit log cannot be read right now. {exc}", icon=":material/cloud_off:")
    st.stop()
if not entries:
    st.info("Nothing recorded yet.")
    st.stop()

zone = ZoneInfo(config().settings.timezone)
kinds = list(dict.fromkeys(e.action for e in entries))
chosen = st.multiselect("Show only", options=kinds, format_func=shown_as(ACTIONS),
                        placeholder="Everything")
shown = [e for e in entries if not chosen or e.action in chosen]
table = pd.DataFrame([{"When": e.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S") if e.at else "",
                       "Who": e.who, "What": e.what, "Detail": e.detail, "Sheet row": e.row} for e in shown],
                     columns=["When", "Who", "What", "Detail", "Sheet row"])
st.caption(f"{len(shown)} of {len(entries)} entries; times in {zone.key}.")
st.dataframe(table, hide_index=True, width="stretch")
