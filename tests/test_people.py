"""Matching people across tabs: ids, names, merges, possible duplicates."""
import datetime as dt

from organising.config import load_config
from organising.counting.metrics import compute_report
from organising.counting.people import Person, People, is_pseudonym, person_key, possible_duplicates, read_merges
from organising.sheets import Tab
from organising.counting.targets import load_programmes

FORMS = load_config().forms
MERGES_TAB = FORMS["person_merge"].tab
MERGE_HEADER = ["keep_name", "keep_institution", "merge_name", "merge_institution", "reason", "submission_id"]


def merges(*rows) -> dict[str, Tab]:
    return {MERGES_TAB: Tab(MERGES_TAB, MERGE_HEADER, [list(r) for r in rows])}


def test_names_match_whatever_the_spacing_and_case_and_an_id_wins():
    assert person_key("  Amina  ADEYEMI", "St Aidan's\u00a0Church ", "x") == person_key("amina adeyemi",
                                                                                     "st aidan's church", "y")
    assert person_key("", "St Aidan's", "row7") == "id:row7"  # no name: only itself
    assert person_key("Amina", "", "x", person_id=" M-104 ") == person_key("A. Adeyemi", "Other", "y", "m-104")


def test_a_pseudonym_written_for_a_blanked_name_is_that_person_wherever_it_stands():
    assert is_pseudonym("anon-3f9a1c7b2e") and not is_pseudonym("Anon Adeyemi") and not is_pseudonym("anon-xyz")
    pid = person_key("", "St Aidan's", "row3", person_id="anon-3f9a1c7b2e")
    assert person_key(" ANON-3f9a1c7b2e ", "Hope Food Bank", "x") == pid  # in a list, the institution is beside it
    people = read_merges(merges(["anon-3f9a1c7b2e", "", "Amina Adeyemi", "St Aidan's", "kept together", "m1"]),
                         FORMS["person_merge"], [])
    assert people.key("Amina Adeyemi", "St Aidan's", "a") == people.key("", "", "b", "anon-3f9a1c7b2e")
    assert people.named("anon-3f9a1c7b2e", "", "c") == people.resolve(pid)


def test_a_recorded_merge_makes_two_spellings_one_person_and_chains_are_followed():
    problems = []
    people = read_merges(merges(["Amina Adeyemi", "St Aidan's Church", "A. Adeyemi", "St Aidan's Church", "phoned", "m1"],
                                [""] * 6,  # a blank row in the sheet
                                ["A. Adeyemi", "St Aidan's Church", "Amina Adeyemi", "St Aidans", "same", "m2"],
                                ["Amina Adeyemi", "St Aidans", "Amina Adeyemi", "St Aidan's Church", "undo?", "m3"]),
                         FORMS["person_merge"], problems)
    full = people.key("Amina Adeyemi", "St Aidan's Church", "a")
    assert people.key("A. Adeyemi", "st aidan's church", "b") == full
    assert people.key("amina adeyemi", "St Aidans", "c") == full  # through the chain
    assert people.key("Amina Adeyemi", "Hope Food Bank", "d") != full  # not merged: a different person
    assert problems == []  # the third row only repeats what is already merged


def test_a_merge_row_without_both_names_is_reported_with_its_sheet_row():
    problems = []
    people = read_merges(merges(["Amina Adeyemi", "", "", "", "?", "m1"]), FORMS["person_merge"], problems)
    assert [(p.tab, p.row, p.column, p.reason) for p in problems] == [
        (MERGES_TAB, 2, "merge_name", "a merge needs both names")]
    assert people.key("Amina Adeyemi", "", "a") == person_key("Amina Adeyemi", "", "a")


def test_possible_duplicates_are_offered_never_merged():
    people = [Person("1", "Amina Adeyemi", "St Aidan's Church"), Person("2", "A. Adeyemi", "St Aidan's Church"),
              Person("3", "Amina Adeyemi", "St. Aidans Church"), Person("4", "Ben Jones", "Hope Food Bank"),
              Person("5", "Ben Jones", "Masjid an-Nur"), Person("6", "Cara Lewis", ""),
              Person("7", "Cara Lewis", "Grace Community Church")]
    found = {(d.keep.key, d.merge.key, d.reason) for d in possible_duplicates(people)}
    assert found == {
        ("3", "2", "initials for the first name"),
        ("1", "2", "initials for the first name"),
        ("1", "3", "same name, institution spelled differently"),
        ("7", "6", "same name, institution not given on one"),
    }  # two Ben Joneses at different institutions are two people


def test_the_leaders_target_honours_merges(tmp_path):
    path = tmp_path / "targets.yaml"
    path.write_text("programmes:\n  - name: T\n    years: [2025-26]\n    metrics:\n"
                    "      - {id: leaders_identified, label: L, count: distinct_people,"
                    " event_types: [one_day_training], total: 60}\n", encoding="utf-8")
    programme = load_programmes(path)["T"]
    tabs = {"Events": Tab("Events", ["event_type", "title", "event_date", "submission_id"],
                          [["one_day_training", "One-day", "7/3/2026", "e1"]]),
            "Attendance": Tab("Attendance", ["event_id", "attendee_name", "institution", "submission_id"],
                              [["e1", "Amina Adeyemi", "St Aidan's Church", "a1"],
                               ["e1", "A. Adeyemi", "St Aidans", "a2"]])}

    def leaders(tabs):
        report = compute_report(programme, tabs, FORMS, dt.date(2026, 8, 1))
        return next(f.actual for f in report.figures if f.metric == "leaders_identified")

    assert leaders(tabs) == 2
    tabs.update(merges(["Amina Adeyemi", "St Aidan's Church", "A. Adeyemi", "St Aidans", "phoned", "m1"]))
    assert leaders(tabs) == 1


def test_people_remember_how_a_merged_person_was_written():
    people = People()
    people.merge(person_key("Amina Adeyemi", "X", ""), person_key("A Adeyemi", "X", ""))
    key = people.key("Amina Adeyemi", "X", "a")
    people.key("A Adeyemi", "X", "b")
    assert people.merged_names(key) == ["A Adeyemi (X)", "Amina Adeyemi (X)"]
    assert people.unique_by_name("a adeyemi") == key
