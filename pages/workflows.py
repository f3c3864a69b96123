"""Coordinators see what happens after a form is saved: each workflow, its
deliveries, a dry run, a test, retries, and the switch to turn one off."""
import datetime as dt

import streamlit as st

from organising.sheets import StoreUnavailable
from organising.workflows.overview import as_text, choices, delivery_log, dry_run, overview, send_test, status
from ui.session import config, require_page
from ui.workflows import ledger, local_time, setup, sources, worker

user = require_page(__file__)
settings = config().settings
current, log = setup(), ledger()
workflows, switches = current.workflows, log.switches()

st.title("Workflows")
st.caption("What the app does after a form is saved, on a schedule, or when it sees a pledge overdue, an event "
           "not evaluated, a target behind or a forum meeting tomorrow. They are set in the workflows file; "
           "addresses and keys in the secrets file (see docs/WORKFLOWS.md).")
st.text(f"Workflows file: {workflows.path}")
running = worker()
st.text(f"Sender: running in this server; last looked at the tabs {local_time(running.last_scan) or 'not yet'}"
        + (f"; last problem: {running.last_error}" if running.last_error else ""))

if workflows.problems:
    st.error(f"{len(workflows.problems)} problem(s) in the workflows: the workflows named below do not run until "
             "they are fixed; the others do.", icon=":material/error:")
    st.code("\n\n".join(str(p) for p in workflows.problems), language=None, wrap_lines=True)

if not workflows.workflows:
    st.info("No workflow is set up yet: add one to the workflows file (docs/WORKFLOWS.md has examples).")
    st.stop()

st.dataframe(overview(workflows, log.counts(), switches, settings.timezone, dt.datetime.now(dt.timezone.utc)),
             hide_index=True, width="stretch")

st.subheader("One workflow")
chosen = st.selectbox("Workflow", [w.name for w in workflows.workflows], key="workflow")
workflow = workflows.get(chosen)
if workflow.description:
    st.text(workflow.description)
st.text(f"Starts when {workflow.trigger.describe()}"
        + (f", if {workflow.when.source}" if workflow.when else "") + ". Then: "
        + "; ".join(f"{n}. {a.kind}" for n, a in enumerate(workflow.actions, start=1)) + ".")
counts = log.counts().get(workflow.name)
st.text(f"Status: {status(workflow, switches)}. Deliveries: "
        + (f"{counts.due or 0} waiting, {counts.sent or 0} delivered, {counts.failed or 0} failed; last delivered "
           f"{local_time(counts.last_sent_at) or 'never'}." if counts else "none yet."))
on = st.toggle("On", value=switches.get(workflow.name, workflow.enabled), key=f"on:{workflow.name}",
               help="Off: nothing it would do is recorded or sent, and switching it on again does not catch up.")
if on != switches.get(workflow.name, workflow.enabled):
    log.switch(workflow.name, on, user.name)
    st.rerun()

try:
    found = sources()
    options = choices(workflow, found)
except StoreUnavailable as exc:
    options = []
    st.warning(f"The sheet cannot be read just now, so there is nothing to try the workflow on. {exc}")
if not options:
    st.info("Nothing to try it on yet: " + {"submitted": "the form has no rows.", "schedule": "",
                                            "condition": "the condition holds for nothing right now."}
            [workflow.trigger.kind])
else:
    labels = [label for label, _ in options]
    picked = st.selectbox("Try it on", range(len(options)), format_func=labels.__getitem__, key="try_on")
    choice = options[picked][1]
    with st.expander("Dry run: exactly what it would send, sent to nobody", expanded=True):
        planned = dry_run(workflow, choice, found)
        if not planned:
            st.text("Nothing: its condition (when) does not hold for this one.")
        for p in planned:
            st.text(f"{p.action}. {p.kind} to {p.destination}")
            st.code(as_text(p), language=None, wrap_lines=True)
    with st.form("send_test"):
        address = st.text_input("Send a test: its e-mails go to this address only (webhooks and chat to their own "
                                "address, marked as a test; rows are not appended)",
                                value=current.recipients.get("coordinators", "").split(",")[0].strip())
        if st.form_submit_button("Send a test", disabled=bool(workflow.waiting)):
            if any(a.kind == "email" for a in workflow.actions) and "@" not in address:
                st.error("Give an e-mail address for the test.")
            else:
                keys = send_test(workflow, choice, found, log, address.strip())
                running.nudge()
                st.success(f"{len(keys)} test deliveries recorded; they show in the log below once sent.")

st.subheader("Deliveries")
state = st.radio("Show", ["all", "failed", "waiting", "delivered", "cancelled"], horizontal=True, key="show",
                 help="Cancelled: not sent because it named someone whose data was erased, or it failed and what "
                      "it would have sent was removed after the delivery log's retention (docs/PRIVACY.md).")
wanted = {"all": None, "failed": "failed", "waiting": "due", "delivered": "sent", "cancelled": "cancelled"}[state]
listed = log.deliveries(state=wanted, limit=500)
if listed:
    st.dataframe(delivery_log(listed, settings.timezone), hide_index=True, width="stretch")
else:
    st.info("No deliveries here yet.")
failed = log.deliveries(state="failed", limit=1000)
if failed:
    left, right = st.columns(2)
    if left.button(f"Retry all {len(failed)} failed", icon=":material/replay:"):
        count = log.retry()
        running.nudge()
        st.success(f"{count} deliveries will be sent again now.")
    one = right.selectbox("Retry one", [d.id for d in failed], index=None, placeholder="Delivery id",
                          key="retry_one")
    if one is not None and right.button("Retry this one"):
        log.retry([one])
        running.nudge()
        st.success(f"Delivery {one} will be sent again now.")
