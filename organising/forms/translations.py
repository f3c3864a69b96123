"""A form's texts in other languages, written the XLSForm way.

Beside each English text in a form spec, its translations are keys named
`text::Language (code)`:

    - name: conversation_date
      label: Date of the conversation
      "label::Polski (pl)": Data rozmowy
      "label::Urdu (ur)": گفتگو کی تاریخ

and a choice has `label::…` beside its label. The plain key is English, the
app's own language; a text with no translation shows in English. Only the
words change: the stored values are the choice names whatever the language,
so the figures never depend on who typed in which language.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping, Protocol

from ..i18n import ENGLISH, N_, language_code, translations

# (what is translated, language code, the text)
Translation = tuple[str, str, str]

FIELD_TEXTS = ("label", "hint", "constraint_message", "required_message", "other_label")
SETTINGS_TEXTS = ("title", "description", "success_message", "next_label")
CHOICE_TEXTS = ("label",)
SEPARATOR = "::"
# Translators: a problem with an answer, after the question it is about.
_NAMED = N_("{question}: {problem}")
_LANGUAGE = re.compile(r"^(?P<name>[^()]*?)\s*\((?P<code>[^()]+)\)\s*$")


class _Translated(Protocol):
    translations: tuple[Translation, ...]


def translation_key(key: str, language: str, name: str) -> str:
    """`label::Polski (pl)`: how a spec (and an XLSForm column) names a translation."""
    return f"{key}{SEPARATOR}{name} ({language})"


def parse_language(column: str) -> str:
    """The code of a language written as `Polski (pl)`; ValueError if it
    has no code in brackets or the code is not a language."""
    found = _LANGUAGE.match(column.strip())
    if not found:
        raise ValueError(f"write the language as its name and code in brackets, such as 'Polski (pl)': "
                         f"got {column.strip()!r}")
    return language_code(found.group("code"))


def split_translations(raw: Mapping[str, Any], where: str, translatable: Iterable[str],
                       present: Iterable[str]) -> tuple[dict[str, Any], tuple[Translation, ...]]:
    """(the keys that are not translations, the translations) of one spec
    item. `present` are the texts this item has in English: a translation of
    anything else is a mistake, named with the item and the key."""
    from .spec import ConfigError  # spec imports this module to parse its items
    translatable, present = tuple(translatable), set(present)
    plain: dict[str, Any] = {}
    found: dict[tuple[str, str], str] = {}
    for key, value in raw.items():
        key = str(key)
        if SEPARATOR not in key:
            plain[key] = value
            continue
        base, language = (part.strip() for part in key.split(SEPARATOR, 1))
        if base not in translatable:
            raise ConfigError(f"{where}: '{key}': '{base}' has no translations (translated texts: "
                              f"{', '.join(translatable)})")
        if base not in present:
            raise ConfigError(f"{where}: '{key}' translates '{base}', which this does not have in English")
        try:
            code = parse_language(language)
        except ValueError as exc:
            raise ConfigError(f"{where}: '{key}': {exc}") from None
        if code == ENGLISH:
            raise ConfigError(f"{where}: '{key}': English is the plain '{base}' key")
        if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not str(value).strip():
            raise ConfigError(f"{where}: '{key}' must be text (remove the key to show the English)")
        if (base, code) in found:
            raise ConfigError(f"{where}: '{key}': '{base}' is translated into {code} twice")
        found[(base, code)] = str(value).strip()
    return plain, tuple((base, code, text) for (base, code), text in found.items())


def translation(item: _Translated, key: str, language: str) -> str | None:
    """`key` of a field, choice or form in `language` (or in its language
    alone: pl_PL finds pl); None when it has no translation."""
    base = language.split("_")[0]
    exact = [text for k, code, text in item.translations if k == key and code == language]
    loose = [text for k, code, text in item.translations if k == key and code == base]
    return (exact or loose or [None])[0]


def text(item: Any, key: str, language: str) -> str:
    """`key` of a field, choice or form in `language`: its translation in the
    spec, else the app's catalogue (where the texts a spec may leave out,
    such as "This question needs an answer.", are translated), else English."""
    english = getattr(item, key)
    return translation(item, key, language) or (translations(language).gettext(english) if english else "")


def missing(item: Any, key: str, language: str) -> bool:
    """True when `key` would show in English to a person reading `language`."""
    english = getattr(item, key)
    return bool(english) and translation(item, key, language) is None \
        and translations(language).gettext(english) == english


def message_text(field: Any, message: str, language: str) -> str:
    """A validation message about `field`, in `language`: the field's own
    required or constraint message as the spec translates it, any other
    (a number that is not one, say) from the catalogue."""
    for key in ("required_message", "constraint_message"):
        if message == getattr(field, key):
            return text(field, key, language)
    return translations(language).gettext(message)


def field_message(field: Any, message: str, language: str) -> str:
    """A validation message naming its question: "Date of the conversation:
    give the day it happened." (the message's first letter made small
    unless it starts a name such as "ASB")."""
    problem = message_text(field, message, language)
    if problem[1:2].islower():
        problem = problem[0].lower() + problem[1:]
    return translations(language).gettext(_NAMED).format(
        question=text(field, "label", language).strip(), problem=problem)


def languages_of(items: Iterable[_Translated]) -> tuple[str, ...]:
    """Every language the items are translated into, in order of first use."""
    return tuple(dict.fromkeys(code for item in items for _, code, _ in item.translations))
