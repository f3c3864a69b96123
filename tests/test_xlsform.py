"""XLSForm in and out: a form made in KoboToolbox's builder loads what it can
and lists the rest with its sheet row; every shipped form goes out as an
XLSForm pyxform (ODK's and Kobo's converter) accepts, and comes back the same."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import Workbook

from organising.forms.spec import Form, load_choice_lists, load_forms
from organising.forms.translations import text
from organising.tools.importer import WorkbookError
from organising.tools.xlsform import read_xlsform, safe_name, xlsform_bytes

REPO = Path(__file__).resolve().parent.parent

SURVEY = ["type", "$kuid", "$autoname", "name", "label::English (en)", "label::Polski (pl)", "hint::English (en)",
          "required", "relevant", "constraint", "constraint_message::English (en)", "appearance", "calculation",
          "default"]
# A household survey as KoboToolbox's builder exports it: its start and end
# metadata, $kuid and $autoname columns, a group, a repeat, a calculation, a
# map point, a photo and functions the app's expressions lack.
KOBO_SURVEY = [
    ["start", "aa1", "start", "start"],
    ["end", "aa2", "end", "end"],
    ["begin_group", "aa3", "household", "", "About your household", "O gospodarstwie domowym", "", "", "",
     "", "", "field-list"],
    ["text", "aa4", "Your_name", "", "Your name", "Imię i nazwisko", "As you like to be called", "true"],
    ["integer", "aa5", "How_many_people", "", "How many people live with you?", "Ile osób z Tobą mieszka?", "",
     "false", "", ". > 0 and . < 30", "Between 1 and 29"],
    ["select_one areas", "aa6", "Area", "", "Which area?", "Która okolica?", "", "true"],
    ["select_multiple issues or_other", "aa7", "Issues", "", "What issues?", "Jakie sprawy?", "", "true"],
    ["end_group", "aa8"],
    ["text", "aa9", "Details", "", "Tell us about the housing", "Opowiedz o mieszkaniu", "", "",
     "selected(${Issues}, 'housing')"],
    ["text", "ab1", "Contact_email", "", "Your e-mail", "Twój e-mail", "", "", "", "regex(., '^[^@ ]+@[^@ ]+$')",
     "An e-mail address, please"],
    ["text", "ab2", "Phone_number", "", "Your phone", "Twój telefon", "", "", "", "", "", "numbers"],
    ["geopoint", "ab3", "location", "", "Where are you?", "Gdzie jesteś?"],
    ["begin_repeat", "ab4", "children", "", "Children", "Dzieci"],
    ["text", "ab5", "child_name", "", "Child's name", "Imię dziecka"],
    ["integer", "ab6", "child_age", "", "Child's age", "Wiek dziecka"],
    ["end_repeat", "ab7"],
    ["calculate", "ab8", "total", "", "", "", "", "", "", "", "", "", "${How_many_people} * 2"],
    ["text", "ab9", "Summary", "", "Anything else?", "Coś jeszcze?", "", "true",
     "pulldata('lookup', 'known', 'name', ${Your_name}) = 'no'"],
    ["note", "ac1", "Thanks", "", "Thank you!", "Dziękujemy!"],
    ["image", "ac2", "photo", "", "A photo of the damp", "Zdjęcie wilgoci"],
    ["select_one yes_no", "ac3", "Consent", "", "May we contact you?", "Czy możemy się skontaktować?", "", "true"],
    ["text", "ac4", "Notes", "", "Notes", "Notatki", "", "", "", "", "", "multiline"],
    ["decimal", "ac5", "rent", "", "Weekly rent", "Czynsz tygodniowy", "", "", "", "round(., 2) = .",
     "Pounds and pence"],
    ["date", "ac6", "visit_date", "", "Date of the visit", "Data wizyty", "", "", "", ". <= today()", "", "", "",
     "today()"],
    ["select_one rating", "ac7", "rating", "", "How is your home?", "Jak oceniasz mieszkanie?", "", "",
     "${Consent} = 'yes'"],
    ["text", "ac8", "why_low", "", "Why so low?", "Dlaczego tak nisko?", "", "", "${rating} = '1'"],
    ["text", "ac9", "Elsewhere", "", "Where else?", "Gdzie jeszcze?", "", "", "${child_age} > 5"],
]
KOBO_CHOICES = [
    ["list_name", "name", "label::English (en)", "label::Polski (pl)", "$kuid", "$autovalue"],
    ["areas", "fishermead", "Fishermead", "Fishermead", "ba1", "fishermead"],
    ["areas", "bletchley", "Bletchley", "Bletchley", "ba2", "bletchley"],
    ["issues", "housing", "Housing", "Mieszkania", "ba3", "housing"],
    ["issues", "health", "Health", "Zdrowie", "ba4", "health"],
    ["yes_no", "yes", "Yes", "Tak", "ba5", "yes"],
    ["yes_no", "no", "No", "Nie", "ba6", "no"],
    ["rating", "1", "Poor", "Słabo", "ba7", "1"],
    ["rating", "2", "Fair", "Średnio", "ba8", "2"],
    ["rating", "3", "Good", "Dobrze", "ba9", "3"],
]
KOBO_SETTINGS = [["form_title", "version", "default_language", "style"],
                 ["Household survey", "vPX7Ksk3Tf", "English (en)", "pages"]]


def kobo_form(path: Path) -> Path:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(SURVEY)
    for row in KOBO_SURVEY:
        # Kobo writes the name it made ($autoname) into name too, except on the end of a group or repeat.
        survey.append(row[:3] + [row[2] if len(row) > 2 else ""] + row[4:])
    for title, rows in (("choices", KOBO_CHOICES), ("settings", KOBO_SETTINGS)):
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_the_kobo_fixture_is_a_real_xlsform(tmp_path):
    from pyxform.xls2xform import convert
    assert "Ile osób z Tobą mieszka?" in convert(xlsform=str(kobo_form(tmp_path / "household.xlsx")),
                                                 validate=False).xform


def test_a_kobo_form_loads_what_it_can_and_lists_the_rest_with_its_row(tmp_path, app_config):
    imported = read_xlsform(kobo_form(tmp_path / "household.xlsx"))
    not_carried = [finding.line() for finding in imported.not_carried]
    assert not_carried == [
        "survey row 2: start 'start': metadata the app records itself (submitted_at, submitted_by, form_version)",
        "survey row 3: end 'end': metadata the app records itself (submitted_at, submitted_by, form_version)",
        "survey row 13: geopoint 'location': a point on a map: the app has no location question",
        "survey row 14: repeat 'children': not carried over with its questions: a form writes one row per "
        "submission, and a repeat needs a row per answer (make it a form of its own)",
        "survey row 15: 'child_name' is inside the repeat 'children' (row 14), which is not carried over",
        "survey row 16: 'child_age' is inside the repeat 'children' (row 14), which is not carried over",
        "survey row 18: calculate 'total': a calculation: the app has no calculated answers",
        "survey row 19: 'Summary': relevant \"pulldata('lookup', 'known', 'name', ${Your_name}) = 'no'\" uses "
        "pulldata(), which the app's expressions lack",
        "survey row 21: image 'photo': a photo: the app keeps answers as text in a sheet",
        "survey row 24: 'rent': constraint 'round(., 2) = .' uses round(), which the app's expressions lack",
        "survey row 28: 'elsewhere': relevant '${child_age} > 5' refers to ${child_age}, which is not carried over",
        "settings row 2: style 'pages' has no use in the app: not carried over",
    ]
    changed = [finding.line() for finding in imported.changed]
    assert "survey row 4: group 'household' flattened: its questions follow in order, under a note with its label" \
        in changed
    assert "survey row 19: 'Summary' is asked always and not required, since its relevant is not carried over" \
        in changed
    assert "survey row 11: 'Contact_email': a text checked to be an e-mail address: an email question" in changed
    assert "survey row 5: 'Your_name' is named your_name in the app (lower-case letters, digits and _)" in changed

    # It loads as the app loads any form, beside the shipped ones.
    config = tmp_path / "config"
    shutil.copytree(app_config.config_dir, config)
    (config / "forms" / "household.yaml").write_text(imported.yaml_text("household.xlsx"), encoding="utf-8")
    form = load_forms(config)["household"]
    assert (form.title, form.tab, form.version, form.languages) == (
        "Household survey", "Household survey", "vPX7Ksk3Tf", ("pl",))
    kinds = {f.name: f.type for f in form.fields}
    assert kinds == {
        "household": "note", "your_name": "text", "how_many_people": "integer", "area": "select_one",
        "issues": "select_multiple", "issues_other": "text", "details": "text", "contact_email": "email",
        "phone_number": "phone", "summary": "text", "thanks": "note", "consent": "select_one", "notes": "long_text",
        "rent": "decimal", "visit_date": "date", "rating": "select_one", "why_low": "text", "elsewhere": "text"}
    assert form.field("your_name").required and text(form.field("your_name"), "label", "pl") == "Imię i nazwisko"
    assert form.field("how_many_people").constraint.source == ". > 0 and . < 30"
    assert form.field("how_many_people").constraint_message == "Between 1 and 29"
    assert form.field("details").relevant.source == "selected(${issues}, 'housing')"
    assert not form.field("summary").required and form.field("summary").relevant is None
    assert form.field("rent").constraint is None
    assert form.field("visit_date").default == "today()"  # a fresh form starts on the day it is filled in
    assert [c.name for c in form.field("rating").choices] == ["option_1", "option_2", "option_3"]
    assert form.field("why_low").relevant.source == "${rating} = 'option_1'"  # the renamed choice, renamed here too
    assert [text(c, "label", "pl") for c in form.field("area").choices] == ["Fishermead", "Bletchley"]
    assert form.field("issues").choices[-1].name == "other"
    assert form.field("elsewhere").relevant is None


def test_a_group_relevant_joins_each_question_s_and_quoted_text_is_text(tmp_path):
    path = tmp_path / "grouped.xlsx"
    book = Workbook()
    book.active.title = "survey"
    for row in (["type", "name", "label", "relevant", "constraint"],
                ["select_one yn", "adult", "Are you over 18?"],
                ["begin group", "work", "Work", "${adult} = 'yes'"],
                ["text", "job", "Your job", "${adult} != ''", "regex(., '^[a-z]+(/[a-z]+)?$')"],
                ["end group"]):
        book.active.append(row)
    book.create_sheet("choices").append(["list name", "name", "label"])
    book["choices"].append(["yn", "yes", "Yes"])
    book.save(path)
    fields = read_xlsform(path).spec["fields"]
    assert fields[1] == {"name": "work", "type": "note", "label": "Work", "relevant": "${adult} = 'yes'"}
    assert fields[2]["relevant"] == "(${adult} = 'yes') and (${adult} != '')"
    assert fields[2]["constraint"] == "regex(., '^[a-z]+(/[a-z]+)?$')"  # brackets and / in quotes are text


def test_a_workbook_that_is_not_an_xlsform_is_refused(tmp_path):
    book = Workbook()
    book.active.title = "Events"
    book.save(tmp_path / "sheet.xlsx")
    with pytest.raises(WorkbookError, match="has no survey sheet, so it is not an XLSForm"):
        read_xlsform(tmp_path / "sheet.xlsx")
    (tmp_path / "notes.xlsx").write_text("not a workbook", encoding="utf-8")
    with pytest.raises(WorkbookError, match="cannot read"):
        read_xlsform(tmp_path / "notes.xlsx")


def test_names_become_the_apps():
    assert [safe_name(n) for n in ("Q1", "first-name", "1", "Your_Name ", "")] == [
        "q1", "first_name", "option_1", "your_name", "option"]


# ---- out and back ------------------------------------------------------------------------

def comparable(form: Form) -> Form:
    """A form as loaded, without where it was loaded from, with the texts it
    can show: its choices' labels in the languages the form is written in
    (a shared list's others never show on it, and are not exported)."""
    def sort(item):
        return replace(item, translations=tuple(sorted(t for t in item.translations if t[1] in form.languages)))
    fields = tuple(sort(replace(f, choices=tuple(sort(c) for c in f.choices))) for f in form.fields)
    return replace(sort(form), fields=fields, path="", description=form.description.strip(),
                   success_message=form.success_message.strip())


def test_every_shipped_form_goes_out_as_an_xlsform_and_comes_back_the_same(tmp_path, app_config):
    from pyxform.xls2xform import convert
    lists = load_choice_lists(app_config.config_dir / "choices.yaml")
    config = tmp_path / "config"
    shutil.copytree(app_config.config_dir, config)
    for form in app_config.forms.values():
        content, _ = xlsform_bytes(form, lists)
        path = tmp_path / f"{form.id}.xlsx"
        path.write_bytes(content)
        xform = convert(xlsform=str(path), validate=False).xform  # KoboToolbox and ODK can take it
        if form.languages:
            assert 'lang="Polish (pl)"' in xform and 'lang="Urdu (ur)"' in xform
        imported = read_xlsform(path)
        assert imported.not_carried == [], imported.not_carried
        Path(form.path).name and (config / "forms" / Path(form.path).name).write_text(
            imported.yaml_text(path.name), encoding="utf-8")
    back = load_forms(config)
    for form_id, form in app_config.forms.items():
        assert comparable(back[form_id]) == comparable(form), form_id


def run_cli(*args: str, config: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **({"ORGANISING_CONFIG_DIR": str(config)} if config else {})}
    return subprocess.run([sys.executable, "-m", "organising", *args], cwd=REPO, capture_output=True, text=True,
                          env=env)


def test_forms_import_writes_the_spec_into_the_config_and_lists_what_it_left(tmp_path, app_config):
    config = tmp_path / "config"
    shutil.copytree(app_config.config_dir, config)
    source = kobo_form(tmp_path / "Household survey.xlsx")
    done = run_cli("forms", "import", str(source), config=config)
    assert done.returncode == 0, done.stderr
    written = config / "forms" / "household_survey.yaml"
    assert f"Wrote {written}: 15 questions, tab 'Household survey', also in Polski (pl)." in done.stdout
    assert "Not carried over (12):" in done.stdout
    assert "  survey row 13: geopoint 'location': a point on a map" in done.stdout
    assert written.read_text(encoding="utf-8").startswith("# Imported from Household survey.xlsx")
    assert "household_survey" in load_forms(config)

    again = run_cli("forms", "import", str(source), config=config)
    assert again.returncode == 1 and "already exists; nothing was written. Use --force" in again.stderr
    clash = run_cli("forms", "import", str(source), "--force", "--tab", "1:1s", config=config)
    assert clash.returncode == 1 and "The tab '1:1s' is already used by" in clash.stderr
    clash = run_cli("forms", "import", str(source), "--id", "listening", "--output", str(tmp_path / "l.yaml"),
                    config=config)
    assert clash.returncode == 1 and "The id 'listening' is already used by" in clash.stderr
    assert run_cli("forms", "import", str(source), "--force", config=config).returncode == 0
    missing = run_cli("forms", "import", str(tmp_path / "nope.xlsx"), config=config)
    assert missing.returncode == 2 and "No XLSForm at" in missing.stderr


def test_forms_export_writes_one_file_or_a_folder(tmp_path):
    one = run_cli("forms", "export", "cag_signup", "--output", str(tmp_path / "signup.xlsx"))
    assert one.returncode == 0, one.stderr
    assert (tmp_path / "signup.xlsx").is_file() and "in English, pl, ur" in one.stdout
    several = run_cli("forms", "export", "attendance", "events", "--output", str(tmp_path / "out"))
    assert several.returncode == 0, several.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["attendance.xlsx", "events.xlsx"]
    assert "attach Events.csv" in several.stdout
    wrong = run_cli("forms", "export", "attendance", "events", "--output", str(tmp_path / "both.xlsx"))
    assert wrong.returncode == 2 and "give --output a folder" in wrong.stderr
    unknown = run_cli("forms", "export", "census", "--output", str(tmp_path / "c.xlsx"))
    assert unknown.returncode == 2 and "No form 'census'" in unknown.stderr
