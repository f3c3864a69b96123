"""Languages and the app's own words (gettext catalogues read with Babel).

The app's words (buttons, messages, page titles) are English in the code,
marked with `_()` (or `N_()` where the text is only defined, and translated
where it is shown), and translated in `locales/<code>/LC_MESSAGES/messages.po`,
which a translator edits (docs/TRANSLATING.md). The .po files are read
directly: Babel compiles one in memory the first time a language is asked
for, so a fresh clone needs no build step and a committed .po never goes
stale behind an old .mo.

A language is named by its code as Babel reads it (pl, ur, pt_BR); English
is the app's own language and every missing translation falls back to it.
"""
from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from babel import Locale, UnknownLocaleError
from babel.core import negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

ENGLISH = "en"
DOMAIN = "messages"
LOCALES = Path(__file__).resolve().parent.parent / "locales"


def N_(message: str) -> str:
    """Marks a message for the catalogues where it is defined; it is
    translated where it is shown (pybabel extracts N_ like _)."""
    return message


def language_code(text: str) -> str:
    """The code Babel gives a language written as pl, ur, pt-BR or pt_BR;
    ValueError when it is not one."""
    raw = str(text).strip()
    try:
        return str(Locale.parse(raw, sep="-" if "-" in raw else "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        raise ValueError(f"{raw!r} is not a language code such as pl, ur or pt-BR") from None


def native_name(code: str) -> str:
    """The language's name in itself (Polski, اردو), as a picker shows it."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def english_name(code: str) -> str:
    return Locale.parse(code).get_display_name(ENGLISH) or code


def right_to_left(code: str) -> bool:
    """Urdu, Arabic, Persian, Hebrew…: laid out from the right."""
    return Locale.parse(code).character_order == "right-to-left"


def best_language(preferred: Iterable[str | None], offered: Iterable[str]) -> str | None:
    """The first offered language matching one the person prefers, by code
    or by its language alone (a browser's pl-PL finds pl); None if none do."""
    offered = list(offered)
    wanted = [str(p).replace("-", "_") for p in preferred if p]
    return negotiate_locale(wanted, offered) if wanted and offered else None


# ---- the catalogues -----------------------------------------------------------

def catalogue_path(code: str, locales: Path = LOCALES) -> Path:
    return locales / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalogue_languages(locales: Path = LOCALES) -> tuple[str, ...]:
    """Languages with a catalogue, in code order."""
    if not locales.is_dir():
        return ()
    return tuple(sorted(p.name for p in locales.iterdir() if catalogue_path(p.name, locales).is_file()))


@lru_cache(maxsize=None)
def app_messages(locales: Path = LOCALES) -> frozenset[str]:
    """The app's own messages, as the committed template lists them (a test
    keeps it up to date with the code): the texts a catalogue translates."""
    path = locales / f"{DOMAIN}.pot"
    if not path.is_file():
        return frozenset()
    with path.open("rb") as template:
        return frozenset(m.id if isinstance(m.id, str) else m.id[0] for m in read_po(template) if m.id)


@lru_cache(maxsize=None)
def translations(code: str, locales: Path = LOCALES) -> gettext.NullTranslations:
    """The catalogue for `code`, compiled from its .po file in memory. Fuzzy
    entries are left out (a translator marks a guess fuzzy until checked), and
    an unknown or missing language gives English."""
    path = catalogue_path(code, locales)
    if code == ENGLISH or not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalogue = read_po(po, locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)
