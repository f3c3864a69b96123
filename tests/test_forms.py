import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

from organising.forms.spec import ChoicesFromTab, ConfigError, load_choice_lists, load_forms, validate, visible_fields
from organising.sheets import META_COLUMNS, Tab

TODAY = dt.date(2026, 11, 22)


def valid_listening() -> dict:
    return {
        "conversation_date": dt.date(2026, 10, 3), "listener": "Sam Okafor", "listener_institution": "St Aidan's",
        "participant_area": "fishermead", "issue_categories": ["housing"], "what_they_said": "Damp flat.",
        "potential_leader": "no",
    }


def test_shipped_forms_load_with_their_tabs(app_config):
    tabs = {f.id: f.tab for f in app_config.forms.values()}
    assert tabs.items() >= {"cag_signup": "CAG sign-ups", "listening": "1:1s", "events": "Events",
                            "attendance": "Attendance"}.items()
    assert len(set(tabs.values())) == len(tabs)  # each form writes its own tab
    for form in app_config.forms.values():
        assert form.columns[-len(META_COLUMNS):] == list(META_COLUMNS)


def test_listening_form_has_the_issue_categories_and_other(app_config):
    field = app_config.forms["listening"].field("issue_categories")
    assert [c.label for c in field.choices] == [
        "Physical environment", "Anti-social behaviour", "Community pride", "Housing", "Wages and work",
        "Health", "Transport and cycling", "Immigration", "Other"]
    assert app_config.forms["listening"].field("issue_categories_other").other_of == "issue_categories"


def test_personal_columns_are_the_fields_marked_personal_their_other_answer_and_who_submitted(tmp_path):
    write_form(tmp_path, "  - {name: who, type: text, label: Who, personal: true}\n"
                         "  - {name: place, type: select_one, label: Where, choices: [a, b], other: true, personal: true}\n"
                         "  - {name: count, type: integer, label: How many}\n")
    assert load_forms(tmp_path)["f"].personal_columns == ("who", "place", "place_other", "submitted_by")


def test_the_shipped_forms_mark_names_contacts_and_stories_personal(app_config):
    assert {"participant_name", "contact", "what_they_said", "leader_notes"} <= set(
        app_config.forms["listening"].personal_columns)
    assert {"contact_name", "email", "phone"} <= set(app_config.forms["cag_signup"].personal_columns)
    assert "organisation" not in app_config.forms["cag_signup"].personal_columns


def test_valid_answers_become_cell_text(app_config):
    form = app_config.forms["listening"]
    answers = valid_listening() | {"issue_categories": ["immigration", "housing"], "people_affected": 40.0,
                                   "consent_follow_up": True, "contact": "+44 7700 900123"}
    outcome = validate(form, answers, today=TODAY)
    assert outcome.ok, outcome.errors
    assert outcome.row["conversation_date"] == "2026-10-03"
    assert outcome.row["issue_categories"] == "housing, immigration"  # choice order, whatever the click order
    assert outcome.row["people_affected"] == "40"
    assert outcome.row["consent_follow_up"] == "yes"
    assert outcome.row["contact"] == "+44 7700 900123"


@pytest.mark.parametrize("change, field, message", [
    ({"listener": "  "}, "listener", "Please write an answer."),
    ({"conversation_date": dt.date(2026, 11, 23)}, "conversation_date", "cannot be in the future"),
    ({"people_affected": 0}, "people_affected", "between 1 and 1,000,000"),
    ({"people_affected": 2.5}, "people_affected", "whole number"),
    ({"issue_categories": ["other"]}, "issue_categories_other", "You chose Other"),
    ({"issue_categories": ["not_a_choice"]}, "issue_categories", "choose from the options"),
    ({"participant_area": "atlantis"}, "participant_area", "one of the options"),
    ({"consent_follow_up": True}, "contact", "Please write an answer."),
    ({"what_they_said": "x" * 50_001}, "what_they_said", "at most 50,000"),
])
def test_invalid_answers_get_a_message_on_their_field(app_config, change, field, message):
    outcome = validate(app_config.forms["listening"], valid_listening() | change, today=TODAY)
    assert message in outcome.errors[field]
    assert list(outcome.errors) == [field]


def test_cell_limit_is_exactly_fifty_thousand(app_config):
    outcome = validate(app_config.forms["listening"], valid_listening() | {"what_they_said": "x" * 50_000}, today=TODAY)
    assert outcome.ok


@pytest.mark.parametrize("email, ok", [("ann@example.org", True), (" ann@example.org ", True),
                                       ("ann@", False), ("ann example.org", False)])
def test_email_is_checked(app_config, email, ok):
    answers = {"organisation": "Group", "contact_name": "Ann", "email": email, "area": "olney",
               "what_we_do": "Food", "consent_to_contact": True}
    outcome = validate(app_config.forms["cag_signup"], answers)
    assert outcome.ok is ok
    if not ok:
        assert "email address" in outcome.errors["email"]


@pytest.mark.parametrize("phone, ok", [("+44 7700 900123", True), ("01908 123456", True),
                                       ("call me", False), ("123", False)])
def test_phone_is_checked(app_config, phone, ok):
    answers = {"organisation": "Group", "contact_name": "Ann", "email": "a@b.org", "phone": phone, "area": "olney",
               "what_we_do": "Food", "consent_to_contact": True}
    assert validate(app_config.forms["cag_signup"], answers).ok is ok


def test_consent_must_be_ticked_where_required(app_config):
    answers = {"organisation": "Group", "contact_name": "Ann", "email": "a@b.org", "area": "olney",
               "what_we_do": "Food", "consent_to_contact": False}
    assert validate(app_config.forms["cag_signup"], answers).errors == {"consent_to_contact": "Please tick to confirm."}


@pytest.mark.parametrize("invisible", ["\u200b", "\x00", "\ufeff", "\u2060\u00a0 \t", "\u3000"])
def test_an_answer_of_invisible_characters_is_no_answer(app_config, invisible):
    form = app_config.forms["listening"]
    outcome = validate(form, valid_listening() | {"listener": invisible, "ideas": invisible}, today=TODAY)
    assert outcome.errors == {"listener": form.field("listener").required_message}
    assert outcome.row["ideas"] == ""  # an optional one is stored blank, not as an invisible cell


def test_an_invisible_character_around_an_email_or_number_is_not_a_mistake(app_config):
    signup = app_config.forms["cag_signup"]
    email = validate(signup, {"email": "\u200bann@example.org\ufeff"}, today=TODAY)
    assert "email" not in email.errors and email.row["email"] == "ann@example.org"
    listening = validate(app_config.forms["listening"], valid_listening() | {"people_affected": "40\u200b"},
                         today=TODAY)
    assert listening.ok and listening.row["people_affected"] == "40"
    typed = validate(app_config.forms["listening"], valid_listening() | {"listener": "Sam\u200b"}, today=TODAY)
    assert typed.row["listener"] == "Sam\u200b"  # text is stored exactly as typed


def test_hidden_questions_are_stored_blank_even_if_typed_before(app_config):
    form = app_config.forms["listening"]
    answers = valid_listening() | {"leader_notes": "typed, then they changed to no", "contact": "07700 900123"}
    outcome = validate(form, answers, today=TODAY)
    assert outcome.ok
    assert outcome.row["leader_notes"] == "" and outcome.row["contact"] == ""


def test_relevant_questions_show_only_when_their_condition_holds(app_config):
    form = app_config.forms["listening"]
    names = lambda answers: {f.name for f in visible_fields(form, answers)}
    assert "leader_notes" not in names({"potential_leader": "no"})
    assert "leader_notes" in names({"potential_leader": "yes"})
    assert "contact" not in names({"consent_follow_up": "no"})
    assert "contact" in names({"consent_follow_up": "yes"})
    assert "participant_area_other" in names({"participant_area": "other"})


def test_event_choices_come_from_the_events_tab(app_config):
    from organising.forms.spec import choices_from_tab
    form = app_config.forms["attendance"]
    events = Tab("Events", ["title", "event_date", "submission_id"],
                 [["Issues Workshop", "2026-11-08", "ev1"], [], ["Hand-typed, no id", "2026-11-09", ""]])
    choices = choices_from_tab(form.field("event_id").choices_from, events)
    assert [(c.name, c.label) for c in choices] == [("ev1", "Issues Workshop (2026-11-08)")]
    outcome = validate(form, {"event_id": "ev1", "attendee_name": "Ann", "role": "guest"},
                       dynamic_choices={"event_id": choices})
    assert outcome.row["event"] == "Issues Workshop (2026-11-08)"


EVENT_HEADER = ["event_type", "title", "event_date", "submission_id"]


def offered(app_config, form_id: str, field: str, tab: Tab) -> list[str]:
    from organising.forms.spec import choices_from_tab
    return [c.name for c in choices_from_tab(app_config.forms[form_id].field(field).choices_from, tab, TODAY)]


def test_a_campaign_is_approved_only_at_a_delegates_assembly_however_the_type_was_typed(app_config):
    events = Tab("Events", EVENT_HEADER, [
        ["delegates_assembly", "Delegates Assembly", "2026-02-10", "da"],
        ["  Delegates Assembly ", "Typed by hand", "10/02/2025", "typed"],
        ["DELEGATES_ASSEMBLY", "Shouting", "2024-02-10", "caps"],
        ["delegates-assembly", "Hyphens", "2023-02-10", "hyphens"],
        ["one_day_training", "One-day training", "2026-03-01", "training"],
        ["Delegates Assembly and training", "Two in one", "2026-03-02", "both"],
        ["", "No type", "2026-03-03", "blank"],
    ])
    assert offered(app_config, "campaigns", "approved_at_id", events) == ["hyphens", "caps", "typed", "da"]


def test_a_hand_made_events_tab_is_filtered_by_its_own_header_names(app_config):
    events = Tab("Events", ["Type", "Event", "Date", "Submission ID"], [
        ["Accountability Assembly", "Accountability Assembly 2026", "18/04/2026", "aa"],
        ["Issues Workshop", "Issues Workshop 2025", "8 Nov 2025", "iw"],
    ])
    assert offered(app_config, "pledges", "event_id", events) == ["aa"]


def test_an_evaluation_offers_only_events_already_held(app_config):
    events = Tab("Events", EVENT_HEADER, [
        ["action", "Held today", TODAY.isoformat(), "today"],
        ["action", "Held last week, typed by hand", " 15/11/2026 ", "typed"],
        ["action", "Next week", "2026-11-29", "future"],
        ["action", "Date not readable", "sometime in spring", "messy"],
        ["action", "No date", "", "undated"],
    ])
    assert offered(app_config, "evaluation", "event_id", events) == ["typed", "today"]


def test_a_row_the_filter_leaves_out_is_refused_on_submit(app_config):
    from organising.forms.spec import choices_from_tab
    form = app_config.forms["campaigns"]
    events = Tab("Events", EVENT_HEADER, [["delegates_assembly", "Delegates Assembly", "2026-02-10", "da"],
                                          ["one_day_training", "One-day training", "2026-03-01", "training"]])
    choices = {"approved_at_id": choices_from_tab(form.field("approved_at_id").choices_from, events, TODAY)}
    answers = {"title": "Light the redway", "issue": "housing", "specific": "s", "measurable": "m",
               "achievable": "a", "relevant": "r", "time_bound": dt.date(2027, 3, 31), "status": "active"}
    refused = validate(form, answers | {"approved_at_id": "training"}, dynamic_choices=choices, today=TODAY)
    assert refused.errors == {"approved_at_id": "Please choose one of the options."}
    accepted = validate(form, answers | {"approved_at_id": "da"}, dynamic_choices=choices, today=TODAY)
    assert accepted.ok and accepted.row["approved_at"] == "Delegates Assembly (2026-02-10)"


# ---- broken specs stop start-up with a message naming file, field and problem ----

GOOD_FIELD = "  - {name: ok, type: text, label: OK}\n"


def write_form(folder: Path, fields: str, settings: str = "id: f\n  title: F\n  tab: F\n  version: '1'") -> Path:
    (folder / "forms").mkdir(parents=True, exist_ok=True)
    path = folder / "forms" / "broken.yaml"
    path.write_text(f"settings:\n  {settings}\nfields:\n{fields}", encoding="utf-8")
    return path


@pytest.mark.parametrize("fields, problem", [
    ("  - {name: colour, type: colour_picker, label: C}\n", "field 'colour': unknown type 'colour_picker'"),
    ("  - {name: a, type: text}\n", "field 'a': 'label' is missing"),
    ("  - {name: a, type: text, label: A, requird: true}\n", "field 'a': unknown key(s) requird"),
    ("  - {name: Bad Name, type: text, label: A}\n", "'name' must be lower-case"),
    ("  - {name: a, type: select_one, label: A}\n", "field 'a': a select needs either 'choices'"),
    ("  - {name: a, type: select_one, label: A, choices: nope}\n", "field 'a': choice list 'nope' is not defined"),
    ("  - {name: a, type: text, label: A, relevant: \"${b} = 'x'\"}\n",
     "field 'a': relevant refers to ${b}, which is not a field of this form"),
    ("  - {name: a, type: integer, label: A, constraint: \". >=\"}\n", "field 'a': constraint:"),
    ("  - {name: a, type: text, label: A, required: maybe}\n", "field 'a': 'required' must be true or false"),
    (GOOD_FIELD + GOOD_FIELD, "field 'ok': the name is used twice"),
    ("  - {name: submission_id, type: text, label: A}\n", "field 'submission_id': the name is reserved"),
    ("  - {name: a, type: text, label: A, other: true}\n", "field 'a': 'other' only applies to select"),
    ("  - {name: a, type: text, label: A, personal: 1}\n", "field 'a': 'personal' must be true or false"),
    ("  - {name: a, type: note, label: A, personal: true}\n", "field 'a': a note stores nothing"),
])
def test_broken_spec_names_file_field_and_problem(tmp_path, fields, problem):
    path = write_form(tmp_path, fields)
    with pytest.raises(ConfigError) as caught:
        load_forms(tmp_path)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)


SOURCE_FORM = """settings: {id: meetings, title: M, tab: Meetings, version: '1'}
fields:
  - {name: kind, type: select_one, label: K, choices: [assembly, training]}
  - {name: held_on, type: date, label: H}
  - {name: title, type: text, label: T}
"""


def filtered_select(source: str) -> str:
    return f"  - {{name: a, type: select_one, label: A, choices_from: {{{source}}}}}\n"


@pytest.mark.parametrize("source, problem", [
    ("tab: Meetings, value: submission_id, label: '{title}', whre: {kind: [assembly]}",
     "field 'a': choices_from: unknown key(s) whre"),
    ("tab: Meetings, value: submission_id, label: '{title}', where: {colour: [red]}",
     "field 'a': choices_from: where 'colour' is not a field of the Meetings tab's form"),
    ("tab: Meetings, value: submission_id, label: '{title}', where: {kind: [asembly]}",
     "field 'a': choices_from: where 'kind': 'asembly' is not a choice of kind"),
    ("tab: Meetings, value: submission_id, label: '{title}', where: [kind]",
     "field 'a': choices_from: 'where' maps a column to the values to offer"),
    ("tab: Meetings, value: submission_id, label: '{title}', where: {title: yes}",
     "field 'a': choices_from: where 'title' needs a value or a list of values"),
    ("tab: Meetings, value: submission_id, label: '{title}', on_or_before_today: kind",
     "field 'a': choices_from: on_or_before_today 'kind' is not a date field"),
    ("tab: Meetings, value: submission_id, label: '{title}', on_or_before_today: held",
     "field 'a': choices_from: on_or_before_today 'held' is not a field of the Meetings tab's form"),
    ("tab: Meeting, value: submission_id, label: '{title}', where: {kind: [assembly]}",
     "field 'a': choices_from: no form writes the 'Meeting' tab"),
])
def test_a_broken_choices_from_filter_names_file_field_and_problem(tmp_path, source, problem):
    path = write_form(tmp_path, filtered_select(source))
    (tmp_path / "forms" / "meetings.yaml").write_text(SOURCE_FORM, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_forms(tmp_path)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)


def test_a_filter_may_name_a_choice_a_field_and_a_date(tmp_path):
    write_form(tmp_path, filtered_select(
        "tab: Meetings, value: submission_id, label: '{title}', where: {kind: assembly}, on_or_before_today: held_on"))
    (tmp_path / "forms" / "meetings.yaml").write_text(SOURCE_FORM, encoding="utf-8")
    source = load_forms(tmp_path)["f"].field("a").choices_from
    assert source.describe() == "kind is assembly; held_on is today or earlier"


@pytest.mark.parametrize("settings, problem", [
    ("id: f\n  title: F\n  version: '1'", "settings: 'tab' is missing"),
    ("id: f\n  title: F\n  tab: F\n  version: '1'\n  colour: red", "settings: unknown key(s) colour"),
])
def test_broken_settings_are_named(tmp_path, settings, problem):
    write_form(tmp_path, GOOD_FIELD, settings)
    with pytest.raises(ConfigError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        load_forms(tmp_path)


def test_invalid_yaml_names_the_file(tmp_path):
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "x.yaml").write_text("fields: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"x\.yaml: is not valid YAML"):
        load_forms(tmp_path)


def test_shared_choice_lists_are_checked(tmp_path):
    (tmp_path / "choices.yaml").write_text("areas:\n  - {name: a}\n  - {name: a}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="list 'areas': choice names repeated: a"):
        load_choice_lists(tmp_path / "choices.yaml")


def test_a_choice_may_have_aliases_and_each_way_of_typing_belongs_to_one_choice(tmp_path):
    path = tmp_path / "choices.yaml"
    path.write_text("answers:\n  - {name: 'yes', label: 'Yes', aliases: ['y', '✓']}\n  - {name: 'no'}\n",
                    encoding="utf-8")
    assert load_choice_lists(path)["answers"][0].aliases == ("y", "✓")
    path.write_text("answers:\n  - {name: 'yes', aliases: ['Y']}\n  - {name: 'no', aliases: ['y.']}\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="choice 'no': 'y.' is typed the same as choice 'yes'"):
        load_choice_lists(path)
    path.write_text("answers:\n  - {name: 'yes', aliases: [yes]}\n", encoding="utf-8")  # YAML reads yes as true
    with pytest.raises(ConfigError, match="put yes, no, true, false, on and off in quotes"):
        load_choice_lists(path)
    path.write_text("answers:\n  - {name: 'yes', label: 'Yes', alias: 'y'}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="each choice is a name, or name, label and aliases"):
        load_choice_lists(path)


def test_a_filter_reads_the_column_as_its_choices_by_name_label_or_alias(app_config):
    events = Tab("Events", EVENT_HEADER, [
        ["One-Day Community Leadership Training", "By an alias", "2026-03-01", "alias"],
        ["One-day leadership training", "By its label", "2026-03-02", "label"],
        ["accountability_assembly", "Not a training", "2026-03-03", "other"],
    ])
    form = app_config.forms["attendance"]
    trainings = ChoicesFromTab("Events", "submission_id", "{title}", (("event_type", tuple(
        c for c in app_config.forms["events"].field("event_type").choices if c.name == "one_day_training")),),
        readers=(("event_type", app_config.forms["events"].field("event_type").reader),))
    from organising.forms.spec import choices_from_tab
    assert [c.name for c in choices_from_tab(trainings, events, TODAY)] == ["label", "alias"]
    assert form.field("event_id").choices_from.dates == app_config.dates  # the alliance's own date reader


def test_a_question_added_in_yaml_is_a_new_column(tmp_path, app_config):
    shutil.copytree(app_config.config_dir, tmp_path / "config")
    path = tmp_path / "config" / "forms" / "cag_signup.yaml"
    path.write_text(path.read_text(encoding="utf-8") + textwrap.indent(textwrap.dedent("""\
        - name: volunteers
          type: integer
          label: How many volunteers do you have?
          constraint: ". >= 0"
        """), "  "), encoding="utf-8")
    form = load_forms(tmp_path / "config")["cag_signup"]
    # After the last question (and the consent's wording, stored beside it).
    assert form.columns.index("volunteers") == form.columns.index("consent_to_contact_wording") + 1
    assert validate(form, {"volunteers": -1}).errors["volunteers"] == "This answer is not allowed."


def test_a_consent_stores_the_wording_the_person_saw_so_a_new_wording_never_rewrites_it(tmp_path, app_config):
    form = app_config.forms["listening"]
    asked = {"conversation_date": "2026-11-20", "listener": "Ann", "listener_institution": "St Aidan's",
             "participant_area": "fishermead", "issue_categories": ["housing"], "what_they_said": "Damp",
             "potential_leader": "no", "consent_follow_up": True, "contact": "07700 900123"}
    before = validate(form, asked).row
    assert before["consent_follow_up"] == "yes"
    assert before["consent_follow_up_wording"] == "They agreed that the alliance may contact them again."
    # The alliance rewords the question: new answers carry the new wording, stored rows keep theirs.
    shutil.copytree(app_config.config_dir, tmp_path / "config")
    path = tmp_path / "config" / "forms" / "listening.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "They agreed that the alliance may contact them again.",
        "They agreed that the alliance may phone or e-mail them about its work for up to two years."),
        encoding="utf-8")
    reworded = load_forms(tmp_path / "config")["listening"]
    assert validate(reworded, asked).row["consent_follow_up_wording"].startswith("They agreed that the alliance "
                                                                                 "may phone or e-mail")
    declined = validate(reworded, {**asked, "consent_follow_up": False, "contact": ""}).row
    assert declined["consent_follow_up"] == "no" and declined["consent_follow_up_wording"].startswith("They agreed")
    assert "consent_follow_up_wording" in form.columns and "consent_follow_up_wording" not in form.personal_columns
    # Asked in Polish, the wording stored is the Polish the person read; the answer itself is the same.
    in_polish = validate(form, asked, language="pl").row
    assert in_polish["consent_follow_up_wording"] == "Ta osoba zgodziła się, żeby sojusz ponownie się z nią skontaktował."
    assert in_polish["consent_follow_up"] == "yes"


@pytest.mark.parametrize("about, problem", [
    ("    about: listener\n", "'about' names the personal field.*needs personal: true"),
    ("    personal: true\n    about: listener_institution\n", "about: 'listener_institution' is not a personal "
                                                               "field naming a person"),
    ("    personal: true\n    about: what_they_said\n", "about: 'what_they_said' is not a personal field"),
])
def test_about_must_name_a_personal_field_of_the_form(tmp_path, app_config, about, problem):
    shutil.copytree(app_config.config_dir, tmp_path / "config")
    path = tmp_path / "config" / "forms" / "listening.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - name: ideas\n", "  - name: ideas\n" + about), encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        load_forms(tmp_path / "config")
