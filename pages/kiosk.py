"""An event kiosk: a tablet at the door signs people in to one event. No
other page, and nobody's earlier sign-in, can be reached from this browser
until a coordinator ends kiosk mode."""
import streamlit as st

from organising import inert
from organising.forms.spec import choices_from_tab
from ui.data import all_tabs
from ui.formview import render_form
from ui.session import (auth, config, keep_kiosk_cookie, kiosk_ended, kiosk_pass, leave_kiosk, passcodes,
                        require_page, sign_in_with, signed_in)

user = require_page(__file__)
keep_kiosk_cookie()
kiosk = kiosk_pass()
form = config().forms["attendance"]
source = form.field("event_id").choices_from
event = next((c for c in choices_from_tab(source, all_tabs()[source.tab]) if c.name == kiosk.event_id), None)
if event is None:
    st.error("The event this kiosk is for is no longer on the Events tab, so nobody can sign in to it here. "
             "A coordinator can end kiosk mode below.")
else:
    st.subheader(inert.markdown(event.label))
    render_form(form, user, fixed={"event_id": kiosk.event_id}, private=True)

st.divider()
with st.expander("Coordinators: end kiosk mode"):
    provider = signed_in()
    if provider and provider.user and provider.user.role == "coordinator":
        if st.button("End kiosk mode"):
            leave_kiosk("")
            kiosk_ended()
    else:
        if "coordinator" in passcodes():
            code = st.text_input("Coordinator passcode", type="password", key="kiosk_code", autocomplete="off")
            if st.button("End kiosk mode"):
                if problem := leave_kiosk(code):
                    st.error(problem)
                else:
                    kiosk_ended()
        setup = auth()
        if setup.usable:
            st.caption("Or sign in as a coordinator, then come back here:")
            for p in setup.providers:
                if st.button(f"Sign in with {p.label}", key=f"kiosk_sign_in:{p.name}"):
                    sign_in_with(p)
        if "coordinator" not in passcodes() and not setup.usable:
            st.caption("No coordinator passcode or identity provider is set up, so kiosk mode ends on "
                       f"{kiosk.until:%d %B %Y}.")
