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

Made for a phone and for everyone (docs/ACCESSIBILITY.md): a fresh form
starts from its defaults (today's date) and the person's own details
(their name and institution, remembered for the session; never on a shared
kiosk); a few choices are radio buttons or pills, one tap each; a problem
is named next to its question (which screen readers hear as invalid and
described by it) and in a summary at the top that takes focus; once saved,
the confirmation is all there is on screen, with one button for the next.
"""
from __future__ import annotations

import datetime as dt
import html
from typing import Any, Callable, Mapping, Sequence

import streamlit as st

from organising import inert
from organising.forms.spec import Choice, Field, Form, initial_value, typed_value, validate, visible_fields
from organising.forms.submissions import dynamic_choices, new_submission_id, submission_row
from organising.forms.translations import field_message, text
from organising.i18n import ENGLISH

from .accessibility import focus, focus_on_click, keyed, mark
from .data import after_write, all_tabs, store
from .language import gettext, laid_out_for, ngettext, pick_language
from .session import User
from .workflows import record_deliveries

_RADIO_MAX = 4    # up to this many choices show as radio buttons: one tap on a phone
_PILLS_MAX = 16   # up to this many as pills, all on screen (one tap each); more in a drop-down
# Streamlit's own input types for these: the phone shows the keyboard for them.
_TEXT_TYPES = {"email": "email", "phone": "phone"}
# session_state key: the person's own details by HTML autofill name (name, organization…)
_OWN = "own_details"


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


def _text_input_kind(f: Field, private: bool) -> dict[str, str]:
    """How a typing box is set up: its input type (the phone's keyboard) and
    what the browser may fill in. The browser offers the person's own details
    only where the form asks for them; on a shared device (a kiosk) nothing,
    so nobody sees what the last person typed. The app checks the answer
    itself, in the person's language, so the browser's own check is off."""
    autocomplete = "off" if private else f.autocomplete or ("off" if f.type in _TEXT_TYPES else "")
    return {"type": _TEXT_TYPES.get(f.type, "default"), "validate": "", "icon": "",
            **({"autocomplete": autocomplete} if autocomplete else {})}


def _choice_widget(f: Field, choices: Sequence[Choice]) -> str:
    """radio, pills or a drop-down: all choices on screen when they fit."""
    if f.choices_from or f.appearance == "minimal" or len(choices) > _PILLS_MAX:
        return "dropdown"  # a list read from a tab grows over time, so it is always a drop-down
    if f.type == "select_one" and (len(choices) <= _RADIO_MAX or f.appearance == "horizontal"):
        return "radio"
    return "pills"


def _widget(form: Form, f: Field, choices: Sequence[Choice], language: str, private: bool) -> None:
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
        st.text_input(label, key=key, placeholder=placeholder, **_text_input_kind(f, private))
    elif f.type == "integer":
        st.number_input(label, key=key, help=hint, value=None, step=1, format="%d")
    elif f.type == "decimal":
        st.number_input(label, key=key, help=hint, value=None, format="%g")
    elif f.type == "date":
        st.date_input(label, key=key, help=hint, value=None, format="DD/MM/YYYY",
                      min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
    elif f.type in ("acknowledge", "consent"):
        st.checkbox(label, key=key, help=hint)
    else:
        labels = _choice_labels(f, choices, language)
        widget, many = _choice_widget(f, choices), f.type == "select_multiple"
        if widget == "pills":
            st.pills(label, options=list(labels), format_func=labels.get, key=key, help=hint,
                     selection_mode="multi" if many else "single")
        elif widget == "radio":
            st.radio(label, options=list(labels), format_func=labels.get, key=key, help=hint, index=None,
                     horizontal=True)
        elif many:
            st.multiselect(label, options=list(labels), format_func=labels.get, key=key, help=hint,
                           placeholder=_("Choose one or more"))
        else:
            st.selectbox(label, options=list(labels), format_func=labels.get, key=key, help=hint, index=None,
                         placeholder=_("Choose…"))


def _answers(form: Form, fixed: Mapping[str, Any]) -> dict[str, Any]:
    return {f.name: fixed[f.name] if f.name in fixed else st.session_state.get(_widget_key(form, f.name))
            for f in form.fields}


def _own_details() -> dict[str, str]:
    return st.session_state.setdefault(_OWN, {})


def _own(form: Form, f: Field) -> str:
    """What a remembered answer is kept under: its autofill name (the same
    detail on every form), else the form's question."""
    return f.autocomplete or f"{form.id}:{f.name}"


def _start_answers(form: Form, user: User, private: bool) -> None:
    """Give each question of a fresh form what it starts with: its default
    (today's date), or the person's own detail it remembers (their name as
    they signed in, or as they last typed it). Nothing of the kind on a
    shared device. A question the person has cleared stays clear."""
    own = {} if private else {**({"name": user.name} if user.name else {}), **_own_details()}
    for f in form.fields:
        key = _widget_key(form, f.name)
        if key in st.session_state:
            continue
        value = own.get(_own(form, f)) if f.remember else None
        value = value if value is not None else initial_value(f, dt.date.today())
        if value is not None:
            st.session_state[key] = value


def _remember_own_details(form: Form, answers: Mapping[str, Any]) -> None:
    own = _own_details()
    for f in form.fields:
        if f.remember and isinstance(answers.get(f.name), str) and answers[f.name].strip():
            own[_own(form, f)] = answers[f.name].strip()


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
            dynamic: Mapping[str, Sequence[Choice]], language: str, private: bool,
            on_saved: Callable[[Mapping[str, str]], None] | None) -> None:
    _ = gettext(language)
    outcome = validate(form, answers, dynamic_choices=dynamic, language=language)  # messages translated when shown
    if not outcome.ok:
        st.session_state[_key(form, "errors")] = outcome.errors
        st.session_state[_key(form, "attempt")] = st.session_state.get(_key(form, "attempt"), 0) + 1
        st.rerun()
    submission_id = st.session_state[_key(form, "submission_id")]
    row = submission_row(form, outcome.row, submission_id, user.submitted_by)
    try:
        result = store().append_row(form.tab, row, submission_id, form.aliases)
    except Exception as exc:  # the answers stay on screen, so nothing is lost
        st.session_state.pop(_key(form, "errors"), None)
        st.error(_("Your answers could not be saved just now ({problem}). They are still here: please "
                   "press Submit again in a moment.").format(problem=exc.__class__.__name__))
        return
    after_write()
    record_deliveries(form, row)
    if on_saved and result.stored:
        on_saved(row)
    if not private:
        _remember_own_details(form, answers)
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


def _error_id(form: Form, f: Field) -> str:
    return f"organising-error-{form.id}-{f.name}"


def _problems(form: Form, errors: Mapping[str, str], language: str) -> None:
    """The summary at the top of a form that was not saved: each problem
    names its question and says what to do, and is a link to the question.
    It takes focus, so it is what a screen reader reads and a phone shows."""
    n_ = ngettext(language)
    where = f"form-{form.id}-problems"
    named = [(f, field_message(f, errors[f.name], language)) for f in form.fields if f.name in errors]
    with st.container(key=where):
        st.error("**" + n_("There is a problem with one answer. Nothing has been saved yet.",
                           "There are problems with {count} answers. Nothing has been saved yet.",
                           len(named)).format(count=len(named)) + "**\n\n"
                 + "\n".join(f"- [{inert.markdown(message)}](#{_error_id(form, f)})" for f, message in named),
                 icon=":material/error:")
    focus(keyed(where), st.session_state.get(_key(form, "attempt"), 0))
    focus_on_click(keyed(where), {f"#{_error_id(form, f)}": _answer_boxes(form, f) for f, _ in named})


def _answer_boxes(form: Form, f: Field) -> str:
    """The elements a screen reader announces for the question: its box, its
    radio group or pills, the parts of its date."""
    widget = keyed(_widget_key(form, f.name))
    return ", ".join(f"{widget} {part}" for part in ("input", "textarea", "[role=radiogroup]",
                                                     "[data-testid=stButtonGroup]", "[role=spinbutton]"))


def _saved(form: Form, message: str, language: str) -> None:
    """What the person sees once their answers are saved: that, and one
    button for the next. Nothing else, so nobody submits the same twice."""
    where = f"form-{form.id}-saved"
    with st.container(key=where):
        st.success(message, icon=":material/check_circle:")
        if st.button(text(form, "next_label", language), type="primary", key=_key(form, "next"), width="stretch"):
            st.session_state.pop(_key(form, "flash"), None)
            st.rerun()
    focus(keyed(where), st.session_state[_key(form, "submission_id")])


def render_form(form: Form, user: User, *, fixed: Mapping[str, Any] | None = None, private: bool = False,
                on_saved: Callable[[Mapping[str, str]], None] | None = None) -> None:
    """The form, its checks and its Submit button. `fixed` answers are given,
    not asked (a kiosk's event); `private` keeps the browser from offering
    earlier answers and the form from remembering the person's details;
    `on_saved` gets the row once it is stored."""
    fixed = fixed or {}
    if _key(form, "submission_id") not in st.session_state:
        st.session_state[_key(form, "submission_id")] = new_submission_id()
    language = pick_language((ENGLISH, *form.languages), key=_key(form, "language"))
    _ = gettext(language)
    with st.container(key=f"form-{form.id}"):
        laid_out_for(language, f"form-{form.id}")
        st.title(text(form, "title", language))
        # The form's own language, where it is not the page's (WCAG 3.1.2).
        rules = {keyed(f"form-{form.id}"): {"lang": language.replace("_", "-")}}
        flash = st.session_state.get(_key(form, "flash"))
        if flash:
            _saved(form, flash, language)
            mark(f"form:{form.id}", rules)
            return
        if form.description:
            st.caption(text(form, "description", language))
        errors: dict[str, str] = st.session_state.get(_key(form, "errors"), {})
        if errors:
            _problems(form, errors, language)

        _start_answers(form, user, private)
        dynamic = _dynamic_choices(form)
        answers = _answers(form, fixed)
        typed = {f.name: typed_value(f, answers[f.name]) for f in form.fields}
        for f in visible_fields(form, typed):
            if f.name in fixed:
                continue
            choices = dynamic.get(f.name, f.choices)
            if f.choices_from and not choices:
                st.warning(_nothing_to_choose(f, language))
                continue
            _widget(form, f, choices, language, private)
            if f.name in errors:
                # Beside its question, and what a screen reader reads with it; not an alert of its own.
                st.html(f'<p class="organising-field-error" id="{_error_id(form, f)}">'
                        f'{html.escape(field_message(f, errors[f.name], language))}</p>')
                rules[_answer_boxes(form, f)] = {"aria-invalid": "true", "aria-describedby": _error_id(form, f)}
        mark(f"form:{form.id}", rules)

        # Translators: after an asterisk, which marks the questions that need an answer.
        st.caption("\\* " + _("required"))
        if st.button(_("Submit"), type="primary", key=_key(form, "submit"), width="stretch"):
            _submit(form, user, _answers(form, fixed), dynamic, language, private, on_saved)
