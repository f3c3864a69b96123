"""What is still in English, per language: `python -m organising translations`.

Two kinds of text reach a volunteer: the forms' own (labels, hints,
messages, choices, titles: `label::Polski (pl)` beside each English text in
config/) and the app's words (buttons, messages, page titles: the gettext
catalogues in locales/). A language is listed when a form or a catalogue
has it; each form written in it (any of its own texts translated) must
have them all, and its catalogue must translate every message the code
marks (read from the code itself, so a new message nobody extracted yet
counts as missing). Anything missing shows in English, so nothing breaks;
the report, and its exit code, are for translators and CI.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from ..forms.spec import Field, Form
from ..forms.translations import missing
from ..i18n import LOCALES, best_language, catalogue_languages, catalogue_path, english_name, native_name

REPO = Path(__file__).resolve().parents[2]
# The keywords beyond gettext's own that the code marks messages with (see
# babel.cfg): ngettext bound to a language as n_.
KEYWORDS = {**DEFAULT_KEYWORDS, "n_": (1, 2)}
_PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


@dataclass(frozen=True)
class Gap:
    """One text a person reading `language` would see in English (or, for a
    catalogue, a translation that would break the message)."""
    language: str
    where: str      # the file, and the field or the message
    english: str
    problem: str = "not translated"

    def line(self) -> str:
        return f"{self.where}: {self.problem}: {' '.join(self.english.split())!r}"


def code_messages(root: Path = REPO) -> dict[str, str]:
    """Every message the code marks for translation, as pybabel extracts it
    with babel.cfg: {msgid: its plural (or "")}."""
    with open(root / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, str] = {}
    for _, _, message, _, _ in extract_from_dir(root, method_map, options_map, keywords=KEYWORDS):
        singular, plural = (message[0], message[1]) if isinstance(message, tuple) else (message, "")
        if singular:
            found[singular] = plural
    return found


def _shown(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


def catalogue_gaps(language: str, messages: Mapping[str, str], locales: Path = LOCALES) -> list[Gap]:
    path = catalogue_path(language, locales)
    where = _shown(str(path))
    if not path.is_file():
        return [Gap(language, where, f"{len(messages)} messages", "no catalogue (pybabel init, docs/TRANSLATING.md)")]
    with path.open("rb") as po:
        catalogue = read_po(po, locale=language)
    gaps = []
    for msgid in messages:
        entry = catalogue.get(msgid)
        strings = [] if entry is None else list(entry.string) if isinstance(entry.string, tuple) else [entry.string]
        if entry is None:
            gaps.append(Gap(language, where, msgid, "not in the catalogue yet (pybabel extract, then update)"))
        elif entry.fuzzy:
            gaps.append(Gap(language, where, msgid, "marked fuzzy (check it, then remove the fuzzy flag)"))
        elif not all(strings):
            gaps.append(Gap(language, where, msgid))
        else:
            known = set(_PLACEHOLDER.findall(msgid + " " + messages[msgid]))
            stray = sorted({p for s in strings for p in _PLACEHOLDER.findall(s)} - known)
            if stray:
                gaps.append(Gap(language, where, msgid, f"the translation uses {{{'}, {'.join(stray)}}}, "
                                                        "which the English does not have"))
    return gaps


def _field_texts(f: Field) -> Iterable[tuple[str, str]]:
    """(key as the spec writes it, key on the Field) for each text the field shows."""
    if f.other_of:
        yield "other_label", "label"   # the follow-up's question is its select's other_label
        return
    yield "label", "label"
    if f.hint:
        yield "hint", "hint"
    if f.constraint is not None:
        yield "constraint_message", "constraint_message"
    if f.required:
        yield "required_message", "required_message"


def form_gaps(form: Form, language: str, messages: Mapping[str, str]) -> list[Gap]:
    """The form's own texts not written in `language`. Texts that are the
    app's messages (the default "This question needs an answer.", the
    "Other" choice) belong to the catalogue and are left to it."""
    path = _shown(form.path)
    gaps = []

    def check(item, key: str, where: str) -> None:
        english = getattr(item, key)
        if english not in messages and missing(item, key, language):
            gaps.append(Gap(language, where, english))

    for key in ("title", "description", "success_message"):
        check(form, key, f"{path}: settings: {key}")
    for f in form.fields:
        name = f.other_of or f.name
        for spec_key, key in _field_texts(f):
            check(f, key, f"{path}: field '{name}': {spec_key}")
        if f.is_select and not f.choices_from:
            for choice in f.choices:
                check(choice, "label", f"{path}: field '{name}': choice '{choice.name}'")
    return gaps


def translation_gaps(forms: Mapping[str, Form], messages: Mapping[str, str], locales: Path = LOCALES,
                     languages: Iterable[str] = ()) -> dict[str, list[Gap]]:
    """{language: what is missing}, for every language a form or a catalogue
    has (or only those asked for: ur_PK asks for ur when that is what there is)."""
    known = list(dict.fromkeys([*catalogue_languages(locales), *(c for f in forms.values() for c in f.languages)]))
    wanted = list(dict.fromkeys(best_language([code], known) or code for code in languages)) or known
    report = {}
    for language in wanted:
        gaps = [gap for form in forms.values() if language in form.languages
                for gap in form_gaps(form, language, messages)]
        report[language] = gaps + catalogue_gaps(language, messages, locales)
    return report


def report_text(report: Mapping[str, list[Gap]], forms: Mapping[str, Form]) -> str:
    if not report:
        return "The app is in English only: no form has a translation and locales/ has no catalogue."
    lines = []
    for language, gaps in report.items():
        written = sorted(f.id for f in forms.values() if language in f.languages)
        scope = f"forms: {', '.join(written)}" if written else "no form is written in it"
        heading = f"{language} ({native_name(language)}, {english_name(language)}; {scope})"
        if not gaps:
            lines.append(f"{heading}: complete")
            continue
        lines.append(f"{heading}: {len(gaps)} missing")
        lines += [f"  {gap.line()}" for gap in gaps]
    return "\n".join(lines)
