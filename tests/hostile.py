"""Hostile text in every text column of every tab: what a person could type
into a form or the sheet to make other people's browsers render markup or
fetch an address. Every address points at a loopback port the test listens
on, so a leak shows both as an element and as a request."""
from __future__ import annotations

import json
import re
from typing import Iterator, Mapping

from organising import inert
from organising.forms.spec import Form
from organising.sheets import SUBMITTED_BY, Store
from organising.tools.demo import demo_rows

MARK = "PWN"  # in every hostile text: where it shows, the text shows
TEXT_TYPES = ("text", "long_text", "email", "phone")


def hostile_text(port: int) -> str:
    """One cell's worth of every attack on Streamlit's Markdown, HTML (a PDF, an e-mail)
    and a spreadsheet's formulas (a formula first, so CSV downloads meet it)."""
    site = f"http://127.0.0.1:{port}"
    return " ".join([
        f'=HYPERLINK("{site}/formula","{MARK}")',
        f"![{MARK}]({site}/markdown-image.png)", f"[{MARK} link]({site}/markdown-link)",
        f'<img src="{site}/html-image.png" alt="{MARK}">', f'<a href="{site}/html-link">{MARK} anchor</a>',
        f"<b>{MARK}</b>", f":red[{MARK}] :red-background[{MARK}] :material_warning: :material/error: :streamlit: :smile:",
        f"**{MARK}** _{MARK}_ ~~{MARK}~~ `{MARK}` ${MARK}^2$",
        f"{site}/bare-url www.pwn.localhost {MARK.lower()}@pwn.localhost",
        f"{MARK} -> <- -- &amp; &#60;b&#62;",
    ]) + f"\n    {MARK} indented\n# {MARK} heading\n- {MARK} item"


def text_columns(form: Form) -> list[str]:
    """The columns of the form's tab that hold text as typed: text fields, the
    labels stored beside a choice, and who submitted the row."""
    return [*(f.name for f in form.fields if f.type in TEXT_TYPES and f.stored),
            *(f.label_column for f in form.fields if f.label_column), SUBMITTED_BY]


def hostile_rows(forms: Mapping[str, Form], port: int) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """The demo alliance with the hostile text before every text cell (the
    same text gets the same prefix, so names still match across tabs), and
    one more row per tab with the hostile text in every column."""
    attack = hostile_text(port)
    rows = demo_rows(dict(forms))
    for form in forms.values():
        columns = text_columns(form)
        rows[form.tab] = [(sid, {**record, **{c: f"{attack} {record.get(c, '')}".rstrip() for c in columns}})
                          for sid, record in rows.get(form.tab, [])]
        rows[form.tab].append((f"hostile-{form.id}", {c: attack for c in form.columns}))
    return rows


def store_hostile_rows(store: Store, forms: Mapping[str, Form], port: int) -> None:
    by_tab = {f.tab: f for f in forms.values()}
    for tab, items in hostile_rows(forms, port).items():
        store.ensure_tab(tab, by_tab[tab].columns, by_tab[tab].aliases)
        store.append_rows(tab, items, by_tab[tab].aliases)


def as_read(markdown: str, joiners: bool = False) -> str:
    """The text a person reads from Markdown made inert: escapes undone, hard
    breaks as line breaks, character references decoded and (unless
    `joiners`) the invisible word joiners gone."""
    read = re.sub(r"\\(.)|&#32;|&#9;", lambda m: m.group(1) or {"&#32;": " ", "&#9;": "\t"}[m.group(0)],
                  markdown, flags=re.DOTALL)
    return read if joiners else read.replace(inert.WORD_JOINER, "")


def left_unescaped(markdown_source: str, port: int) -> str:
    """What is left of a Markdown source once every hostile text in it, made
    inert, is taken out: holding the mark, some hostile text was not."""
    source = markdown_source
    for form in (inert.markdown(hostile_text(port)), inert.markdown(hostile_text(port), one_line=True)):
        source = source.replace(form, "")
    return source if MARK in source else ""


# Where Vega-Lite reads a string in a chart's spec as more than text to draw:
# an address it fetches or links to, or an expression it runs.
ACTIVE_KEYS = {"url", "href", "expr", "signal", "calculate", "filter", "test"}


def strings(value, active: bool = False) -> Iterator[tuple[str, bool]]:
    """Every string inside a chart's spec, and whether it sits where Vega-Lite would act on it."""
    if isinstance(value, str):
        yield value, active
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, active or key in ACTIVE_KEYS)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item, active)


def chart_strings(spec: str) -> list[tuple[str, bool]]:
    """The hostile text inside a chart's spec (JSON): (the string, whether Vega-Lite would act on it)."""
    return [(s, active) for s, active in strings(json.loads(spec)) if MARK in s]
