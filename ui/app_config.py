"""The app's checked configuration, loaded once per process."""
from __future__ import annotations

import streamlit as st

from organising.config import AppConfig, ConfigError, load_config


@st.cache_resource(show_spinner=False)
def _config() -> AppConfig:
    return load_config()


def config() -> AppConfig:
    """The checked configuration; a broken config stops every page with the
    message naming the file, the key and the problem."""
    try:
        return _config()
    except ConfigError as exc:
        st.error(f"The app's configuration has a problem, so nothing can be shown or saved.\n\n"
                 f"**{exc}**\n\nFix the file and reload the page.")
        st.stop()
