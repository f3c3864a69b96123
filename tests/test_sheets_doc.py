"""docs/SHEETS.md is generated from the forms and never drifts from them."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from organising.__main__ import main
from organising.cells import DateReader, parse_count
from organising.config import load_config
from organising.tools.sheets_doc import DOC, REGENERATE, cells_section, date_examples, sheets_markdown


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


@pytest.mark.parametrize("locale", ["en_GB", "en_US", "en_CA"])
def test_every_date_the_doc_shows_is_read_as_it_says_and_every_one_it_lists_is_listed(locale):
    dates = DateReader(locale, "Europe/London")
    examples = date_examples(dates)
    section = cells_section(dates)
    for kind in ("numbers", "times", "names"):
        for typed in examples[kind]:
            assert f"`{typed}`" in section and dates.read(typed).value == dt.date(2021, 6, 8), typed
    for typed in examples["listed"]:
        assert f"`{typed}`" in section and dates.read(typed).problem, typed
    assert dates.read("2021-06-08T23:30:00Z").value == dt.date(2021, 6, 9)  # as the doc says of London


def test_the_doc_says_how_choices_numbers_and_google_forms_are_read(app_config):
    text = sheets_markdown(app_config.forms)
    assert "`one_day_training` (One-day leadership training / One-day training / One-Day Community Leadership " \
           "Training)" in text
    assert "`yes` (Yes / y / true / 1 / ✓ / ✔ / ☑ / x / ticked / yes please)" in text
    for promise in ("### Dates", "### Choices", "### Numbers", "`Timestamp`", "Form Responses 1",
                    "a second copy", "rows read = counted + left out"):
        assert promise in text
    for typed in ("approx 40", "40+", "1,200"):
        assert parse_count(typed).value in (40, 1200) and f"`{typed}`" in text
