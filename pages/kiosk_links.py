"""Coordinators make a kiosk link, and its QR code to print, for one event:
opened on a tablet at the door, it signs people in to that event only."""
import datetime as dt
import io

import segno
import streamlit as st

from organising import inert
from organising.access.kiosk import kiosk_token, kiosk_url
from organising.forms.spec import choices_from_tab
from ui.data import all_tabs
from ui.session import app_url, audit, config, kiosk_secret, require_page

user = require_page(__file__)
st.title("Kiosk for an event")
st.write("A tablet or laptop at the door of a workshop, assembly or training, where people sign themselves "
         "in. The kiosk link opens the sign-in form for that one event and nothing else: no menu, no other "
         "page, and nobody's earlier sign-in. Only a coordinator (with the coordinator passcode, or by "
         "signing in) can end kiosk mode on that device.")

form = config().forms["attendance"]
source = form.field("event_id").choices_from
events = {c.name: c.label for c in choices_from_tab(source, all_tabs()[source.tab])}
if not events:
    st.info("There are no events yet: add the event on the Events page first.")
    st.stop()

today = dt.date.today()
chosen = st.selectbox("Event", options=list(events), format_func=events.get, index=None, placeholder="Choose…")
until = st.date_input("The link works until", value=today + dt.timedelta(days=14), min_value=today,
                      max_value=today + dt.timedelta(days=366), format="DD/MM/YYYY",
                      help="After this day the link and its QR code stop working.")
if st.button("Make the kiosk link", type="primary", disabled=chosen is None):
    url = kiosk_url(app_url(), kiosk_token(kiosk_secret(), chosen, until))
    audit(user.submitted_by, "kiosk_link", f"for {events[chosen]}, until {until.isoformat()}")
    st.session_state["kiosk_link"] = (url, events[chosen], until)

made = st.session_state.get("kiosk_link")
if made:
    url, label, until = made
    st.subheader(inert.markdown(label))
    st.code(url, language=None)
    qr = segno.make(url, error="m")
    png, svg = io.BytesIO(), io.BytesIO()
    qr.save(png, kind="png", scale=8, border=4)
    qr.save(svg, kind="svg", scale=8, border=4)
    st.image(png.getvalue(), caption="Scan to open the kiosk", width=280)
    left, right = st.columns(2)
    left.download_button("Download the QR code (PNG)", png.getvalue(), file_name="kiosk-qr.png", mime="image/png")
    right.download_button("Download the QR code (SVG, to print)", svg.getvalue(), file_name="kiosk-qr.svg",
                          mime="image/svg+xml")
    st.info(f"Open the link on the kiosk device in a browser nobody is signed in to (a private window will do). "
            f"It works until {until:%d %B %Y}. To stop people leaving the browser, pin the screen "
            "(Guided Access on an iPad, screen pinning on Android).")
