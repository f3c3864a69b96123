"""Render any config-defined form, validate it, and append its row.

Plain widgets rather than st.form: a question shown "only if …" must appear
as soon as the answer it depends on changes, and widgets inside st.form do
not rerun the page. A double click cannot duplicate a row: the submission id
is made when the form is first shown, kept across reruns, and the store
stores an id once.

A form written in several languages shows a language picker; the words
change, the widgets and their answers stay (their keys do not depend on
the language), and validation runs on the English spec, so the row stored
is the same whichever language the person read.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Sequence

import streamlit as st

from organising.forms.spec import Choice, Field, Form, typed_value, validate, visible_fields
from organising.forms.submissions import dynamic_choices, new_submission_id, submission_row
from organising.forms.translations import message_text, text
from organising.i18n import ENGLISH

from .data import after_write, all_tabs, store
from .language import gettext, laid_out_for, ngettext, pick_language
from .session import User
from .workflows import record_deliveries

_RADIO_MAX = 4  # up to this many choices show as radio buttons: one tap on a phone


def _key(form: Form, name: str) -> str:
    return f"form:{form.id}:{name}"


def _widget_key(form: Form, name: str) -> str:
    # A fresh form gets fresh widget keys: clearing a widget's state does not
    # clear what the browser shows, but a new key is a new, empty widget.
    return f"form:{form.id}:{st.session_state.get(_key(form, 'round'), 0)}:{name}"


def _dynamic_choices(form: Form) -> dict[str, tuple[Choice, ...]]:
    return dynamic_choices(form, all_tabs()) if any(f.choices_from for f in form.fields) else {}


def _choice_labels(f: Field, choices: Sequence[Choice], language: str) -> dict[str, str]:
    # A tab's rows (event titles) are people's words, shown as typed.
    return {c.name: c.label if f.choices_from else text(c, "label", language) for c in choices}


def _widget(form: Form, f: Field, choices: Sequence[Choice], language: str) -> None:
    _ = gettext(language)
    key = _widget_key(form, f.name)
    label = text(f, "label", language)
    label = f"{label} *" if f.required else label
    placeholder = text(f, "hint", language)
    hint = placeholder or None
    if f.type == "note":
        st.info(label)
    elif f.type == "long_text":
        st.text_area(label, key=key, placeholder=placeholder)  # a typing box shows its hint inside
    elif f.type in ("text", "email", "phone"):
        st.text_input(label, key=key, placeholder=placeholder)
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
        labels = _choice_labels(f, choices, language)
        st.multiselect(label, options=list(labels), format_func=labels.get, key=key, help=hint,
                       placeholder=_("Choose one or more"))
    else:  # select_one
        labels = _choice_labels(f, choices, language)
        # A list read from a tab grows over time, so it is always a drop-down.
        if not f.choices_from and (len(labels) <= _RADIO_MAX or f.appearance == "horizontal"):
            st.radio(label, options=list(labels), format_func=labels.get, key=key, help=hint, index=None,
                     horizontal=True)
        else:
            st.selectbox(label, options=list(labels), format_func=labels.get, key=key, help=hint, index=None,
                         placeholder=_("Choose…"))


def _answers(form: Form) -> dict[str, Any]:
    return {f.name: st.session_state.get(_widget_key(form, f.name)) for f in form.fields}


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


def _saved_message(form: Form, stored: bool, queued: bool, language: str) -> str:
    _ = gettext(language)
    if queued:
        return _("Saved on this device: the shared sheet cannot be reached right now, so your answers "
                 "will be sent automatically as soon as it answers. You don't need to submit again.")
    if not stored:
        return _("These answers were already saved (the same submission arrived twice); nothing was duplicated.")
    return text(form, "success_message", language).strip()


def _submit(form: Form, user: User, answers: Mapping[str, Any],
            dynamic: Mapping[str, Sequence[Choice]], language: str) -> None:
    _ = gettext(language)
    outcome = validate(form, answers, dynamic_choices=dynamic, language=language)  # messages translated when shown
    if not outcome.ok:
        st.session_state[_key(form, "errors")] = outcome.errors
        st.rerun()
    submission_id = st.session_state[_key(form, "submission_id")]
    row = submission_row(form, outcome.row, submission_id, user.name or f"({user.role})")
    try:
        result = store().append_row(form.tab, row, submission_id, form.aliases)
    except Exception as exc:  # the answers stay on screen, so nothing is lost
        st.session_state.pop(_key(form, "errors"), None)
        st.error(_("Your answers could not be saved just now ({problem}). They are still here: please "
                   "press Submit again in a moment.").format(problem=exc.__class__.__name__))
        return
    after_write()
    record_deliveries(form, row)
    _reset(form)
    st.session_state[_key(form, "flash")] = _saved_message(form, result.stored, result.queued, language)
    st.rerun()


def _nothing_to_choose(f: Field, language: str) -> str:
    _ = gettext(language)
    source = f.choices_from
    why = (_("no row of the {tab} tab fits: {rule}").format(tab=source.tab, rule=source.describe())
           if source.filtered else _("the {tab} tab is empty").format(tab=source.tab))
    return _("{question}: there is nothing to choose yet ({why}). A coordinator adds them first.").format(
        question=text(f, "label", language), why=why)


def render_form(form: Form, user: User) -> None:
    if _key(form, "submission_id") not in st.session_state:
        st.session_state[_key(form, "submission_id")] = new_submission_id()
    language = pick_language((ENGLISH, *form.languages), key=_key(form, "language"))
    _, n_ = gettext(language), ngettext(language)
    with st.container(key=f"form-{form.id}"):
        laid_out_for(language, f"form-{form.id}")
        flash = st.session_state.pop(_key(form, "flash"), None)
        if flash:
            st.success(flash, icon=":material/check_circle:")
        st.title(text(form, "title", language))
        if form.description:
            st.caption(text(form, "description", language))

        dynamic = _dynamic_choices(form)
        answers = _answers(form)
        typed = {f.name: typed_value(f, answers[f.name]) for f in form.fields}
        errors: dict[str, str] = st.session_state.get(_key(form, "errors"), {})
        for f in visible_fields(form, typed):
            choices = dynamic.get(f.name, f.choices)
            if f.choices_from and not choices:
                st.warning(_nothing_to_choose(f, language))
                continue
            _widget(form, f, choices, language)
            if f.name in errors:
                st.error(message_text(f, errors[f.name], language), icon=":material/error:")

        # Translators: after an asterisk, which marks the questions that need an answer.
        st.caption("\\* " + _("required"))
        if errors:
            st.error(n_("Please check the answer marked above. Nothing has been saved yet.",
                        "Please check the {count} answers marked above. Nothing has been saved yet.",
                        len(errors)).format(count=len(errors)))
        if st.button(_("Submit"), type="primary", key=_key(form, "submit"), width="stretch"):
            _submit(form, user, _answers(form), dynamic, language)
