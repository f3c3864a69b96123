"""Render any config-defined form, validate it, and append its row.

Plain widgets rather than st.form: a question shown "only if …" must appear
as soon as the answer it depends on changes, and widgets inside st.form do
not rerun the page. A double click cannot duplicate a row: the submission id
is made when the form is first shown, kept across reruns, and the store
stores an id once.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Mapping, Sequence

import streamlit as st

from organising.forms.spec import Choice, Field, Form, choices_from_tab, typed_value, validate, visible_fields
from organising.forms.submissions import new_submission_id, submission_row

from .data import after_write, all_tabs, store
from .session import User

_RADIO_MAX = 4  # up to this many choices show as radio buttons: one tap on a phone


def _key(form: Form, name: str) -> str:
    return f"form:{form.id}:{name}"


def _widget_key(form: Form, name: str) -> str:
    # A fresh form gets fresh widget keys: clearing a widget's state does not
    # clear what the browser shows, but a new key is a new, empty widget.
    return f"form:{form.id}:{st.session_state.get(_key(form, 'round'), 0)}:{name}"


def _dynamic_choices(form: Form) -> dict[str, tuple[Choice, ...]]:
    sources = [f for f in form.fields if f.choices_from]
    if not sources:
        return {}
    tabs, today = all_tabs(), dt.date.today()
    return {f.name: choices_from_tab(f.choices_from, tabs[f.choices_from.tab], today) if f.choices_from.tab in tabs
            else () for f in sources}


def _widget(form: Form, f: Field, choices: Sequence[Choice], private: bool) -> None:
    key = _widget_key(form, f.name)
    # On a shared device (a kiosk) the browser must not offer what the last person typed.
    autocomplete = "off" if private else None
    label = f"{f.label} *" if f.required else f.label
    hint = f.hint or None
    if f.type == "note":
        st.info(f.label)
    elif f.type == "long_text":
        st.text_area(label, key=key, placeholder=f.hint)  # a typing box shows its hint inside
    elif f.type in ("text", "email", "phone"):
        st.text_input(label, key=key, placeholder=f.hint, autocomplete=autocomplete)
    elif f.type == "integer":
        st.number_input(label, key=key, help=hint, value=None, step=1, format="%d")
    elif f.type == "decimal":
        st.number_input(label, key=key, help=hint, value=None, format="%g")
    elif f.type == "date":
        st.date_input(label, key=key, help=hint, value=None, format="DD/MM/YYYY",
                      min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
    elif f.type in ("acknowledge", "consent"):
        st.checkbox(label, key=key, help=hint)
    elif f.type == "select_multiple":
        labels = {c.name: c.label for c in choices}
        st.multiselect(label, options=list(labels), format_func=labels.get, key=key, help=hint,
                       placeholder="Choose one or more")
    else:  # select_one
        labels = {c.name: c.label for c in choices}
        # A list read from a tab grows over time, so it is always a drop-down.
        if not f.choices_from and (len(labels) <= _RADIO_MAX or f.appearance == "horizontal"):
            st.radio(label, options=list(labels), format_func=labels.get, key=key, help=hint, index=None,
                     horizontal=True)
        else:
            st.selectbox(label, options=list(labels), format_func=labels.get, key=key, help=hint, index=None,
                         placeholder="Choose…")


def _answers(form: Form, fixed: Mapping[str, Any]) -> dict[str, Any]:
    return {f.name: fixed[f.name] if f.name in fixed else st.session_state.get(_widget_key(form, f.name))
            for f in form.fields}


def _reset(form: Form) -> None:
    for f in form.fields:
        st.session_state.pop(_widget_key(form, f.name), None)
    st.session_state[_key(form, "round")] = st.session_state.get(_key(form, "round"), 0) + 1
    st.session_state.pop(_key(form, "errors"), None)
    st.session_state[_key(form, "submission_id")] = new_submission_id()


def prefill_form(form: Form, answers: Mapping[str, Any]) -> None:
    """Start the form afresh with these answers already in it (for example
    last week's meeting carried over); the person can change any of them
    before submitting. Call it before render_form in the same run. Values
    are what the widgets hold: text, numbers, dates, choice names."""
    unknown = sorted(set(answers) - {f.name for f in form.fields})
    if unknown:
        raise KeyError(f"form {form.id!r} has no field {', '.join(unknown)}")
    _reset(form)
    for name, value in answers.items():
        st.session_state[_widget_key(form, name)] = value


def _saved_message(form: Form, stored: bool, queued: bool) -> str:
    if queued:
        return ("Saved on this device: the shared sheet cannot be reached right now, so your answers "
                "will be sent automatically as soon as it answers. You don't need to submit again.")
    if not stored:
        return "These answers were already saved (the same submission arrived twice); nothing was duplicated."
    return form.success_message.strip()


def _submit(form: Form, user: User, answers: Mapping[str, Any],
            dynamic: Mapping[str, Sequence[Choice]], on_saved: Callable[[Mapping[str, str]], None] | None) -> None:
    outcome = validate(form, answers, dynamic_choices=dynamic)
    if not outcome.ok:
        st.session_state[_key(form, "errors")] = outcome.errors
        st.rerun()
    submission_id = st.session_state[_key(form, "submission_id")]
    row = submission_row(form, outcome.row, submission_id, user.submitted_by)
    try:
        result = store().append_row(form.tab, row, submission_id, form.aliases)
    except Exception as exc:  # the answers stay on screen, so nothing is lost
        st.session_state.pop(_key(form, "errors"), None)
        st.error(f"Your answers could not be saved just now ({exc.__class__.__name__}). They are still "
                 f"here: please press Submit again in a moment.")
        return
    after_write()
    if on_saved and result.stored:
        on_saved(row)
    _reset(form)
    st.session_state[_key(form, "flash")] = _saved_message(form, result.stored, result.queued)
    st.rerun()


def render_form(form: Form, user: User, *, fixed: Mapping[str, Any] | None = None, private: bool = False,
                on_saved: Callable[[Mapping[str, str]], None] | None = None) -> None:
    """The form, its checks and its Submit button. `fixed` answers are given,
    not asked (a kiosk's event); `private` keeps the browser from offering
    earlier answers; `on_saved` gets the row once it is stored."""
    fixed = fixed or {}
    if _key(form, "submission_id") not in st.session_state:
        st.session_state[_key(form, "submission_id")] = new_submission_id()
    flash = st.session_state.pop(_key(form, "flash"), None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    st.title(form.title)
    if form.description:
        st.caption(form.description)

    dynamic = _dynamic_choices(form)
    answers = _answers(form, fixed)
    typed = {f.name: typed_value(f, answers[f.name]) for f in form.fields}
    errors: dict[str, str] = st.session_state.get(_key(form, "errors"), {})
    for f in visible_fields(form, typed):
        if f.name in fixed:
            continue
        choices = dynamic.get(f.name, f.choices)
        if f.choices_from and not choices:
            source = f.choices_from
            why = (f"no row of the {source.tab} tab fits: {source.describe()}" if source.filtered
                   else f"the {source.tab} tab is empty")
            st.warning(f"{f.label}: there is nothing to choose yet ({why}). A coordinator adds them first.")
            continue
        _widget(form, f, choices, private)
        if f.name in errors:
            st.error(errors[f.name], icon=":material/error:")

    st.caption("\\* required")
    if errors:
        st.error(f"Please check the {len(errors)} answer{'s' if len(errors) > 1 else ''} marked above. "
                 "Nothing has been saved yet.")
    if st.button("Submit", type="primary", key=_key(form, "submit"), width="stretch"):
        _submit(form, user, _answers(form, fixed), dynamic, on_saved)
