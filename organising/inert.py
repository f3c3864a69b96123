"""Text from a person or a sheet cell, made inert before it is shown.

A name, an event title or a header typed by anyone reaches coordinators'
screens. Streamlit renders Markdown in st.markdown, st.caption, st.info and
friends, in radio options, widget labels and help, metric labels, deltas and
help, expander and tab labels (an image `![x](https://…)` makes every
viewer's browser fetch that address; `:red[…]`, bold and links can fake the
app's own warnings), and reportlab reads a subset of HTML in PDF paragraphs
(`<a href>` becomes a link). Every such place passes the text through one of
these helpers, so it shows exactly as typed. Selectbox and multiselect
options, st.text, st.code, dataframe cells and the dashboard's charts (text
drawn by Vega-Lite) render no markup and need nothing.
"""
from __future__ import annotations

import re
from typing import Any

# Every ASCII punctuation character: CommonMark lets any of them be escaped
# with a backslash, and that stops images, links, emphasis, HTML,
# :directive[...] colouring and $maths$, which all start with one of them.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Streamlit rewrites some text after Markdown has read it, where a backslash
# no longer counts: bare URLs, `www.` and e-mail addresses become links (GFM
# autolink literals), `:material_x:` an icon, `:streamlit:` an image,
# `:smile:` an emoji, ` -> ` an arrow. A word joiner (invisible, never a line
# break) after the character that starts each of them breaks the pattern.
_REWRITTEN_LATER = re.compile(r"(?<=[:@])|(?<=www)(?=\.)|(?<=[<>~-])(?=[<>=-])", re.IGNORECASE)
WORD_JOINER = "\u2060"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A line starting with spaces could open an indented code block: its first
# space is written as a character reference, which shows as a space.
_LEADING_SPACE = {" ": "&#32;", "\t": "&#9;"}


def _markdown_line(line: str) -> str:
    escaped = _PUNCTUATION.sub(r"\\\1", _REWRITTEN_LATER.sub(WORD_JOINER, line))
    return _LEADING_SPACE.get(escaped[:1], escaped[:1]) + escaped[1:]


def markdown(text: Any, one_line: bool = False) -> str:
    """`text` for anything that renders Markdown: it shows as typed, each line
    break a line break (or a space with `one_line`, for a table cell)."""
    lines = _LINE_BREAK.split("" if text is None else str(text))
    if one_line:
        return " ".join(_markdown_line(line) for line in lines)
    return "\\\n".join(_markdown_line(line) for line in lines)  # a backslash before a line end: a hard break


_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def html(text: Any) -> str:
    """`text` for anything that renders HTML (a PDF paragraph, an HTML
    e-mail). Quotes are numeric references, which every reader of HTML
    decodes."""
    return ("" if text is None else str(text)).translate(_HTML)
