"""The tabs and headers the forms expect, against those a sheet has.

Used by the Connect your sheet page: a missing tab or column is something
the app can add (at the end of the header); a column people added is fine
and is left alone, as are tabs no form writes. Each header of the sheet is
shown with the column it is read as (by name, alias or question, as a
Google Form's responses tab titles them), or as not read.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import pandas as pd

from .spec import Form
from ..sheets import column_index, missing_columns


@dataclass(frozen=True)
class TabLayout:
    tab: str
    forms: tuple[str, ...]          # titles of the forms that write this tab
    exists: bool
    missing: tuple[str, ...]        # expected columns found under no accepted name
    extra: tuple[str, ...]          # columns people added: kept as they are
    read_as: tuple[tuple[str, str], ...] = ()  # each header of the sheet, and the column it is read as ("": none)

    @property
    def complete(self) -> bool:
        return self.exists and not self.missing


@dataclass(frozen=True)
class SheetLayout:
    tabs: tuple[TabLayout, ...]
    other_tabs: tuple[str, ...]     # tabs in the sheet that no form writes

    @property
    def complete(self) -> bool:
        return all(t.complete for t in self.tabs)


def expected_tabs(forms: Iterable[Form]) -> dict[str, tuple[list[Form], list[str], dict[str, tuple[str, ...]]]]:
    """tab -> (forms writing it, expected columns, accepted aliases), in form order."""
    out: dict[str, tuple[list[Form], list[str], dict[str, tuple[str, ...]]]] = {}
    for form in forms:
        writers, columns, aliases = out.setdefault(form.tab, ([], [], {}))
        writers.append(form)
        columns.extend(c for c in form.columns if c not in columns)
        aliases.update(form.aliases)
    return out


def compare_layout(forms: Iterable[Form], found: Mapping[str, Sequence[str]]) -> SheetLayout:
    """`found` maps each tab of the sheet to its row 1. Tab names are
    compared ignoring case, as Google Sheets does ("events" is the Events tab)."""
    by_name = {name.casefold(): header for name, header in found.items()}
    layouts = []
    for tab, (writers, columns, aliases) in expected_tabs(forms).items():
        header = list(by_name.get(tab.casefold(), []))
        matched = {column_index(header, c, aliases.get(c, ())): c for c in reversed(columns)}
        layouts.append(TabLayout(
            tab=tab, forms=tuple(f.title for f in writers), exists=tab.casefold() in by_name,
            missing=tuple(missing_columns(header, columns, aliases)),
            extra=tuple(h for i, h in enumerate(header) if h.strip() and i not in matched),
            read_as=tuple((h, matched.get(i, "")) for i, h in enumerate(header) if h.strip())))
    expected = {t.tab.casefold() for t in layouts}
    return SheetLayout(tuple(layouts), tuple(t for t in found if t.casefold() not in expected))


NOT_READ = "not read: kept as it is"
HEADER_COLUMNS = ["Column in the sheet", "Read as"]


def header_table(tab: TabLayout, form: Form | None) -> pd.DataFrame:
    """Each header of the tab as typed, and what the app reads it as: the
    form's question and column name, or not read."""
    labels = {f.name: f.label for f in form.fields} if form else {}

    def read_as(column: str) -> str:
        if not column:
            return NOT_READ
        return f"{labels[column]} ({column})" if column in labels else column
    return pd.DataFrame([[header, read_as(column)] for header, column in tab.read_as], columns=HEADER_COLUMNS)
