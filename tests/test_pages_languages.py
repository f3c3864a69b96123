"""The volunteer forms in another language, driven through Streamlit's AppTest:
the browser's language by default, a pick remembered for the session, the
same row stored whatever the language, Urdu laid out right to left."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_pages import REPO, VOLUNTEER, beside_questions, field, problems, rows, submit


@pytest.fixture
def browser(monkeypatch):
    """Set the language the browser asks for (st.context.locale)."""
    def set_locale(locale: str | None) -> None:
        monkeypatch.setattr("ui.language.browser_locale", lambda: locale)
    set_locale(None)
    return set_locale


def open_form(path: str, language: str | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / path), default_timeout=30)
    at.session_state["user"] = VOLUNTEER
    if language:
        at.session_state["language"] = language
    return at.run()


def picker(at: AppTest, form: str):
    return at.radio(key=f"form:{form}:language")


def test_a_form_opens_in_the_browsers_language(sqlite_store, browser):
    browser("pl-PL")
    at = open_form("pages/listening.py")
    assert not at.exception
    assert at.title[0].value == "Zapisz rozmowę 1:1"
    assert field(at, "listening", "conversation_date").label == "Data rozmowy *"
    assert picker(at, "listening").value == "pl"
    assert picker(at, "listening").options == ["English", "Polski", "اردو"]
    assert at.button(key="form:listening:submit").label == "Wyślij"
    browser("fr-FR")  # a language the form does not have: English
    assert open_form("pages/listening.py").title[0].value == "Record a 1:1 listening conversation"


def test_the_language_picked_is_remembered_for_the_session(sqlite_store, browser):
    browser("pl-PL")
    at = open_form("pages/listening.py")
    picker(at, "listening").set_value("en").run()
    assert at.title[0].value == "Record a 1:1 listening conversation"
    assert at.session_state["language"] == "en"
    # The next form in the same session opens in the language picked, not the browser's.
    signup = open_form("pages/cag_signup.py", language=at.session_state["language"])
    assert signup.title[0].value == "Join a Collaborative Action Group"
    assert open_form("pages/attendance.py", language="ur").title[0].value == "تقریب میں اپنی حاضری درج کریں"


def test_the_menu_follows_the_language(sqlite_store, browser):
    browser("pl")
    at = open_form("streamlit_app.py")
    titles = {Path(p["script_path"]).stem: p["page_name"] for p in at._registered_pages.values()}
    assert titles["listening"] == "Zapisz rozmowę 1:1" and titles["sign_in"] == "Strona główna"
    assert {p["url_pathname"] for p in at._registered_pages.values()} >= {"listening", "cag_signup"}


def test_changing_language_keeps_every_answer(sqlite_store, browser):
    at = open_form("pages/cag_signup.py")
    field(at, "cag_signup", "organisation").input("Olney Food Bank")
    field(at, "cag_signup", "area").select("fishermead")
    field(at, "cag_signup", "consent_to_contact").check()
    at.run()
    picker(at, "cag_signup").set_value("pl").run()
    assert field(at, "cag_signup", "organisation").label == "Nazwa organizacji lub grupy *"
    assert field(at, "cag_signup", "organisation").value == "Olney Food Bank"
    assert field(at, "cag_signup", "area").value == "fishermead"
    assert field(at, "cag_signup", "consent_to_contact").value is True


def fill_listening(at: AppTest) -> None:
    field(at, "listening", "conversation_date").set_value(dt.date(2026, 10, 3))
    field(at, "listening", "listener").input("Sam")
    field(at, "listening", "listener_institution").input("St Aidan's Church")
    field(at, "listening", "participant_area").select("fishermead")
    field(at, "listening", "issue_categories").select("housing").select("other")
    field(at, "listening", "what_they_said").input("Damp in every flat")
    field(at, "listening", "impact_depth").set_value("serious")
    field(at, "listening", "potential_leader").set_value("yes").run()
    field(at, "listening", "issue_categories_other").input("Bins")
    field(at, "listening", "leader_notes").input("Knows the block")


def test_a_polish_and_an_english_1_1_store_the_same_choice_names(sqlite_store, browser):
    answers = []
    for language, saved, other in (("pl", "Rozmowa jest zapisana", "Inne"),
                                   ("en", "Your conversation is recorded", "Other"),
                                   ("ur", "آپ کی گفتگو درج ہو گئی ہے", "دیگر")):
        at = open_form("pages/listening.py", language)
        assert field(at, "listening", "participant_area").options[-1] == other
        fill_listening(at)
        submit(at, "listening")
        assert not at.error, [e.value for e in at.error]
        assert saved in at.success[0].value
    # Only the consent's wording differs: each row keeps the wording its person read.
    wordings = []
    for row in rows(sqlite_store, "1:1s"):
        wordings.append(row["consent_follow_up_wording"])
        answers.append({k: v for k, v in row.items()
                        if k not in ("submission_id", "submitted_at", "consent_follow_up_wording")})
    assert len(answers) == 3 and answers[0] == answers[1] == answers[2]
    assert wordings[1] == "They agreed that the alliance may contact them again." and wordings[0].startswith("Ta osoba")
    assert (answers[0]["participant_area"], answers[0]["issue_categories"], answers[0]["impact_depth"],
            answers[0]["potential_leader"]) == ("fishermead", "housing, other", "serious", "yes")


def test_messages_show_in_the_language_read(sqlite_store, browser):
    at = open_form("pages/cag_signup.py", "pl")
    field(at, "cag_signup", "email").input("nie-email")
    submit(at, "cag_signup")
    assert "E-mail: wpisz adres e-mail, np. imie@example.org." in problems(at)
    assert "Osoba do kontaktu: wpisz odpowiedź." in problems(at)
    assert "6 odpowiedzi wymaga poprawy. Nic nie zostało jeszcze zapisane." in at.error[0].value
    assert beside_questions(at) == problems(at)
    picker(at, "cag_signup").set_value("ur").run()  # the same mistakes, now read in Urdu
    assert "ای میل: براہِ کرم ای میل ایڈریس لکھیں، جیسے name@example.org۔" in problems(at)
    assert rows(sqlite_store, "CAG sign-ups") == []


def test_urdu_is_laid_out_right_to_left_and_polish_is_not(sqlite_store, browser):
    def styles(at: AppTest) -> str:
        return " ".join(h.proto.body for h in at.get("html"))
    urdu = open_form("pages/listening.py", "ur")
    assert ".st-key-form-listening { direction: rtl;" in styles(urdu)
    assert "direction: rtl" not in styles(open_form("pages/listening.py", "pl"))


def test_a_form_in_english_only_has_no_picker(sqlite_store, browser):
    from tests.test_pages import COORDINATOR
    at = AppTest.from_file(str(REPO / "pages/events.py"), default_timeout=30)
    at.session_state["user"] = COORDINATOR
    at.session_state["language"] = "pl"
    at.run()
    assert not [r for r in at.radio if r.key == "form:events:language"]
    assert at.button(key="form:events:submit").label == "Submit"  # the page stays in one language
