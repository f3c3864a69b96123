"""The 1:1 form in Polish and Urdu in a real browser against the real app:
the browser's language picks the form's, the row stored is the same as an
English one, and Urdu is laid out right to left."""
from __future__ import annotations

import datetime as dt

import pytest

from integrations.sqlite_store import SQLiteStore
from integrations.stores import SQLITE_FILE

from .browser import chromium_page, pick, require_chromium, running_app, wait_for_run_to_end

pytestmark = pytest.mark.browser

# The questions and answers a volunteer meets, as each language words them.
WORDS = {
    "en": {"date": "Date of the conversation *", "listener": "Your name (the listener) *",
           "institution": "Your institution *", "said": "What they said *", "area": "Where they live *",
           "issues": "What issues came up? *", "housing": "Housing", "health": "Health",
           "depth": "Serious: harms health, money or safety", "yes": "Yes", "why": "What makes you think so?",
           "submit": "Submit", "saved": "Your conversation is recorded"},
    "pl": {"date": "Data rozmowy *", "listener": "Twoje imię i nazwisko (osoba słuchająca) *",
           "institution": "Twoja instytucja *", "said": "Co ta osoba powiedziała *", "area": "Gdzie ta osoba mieszka *",
           "issues": "Jakie sprawy zostały poruszone? *", "housing": "Mieszkania", "health": "Zdrowie",
           "depth": "Poważny: szkodzi zdrowiu, finansom lub bezpieczeństwu", "yes": "Tak",
           "why": "Dlaczego tak uważasz?", "submit": "Wyślij", "saved": "Rozmowa jest zapisana"},
}


def record_a_1_1(page, words: dict[str, str], today: dt.date) -> None:
    page.get_by_role("spinbutton", name=f"day, {words['date']}").click()
    page.keyboard.type(today.strftime("%d%m%Y"))
    page.get_by_label(words["listener"]).fill("Sam Listener")
    page.get_by_label(words["institution"]).fill("St Aidan's Church")
    page.get_by_label(words["said"]).fill("Damp in every flat on our landing.")
    pick(page, words["area"], "Fishermead")
    pick(page, words["issues"], words["housing"], words["health"])
    page.get_by_text(words["depth"], exact=True).click()
    page.get_by_text(words["yes"], exact=True).click()
    page.get_by_label(words["why"]).fill("Knows everyone on the block")
    page.get_by_role("button", name=words["submit"]).click()
    page.get_by_text(words["saved"]).wait_for()
    wait_for_run_to_end(page)
    assert page.get_by_test_id("stException").count() == 0


def test_a_polish_1_1_lands_with_the_same_choice_names_as_an_english_one(tmp_path):
    require_chromium()
    data, today = tmp_path / "data", dt.date.today()
    with running_app({"ORGANISING_DATA_DIR": str(data)}, tmp_path / "app.log") as url:
        for locale, language in (("pl-PL", "pl"), ("en-GB", "en")):
            with chromium_page(width=390, height=844, locale=locale) as page:
                page.goto(f"{url}/listening")  # the browser's language chooses the form's
                record_a_1_1(page, WORDS[language], today)

    rows = [row for _, row in SQLiteStore(data / SQLITE_FILE).read_tabs(["1:1s"])["1:1s"].records()]
    # A consent's wording is stored as the person saw it (docs/PRIVACY.md): in Polish, for the Polish 1:1.
    wording = "consent_follow_up_wording"
    assert [row[wording] for row in rows] == [
        "Ta osoba zgodziła się, żeby sojusz ponownie się z nią skontaktował.",
        "They agreed that the alliance may contact them again."]
    polish, english = ({k: v for k, v in row.items() if k not in ("submission_id", "submitted_at", wording)}
                       for row in rows)
    assert polish == english
    assert (polish["participant_area"], polish["issue_categories"], polish["impact_depth"],
            polish["potential_leader"]) == ("fishermead", "housing, health", "serious", "yes")
    assert polish["conversation_date"] == today.isoformat()


def test_urdu_is_laid_out_right_to_left_and_a_pick_is_remembered(tmp_path):
    require_chromium()
    from playwright.sync_api import expect
    with running_app({"ORGANISING_DATA_DIR": str(tmp_path / "data")}, tmp_path / "app.log") as url, \
            chromium_page(width=1200, height=1000, locale="en-GB") as page:
        page.goto(url)
        page.get_by_role("link", name="Join a CAG").first.click()  # the menu, or Home's own link to it
        page.get_by_label("Organisation or group name *").fill("Olney Food Bank")
        page.get_by_text("اردو", exact=True).click()  # the picker shows each language in its own name
        organisation = page.get_by_label("تنظیم یا گروپ کا نام *")
        expect(organisation).to_have_value("Olney Food Bank")  # the answer survives the change
        wait_for_run_to_end(page)
        form = page.locator(".st-key-form-cag_signup")
        assert form.evaluate("e => getComputedStyle(e).direction") == "rtl"
        # Questions start at the right edge; what is typed keeps its own direction.
        box, question = form.bounding_box(), page.get_by_text("تنظیم یا گروپ کا نام *").bounding_box()
        assert abs((box["x"] + box["width"]) - (question["x"] + question["width"])) < 4
        email = page.get_by_label("ای میل *")
        email.fill("ann@example.org")
        assert email.evaluate("e => getComputedStyle(e).unicodeBidi") == "plaintext"
        email.press("Tab")  # the answer is sent; let that run end before leaving the page
        wait_for_run_to_end(page)

        # The next form opens in the language picked, not the browser's; so does the menu.
        page.get_by_role("link", name="1:1 گفتگو درج کریں").click()
        date = page.locator(".st-key-form-listening [data-testid=stDateInputField]")
        date.wait_for()
        assert date.evaluate("e => getComputedStyle(e).direction") == "ltr"  # dd/mm/yyyy reads as in English
        assert page.get_by_test_id("stException").count() == 0
