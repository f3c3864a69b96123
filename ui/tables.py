"""Showing the campaign pages' tables: choice names as their labels, and
downloads."""
from __future__ import annotations

from functools import partial
from typing import Any, Callable, Mapping, Sequence

import pandas as pd
import streamlit as st

from organising.forms.spec import Form
from organising.counting.records import csv_download

from .audit import log


def choice_labels(*forms: Form) -> dict[str, str]:
    """Every choice name of these forms -> its label."""
    return {c.name: c.label for form in forms for f in form.fields for c in f.choices}


def shown_as(labels: Mapping[Any, str]) -> Callable[[Any], str]:
    """A widget's format_func: each option as its label, or as itself when it
    has none. Streamlit keeps every widget's format_func for as long as the
    session lasts, pages left included; a lambda written in a page would keep
    that page's globals, and with them the shared read it was drawn from, in
    memory after a newer read replaced it. This keeps the labels alone."""
    return partial(_label, dict(labels))


def _label(labels: Mapping[Any, str], option: Any) -> str:
    return str(labels.get(option, option))


def show_table(table: pd.DataFrame, labels: dict[str, str], columns: Sequence[str] = (),
               empty: str = "Nothing yet.") -> None:
    """The table with the cells of `columns` shown as their choice labels."""
    if table.empty:
        st.info(empty)
        return
    shown = table.copy()
    for column in columns:
        shown[column] = shown[column].map(lambda v: labels.get(v, v))
    st.dataframe(shown.rename(columns=labels), hide_index=True, width="stretch")


def download_csv(table: pd.DataFrame | Callable[[], pd.DataFrame], name: str, holds: str = "",
                 rows: int | None = None) -> None:
    """A button to download the table as CSV, safe to open in a spreadsheet,
    made only when the button is clicked. `table`: the table, or what makes
    it (then `rows` says how many it has). `holds`: what of people's data
    the file holds; each download of it is then recorded in the audit log
    (who, when, what and how many rows)."""
    make = table if callable(table) else lambda: table
    count = len(table) if rows is None else rows
    logged = {"on_click": log, "args": ("download", f"{holds}: {count} rows as CSV")} if holds else {}
    st.download_button("Download as CSV", lambda: csv_download(make()), file_name=f"{name}.csv".replace(":", "-"),
                       mime="text/csv", **logged)
