"""The floor for benchmarks/pages.py: a bare Streamlit app whose one page
shows the 1:1s tab's rows in one st.dataframe, read from the store once and
kept (what a page that only shows the rows costs). Run by the benchmark as
`streamlit run benchmarks/pages_floor.py` with ORGANISING_DATA_DIR set."""
import sys
from pathlib import Path

import pandas as pd
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from integrations.sqlite_store import SQLiteStore  # noqa: E402
from organising.config import load_config  # noqa: E402


@st.cache_resource
def rows() -> pd.DataFrame:
    config = load_config()
    tab = SQLiteStore(config.settings.data_dir / "organising.sqlite3").read_tabs(["1:1s"])["1:1s"]
    width = len(tab.header)
    return pd.DataFrame([row + [""] * (width - len(row)) for row in tab.rows], columns=tab.header)


def start() -> None:
    st.title("Start")
    st.write("Nothing here")


def show() -> None:
    st.title("Rows")
    st.dataframe(rows(), hide_index=True)


st.navigation([st.Page(start, title="Start", default=True), st.Page(show, title="Rows", url_path="rows")]).run()
