"""Forms and the app's words in other languages: the specs' `label::Polski (pl)`
texts, the gettext catalogues in locales/, and the report of what is missing."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from organising.forms.spec import ConfigError, load_forms, validate
from organising.forms.translations import message_text, text
from organising.i18n import (LOCALES, best_language, catalogue_languages, language_code, native_name,
                             right_to_left, translations)
from organising.tools.translations import code_messages, report_text, translation_gaps

from .test_forms import TODAY, valid_listening, write_form
from .test_forms import test_broken_spec_names_file_field_and_problem as spec_is_refused

REPO = Path(__file__).resolve().parent.parent


# ---- the specs --------------------------------------------------------------------

def test_the_volunteer_forms_are_written_in_polish_and_urdu(app_config):
    for form_id in ("listening", "cag_signup", "attendance"):
        assert app_config.forms[form_id].languages == ("pl", "ur")
    listening = app_config.forms["listening"]
    date = listening.field("conversation_date")
    assert text(date, "label", "pl") == "Data rozmowy"
    assert text(date, "label", "ur") == "گفتگو کی تاریخ"
    assert text(date, "label", "en") == "Date of the conversation"
    assert text(listening, "title", "pl") == "Zapisz rozmowę 1:1"
    # A shared choice list carries its labels' translations; the name stays.
    area = listening.field("participant_area")
    fishermead = next(c for c in area.choices if c.name == "fishermead")
    assert text(fishermead, "label", "ur") == "فشرمیڈ (Fishermead)"
    # other_label's translations are the follow-up question's label.
    assert text(listening.field("participant_area_other"), "label", "pl") == "Jaka okolica?"


def test_a_missing_translation_falls_back_to_english(tmp_path):
    write_form(tmp_path, "  - {name: a, type: text, label: Your name, label::Polski (pl): Imię, hint: Optional}\n"
                         "  - {name: b, type: text, label: Your street}\n")
    form = load_forms(tmp_path)["f"]
    assert form.languages == ("pl",)
    assert text(form.field("a"), "label", "pl") == "Imię"
    assert text(form.field("a"), "hint", "pl") == "Optional"        # no Polish hint: the English one
    assert text(form.field("b"), "label", "pl") == "Your street"
    assert text(form.field("a"), "label", "pl_PL") == "Imię"        # a country variant finds its language
    assert text(form.field("a"), "label", "fr") == "Your name"


def test_the_apps_default_messages_come_from_the_catalogue(tmp_path):
    write_form(tmp_path, "  - {name: a, type: integer, label: A, label::Polski (pl): A, required: true}\n"
                         "  - {name: b, type: integer, label: B, label::Polski (pl): B, constraint: '. > 1',\n"
                         "     constraint_message: More than one, constraint_message::Polski (pl): Więcej niż jeden}\n")
    form = load_forms(tmp_path)["f"]
    outcome = validate(form, {"b": 1})
    assert message_text(form.field("a"), outcome.errors["a"], "pl") == "Podaj liczbę."  # says what to do, by type
    assert message_text(form.field("b"), outcome.errors["b"], "pl") == "Więcej niż jeden"
    outcome = validate(form, {"a": "lots", "b": 2})
    assert message_text(form.field("a"), outcome.errors["a"], "pl") == "Wpisz liczbę całkowitą."
    assert message_text(form.field("a"), outcome.errors["a"], "ur") == "براہِ کرم پورا عدد لکھیں۔"


def test_the_stored_row_does_not_depend_on_the_language(app_config):
    """Validation reads the English spec: choice names, never labels, are stored."""
    form = app_config.forms["listening"]
    row = validate(form, valid_listening() | {"impact_depth": "serious", "potential_leader": "yes",
                                              "leader_notes": "x"}, today=TODAY).row
    assert row["participant_area"] == "fishermead" and row["impact_depth"] == "serious"
    assert row["potential_leader"] == "yes"


@pytest.mark.parametrize("fields, problem", [
    ("  - {name: a, type: text, label: A, label::Polski (xx): B}\n",
     "field 'a': 'label::Polski (xx)': 'xx' is not a language code"),
    ("  - {name: a, type: text, label: A, label::Polski: B}\n",
     "field 'a': 'label::Polski': write the language as its name and code in brackets"),
    ("  - {name: a, type: text, label: A, labl::Polski (pl): B}\n",
     "field 'a': 'labl::Polski (pl)': 'labl' has no translations"),
    ("  - {name: a, type: text, label: A, name::Polski (pl): b}\n",
     "field 'a': 'name::Polski (pl)': 'name' has no translations"),
    ("  - {name: a, type: text, label: A, hint::Polski (pl): B}\n",
     "field 'a': 'hint::Polski (pl)' translates 'hint', which this does not have in English"),
    ("  - {name: a, type: text, label: A, constraint_message::Polski (pl): B}\n",
     "field 'a': 'constraint_message::Polski (pl)' translates 'constraint_message'"),
    ("  - {name: a, type: text, label: A, label::English (en): B}\n",
     "field 'a': 'label::English (en)': English is the plain 'label' key"),
    ("  - {name: a, type: text, label: A, label::Polski (pl): B, label::Polish (pl): C}\n",
     "field 'a': 'label::Polish (pl)': 'label' is translated into pl twice"),
    ("  - {name: a, type: text, label: A, label::Polski (pl): ''}\n",
     "field 'a': 'label::Polski (pl)' must be text"),
    ("  - {name: a, type: select_one, label: A, choices: [{name: x, label: X, label::Polski (p l): Y}]}\n",
     "field 'a': choice 'x': 'label::Polski (p l)'"),
])
def test_a_broken_translation_names_file_field_and_key(tmp_path, fields, problem):
    spec_is_refused(tmp_path, fields, problem)


def test_a_broken_translation_in_the_settings_or_a_shared_list_is_named(tmp_path):
    write_form(tmp_path, "  - {name: a, type: text, label: A}\n",
               "id: f\n  title: F\n  title::Polski (zz): G\n  tab: F\n  version: '1'")
    with pytest.raises(ConfigError, match=r"broken\.yaml: settings: 'title::Polski \(zz\)'"):
        load_forms(tmp_path)
    write_form(tmp_path, "  - {name: a, type: select_one, label: A, choices: areas}\n")
    (tmp_path / "choices.yaml").write_text("areas:\n  - {name: x, label: X, colour::Polski (pl): Y}\n",
                                           encoding="utf-8")
    with pytest.raises(ConfigError, match=r"choices\.yaml: list 'areas': choice 'x': 'colour::Polski \(pl\)'"):
        load_forms(tmp_path)


# ---- languages and catalogues ----------------------------------------------------------

def test_languages_are_read_by_babel():
    assert language_code("pt-BR") == "pt_BR" and language_code(" pl ") == "pl"
    with pytest.raises(ValueError, match="'klingon' is not a language code"):
        language_code("klingon")
    assert right_to_left("ur") and right_to_left("ar") and not right_to_left("pl")
    assert native_name("pl") == "Polski" and native_name("ur") == "اردو"
    assert best_language(["pl-PL"], ["en", "pl", "ur"]) == "pl"
    assert best_language([None, "ur-PK"], ["en", "pl", "ur"]) == "ur"
    assert best_language(["fr-FR"], ["en", "pl"]) is None


def test_the_catalogues_translate_the_apps_words_with_plurals():
    assert set(catalogue_languages()) >= {"pl", "ur"}
    polish = translations("pl")
    assert polish.gettext("Submit") == "Wyślij"
    assert polish.gettext("Record a 1:1") == "Zapisz rozmowę 1:1"
    one, many = ("There is a problem with one answer. Nothing has been saved yet.",
                 "There are problems with {count} answers. Nothing has been saved yet.")
    assert [polish.ngettext(one, many, n).format(count=n) for n in (1, 2, 5, 22)] == [
        "Jedna odpowiedź wymaga poprawy. Nic nie zostało jeszcze zapisane.",
        "2 odpowiedzi wymagają poprawy. Nic nie zostało jeszcze zapisane.",
        "5 odpowiedzi wymaga poprawy. Nic nie zostało jeszcze zapisane.",
        "22 odpowiedzi wymagają poprawy. Nic nie zostało jeszcze zapisane."]
    assert translations("ur").gettext("Submit") == "جمع کرائیں"
    assert translations("fr").gettext("Submit") == "Submit"  # no catalogue: English


def test_a_fuzzy_translation_is_not_shown(tmp_path):
    """A translator's unchecked guess (#, fuzzy) stays English until checked."""
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES, locales)
    path = locales / "pl" / "LC_MESSAGES" / "messages.po"
    catalogue = read_po(path.open("rb"))
    catalogue["Submit"].flags.add("fuzzy")
    with path.open("wb") as po:
        write_po(po, catalogue)
    assert translations("pl", locales).gettext("Submit") == "Submit"
    assert translations("pl", locales).gettext("Language") == "Język"


def test_the_committed_template_holds_every_message_the_code_marks():
    template = read_po((LOCALES / "messages.pot").open("rb"))
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id} == set(code_messages()), (
        "locales/messages.pot is out of date: run the pybabel extract and update commands in docs/TRANSLATING.md")


# ---- what is missing ------------------------------------------------------------------

def test_the_shipped_languages_are_complete(app_config):
    report = translation_gaps(app_config.forms, code_messages())
    assert set(report) >= {"pl", "ur"}
    assert report == {language: [] for language in report}, report_text(report, app_config.forms)


def copy_config(tmp_path: Path, app_config) -> Path:
    shutil.copytree(app_config.config_dir, tmp_path / "config")
    return tmp_path / "config"


def test_a_form_text_without_its_translation_is_reported(tmp_path, app_config):
    config = copy_config(tmp_path, app_config)
    path = config / "forms" / "listening.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.remove("    hint::Urdu (ur): ان کا تجربہ، جہاں ممکن ہو انہی کے الفاظ میں۔")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    choices = config / "choices.yaml"
    choices.write_text(choices.read_text(encoding="utf-8").replace(", label::Polski (pl): Zdrowie", ""),
                       encoding="utf-8")
    forms = load_forms(config)
    report = translation_gaps(forms, code_messages())
    assert [gap.line() for gap in report["ur"]] == [
        f"{path}: field 'what_they_said': hint: not translated: 'Their experience, in their words where you can.'"]
    assert [gap.where for gap in report["pl"]] == [f"{path}: field 'issue_categories': choice 'health'"]
    assert "pl (Polski, Polish; forms: attendance, cag_signup, listening): 1 missing" in report_text(report, forms)


def test_a_catalogue_message_untranslated_fuzzy_new_or_broken_is_reported(tmp_path, app_config):
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES, locales)
    path = locales / "pl" / "LC_MESSAGES" / "messages.po"
    catalogue = read_po(path.open("rb"))
    catalogue["Submit"].string = ""
    catalogue["Language"].flags.add("fuzzy")
    catalogue["the {tab} tab is empty"].string = "karta {karta} jest pusta"
    del catalogue["Events"]
    with path.open("wb") as po:
        write_po(po, catalogue)
    report = translation_gaps(app_config.forms, code_messages(), locales, languages=["pl", "fr"])
    problems = {gap.english: gap.problem for gap in report["pl"]}
    assert problems == {
        "Submit": "not translated",
        "Language": "marked fuzzy (check it, then remove the fuzzy flag)",
        "the {tab} tab is empty": "the translation uses {karta}, which the English does not have",
        "Events": "not in the catalogue yet (pybabel extract, then update)"}
    assert [gap.problem for gap in report["fr"]] == ["no catalogue (pybabel init, docs/TRANSLATING.md)"]


def run_cli(*args: str, cwd: Path = REPO, env: dict | None = None) -> subprocess.CompletedProcess:
    import os
    return subprocess.run([sys.executable, "-m", "organising", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def test_the_translations_command_exits_0_when_complete_and_1_when_something_is_missing(tmp_path, app_config):
    done = run_cli("translations")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "pl (Polski, Polish; forms: attendance, cag_signup, listening): complete" in done.stdout
    assert "ur (اردو, Urdu; forms: attendance, cag_signup, listening): complete" in done.stdout

    config = copy_config(tmp_path, app_config)
    path = config / "forms" / "attendance.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    label::Urdu (ur): تقریب\n", ""), encoding="utf-8")
    gaps = run_cli("translations", "--language", "ur-PK", env={"ORGANISING_CONFIG_DIR": str(config)})
    assert gaps.returncode == 1
    assert "ur (اردو, Urdu; forms: attendance, cag_signup, listening): 1 missing" in gaps.stdout
    assert "attendance.yaml: field 'event_id': label: not translated: 'Event'" in gaps.stdout
    assert "pl (" not in gaps.stdout

    wrong = run_cli("translations", "--language", "klingon")
    assert wrong.returncode == 2 and "'klingon' is not a language code" in wrong.stderr


def test_the_catalogue_benchmark_runs(capsys):
    import importlib.util
    spec = importlib.util.spec_from_file_location("catalogues", REPO / "benchmarks" / "catalogues.py")
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    assert benchmark.main(["--repeats", "1"]) == 0
    assert "| load the Polish catalogue (once per process) |" in capsys.readouterr().out
