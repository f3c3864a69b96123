"""Text from a person or a sheet cell, made inert before it is shown.

A name, an event title or a header typed by anyone reaches coordinators'
screens. Streamlit renders Markdown in st.markdown, st.caption, st.info and
friends, in widget labels and help, expander and tab labels (an image
`![x](https://…)` makes every viewer's browser fetch that address; `:red[…]`,
bold and links can fake the app's own warnings), and Plotly renders a subset
of HTML in chart labels (`<a href>` becomes a link). Every such place passes
the text through one of these helpers, so it shows exactly as typed.
"""
from __future__ import annotations

import html as _html
import re
from typing import Any

# Every ASCII punctuation character: CommonMark lets any of them be escaped
# with a backslash, and that also stops GFM autolinks, :directive[...]
# colouring, $maths$ and HTML, which all start with one of them.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown(text: Any) -> str:
    """`text` escaped for anything that renders Markdown: it shows as typed."""
    return _PUNCTUATION.sub(r"\\\1", "" if text is None else str(text))


def html(text: Any) -> str:
    """`text` escaped for anything that renders HTML (chart labels, HTML e-mail)."""
    return _html.escape("" if text is None else str(text), quote=True)
