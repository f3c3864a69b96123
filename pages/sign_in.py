"""Home: who you are, how to sign in, what you can do here, and demo data on an empty store."""
import streamlit as st

from integrations.delivery import loaded_in_bulk
from organising import inert
from organising.config import ROLES
from organising.tools.demo import ALLIANCE, DEMO_BY, is_empty, load_demo
from ui.data import after_write, all_tabs, store
from ui.navigation import MENU
from ui.sheet_status import sheet_status_warning
from ui.session import (ROLE_LABELS, auth, config, keep_kiosk_cookie, kiosk_note, open_roles, passcodes,
                        require_page, setup_problems, sign_in, sign_in_with, sign_out, signed_in)

settings = config().settings
keep_kiosk_cookie()  # a kiosk cookie that no longer opens a kiosk is removed
user = require_page(__file__)
provider = signed_in()
st.title(settings.alliance_name)
st.write("Record one-to-ones, sign groups up to Collaborative Action Groups, take attendance at "
         "workshops, assemblies and trainings, and watch progress towards the alliance's targets.")
if note := kiosk_note():
    st.warning(note)

if provider:
    role = f"{ROLE_LABELS[user.role].lower()}" if user else "with no role in this app"
    st.success(f"Signed in as **{inert.markdown(provider.name)}**, {role}.")
    st.text(f"Account: {provider.email}")  # as text: Markdown would make the address a mailto link
    if provider.problem:
        st.warning(inert.markdown(provider.problem))
    if not user:
        st.info("Your e-mail address is not on the alliance's team. Ask a coordinator to add you on the Team page.")
    if st.button("Sign out"):
        sign_out()
elif user and st.session_state.get("user"):
    st.success(f"Signed in as **{inert.markdown(user.name) or 'guest'}**, {ROLE_LABELS[user.role].lower()}.")
    if st.button("Sign out"):
        sign_out()
        st.rerun()
else:
    if user:
        st.info(f"You are using the app as a {ROLE_LABELS[user.role].lower()}. "
                "Sign in below to put your name on what you record, or to use another role.")
    setup = auth()
    if setup.usable:
        for p in setup.providers:
            if st.button(f"Sign in with {p.label}", type="primary", key=f"sign_in_with:{p.name}"):
                sign_in_with(p)
    offered = [r for r in ROLES if r in open_roles() or r in passcodes()]
    if offered:
        with st.expander("Sign in with a passcode", expanded=not setup.usable):
            role = st.radio("I am a", options=offered, format_func=ROLE_LABELS.get, horizontal=True,
                            key="sign_in_role")
            name = st.text_input("Your name", key="sign_in_name")
            needs_code = role not in open_roles()
            code = st.text_input("Passcode", type="password", key="sign_in_code") if needs_code else ""
            if st.button("Sign in", type="primary"):
                if not name.strip():
                    st.error("Please enter your name: it is recorded with what you submit.")
                elif problem := sign_in(name, role, code):
                    st.error(problem)
                else:
                    st.rerun()

problems = setup_problems()
if problems:
    st.warning("The sign-in settings in the secrets file have mistakes; what each one concerns is not offered "
               "until it is fixed:\n\n"
               + "\n".join(f"- {inert.markdown(p)}" for p in problems))

if user:
    for section, pages in MENU[user.role].items():
        st.subheader(section)
        for info in pages:
            st.page_link(info.path, label=info.title, icon=info.icon)

if user and user.role == "coordinator":
    forms = config().forms
    tabs = all_tabs()
    sheet_status_warning()
    if is_empty(tabs.values()):
        st.subheader("Nothing recorded yet")
        st.write(f"Load demo data to explore the app: a fictional alliance, *{ALLIANCE}*, with a few hundred "
                 "1:1s over three programme years, events with attendance and CAG sign-ups. Every demo row "
                 f"is marked '{DEMO_BY}'.")
        if st.button("Load demo data"):
            bar = st.progress(0.0, text="Loading demo data…")
            stored = load_demo(store(), forms, progress=lambda done, total: bar.progress(done / total))
            loaded_in_bulk(config(), store(), run=False)  # no workflow fires for demo rows
            after_write()
            st.success(f"Loaded {stored} demo rows.")
    elif any(DEMO_BY in row for tab in tabs.values() for row in tab.rows):
        st.warning(f"This store contains demo data ({ALLIANCE}). Rows marked '{DEMO_BY}' are not real.")
