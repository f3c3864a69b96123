"""docs/SHEETS.md is generated from the forms and never drifts from them."""
from __future__ import annotations

import shutil

from organising.__main__ import main
from organising.config import load_config
from organising.tools.sheets_doc import DOC, REGENERATE, sheets_markdown


def test_the_committed_sheets_doc_is_up_to_date(app_config):
    assert DOC.read_text(encoding="utf-8") == sheets_markdown(app_config.forms), \
        f"docs/SHEETS.md is out of date with config/forms: run `{REGENERATE}` and commit it"


def test_the_doc_lists_every_tab_column_and_alias(app_config):
    text = sheets_markdown(app_config.forms)
    for form in app_config.forms.values():
        assert f"## Tab `{form.tab}`" in text
        for field in form.fields:
            if field.stored:
                assert f"| `{field.name}` | " + ", ".join(f"`{a}`" for a in field.aliases) + " |" in text


def test_a_new_alias_reaches_the_doc_with_one_command(tmp_path, monkeypatch):
    config = tmp_path / "config"
    shutil.copytree(load_config().config_dir, config)
    form = config / "forms" / "events.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace("aliases: [Venue, Location]",
                                                             "aliases: [Venue, Location, Where]"), encoding="utf-8")
    monkeypatch.setenv("ORGANISING_CONFIG_DIR", str(config))
    written = tmp_path / "SHEETS.md"
    monkeypatch.setattr("organising.tools.sheets_doc.DOC", written)
    assert main(["sheets-doc"]) == 0
    assert "| `place` | `Venue`, `Location`, `Where` |" in written.read_text(encoding="utf-8")
