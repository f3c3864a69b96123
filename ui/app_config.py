"""The app's checked configuration, loaded once per process."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from organising.config import AppConfig, ConfigError, config_dir, load_config


@st.cache_resource(show_spinner=False)
def _config(directory: Path) -> AppConfig:
    # Keyed by the folder, so a thread that loads it while ORGANISING_CONFIG_DIR
    # changes (the server's worker, between tests) never leaves another folder's config.
    return load_config(directory)


def config() -> AppConfig:
    """The checked configuration; a broken config stops every page with the
    message naming the file, the key and the problem."""
    try:
        return _config(config_dir())
    except ConfigError as exc:
        st.error(f"The app's configuration has a problem, so nothing can be shown or saved.\n\n"
                 f"**{exc}**\n\nFix the file and reload the page.")
        st.stop()
