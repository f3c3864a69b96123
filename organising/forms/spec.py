"""Forms defined as data: one YAML file per form in config/forms/.

Modelled on XLSForm: `settings` (id, title, tab, version), `fields` (type,
name, label, hint, required, constraint + message, relevant), named choice
lists shared in config/choices.yaml or local to the form, and `other: true`
on a select, which adds an "Other" choice and a follow-up text question.

Loading checks the whole spec and raises ConfigError naming the file, the
field and the problem, so a typo stops start-up instead of losing answers.
Validation turns widget values into cell text: every stored value is a
string, exactly as a person would see it in the sheet.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import yaml

from .expressions import Expression, ExpressionError, parse_expression
from .translations import (CHOICE_TEXTS, FIELD_TEXTS, SETTINGS_TEXTS, Translation, languages_of, split_translations,
                           text)
from ..cells import ChoiceReader, DateReader, Parsed, choice_key, clean_text, parse_count
from ..i18n import ENGLISH, N_
from ..sheets import CELL_LIMIT, META_COLUMNS, SUBMITTED_AT, SUBMITTED_BY, Tab, normalise_header

FIELD_TYPES = {
    "text", "long_text", "integer", "decimal", "date", "email", "phone",
    "select_one", "select_multiple", "acknowledge", "consent", "note",
}
_FIELD_KEYS = {
    "name", "type", "label", "hint", "required", "required_message",
    "constraint", "constraint_message", "relevant", "choices", "choices_from",
    "other", "other_label", "aliases", "label_column", "appearance", "personal", "about", "default",
    "autocomplete", "remember",
}
_SOURCE_KEYS = {"tab", "value", "label", "where", "on_or_before_today"}
_SETTINGS_KEYS = {"id", "title", "tab", "version", "description", "success_message", "next_label", "roles"}
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()\-.]+$")
OTHER = "other"
# XLSForm's dynamic default for a date: the day the form is filled in.
TODAY = "today()"
# The HTML autofill names a field may give (`autocomplete:`): the person
# filling the form in is asked for their own name, e-mail… (WCAG 1.3.5), and
# the browser offers what it knows (never on a shared kiosk).
AUTOFILL = {"name", "given-name", "family-name", "email", "tel", "organization", "organization-title",
            "street-address", "postal-code", "address-level2"}
# What a required question says when left blank, by type: what to do.
REQUIRED_MESSAGES = {
    "text": N_("Please write an answer."), "long_text": N_("Please write an answer."),
    "email": N_("Please give an e-mail address, like name@example.org."),
    "phone": N_("Please give a phone number."),
    "integer": N_("Please give a number."), "decimal": N_("Please give a number."),
    "date": N_("Please give the date: day, month and year."),
    "select_one": N_("Please choose one of the options."), "select_multiple": N_("Please choose at least one."),
    "acknowledge": N_("Please tick to confirm."), "consent": N_("Please tick to confirm."),
}
# Google Forms writes when a response was sent in a column it titles "Timestamp".
GOOGLE_FORMS_TIMESTAMP = "Timestamp"


class ConfigError(ValueError):
    """A configuration file is wrong; the message names file, key and problem."""


@dataclass(frozen=True)
class Choice:
    name: str
    label: str
    translations: tuple[Translation, ...] = ()  # the label in other languages
    aliases: tuple[str, ...] = ()  # other ways people type it in a sheet ("y", "✓" for yes)

    @property
    def typed_as(self) -> tuple[str, ...]:
        """Every way a person may type it in a cell: its name, its label in any
        language, its aliases."""
        return (self.name, self.label, *(text for _, _, text in self.translations), *self.aliases)


# A consent or acknowledge cell typed by hand is read as the choice list of this name in
# config/choices.yaml (its aliases: y, TRUE, ✓…), or, without one, as plain yes or no.
YES_NO_LIST = "yes_no"
YES_NO = (Choice("yes", "Yes"), Choice("no", "No"))


@dataclass(frozen=True)
class ChoicesFromTab:
    """Choices read from another tab (e.g. the event picked at sign-in),
    optionally only the rows that fit `where` and `on_or_before_today`."""
    tab: str
    value: str          # column whose cell is stored
    label: str          # template such as "{title} ({date})"
    # (column, accepted values): a row is offered when each such cell is one
    # of them, read as a hand-typed choice (name, label or alias, any case).
    where: tuple[tuple[str, tuple[Choice, ...]], ...] = ()
    on_or_before_today: str = ""  # a date column: only rows dated today or earlier
    # The source form's other header names, so a hand-made sheet's "Type" still filters.
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # How the source form reads its `where` columns (by column) and its dates;
    # worked out from `where`, so not part of what the source is.
    readers: tuple[tuple[str, ChoiceReader], ...] = field(default=(), compare=False)
    dates: DateReader = DateReader()

    @property
    def filtered(self) -> bool:
        return bool(self.where or self.on_or_before_today)

    def describe(self) -> str:
        """The filter in words, for the person filling the form."""
        parts = [f"{column} is {' or '.join(c.label for c in wanted)}" for column, wanted in self.where]
        if self.on_or_before_today:
            parts.append(f"{self.on_or_before_today} is today or earlier")
        return "; ".join(parts)


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    label: str
    hint: str = ""
    required: bool = False
    required_message: str = N_("This question needs an answer.")
    constraint: Expression | None = None
    constraint_message: str = N_("This answer is not allowed.")
    relevant: Expression | None = None
    choices: tuple[Choice, ...] = ()
    choices_from: ChoicesFromTab | None = None
    other_of: str | None = None      # set on the follow-up text of an "other" choice
    aliases: tuple[str, ...] = ()
    label_column: str | None = None  # also store the chosen choice's label here
    appearance: str = ""
    # Identifies a person or holds their story (a name, a contact, what they said):
    # kept from trustees, exports and outgoing messages, and blanked on erasure.
    personal: bool = False
    # Whose it is: the personal field naming the person a story or contact is
    # about (erased with them); "" for a name or contact of its own.
    about: str = ""
    # Label, hint and messages in other languages (organising/forms/translations.py).
    translations: tuple[Translation, ...] = ()
    other: bool = False              # a select with "Other" and a follow-up text question
    default: str = ""                # the answer a fresh form starts with (today() for a date)
    autocomplete: str = ""           # the HTML autofill name when it asks for the filler's own (AUTOFILL)
    # The answer is the filler's own and the same on their next form (a
    # volunteer's name and institution): kept for the session, and a name
    # starts as the one they signed in with.
    remember: bool = False

    @cached_property
    def reader(self) -> ChoiceReader:
        """How a typed cell of this select (or consent tick) is read: built once per field."""
        return ChoiceReader(self.choices, multiple=self.type == "select_multiple",
                            other=OTHER if self.other else None)

    @property
    def stored(self) -> bool:
        return self.type != "note"

    @property
    def wording_column(self) -> str | None:
        """Where a consent question also stores its wording as the person saw
        it, so a later change of wording never rewrites what they agreed to."""
        return f"{self.name}_wording" if self.type == "consent" else None

    @property
    def is_select(self) -> bool:
        return self.type in ("select_one", "select_multiple")


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    tab: str
    version: str
    fields: tuple[Field, ...]
    description: str = ""
    success_message: str = N_("Thank you, your answers are saved.")
    # The button that starts the form afresh after it is saved.
    next_label: str = N_("Fill in another")
    path: str = ""
    translations: tuple[Translation, ...] = ()  # title, description, success message
    # How a date typed in this form's tab is read: the alliance's locale and time zone.
    dates: DateReader = DateReader()

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the form is written in besides English (its own texts
        say so: a shared choice list's translations alone do not)."""
        return languages_of((self, *self.fields))

    @property
    def columns(self) -> list[str]:
        """The tab's expected header: answer columns, then the app's own."""
        cols: list[str] = []
        for f in self.fields:
            if f.stored:
                cols.append(f.name)
                cols += [c for c in (f.label_column, f.wording_column) if c]
        return cols + list(META_COLUMNS)

    @cached_property
    def aliases(self) -> dict[str, tuple[str, ...]]:
        """The other header names each column is found under: its aliases, and
        its question (label), as a Google Form's responses tab titles its
        columns; submitted_at is also Google Forms' Timestamp. A question
        worded like another column's name, alias or question is left out: it
        could not say which column it is."""
        stored = [f for f in self.fields if f.stored]
        claimed = Counter(normalise_header(n) for n in self.columns)
        claimed.update(normalise_header(a) for f in stored for a in f.aliases)
        claimed.update(normalise_header(f.label) for f in stored)
        found = {f.name: (*f.aliases, *([f.label] if claimed[normalise_header(f.label)] == 1 else []))
                 for f in stored}
        found[SUBMITTED_AT] = (GOOGLE_FORMS_TIMESTAMP,)
        return {name: names for name, names in found.items() if names}

    @property
    def personal_columns(self) -> tuple[str, ...]:
        """The columns that identify a person: the fields marked personal, an
        "other" answer typed beside a personal select, and who submitted."""
        personal = {f.name for f in self.fields if f.personal}
        return (*(f.name for f in self.fields if f.name in personal or f.other_of in personal), SUBMITTED_BY)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def reader(self, column: str) -> Callable[[Any], Parsed]:
        """How a typed cell of `column` is read: a select with a list of
        choices through its choice reader, a date through the form's date
        reader, a whole number as a count; anything else as the text typed."""
        return self._readers.get(column, _text)

    @cached_property
    def _readers(self) -> dict[str, Callable[[Any], Parsed]]:
        # Looked up for every cell a reader reads: worked out once per form.
        readers: dict[str, Callable[[Any], Parsed]] = {}
        for f in self.fields:
            if f.is_select and f.choices or f.type in ("acknowledge", "consent"):
                readers.setdefault(f.name, f.reader.read)
            elif f.type == "date":
                readers.setdefault(f.name, self.dates.read)
            elif f.type == "integer":
                readers.setdefault(f.name, parse_count)
            else:
                readers.setdefault(f.name, _text)
        return readers


def _text(cell: Any) -> Parsed:
    return Parsed(clean_text(cell) or None)


# ---- loading ------------------------------------------------------------------

def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: is not valid YAML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror}") from None


def _parse_choice_list(raw: Any, where: str) -> tuple[Choice, ...]:
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{where}: a choice list must be a non-empty list")
    out = []
    for item in raw:
        aliases: Any = []
        translations: tuple[Translation, ...] = ()
        if isinstance(item, str):
            name, label = item, item
        elif isinstance(item, dict) and "name" in item:
            where_choice = f"{where}: choice '{item['name']}'"
            plain, translations = split_translations(item, where_choice, CHOICE_TEXTS, ["label"])
            if set(plain) - {"name", "label", "aliases"}:
                raise ConfigError(f"{where}: each choice is a name, or name, label and aliases (and the label's "
                                  f"translations): got {item!r}")
            name, label, aliases = str(item["name"]), str(item.get("label", item["name"])), item.get("aliases", [])
        else:
            raise ConfigError(f"{where}: each choice is a name, or name, label and aliases (and the label's "
                              f"translations): got {item!r}")
        if not _NAME.match(name):
            raise ConfigError(f"{where}: choice name {name!r} must be lower-case letters, digits and _")
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise ConfigError(f"{where}: choice '{name}': 'aliases' is a list of other ways people type it "
                              "(put yes, no, true, false, on and off in quotes)")
        out.append(Choice(name, label, translations, tuple(aliases)))
    names = [c.name for c in out]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"{where}: choice names repeated: {', '.join(dupes)}")
    _check_typed_forms(out, where)
    return tuple(out)


def _check_typed_forms(choices: Sequence[Choice], where: str) -> None:
    """Each way of typing a choice (name, label, alias; case, spaces and
    punctuation aside) must point to one choice only, or a cell could not be read."""
    owner: dict[str, Choice] = {}
    for choice in choices:
        for text in choice.typed_as:
            other = owner.setdefault(choice_key(text), choice)
            if other is not choice:
                raise ConfigError(f"{where}: choice '{choice.name}': {text!r} is typed the same as choice "
                                  f"'{other.name}' (case, spaces and punctuation do not count)")


def load_choice_lists(path: Path) -> dict[str, tuple[Choice, ...]]:
    raw = _load_yaml(path) if path.exists() else {}
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected named choice lists (list name: [choices])")
    return {str(name): _parse_choice_list(items, f"{path}: list '{name}'") for name, items in raw.items()}


def _expression(raw: Any, where: str) -> Expression:
    try:
        return parse_expression(raw)
    except ExpressionError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _parse_field(raw: Any, where: str, lists: Mapping[str, tuple[Choice, ...]]) -> list[Field]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: each field is a mapping with name, type and label")
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(f"{where}: 'name' must be lower-case letters, digits and _ (it is the column): got {name!r}")
    where = f"{where.rsplit(':', 1)[0]}: field '{name}'"
    raw, translations = _field_translations(raw, where)
    unknown = sorted(set(raw) - _FIELD_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_FIELD_KEYS))}")
    ftype = str(raw.get("type", "")).replace(" ", "_")
    if ftype not in FIELD_TYPES:
        raise ConfigError(f"{where}: unknown type {raw.get('type')!r}; use one of {', '.join(sorted(FIELD_TYPES))}")
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        raise ConfigError(f"{where}: 'label' is missing")
    required = raw.get("required", False)
    if not isinstance(required, bool):
        raise ConfigError(f"{where}: 'required' must be true or false")
    personal = raw.get("personal", False)
    if not isinstance(personal, bool):
        raise ConfigError(f"{where}: 'personal' must be true or false")
    if personal and ftype == "note":
        raise ConfigError(f"{where}: a note stores nothing, so it cannot be personal")
    about = raw.get("about", "")
    if about and (not isinstance(about, str) or not personal):
        raise ConfigError(f"{where}: 'about' names the personal field of the person this one is about, "
                          "and needs personal: true")

    choices: tuple[Choice, ...] = ()
    choices_from = None
    is_select = ftype in ("select_one", "select_multiple")
    if is_select:
        spec, source = raw.get("choices"), raw.get("choices_from")
        if (spec is None) == (source is None):
            raise ConfigError(f"{where}: a select needs either 'choices' (a list or a list name) or 'choices_from'")
        if isinstance(spec, str):
            if spec not in lists:
                raise ConfigError(f"{where}: choice list {spec!r} is not defined (known: {', '.join(sorted(lists)) or 'none'})")
            choices = lists[spec]
        elif spec is not None:
            choices = _parse_choice_list(spec, where)
        else:
            choices_from = _parse_source(source, where)
        if raw.get("other"):
            if OTHER not in [c.name for c in choices]:
                choices = choices + (Choice(OTHER, N_("Other")),)
                _check_typed_forms(choices, where)
    else:
        for key in ("choices", "choices_from", "other", "label_column"):
            if key in raw:
                raise ConfigError(f"{where}: '{key}' only applies to select_one or select_multiple")
        if ftype in ("acknowledge", "consent"):
            choices = lists.get(YES_NO_LIST, YES_NO)

    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ConfigError(f"{where}: 'aliases' must be a list of column names")

    autocomplete = raw.get("autocomplete", "")
    if autocomplete and (autocomplete not in AUTOFILL or ftype not in ("text", "email", "phone")):
        raise ConfigError(f"{where}: 'autocomplete' is for a text, email or phone question asking for the "
                          f"filler's own details: one of {', '.join(sorted(AUTOFILL))}")
    remember = raw.get("remember", False)
    if not isinstance(remember, bool) or remember and ftype not in ("text", "email", "phone"):
        raise ConfigError(f"{where}: 'remember' is true or false, for a text, email or phone question")
    main = Field(
        name=name, type=ftype, label=label.strip(), hint=str(raw.get("hint", "") or ""),
        required=required,
        required_message=str(raw.get("required_message") or REQUIRED_MESSAGES[ftype]) if ftype != "note"
        else Field.required_message,
        constraint=_expression(raw["constraint"], f"{where}: constraint") if "constraint" in raw else None,
        constraint_message=str(raw.get("constraint_message", Field.constraint_message)),
        relevant=_expression(raw["relevant"], f"{where}: relevant") if "relevant" in raw else None,
        choices=choices, choices_from=choices_from, aliases=tuple(aliases),
        label_column=raw.get("label_column"), appearance=str(raw.get("appearance", "")), personal=personal,
        about=about,
        translations=tuple(t for t in translations if t[0] != "other_label"),
        other=is_select and bool(raw.get("other")),
        autocomplete=autocomplete, remember=remember,
    )
    if "default" in raw:
        main = replace(main, default=_default(main, raw["default"], where))
    fields = [main]
    if is_select and raw.get("other"):
        fields.append(Field(
            name=f"{name}_other", type="text",
            label=str(raw.get("other_label") or f"{label.strip()}: other (please say)"),
            required=True, required_message=N_("You chose Other: please say what."),
            relevant=parse_expression(f"selected(${{{name}}}, '{OTHER}')"),
            other_of=name, personal=personal, about=about or (name if personal else ""),
            translations=tuple(("label", code, text) for key, code, text in translations if key == "other_label"),
        ))
    return fields


def _default(f: Field, raw: Any, where: str) -> str:
    """A field's `default`, checked against its type: today() or a date
    (YYYY-MM-DD) for a date, choice names for a select, a number, a text."""
    text = "" if raw is None else str(raw).strip()
    if initial_value(replace(f, default=text), dt.date.today()) is None and text:
        raise ConfigError(f"{where}: default {text!r} does not fit a {f.type} question"
                          + (" (today() or a date as YYYY-MM-DD)" if f.type == "date" else
                             " (choice names)" if f.is_select else ""))
    return text


def initial_value(f: Field, today: dt.date) -> Any:
    """What the question's widget holds on a fresh form (None: nothing)."""
    text = f.default
    if not text or f.type in ("note", "acknowledge", "consent"):
        return None
    if f.type == "date":
        if text == TODAY:
            return today
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    if f.type in ("integer", "decimal"):
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if f.type == "integer" and number.is_integer() else number if f.type == "decimal" else None
    names = [c.name for c in f.choices]
    if f.type == "select_one":
        return text if f.choices_from or text in names else None
    if f.type == "select_multiple":
        picked = [n.strip() for n in text.split(",") if n.strip()]
        return picked if all(n in names for n in picked) else None
    return text


def _field_translations(raw: dict, where: str) -> tuple[dict, tuple[Translation, ...]]:
    """The field's keys without its translations, and the translations: each
    of a text the field has (a message only where it can be shown)."""
    present = {"label", *(key for key in ("hint", "constraint_message", "required_message") if raw.get(key))}
    present |= {"required_message"} if raw.get("required") is True else set()
    present |= {"constraint_message"} if "constraint" in raw else set()
    present |= {"other_label"} if raw.get("other") else set()
    return split_translations(raw, where, FIELD_TEXTS, present)


def _parse_source(raw: Any, where: str) -> ChoicesFromTab:
    if not isinstance(raw, dict) or not {"tab", "value", "label"} <= set(raw):
        raise ConfigError(f"{where}: 'choices_from' needs tab, value and label")
    unknown = sorted(set(raw) - _SOURCE_KEYS)
    if unknown:
        raise ConfigError(f"{where}: choices_from: unknown key(s) {', '.join(unknown)}; "
                          f"allowed: {', '.join(sorted(_SOURCE_KEYS))}")
    conditions = raw.get("where") or {}
    if not isinstance(conditions, dict):
        raise ConfigError(f"{where}: choices_from: 'where' maps a column to the values to offer, "
                          "e.g. {event_type: [delegates_assembly]}")
    parsed = []
    for column, values in conditions.items():
        values = [values] if isinstance(values, str) else values
        if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
            raise ConfigError(f"{where}: choices_from: where '{column}' needs a value or a list of values "
                              "(put yes and no in quotes)")
        parsed.append((str(column), tuple(Choice(v, v) for v in values)))
    dated = raw.get("on_or_before_today", "")
    if not isinstance(dated, str):
        raise ConfigError(f"{where}: choices_from: 'on_or_before_today' names a date column, e.g. event_date")
    return ChoicesFromTab(str(raw["tab"]), str(raw["value"]), str(raw["label"]), tuple(parsed), dated)


def _resolve_source(source: ChoicesFromTab, forms_by_tab: Mapping[str, Form], where: str) -> ChoicesFromTab:
    """The source with the filter checked against the form writing its tab:
    each column is a field there, a select's values are its choices (whose
    labels then match too) and the date column is a date."""
    form = forms_by_tab.get(source.tab)
    if form is None:
        if source.filtered:
            raise ConfigError(f"{where}: choices_from: no form writes the {source.tab!r} tab, so its rows "
                              "cannot be filtered")
        return source
    fields = {f.name: f for f in form.fields if f.stored}

    def source_field(column: str, key: str) -> Field:
        if column not in fields:
            raise ConfigError(f"{where}: choices_from: {key} '{column}' is not a field of the {source.tab} "
                              f"tab's form (its fields: {', '.join(fields)})")
        return fields[column]

    conditions, readers = [], []
    for column, wanted in source.where:
        f = source_field(column, "where")
        if f.choices:
            known = {c.name: c for c in f.choices}
            wrong = [c.name for c in wanted if c.name not in known]
            if wrong:
                raise ConfigError(f"{where}: choices_from: where '{column}': {', '.join(map(repr, wrong))} is not "
                                  f"a choice of {column} (its choices: {', '.join(known)})")
            wanted = tuple(known[c.name] for c in wanted)
            readers.append((column, f.reader))
        else:  # a text column: the values, as typed (any case)
            readers.append((column, ChoiceReader(wanted)))
        conditions.append((column, wanted))
    if source.on_or_before_today and source_field(source.on_or_before_today, "on_or_before_today").type != "date":
        raise ConfigError(f"{where}: choices_from: on_or_before_today '{source.on_or_before_today}' is not a "
                          f"date field of the {source.tab} tab's form")
    return replace(source, where=tuple(conditions), aliases=tuple(form.aliases.items()), readers=tuple(readers),
                   dates=form.dates)


def _resolve_sources(forms: Mapping[str, Form]) -> dict[str, Form]:
    by_tab = {form.tab: form for form in forms.values()}
    resolved = {}
    for form_id, form in forms.items():
        fields = tuple(
            replace(f, choices_from=_resolve_source(f.choices_from, by_tab, f"{form.path}: field '{f.name}'"))
            if f.choices_from else f for f in form.fields)
        resolved[form_id] = replace(form, fields=fields)
    return resolved


def _check_references(form_fields: Sequence[Field], path: Path) -> None:
    names = {f.name for f in form_fields}
    for f in form_fields:
        for kind, expr in (("relevant", f.relevant), ("constraint", f.constraint)):
            if expr is None:
                continue
            missing = sorted(expr.references - names)
            if missing:
                raise ConfigError(f"{path}: field '{f.name}': {kind} refers to "
                                  f"{', '.join('${' + m + '}' for m in missing)}, which is not a field of this form")
        if f.relevant is not None and f.relevant.uses_dot:
            raise ConfigError(f"{path}: field '{f.name}': relevant cannot use '.', refer to a question as ${{name}}")
        person = next((p for p in form_fields if p.name == f.about and p is not f), None)
        if f.about and (person is None or not person.personal or person.about):
            raise ConfigError(f"{path}: field '{f.name}': about: {f.about!r} is not a personal field naming a "
                              "person on this form")


def load_form(path: Path, lists: Mapping[str, tuple[Choice, ...]], dates: DateReader = DateReader()) -> Form:
    raw = _load_yaml(path)
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected 'settings' and 'fields'")
    unknown = sorted(set(raw) - {"settings", "fields", "choices"})
    if unknown:
        raise ConfigError(f"{path}: unknown top-level key(s) {', '.join(unknown)}")
    settings = raw.get("settings")
    if not isinstance(settings, dict):
        raise ConfigError(f"{path}: 'settings' is missing")
    settings, translations = split_translations(settings, f"{path}: settings", SETTINGS_TEXTS,
                                                [k for k in SETTINGS_TEXTS if settings.get(k)])
    bad = sorted(set(settings) - _SETTINGS_KEYS)
    if bad:
        raise ConfigError(f"{path}: settings: unknown key(s) {', '.join(bad)}")
    for key in ("id", "title", "tab", "version"):
        if not str(settings.get(key) or "").strip():
            raise ConfigError(f"{path}: settings: '{key}' is missing")
    local = {str(n): _parse_choice_list(items, f"{path}: choices '{n}'")
             for n, items in (raw.get("choices") or {}).items()}
    all_lists = {**lists, **local}

    raw_fields = raw.get("fields")
    if not isinstance(raw_fields, list) or not raw_fields:
        raise ConfigError(f"{path}: 'fields' must be a non-empty list")
    fields: list[Field] = []
    for i, item in enumerate(raw_fields, start=1):
        fields.extend(_parse_field(item, f"{path}: field #{i}", all_lists))
    names = [f.name for f in fields] + [c for f in fields for c in (f.label_column, f.wording_column) if c]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"{path}: field '{dupes[0]}': the name is used twice")
    clash = sorted(set(names) & set(META_COLUMNS))
    if clash:
        raise ConfigError(f"{path}: field '{clash[0]}': the name is reserved for the app's own column")
    _check_references(fields, path)
    return Form(
        id=str(settings["id"]), title=str(settings["title"]), tab=str(settings["tab"]),
        version=str(settings["version"]), fields=tuple(fields),
        description=str(settings.get("description", "") or ""),
        success_message=str(settings.get("success_message") or Form.success_message),
        next_label=str(settings.get("next_label") or Form.next_label),
        path=str(path), translations=translations, dates=dates,
    )


def load_forms(config_dir: Path, dates: DateReader = DateReader()) -> dict[str, Form]:
    """Every form in config_dir/forms, keyed by id, reading dates with
    `dates` (the alliance's locale and time zone); ConfigError on any problem."""
    lists = load_choice_lists(config_dir / "choices.yaml")
    forms: dict[str, Form] = {}
    paths = sorted((config_dir / "forms").glob("*.yaml"))
    if not paths:
        raise ConfigError(f"{config_dir / 'forms'}: no form files (*.yaml) found")
    for path in paths:
        form = load_form(path, lists, dates)
        if form.id in forms:
            raise ConfigError(f"{path}: settings: id {form.id!r} is already used by {forms[form.id].path}")
        forms[form.id] = form
    return _resolve_sources(forms)


# ---- choices from another tab ---------------------------------------------------

def _fits(source: ChoicesFromTab, cells: Mapping[str, str], today: dt.date) -> bool:
    readers = dict(source.readers)
    for column, wanted in source.where:
        reader = readers.get(column) or ChoiceReader(wanted)
        typed = reader.read(cells.get(normalise_header(column), "")).value
        if typed not in {c.name for c in wanted}:
            return False
    if source.on_or_before_today:
        held = source.dates.read(cells.get(normalise_header(source.on_or_before_today), "")).value
        return held is not None and held <= today  # an unreadable date cannot be shown as held
    return True


def choice_from_record(source: ChoicesFromTab, record: Mapping[str, str],
                       today: dt.date | None = None) -> Choice | None:
    """The choice a row of the source tab offers; None if it has no value
    (a hand-added row may lack the app's id) or does not fit the filter."""
    lowered = {normalise_header(k): str(v) for k, v in record.items()}
    value = lowered.get(normalise_header(source.value), "").strip()
    if not value or not _fits(source, lowered, today or dt.date.today()):
        return None
    label = re.sub(r"\{(\w+)\}", lambda m: lowered.get(normalise_header(m.group(1)), "").strip(), source.label)
    return Choice(value, label.strip() or value)


def choices_from_tab(source: ChoicesFromTab, tab: Tab, today: dt.date | None = None) -> tuple[Choice, ...]:
    """Choices for a select fed by a tab, newest row first."""
    today = today or dt.date.today()
    found = (choice_from_record(source, record, today) for _, record in reversed(tab.records(dict(source.aliases))))
    return tuple(c for c in found if c is not None)


# ---- validation -------------------------------------------------------------------

@dataclass
class Outcome:
    row: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def visible_fields(form: Form, answers: Mapping[str, Any], today: dt.date | None = None) -> list[Field]:
    """Fields to show now, given the answers so far (relevant holds)."""
    return [f for f in form.fields if f.relevant is None or f.relevant.holds(answers, today=today)]


def _blank(value: Any) -> bool:
    """Blank as a person sees it: nothing, or only spaces and invisible
    characters (a zero-width space, NUL or byte-order mark is no answer)."""
    if value is None or value is False:
        return True
    return (isinstance(value, str) and not clean_text(value)) or (isinstance(value, (list, tuple)) and not value)


def _to_cell(f: Field, value: Any, choices: Sequence[Choice]) -> tuple[str, str | None]:
    """(cell text, problem) for one answered field."""
    if f.type in ("text", "long_text"):
        return str(value), None
    if f.type == "email":
        text = clean_text(value)
        return text, None if _EMAIL.match(text) else N_("Please enter an email address like name@example.org.")
    if f.type == "phone":
        text = clean_text(value)
        digits = sum(ch.isdigit() for ch in text)
        ok = _PHONE.match(text) and 7 <= digits <= 15
        return text, None if ok else N_("Please enter a phone number (digits, spaces and + only).")
    if f.type == "integer":
        try:
            number = float(clean_text(value).replace(",", ""))
        except ValueError:
            return str(value), N_("Please enter a whole number.")
        if not number.is_integer():
            return str(value), N_("Please enter a whole number.")
        return str(int(number)), None
    if f.type == "decimal":
        try:
            number = float(clean_text(value).replace(",", ""))
        except ValueError:
            return str(value), N_("Please enter a number.")
        return (f"{number:.10f}".rstrip("0").rstrip(".")), None
    if f.type == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat(), None
        try:
            return dt.date.fromisoformat(clean_text(value)).isoformat(), None
        except ValueError:
            return str(value), N_("Please enter a date.")
    known = [c.name for c in choices]
    if f.type == "select_one":
        return str(value), None if str(value) in known else N_("Please choose one of the options.")
    # select_multiple: stored in choice order so the same answers read the same
    picked = [str(v) for v in (value if isinstance(value, (list, tuple)) else [value])]
    unknown = [p for p in picked if p not in known]
    if unknown:
        return ", ".join(picked), N_("Please choose from the options.")
    return ", ".join(n for n in known if n in picked), None


def typed_value(f: Field, value: Any) -> Any:
    """The value expressions see: numbers as numbers, dates as dates."""
    if f.type in ("acknowledge", "consent"):
        return "yes" if value is True or str(value).strip().lower() == "yes" else "no"
    if _blank(value):
        return [] if f.type == "select_multiple" else ""
    if f.type in ("integer", "decimal"):
        try:
            return float(clean_text(value).replace(",", ""))
        except ValueError:
            return str(value)
    return value


def validate(form: Form, answers: Mapping[str, Any], *,
             dynamic_choices: Mapping[str, Sequence[Choice]] | None = None,
             today: dt.date | None = None, language: str = ENGLISH) -> Outcome:
    """Check answers against the spec; build the row of cell text.

    Questions that are not relevant are stored blank, whatever was typed in
    them before they were hidden, so a hidden answer never lands by accident.
    Messages are in English (translated where they are shown); `language` is
    the one the form was shown in, for the consent wording the person read.
    """
    dynamic_choices = dynamic_choices or {}
    typed = {f.name: typed_value(f, answers.get(f.name)) for f in form.fields}
    outcome = Outcome()
    for f in form.fields:
        if not f.stored:
            continue
        if f.label_column:
            outcome.row[f.label_column] = ""
        if f.wording_column:
            outcome.row[f.wording_column] = ""
        if f.relevant is not None and not f.relevant.holds(typed, today=today):
            outcome.row[f.name] = ""
            continue
        value = answers.get(f.name)
        if f.type in ("acknowledge", "consent"):
            ticked = typed[f.name] == "yes"
            outcome.row[f.name] = "yes" if ticked else "no"
            if f.wording_column:
                outcome.row[f.wording_column] = text(f, "label", language)
            if f.required and not ticked:
                outcome.errors[f.name] = f.required_message
            continue
        if _blank(value):
            outcome.row[f.name] = ""
            if f.required:
                outcome.errors[f.name] = f.required_message
            continue
        choices = tuple(dynamic_choices.get(f.name, f.choices))
        cell, problem = _to_cell(f, value, choices)
        outcome.row[f.name] = cell
        if problem is None and len(cell) > CELL_LIMIT:
            problem = (f"This answer is {len(cell):,} characters long; a spreadsheet cell holds at most "
                       f"{CELL_LIMIT:,}. Please shorten it.")
        if problem is None and f.constraint is not None and not f.constraint.holds(typed, typed[f.name], today):
            problem = f.constraint_message
        if problem:
            outcome.errors[f.name] = problem
        elif f.label_column:
            outcome.row[f.label_column] = next((c.label for c in choices if c.name == cell), "")
    return outcome
