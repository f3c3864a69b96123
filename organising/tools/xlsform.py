"""XLSForm in and out: the form tools volunteers and organisers already know.

`python -m organising forms import FILE.xlsx` reads an XLSForm (a workbook
with `survey`, `choices` and `settings` sheets, as KoboToolbox's builder or
ODK makes it) and writes the app's YAML form spec; `forms export` writes a
form back as an XLSForm, so a form can go either way.

What maps: text, integer, decimal, date, note, acknowledge, select_one and
select_multiple with their lists (and `or_other`), `required`, `relevant`,
`constraint` with their messages, hints, and every language
(`label::English (en)`, `label::Polski (pl)`). A text with the `multiline`
appearance is a long text; one checked by a regex with an `@` is an e-mail;
one with the `numbers` appearance whose name or label says phone is a phone.
Groups are flattened: their questions follow in order, the group's
`relevant` joins each question's, and a group's label becomes a note above
them. What cannot be carried over is listed with its sheet and row, never
dropped in silence: repeats (a form writes one row per submission), map
points, photos, calculations, metadata the app records itself, and
expressions using functions the app's evaluator lacks
(organising/forms/expressions.py). A question whose `relevant` cannot be
carried is kept, asked always and not required; a `constraint` that cannot
be carried is left out.

The app's own settings, which XLSForm has no column for (the tab, aliases,
personal fields, choices read from a tab, the e-mail, phone and consent
types), travel in extra columns that KoboToolbox and pyxform ignore, so a
form exported and imported again is the same form.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import yaml
from babel import Locale

from ..forms.expressions import FUNCTIONS, ExpressionError, parse_expression
from ..forms.spec import FIELD_TYPES, OTHER, TODAY, Choice, Field, Form
from ..forms.translations import SEPARATOR, parse_language, translation_key
from ..i18n import ENGLISH, app_messages, english_name, language_code
from .importer import WorkbookError, cell_text

# ---- what XLSForm types become ---------------------------------------------------

_SAME_TYPES = {"text", "integer", "decimal", "date", "note", "acknowledge", "select_one", "select_multiple"}
_TYPE_ALIASES = {"int": "integer", "string": "text", "trigger": "acknowledge"}
_METADATA = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username",
             "email", "audit", "start-geopoint", "calculate_here"}
_CANNOT = {
    "geopoint": "a point on a map: the app has no location question",
    "geotrace": "a line on a map: the app has no location question",
    "geoshape": "a shape on a map: the app has no location question",
    "image": "a photo: the app keeps answers as text in a sheet",
    "audio": "a recording: the app keeps answers as text in a sheet",
    "background-audio": "a recording: the app keeps answers as text in a sheet",
    "video": "a video: the app keeps answers as text in a sheet",
    "file": "a file: the app keeps answers as text in a sheet",
    "barcode": "a barcode scan: the app has no camera question",
    "time": "a time of day: the app's questions take dates only",
    "datetime": "a date and time: the app's questions take dates only",
    "range": "a slider: the app has no range question (an integer with a constraint can do)",
    "rank": "a ranking: the app has no ranking question",
    "calculate": "a calculation: the app has no calculated answers",
    "hidden": "a hidden value: the app has no hidden answers",
    "xml-external": "an attached data file: the app reads choices from a tab instead (choices_from)",
    "csv-external": "an attached data file: the app reads choices from a tab instead (choices_from)",
    "select_one_from_file": "choices from an attached file: the app reads choices from a tab (choices_from)",
    "select_multiple_from_file": "choices from an attached file: the app reads choices from a tab (choices_from)",
}
# Columns with no counterpart in the app: carried over without them, and said so.
_UNUSED_COLUMNS = {
    "calculation": "a calculation", "choice_filter": "a choice filter (every "
    "choice is offered)", "read_only": "read only", "repeat_count": "a repeat count", "trigger": "a trigger",
    "parameters": "parameters", "guidance_hint": "a guidance hint", "image": "an image", "audio": "a sound",
    "video": "a video", "media::image": "an image", "media::audio": "a sound", "media::video": "a video",
}
_SETTINGS_UNUSED = {"instance_name", "style", "public_key", "submission_url", "allow_choice_duplicates",
                    "namespaces", "clean_text_values", "auto_send", "auto_delete", "omit_instanceID"}
_COLUMN_ALIASES = {"list name": "list_name", "constraint message": "constraint_message",
                   "jr:constraintmsg": "constraint_message", "required message": "required_message",
                   "jr:requiredmsg": "required_message", "id_string": "form_id", "title": "form_title"}
_TRANSLATED = ("label", "hint", "constraint_message", "required_message", "other_label")
# XLSForm's form_title has no translations: the app's export puts the title's in app_title::… columns.
_SETTINGS_TRANSLATED = ("form_title", "app_title", "description", "success_message", "next_label")
# The app's own columns (XLSForm tools ignore columns they do not know).
APP_COLUMNS = ("app_type", "aliases", "personal", "about", "other_label", "label_column", "choices_from",
               "autocomplete", "remember")
_FUNCTION_CALL = re.compile(r"(?<![\w$.])([A-Za-z_][\w.:-]*)\s*\(")
_PATH = re.compile(r"(^|[\s(,=<>!+*-])(/[A-Za-z_]|\.\./)|\binstance\s*\(")
_REFERENCE = re.compile(r"\$\{\s*([^}\s]+)\s*\}")
_QUOTED = re.compile(r"""'([^']*)'|"([^"]*)\"""")
_SAFE = re.compile(r"[^a-z0-9_]+")
_PHONE_WORDS = re.compile(r"phone|mobile|tel\b|telephone|cell", re.IGNORECASE)


def safe_name(raw: str, prefix: str = "option") -> str:
    """An XLSForm name as the app's (lower-case letters, digits and _,
    starting with a letter): Q1 → q1, first-name → first_name, 1 → option_1."""
    name = _SAFE.sub("_", str(raw).strip().lower()).strip("_")
    return name if name[:1].isalpha() else f"{prefix}_{name}" if name else prefix


@dataclass(frozen=True)
class Finding:
    """A row (or a cell) of the XLSForm the app could not carry over, or
    carried over changed; `row` is the sheet's own row number."""
    sheet: str
    row: int | None
    text: str

    def line(self) -> str:
        return f"{self.sheet} row {self.row}: {self.text}" if self.row else f"{self.sheet}: {self.text}"


@dataclass
class ImportedForm:
    spec: dict[str, Any]
    not_carried: list[Finding] = field(default_factory=list)
    changed: list[Finding] = field(default_factory=list)

    @property
    def form_id(self) -> str:
        return self.spec["settings"]["id"]

    def yaml_text(self, source: str, today: dt.date | None = None) -> str:
        """The spec as a YAML file whose first lines say where it came from
        and what did not come with it."""
        head = [f"# Imported from {source} by `python -m organising forms import` on "
                f"{(today or dt.date.today()).isoformat()}."]
        if self.not_carried:
            head.append("# Not carried over (the app has no counterpart):")
            head += [f"#   {finding.line()}" for finding in self.not_carried]
        if self.changed:
            head.append("# Carried over with a change:")
            head += [f"#   {finding.line()}" for finding in self.changed]
        body = yaml.safe_dump(self.spec, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
        return "\n".join(head) + "\n\n" + body


# ---- reading a workbook ---------------------------------------------------------

@dataclass
class _Sheet:
    title: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]   # (sheet row, {column: text}), blank rows left out


def _column(header: str) -> str:
    """A header as compared: `Label::English (en)` → `label::English (en)`."""
    base, sep, language = header.strip().partition(SEPARATOR)
    base = base.strip().lower()
    base = _COLUMN_ALIASES.get(base, base.replace(" ", "_"))
    return f"{base}{SEPARATOR}{language.strip()}" if sep else base


def _read_workbook(path: Path) -> dict[str, _Sheet]:
    from openpyxl import load_workbook
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise WorkbookError(f"cannot read {path} as an .xlsx workbook: {exc}") from None
    sheets = {}
    try:
        for sheet in book.worksheets:
            values = sheet.iter_rows(values_only=True)
            columns = [_column(cell_text(v)) for v in next(values, ())]
            rows = []
            for number, row in enumerate(values, start=2):
                cells = {c: cell_text(v).strip() for c, v in zip(columns, row) if c and cell_text(v).strip()}
                if cells:
                    rows.append((number, cells))
            sheets[sheet.title.strip().lower()] = _Sheet(sheet.title, columns, rows)
    finally:
        book.close()
    return sheets


_NAMED_LANGUAGES = {name.casefold(): code for code, name in Locale(ENGLISH).languages.items()}


def _language(written: str) -> str | None:
    """The code of a language column's language: `Polski (pl)`, or a bare
    name or code as older XLSForms write it (`French`, `fr`)."""
    try:
        return parse_language(written)
    except ValueError:
        pass
    try:
        return language_code(written)
    except ValueError:
        return _NAMED_LANGUAGES.get(written.strip().casefold())


class _Languages:
    """Which column holds which language, and which is the app's plain text:
    English when the form has English; else the form's default_language;
    else the columns with no language (XLSForm's "default"); else the first."""

    def __init__(self, sheets: Sequence[_Sheet], default: str, findings: list[Finding]):
        self.findings = findings
        self.columns: dict[str, str | None] = {}  # the part after :: → its code (None: unreadable)
        for sheet in sheets:
            for column in sheet.columns:
                base, sep, written = column.partition(SEPARATOR)
                if sep and written not in self.columns and base in (*_TRANSLATED, *_SETTINGS_TRANSLATED):
                    self.columns[written] = code = _language(written)
                    if code is None:
                        findings.append(Finding(sheet.title, None, f"column '{column}': cannot tell which language "
                                                f"'{written}' is; write it with its code, such as 'Polski (pl)'"))
        codes = [c for c in self.columns.values() if c]
        default_code = _language(default) if default else None
        unnamed = any("label" in sheet.columns for sheet in sheets)  # XLSForm's "default" language
        # None: the plain columns hold the plain text (taken to be English).
        self.main = ENGLISH if ENGLISH in codes else default_code or (None if unnamed or not codes else codes[0])
        # Each language's name as the file writes it (Polski), for the spec's keys.
        self.names = {code: written.split("(")[0].strip() or english_name(code)
                      for written, code in reversed(list(self.columns.items())) if code}

    def texts(self, cells: Mapping[str, str], base: str) -> tuple[str, dict[str, str]]:
        """(the plain text, {code: translation}) of `base` in a row."""
        plain = cells.get(base, "")
        translated: dict[str, str] = {}
        for written, code in self.columns.items():
            text = cells.get(f"{base}{SEPARATOR}{written}", "")
            if not text or code is None:
                continue
            if code == self.main:
                plain = text  # the main language's own column wins over an unnamed one
            else:
                translated.setdefault(code, text)
        return plain, translated

    def spec_keys(self, base: str, plain: str, translated: Mapping[str, str]) -> dict[str, str]:
        """`base` and its `base::Language (code)` keys, for the spec."""
        return {base: plain, **{translation_key(base, code, self.names[code]): text for code, text in translated.items()}}

    def keys(self, cells: Mapping[str, str], base: str, sheet: str, row: int | None) -> dict[str, str]:
        """The spec's keys for a text of a row; a text only in other
        languages has no text in the main language to sit beside, and is listed."""
        plain, translated = self.texts(cells, base)
        if plain:
            return self.spec_keys(base, plain, translated)
        for code, text in translated.items():
            self.findings.append(Finding(sheet, row, f"{base} in {english_name(code)} {text!r} has no text in the "
                                                     "form's main language beside it: not carried over"))
        return {}


def _flag(text: str) -> bool | None:
    """yes/true/1 → True, no/false/blank → False; None for an expression."""
    word = text.strip().lower()
    if word in ("", "no", "false", "false()", "0", "n"):
        return False
    if word in ("yes", "true", "true()", "1", "y"):
        return True
    return None


def _type(raw: str) -> tuple[str, str, bool]:
    """(kind, list name, or_other) of a survey row's type."""
    text = re.sub(r"\s+", " ", raw.strip())
    lowered = text.lower()
    for pattern, kind in ((r"select[ _]one[ _]from[ _]file", "select_one_from_file"),
                          (r"select[ _](multiple|all[ _]that[ _]apply)[ _]from[ _]file", "select_multiple_from_file"),
                          (r"select[ _]one", "select_one"),
                          (r"select[ _](multiple|all[ _]that[ _]apply)", "select_multiple"),
                          (r"(begin|end)[ _](group|repeat)", None)):
        found = re.match(pattern + r"\b", lowered)
        if found:
            kind = kind or found.group(0).replace(" ", "_")
            rest = text[found.end():].split()
            or_other = bool(rest) and rest[-1].lower() == "or_other"
            return kind, (rest[0] if rest and not (or_other and len(rest) == 1) else ""), or_other
    kind = lowered.split(" ")[0] if lowered else ""
    return _TYPE_ALIASES.get(kind, kind), "", False


class _SurveyReader:
    """Turns the survey rows into the spec's fields, noting what it cannot carry."""

    def __init__(self, sheets: Mapping[str, _Sheet], languages: _Languages, choice_names: Mapping[str, dict[str, str]]):
        self.survey = sheets["survey"]
        self.languages = languages
        self.choice_names = choice_names     # list name → {name in the file: name in the app}
        self.not_carried: list[Finding] = []
        self.changed: list[Finding] = []
        self.fields: list[dict[str, Any]] = []
        self.lists_used: list[str] = []
        self.list_of: dict[str, str] = {}
        self.renamed = self._names()

    def note(self, row: int, text: str, carried: bool = True) -> None:
        (self.changed if carried else self.not_carried).append(Finding(self.survey.title, row, text))

    def _names(self) -> dict[str, str]:
        """Every question's and group's name in the file (outside repeats) →
        its name in the app, unique; and each select's list, by its new name."""
        renamed: dict[str, str] = {}
        taken: set[str] = set()
        depth = 0
        for row, cells in self.survey.rows:
            kind, list_name, _ = _type(cells.get("type", ""))
            depth += (kind == "begin_repeat") - (kind == "end_repeat" and depth > 0)
            raw = cells.get("name") or cells.get("$autoname") or ""
            if not raw or raw in renamed or depth or kind == "begin_repeat":
                continue
            name, n = safe_name(raw, "q"), 2
            while name in taken:
                name, n = f"{safe_name(raw, 'q')}_{n}", n + 1
            taken.add(name)
            renamed[raw] = name
            self.list_of[name] = list_name
            if name != raw:
                self.note(row, f"'{raw}' is named {name} in the app (lower-case letters, digits and _)")
        return renamed

    def expression(self, source: str, row: int, what: str) -> str | None:
        """The expression as the app reads it (names as renamed), or None with
        the reason listed when the app's evaluator cannot read it."""
        def rename(found: re.Match) -> str:
            return "${" + self.renamed.get(found.group(1), found.group(1)) + "}"
        text = _REFERENCE.sub(rename, source.strip())
        # A choice renamed (1 → option_1) is renamed where it is compared with its question's answer.
        choices = {old: new for r in _REFERENCE.findall(source)
                   for old, new in self.choice_names.get(self.list_of.get(self.renamed.get(r, r), ""), {}).items()
                   if old != new}
        if choices:
            def choice(found: re.Match) -> str:
                quoted = next(g for g in found.groups() if g is not None)
                return f"'{choices[quoted]}'" if quoted in choices else found.group(0)
            text = _QUOTED.sub(choice, text)
        code = _QUOTED.sub("''", text)  # what is not quoted text (a regex may hold "f(" or "/x")
        missing = sorted(set(_FUNCTION_CALL.findall(code)) - FUNCTIONS - {"and", "or", "not", "div", "mod"})
        if missing:
            return self._cannot(row, what, source, f"uses {', '.join(m + '()' for m in missing)}, which the "
                                                  f"app's expressions lack")
        if _PATH.search(code):
            return self._cannot(row, what, source, "refers to a question by its path; the app refers to "
                                                  "questions as ${name}")
        try:
            parse_expression(text)
        except ExpressionError as exc:
            return self._cannot(row, what, source, str(exc))
        return text

    def _cannot(self, row: int, what: str, source: str, why: str) -> None:
        self.note(row, f"{what} {source!r} {why}", carried=False)
        return None

    def read(self) -> list[dict[str, Any]]:
        groups: list[str | None] = []   # the relevant of each open group
        repeats: list[tuple[int, str]] = []
        for row, cells in self.survey.rows:
            raw_type = cells.get("type", "")
            kind, list_name, or_other = _type(raw_type)
            raw_name = cells.get("name") or cells.get("$autoname") or ""
            if kind == "end_repeat":
                if repeats:
                    repeats.pop()
                continue
            if repeats:
                self.note(row, f"'{raw_name or raw_type}' is inside the repeat '{repeats[-1][1]}' "
                               f"(row {repeats[-1][0]}), which is not carried over", carried=False)
                if kind == "begin_repeat":
                    repeats.append((row, raw_name))
                continue
            if kind == "begin_repeat":
                repeats.append((row, raw_name))
                self.note(row, f"repeat '{raw_name}': not carried over with its questions: a form writes one row "
                               "per submission, and a repeat needs a row per answer (make it a form of its own)",
                          carried=False)
            elif kind == "begin_group":
                groups.append(self.group(row, cells, raw_name, groups))
            elif kind == "end_group":
                if groups:
                    groups.pop()
            elif not raw_type:
                self.note(row, "a row with no type is left out", carried=False)
            elif kind in _METADATA:
                self.note(row, f"{kind} '{raw_name}': metadata the app records itself (submitted_at, "
                               "submitted_by, form_version)", carried=False)
            elif kind in _CANNOT and not (kind.endswith("_from_file") and cells.get("choices_from")):
                self.note(row, f"{kind} '{raw_name}': {_CANNOT[kind]}", carried=False)
            elif kind in _SAME_TYPES or kind.endswith("_from_file"):
                spec = self.question(row, cells, kind, list_name, or_other, raw_name, groups)
                if spec:
                    self.fields.append(spec)
            else:
                self.note(row, f"type '{raw_type}': the app has no such question", carried=False)
        for row, name in repeats:
            self.note(row, f"repeat '{name}' has no end_repeat: every row after it was left out", carried=False)
        self.drop_dangling_references()
        return [{k: v for k, v in f.items() if not k.startswith("_")} for f in self.fields]

    def group(self, row: int, cells: Mapping[str, str], raw_name: str, outer: Sequence[str | None]) -> str | None:
        """A group's heading note (if it has a label); its relevant, for its questions."""
        name = self.renamed.get(raw_name, safe_name(raw_name or f"group_{row}", "group"))
        relevant = self.expression(cells["relevant"], row, f"group '{raw_name}': relevant") \
            if cells.get("relevant") else None
        condition = _joined([*outer, relevant])
        label, translated = self.languages.texts(cells, "label")
        if label:
            heading = {"name": name, "type": "note", **self.languages.spec_keys("label", label, translated),
                       "_row": row}
            if condition:
                heading["relevant"] = condition
            self.fields.append(heading)
        self.note(row, f"group '{raw_name}' flattened: its questions follow in order"
                       + (", under a note with its label" if label else "")
                       + (", each asked only when the group's relevant holds" if relevant else ""))
        return relevant

    def question(self, row: int, cells: Mapping[str, str], kind: str, list_name: str, or_other: bool,
                 raw_name: str, groups: Sequence[str | None]) -> dict[str, Any] | None:
        if not raw_name:
            self.note(row, f"a {kind} question with no name is left out", carried=False)
            return None
        name = self.renamed[raw_name]
        label, translated = self.languages.texts(cells, "label")
        if not label:
            label = next(iter(translated.values()), "") or raw_name
            self.note(row, f"'{raw_name}' has no label in the form's main language: labelled {label!r}")
        if "${" in label:
            self.note(row, f"'{raw_name}': its label shows {label!r} as written (the app does not put answers "
                           "into labels)")
        kind, appearance = self.app_type(row, cells, kind, raw_name, label)
        spec: dict[str, Any] = {"name": name, "type": kind, **self.languages.spec_keys("label", label, translated),
                                "_row": row}
        spec.update(self.languages.keys(cells, "hint", self.survey.title, row))
        required = _flag(cells.get("required", ""))
        if required is None:
            self.note(row, f"'{raw_name}': required only when {cells['required']!r}: carried over as not "
                           "required (the app's required is yes or no)")
        elif required:
            spec["required"] = True
            spec.update(self.languages.keys(cells, "required_message", self.survey.title, row))
        if cells.get("constraint"):
            constraint = self.expression(cells["constraint"], row, f"'{raw_name}': constraint")
            if constraint is not None:
                spec["constraint"] = constraint
                spec.update(self.languages.keys(cells, "constraint_message", self.survey.title, row))
        own = self.expression(cells["relevant"], row, f"'{raw_name}': relevant") if cells.get("relevant") else None
        if cells.get("relevant") and own is None and spec.pop("required", False):
            _drop_texts(spec, "required_message")
            self.note(row, f"'{raw_name}' is asked always and not required, since its relevant is not carried over")
        relevant = _joined([*groups, own])
        if relevant:
            spec["relevant"] = relevant
        if kind in ("select_one", "select_multiple"):
            if not self.choices(row, cells, spec, list_name, or_other, raw_name):
                return None
        if appearance:
            spec["appearance"] = appearance
        if cells.get("default"):
            self.default(row, cells["default"], spec, raw_name)
        self.app_columns(row, cells, spec)
        for column, what in _UNUSED_COLUMNS.items():
            if cells.get(column):
                self.note(row, f"'{raw_name}': {column} {cells[column]!r} ({what}) is not carried over",
                          carried=False)
        return spec

    def default(self, row: int, written: str, spec: dict[str, Any], raw_name: str) -> None:
        """A default answer the app can give: today() on a date, or a plain
        value (a text, a number, choice names); a calculated one is not."""
        value = written.strip()
        if spec["type"] == "date" and value == TODAY or not ("(" in value or "${" in value or value.startswith(".")):
            spec["default"] = value
        else:
            self.note(row, f"'{raw_name}': default {written!r} (a calculated default answer) is not carried over",
                      carried=False)

    def app_type(self, row: int, cells: Mapping[str, str], kind: str, raw_name: str, label: str) -> tuple[str, str]:
        """The app's type and the appearance left once the type has used it."""
        words = cells.get("appearance", "").split()
        if kind.endswith("_from_file"):
            return kind.replace("_from_file", ""), " ".join(words)
        if cells.get("app_type") in FIELD_TYPES:
            kind = cells["app_type"]
        elif kind == "text" and "multiline" in words:
            kind = "long_text"
        elif kind == "text" and "@" in cells.get("constraint", "") and "regex" in cells.get("constraint", ""):
            kind = "email"
            self.note(row, f"'{raw_name}': a text checked to be an e-mail address: an email question")
        elif kind == "text" and "numbers" in words and (_PHONE_WORDS.search(raw_name) or _PHONE_WORDS.search(label)):
            kind = "phone"
            self.note(row, f"'{raw_name}': a text of numbers for a phone number: a phone question")
        used = {"long_text": {"multiline"}, "phone": {"numbers"}}.get(kind, set())
        words = ["horizontal" if w == "horizontal-compact" else w for w in words if w not in used]
        return kind, " ".join(words)

    def choices(self, row: int, cells: Mapping[str, str], spec: dict[str, Any], list_name: str, or_other: bool,
                raw_name: str) -> bool:
        if cells.get("choices_from"):
            return True
        if list_name not in self.choice_names:
            self.note(row, f"'{raw_name}': its list {list_name!r} is not on the choices sheet", carried=False)
            return False
        spec["choices"] = list_name
        if list_name not in self.lists_used:
            self.lists_used.append(list_name)
        if or_other:
            spec["other"] = True
        return True

    def app_columns(self, row: int, cells: Mapping[str, str], spec: dict[str, Any]) -> None:
        """The columns the app's own export adds (tab, aliases, …)."""
        if cells.get("choices_from"):
            try:
                spec["choices_from"] = json.loads(cells["choices_from"])
            except ValueError:
                self.note(row, f"choices_from {cells['choices_from']!r} is not the app's JSON", carried=False)
        if spec["type"] in ("select_one", "select_multiple") and spec.get("other"):
            spec.update(self.languages.keys(cells, "other_label", self.survey.title, row))
        if cells.get("label_column"):
            spec["label_column"] = safe_name(cells["label_column"], "q")
        if cells.get("aliases"):
            spec["aliases"] = [a.strip() for a in cells["aliases"].splitlines() if a.strip()]
        if _flag(cells.get("personal", "")):
            spec["personal"] = True
        if cells.get("about"):
            spec["about"] = safe_name(cells["about"], "q")
        if cells.get("autocomplete"):
            spec["autocomplete"] = cells["autocomplete"].strip()
        if _flag(cells.get("remember", "")):
            spec["remember"] = True

    def drop_dangling_references(self) -> None:
        """An expression naming a question that was not carried over cannot stay."""
        names = {f["name"] for f in self.fields} | {f"{f['name']}_other" for f in self.fields if f.get("other")}
        for spec in self.fields:
            for key in ("relevant", "constraint"):
                if key not in spec:
                    continue
                gone = sorted(parse_expression(spec[key]).references - names)
                if gone:
                    self.note(spec["_row"], f"'{spec['name']}': {key} {spec[key]!r} refers to "
                                            f"{', '.join('${' + g + '}' for g in gone)}, which is not carried over",
                              carried=False)
                    del spec[key]
                    if key == "constraint":
                        _drop_texts(spec, "constraint_message")
                    elif spec.pop("required", False):
                        _drop_texts(spec, "required_message")


def _drop_texts(spec: dict[str, Any], base: str) -> None:
    for key in [k for k in spec if k == base or k.startswith(base + SEPARATOR)]:
        del spec[key]


def _joined(conditions: Sequence[str | None]) -> str | None:
    present = [c for c in conditions if c]
    if len(present) < 2:
        return present[0] if present else None
    return " and ".join(f"({c})" for c in present)


def _choice_lists(sheet: _Sheet | None, languages: _Languages, findings: list[Finding], changed: list[Finding]
                  ) -> tuple[dict[str, list[dict[str, str]]], dict[str, dict[str, str]]]:
    """({list name: the spec's choices}, {list name: {name in the file: name in the app}})."""
    lists: dict[str, list[dict[str, str]]] = {}
    names: dict[str, dict[str, str]] = {}
    for row, cells in (sheet.rows if sheet else []):
        list_name, raw = cells.get("list_name", ""), cells.get("name") or cells.get("$autovalue") or ""
        if not list_name or not raw:
            findings.append(Finding(sheet.title, row, "a choice needs a list_name and a name: left out"))
            continue
        name = safe_name(raw)
        known = names.setdefault(list_name, {})
        if name in known.values():
            findings.append(Finding(sheet.title, row, f"list '{list_name}': choice '{raw}' repeats the name "
                                                      f"{name}: left out"))
            continue
        known[raw] = name
        if name != raw:
            changed.append(Finding(sheet.title, row, f"list '{list_name}': choice '{raw}' is named {name} in the app, "
                                                     "and in the expressions comparing with it"))
        label, translated = languages.texts(cells, "label")
        aliases = [a.strip() for a in cells.get("aliases", "").splitlines() if a.strip()]
        lists.setdefault(list_name, []).append(
            {"name": name, **languages.spec_keys("label", label or next(iter(translated.values()), raw), translated),
             **({"aliases": aliases} if aliases else {})})
    return lists, names


def _settings(sheet: _Sheet | None, path: Path, languages: _Languages, findings: list[Finding],
              form_id: str | None, tab: str | None) -> dict[str, Any]:
    row, cells = sheet.rows[0] if sheet and sheet.rows else (None, {})
    title, translated = languages.texts(cells, "form_title")
    translated.update(languages.texts(cells, "app_title")[1])
    title = title or path.stem
    settings: dict[str, Any] = {
        "id": safe_name(form_id or cells.get("form_id") or path.stem, "form"),
        **languages.spec_keys("title", title, translated),
        "tab": tab or cells.get("tab") or title[:100],  # a Google Sheets tab name holds 100 characters
        "version": cells.get("version") or "1",
    }
    for key in ("description", "success_message", "next_label"):
        settings.update(languages.keys(cells, key, sheet.title if sheet else "settings", row))
    for column, value in cells.items():
        if column.split(SEPARATOR)[0] in _SETTINGS_UNUSED:
            findings.append(Finding(sheet.title, row, f"{column} {value!r} has no use in the app: not carried over"))
    return settings


def read_xlsform(path: str | Path, form_id: str | None = None, tab: str | None = None) -> ImportedForm:
    """The form spec an XLSForm holds, and what could not be carried over."""
    path = Path(path)
    sheets = _read_workbook(path)
    if "survey" not in sheets:
        raise WorkbookError(f"{path.name} has no survey sheet, so it is not an XLSForm "
                            f"(its sheets: {', '.join(s.title for s in sheets.values())})")
    not_carried: list[Finding] = []
    settings_sheet = sheets.get("settings")
    default = settings_sheet.rows[0][1].get("default_language", "") if settings_sheet and settings_sheet.rows else ""
    languages = _Languages(list(sheets.values()), default, not_carried)
    changed = []
    if languages.main not in (ENGLISH, None):
        changed.append(Finding("settings", None, f"the form has no English: its {english_name(languages.main)} "
                                                 "texts are the app's plain texts"))
    lists, choice_names = _choice_lists(sheets.get("choices"), languages, not_carried, changed)
    reader = _SurveyReader(sheets, languages, choice_names)
    fields = reader.read()
    if not fields:
        raise WorkbookError(f"{path.name}: no question could be carried over:\n"
                            + "\n".join(f"  {f.line()}" for f in reader.not_carried))
    spec: dict[str, Any] = {"settings": _settings(settings_sheet, path, languages, not_carried, form_id, tab),
                            "fields": fields}
    if reader.lists_used:
        spec["choices"] = {name: lists[name] for name in reader.lists_used}
    findings = sorted(not_carried + reader.not_carried, key=_in_sheet_order)
    return ImportedForm(spec, findings, sorted(changed + reader.changed, key=_in_sheet_order))


def _in_sheet_order(finding: Finding) -> tuple[str, int]:
    return ({"survey": "0", "choices": "1"}.get(finding.sheet.lower(), "2"), finding.row or 0)


# ---- writing an XLSForm ------------------------------------------------------------

def _language_column(code: str) -> str:
    return f"{english_name(code)} ({code.replace('_', '-')})"


def _translated_cells(item: Any, key: str, column: str, languages: Sequence[str]) -> dict[str, str]:
    """`column` (and `column::Language (code)`) for `key` of a field, choice or form."""
    english = getattr(item, key)
    if not english:
        return {}
    if not languages:
        return {column: english}
    cells = {f"{column}::{_language_column(ENGLISH)}": english}
    for code, text in ((c, t) for k, c, t in item.translations if k == key and c in languages):
        cells[f"{column}::{_language_column(code)}"] = text
    return cells


def _list_name(f: Field, base: tuple[Choice, ...], lists: Mapping[str, tuple[Choice, ...]]) -> str:
    return next((name for name, choices in lists.items() if choices == base), f.name)


def _survey_row(f: Field, follow_up: Field | None, languages: Sequence[str],
                lists: Mapping[str, tuple[Choice, ...]], choices_out: dict[str, tuple[Choice, ...]]) -> dict[str, str]:
    cells: dict[str, str] = {"name": f.name}
    appearance = [f.appearance] if f.appearance else []
    if f.type in ("select_one", "select_multiple"):
        if f.choices_from:
            source = f.choices_from
            cells["type"] = f"{f.type}_from_file {source.tab}.csv"
            cells["choices_from"] = json.dumps(
                {"tab": source.tab, "value": source.value, "label": source.label,
                 **({"where": {column: [c.name for c in wanted] for column, wanted in source.where}}
                    if source.where else {}),
                 **({"on_or_before_today": source.on_or_before_today} if source.on_or_before_today else {})},
                ensure_ascii=False)
        else:
            base = f.choices[:-1] if follow_up and f.choices[-1:] == (Choice(OTHER, "Other"),) else f.choices
            name = _list_name(f, base, lists)
            choices_out.setdefault(name, base)
            cells["type"] = f"{f.type} {name}" + (" or_other" if follow_up else "")
    else:
        cells["type"] = {"long_text": "text", "email": "text", "phone": "text", "consent": "acknowledge"}.get(f.type,
                                                                                                            f.type)
        cells.update({"app_type": f.type} if f.type in ("email", "phone", "consent") else {})
        appearance = {"long_text": ["multiline"], "phone": ["numbers"]}.get(f.type, []) + appearance
    cells.update(_translated_cells(f, "label", "label", languages))
    cells.update(_translated_cells(f, "hint", "hint", languages))
    # The app's default messages stay out: KoboToolbox and ODK have their own, in the reader's language.
    if f.required:
        cells["required"] = "yes"
        if f.required_message not in app_messages():
            cells.update(_translated_cells(f, "required_message", "required_message", languages))
    if f.constraint is not None:
        cells["constraint"] = f.constraint.source
        if f.constraint_message not in app_messages():
            cells.update(_translated_cells(f, "constraint_message", "constraint_message", languages))
    if f.relevant is not None:
        cells["relevant"] = f.relevant.source
    if appearance:
        cells["appearance"] = " ".join(appearance)
    if follow_up:
        cells.update(_translated_cells(follow_up, "label", "other_label", languages))
    if f.label_column:
        cells["label_column"] = f.label_column
    if f.aliases:
        cells["aliases"] = "\n".join(f.aliases)
    if f.personal:
        cells["personal"] = "yes"
    if f.about:
        cells["about"] = f.about
    if f.default:
        cells["default"] = f.default
    if f.autocomplete:
        cells["autocomplete"] = f.autocomplete
    if f.remember:
        cells["remember"] = "yes"
    return cells


def _sheet(book, title: str, rows: list[dict[str, str]], first: Sequence[str]) -> None:
    """A sheet whose columns are those the rows use, `first` ones first."""
    sheet = book.create_sheet(title)
    columns = [c for c in first if any(c in r for r in rows)]
    columns += [c for c in dict.fromkeys(k for r in rows for k in r) if c not in columns]
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c, "") for c in columns])
    # openpyxl stores text starting with "=" as a formula: labels stay the text they are.
    for line in sheet.iter_rows():
        for cell in line:
            if cell.data_type == "f":
                cell.data_type = "s"


def xlsform_bytes(form: Form, lists: Mapping[str, tuple[Choice, ...]]) -> tuple[bytes, list[str]]:
    """The form as an XLSForm workbook, and notes for whoever takes it to
    KoboToolbox or ODK. `lists` are the shared choice lists, so a select
    keeps its list's name."""
    from openpyxl import Workbook
    languages = form.languages
    follow_ups = {f.other_of: f for f in form.fields if f.other_of}
    choices_out: dict[str, tuple[Choice, ...]] = {}
    survey = [_survey_row(f, follow_ups.get(f.name), languages, lists, choices_out)
              for f in form.fields if not f.other_of]
    choices = [{"list_name": name, "name": c.name, **_translated_cells(c, "label", "label", languages),
                **({"aliases": "\n".join(c.aliases)} if c.aliases else {})}
               for name, listed in choices_out.items() for c in listed]
    settings = {"form_title": form.title, "form_id": form.id, "version": form.version, "tab": form.tab,
                **({"default_language": _language_column(ENGLISH)} if languages else {})}
    settings.update({k: v for k, v in _translated_cells(form, "title", "app_title", languages).items()
                     if SEPARATOR in k})
    for key in ("description", "success_message"):
        settings.update({k: v.strip() for k, v in _translated_cells(form, key, key, languages).items()})
    if form.next_label != Form.next_label:
        settings.update(_translated_cells(form, "next_label", "next_label", languages))
    book = Workbook()
    book.remove(book.active)
    translated = [f"{base}::{_language_column(c)}" for base in _TRANSLATED for c in (ENGLISH, *languages)]
    _sheet(book, "survey", survey, ["type", "name", "label", "hint", *translated, "required", "constraint",
                                    "relevant", "appearance"])
    _sheet(book, "choices", choices, ["list_name", "name", "label"])
    _sheet(book, "settings", [settings], ["form_title", "form_id", "version", "default_language"])
    out = io.BytesIO()
    book.save(out)
    notes = [f"field '{f.name}': its choices are the rows of the {f.choices_from.tab} tab; in KoboToolbox or ODK, "
             f"attach {f.choices_from.tab}.csv (columns name and label) to the form" for f in form.fields
             if f.choices_from]
    return out.getvalue(), notes
