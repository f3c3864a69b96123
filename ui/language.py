"""The language a person reads the app in.

Picked on a form (and remembered for the browser session), else the
browser's own language when the app has it, else English. Forms offer the
languages their spec is written in; the menu and the app's words follow the
catalogues in locales/ (organising/i18n.py).
"""
from __future__ import annotations

from typing import Callable, Sequence

import streamlit as st

from organising.i18n import ENGLISH, best_language, catalogue_languages, native_name, right_to_left, translations

PICKED = "language"  # session key: the language the person chose, for the whole session


def browser_locale() -> str | None:
    """The browser's language (pl-PL), when Streamlit knows it."""
    try:
        return st.context.locale
    except (AttributeError, RuntimeError):  # no browser behind this run (a bare script)
        return None


def language_among(offered: Sequence[str]) -> str:
    """The person's language if offered: the one they picked, else the
    browser's, else English."""
    return best_language([st.session_state.get(PICKED), browser_locale()], offered) or ENGLISH


def app_language() -> str:
    """The language of the app's own words (the menu, for instance)."""
    return language_among((ENGLISH, *catalogue_languages()))


def gettext(language: str) -> Callable[[str], str]:
    return translations(language).gettext


def ngettext(language: str) -> Callable[[str, str, int], str]:
    return translations(language).ngettext


def pick_language(offered: Sequence[str], key: str) -> str:
    """A one-tap language picker (shown when there is a choice), each
    language in its own name; the pick is remembered for the session, so the
    next form opens in it too."""
    current = language_among(offered)
    if len(offered) < 2:
        return current
    # Follow a pick made on another picker (two forms on one page, or the last page).
    st.session_state[key] = current

    def remember() -> None:
        st.session_state[PICKED] = st.session_state[key]

    _ = gettext(current)
    st.radio(_("Language"), options=list(offered), format_func=native_name, key=key, horizontal=True,
             label_visibility="collapsed", on_change=remember)
    return st.session_state[key]


def laid_out_for(language: str, container_key: str) -> None:
    """Lay the container keyed `container_key` out right to left when the
    language is written that way (Urdu, Arabic). Streamlit gives a keyed
    container the class st-key-<key>; the style reaches it and nothing else,
    and the drop-down lists it opens (drawn outside it, at the page's end).
    Dates and numbers keep their left-to-right order, as they do in Urdu
    text, and what is typed takes its own direction (an e-mail address runs
    left to right, a sentence in Urdu right to left)."""
    if not right_to_left(language):
        return
    scope = f".st-key-{container_key}"
    st.html(f"<style>{scope} {{ direction: rtl; text-align: right; }}"
            f"{scope} input, {scope} textarea {{ unicode-bidi: plaintext; }}"
            f'{scope} [data-testid="stDateInputField"], {scope} [data-testid="stNumberInputContainer"] '
            f"{{ direction: ltr; }}"
            f'div[data-baseweb="popover"] li {{ direction: rtl; text-align: right; }}</style>')
