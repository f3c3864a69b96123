"""The Privacy page's pieces: what the workflows keep, a search for a
person, a plan shown cell by cell (and delivery by delivery) and confirmed
before anything is written, and what came of it."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from integrations.delivery import data_for, open_ledger
from organising import inert
from organising.privacy.deliveries import WorkflowData, preview
from organising.privacy.personal import waiting_tabs
from organising.privacy.plan import Outcome, Plan, carry_out
from organising.privacy.retention import alliance_today
from organising.privacy.search import Query
from organising.sheets import StoreUnavailable, Tab

from . import workflows
from .audit import who
from .data import after_write, store
from .session import config


def workflow_data() -> WorkflowData:
    """What the workflows keep: the tabs they append to and the delivery log.
    A workflow the file's mistakes stop is not known here: said once."""
    setup = workflows.setup()  # loading them afresh took 0.1 s of every open of the page
    if setup.workflows.problems:
        st.info("The workflows file has mistakes (see Workflows). A tab that only a workflow with a mistake "
                "appends to is not purged, and is searched for mentions only, until the mistake is fixed.")
    return data_for(config(), setup, open_ledger(config()))


def fresh(data: WorkflowData, every_tab: bool = False) -> tuple[dict[str, Tab], dict[str, Tab]]:
    """The tabs as they are now (not the shared cached read: a change is
    planned on what it will change) and the submissions waiting to be sent."""
    try:
        names = store().tab_names() if every_tab else [*config().tabs, *data.tabs]
        return store().read_tabs(names), waiting_tabs(store().waiting_rows())
    except StoreUnavailable as exc:
        st.error(f"The data cannot be read right now, so nothing can be changed. {inert.markdown(exc)}")
        st.stop()


def _field(key: str, name: str) -> str:
    # A new round after an erasure is a new, empty form: clearing a widget's
    # state would not clear what the browser shows.
    return f"privacy:{key}:{st.session_state.get(f'privacy:{key}:round', 0)}:{name}"


def search_form(key: str, button: str) -> Query | None:
    """Name, institution, e-mail, phone; the query once submitted and sound."""
    with st.form(f"privacy:{key}:search"):
        st.text_area("Name", key=_field(key, "names"), height=68,
                     help="As it is written in the sheet; one per line for other spellings.")
        st.text_input("Institution (optional)", key=_field(key, "institution"),
                      help="To tell apart two people with the same name.")
        st.text_input("E-mail address", key=_field(key, "emails"), help="Several: separate them with ;")
        st.text_input("Phone number", key=_field(key, "phones"), help="Several: separate them with ;")
        if not st.form_submit_button(button):
            return None
    state = st.session_state
    query = Query.of(*(state[_field(key, name)] for name in ("names", "institution", "emails", "phones")))
    if query.problem:
        st.error(inert.markdown(query.problem))
        return None
    return query


def add_names(key: str, names: list[str]) -> None:
    """Search for these names too (a button's on_click: before the form is drawn)."""
    field = _field(key, "names")
    st.session_state[field] = "\n".join(dict.fromkeys([*st.session_state.get(field, "").splitlines(), *names]))


def show_plan(plan: Plan, key: str, button: str, data: WorkflowData) -> None:
    """Every cell and delivery the plan changes, what would change in the
    figures, and the button that writes it once the coordinator has checked."""
    links = (f" {len(plan.links)} rows are added to Person merges so that people whose older rows are "
             "pseudonymised still count once." if plan.links else "")
    if plan.changes:
        st.markdown(f"**{len(plan.removed)}** personal cells in **{plan.rows}** rows of {len(plan.tabs)} tabs: each "
                    f"blanked, or a name replaced by a pseudonym. The rows stay.{links}")
        st.dataframe(pd.DataFrame(plan.preview()), hide_index=True, width="stretch")
    if plan.deliveries:
        cancelled = sum(c.cancels for c in plan.deliveries)
        st.markdown(f"**{len(plan.deliveries)}** deliveries in the delivery log: what each sent is removed; the "
                    "delivery stays listed (when, which workflow, whether it was sent), so it is never sent again."
                    + (f" **{cancelled}** not sent yet are cancelled." if cancelled else ""))
        st.dataframe(pd.DataFrame(preview(plan.deliveries, config().settings.timezone)), hide_index=True,
                     width="stretch")
    anyway = True
    if plan.changed_figures:
        st.warning("These figures would change:")
        st.dataframe(pd.DataFrame({"Figure": plan.changed_figures}), hide_index=True, width="stretch")
        anyway = st.checkbox("Go ahead although these figures change", key=f"privacy:{key}:anyway")
    else:
        st.success("Every figure stays the same: the funder reports, the dashboard, the leader pipeline, "
                   "member institutions, events, forums and pledges.")
    checked = st.checkbox("I have checked the cells above", key=f"privacy:{key}:checked")
    if st.button(button, type="primary", disabled=not (checked and anyway), key=f"privacy:{key}:go"):
        with st.status("Starting…", expanded=True) as status:
            def step(text: str) -> None:
                status.update(label=inert.markdown(text) + "…")
                st.text(text)
            outcome = carry_out(store(), config(), plan, who(), alliance_today(config()), progress=step, data=data)
            status.update(label="Done", state="complete", expanded=False)
        after_write()
        # Nothing of the person stays on the page: the plan, the search, the ticks.
        for part in ("", ":checked", ":anyway"):
            st.session_state.pop(f"privacy:{key}{part}", None)
        st.session_state[f"privacy:{key}:round"] = st.session_state.get(f"privacy:{key}:round", 0) + 1
        st.session_state[f"privacy:{key}:done"] = outcome
        st.rerun()


def show_outcome(key: str) -> None:
    outcome: Outcome | None = st.session_state.get(f"privacy:{key}:done")
    if outcome is None:
        return
    st.success(f"Done: {outcome.plan.summary()}. The audit log records it.")
    if outcome.sent_meanwhile:
        st.warning(f"{len(outcome.sent_meanwhile)} deliveries were sent before they could be cancelled (their "
                   "content is removed from the delivery log): "
                   + ", ".join(str(i) for i in outcome.sent_meanwhile) + ".")
    if outcome.not_done:
        st.warning(f"{len(outcome.not_done)} cells were not changed because their row changed in the sheet since "
                   "it was read. Prepare it again to see what is left.")
        st.dataframe(pd.DataFrame([{"Tab": r.edit.tab, "Sheet row": r.edit.row or "waiting to be sent",
                                    "Column": r.edit.column, "Why": r.problem} for r in outcome.not_done]),
                     hide_index=True, width="stretch")
    if outcome.changed_figures:
        st.warning("These figures changed:")
        st.dataframe(pd.DataFrame({"Figure": outcome.changed_figures}), hide_index=True, width="stretch")
