"""A volunteer's journeys through the 1:1 form, driven in Chromium and
counted as a person would feel them: each tap, each field typed into, and
each scroll needed to bring the next thing on screen.

The phone journey records a complete 1:1 (every required question, two
issues, a potential leader flagged) at 390×844 with a touch screen. It
answers whatever the form asks in whatever widget it uses (a drop-down, radio
buttons or pills), and leaves alone what the form already holds (today's
date, the volunteer's own name), so the same script measures the form as it
is on any branch. Used by the browser suite (tests/test_browser_phone.py) and
by benchmarks/phone_journey.py.
"""
from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field

from .browser import wait_for_run_to_end

PHONE = {"width": 390, "height": 844}
LISTENER, INSTITUTION = "Sam Listener", "St Aidan's Church"
SAVED = "Your conversation is recorded"


@dataclass
class Journey:
    """What one journey took."""
    page: object = field(repr=False)
    taps: int = 0
    typed: int = 0
    scrolls: int = 0
    seconds: float = 0.0
    confirmation_in_view: bool = False

    @property
    def interactions(self) -> int:
        return self.taps + self.typed + self.scrolls

    def in_view(self, locator) -> bool:
        box = locator.bounding_box()
        height = self.page.viewport_size["height"]
        return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], height) <= height

    def reach(self, locator) -> None:
        """Scroll it on screen first, if it is not (one swipe)."""
        if not self.in_view(locator):
            locator.scroll_into_view_if_needed()
            self.scrolls += 1

    def tap(self, locator) -> None:
        self.reach(locator)
        locator.tap()
        self.taps += 1

    def type(self, locator, text: str) -> None:
        self.tap(locator)
        locator.fill(text)
        self.typed += 1

    def question(self, label: str):
        """The element holding the question labelled `label` (its widget inside)."""
        return self.page.get_by_test_id("stElementContainer").filter(
            has=self.page.get_by_text(label, exact=True)).last

    def choose(self, label: str, options: list[str]) -> None:
        """Pick `options` for the question `label`, in whatever widget asks it."""
        where = self.question(label)
        dropdown = where.get_by_role("combobox")
        if dropdown.count():
            self.tap(dropdown)
            for option in options:
                self.tap(self.page.get_by_role("option", name=option, exact=True))
            if len(options) > 1 or where.get_by_role("option").count():
                self.tap(self.page.locator("h1").first)  # a multi-select stays open after a pick
        else:
            for option in options:
                self.tap(where.get_by_text(option, exact=True))
        wait_for_run_to_end(self.page)


def record_a_1_1(page, what_they_said: str = "Damp in every flat on our landing.") -> Journey:
    """Record a complete 1:1 on the form on screen; return what it took.
    Starts once the form is shown, ends when the confirmation is."""
    page.get_by_role("button", name="Submit").wait_for()
    wait_for_run_to_end(page)
    journey = Journey(page)
    started = time.monotonic()
    day = page.get_by_role("spinbutton", name=re.compile(r"^day, Date of the conversation"))
    if day.get_attribute("aria-valuenow") is None:  # no date given yet: type today's
        journey.tap(day)
        page.keyboard.type(dt.date.today().strftime("%d%m%Y"))
        journey.typed += 1
    for label, answer in (("Your name (the listener) *", LISTENER), ("Your institution *", INSTITUTION)):
        box = page.get_by_label(label)
        journey.reach(box)
        if box.input_value() != answer:
            journey.type(box, answer)
    journey.choose("Where they live *", ["Fishermead"])
    journey.choose("What issues came up? *", ["Housing", "Health"])
    journey.type(page.get_by_label("What they said *"), what_they_said)
    journey.choose("Could this person be a leader? *", ["Yes"])
    journey.tap(page.get_by_role("button", name="Submit"))
    saved = page.get_by_text(SAVED)
    saved.wait_for()
    wait_for_run_to_end(page)
    journey.seconds = time.monotonic() - started
    journey.confirmation_in_view = journey.in_view(saved)
    return journey


def start_the_next(page, journey: Journey | None = None) -> None:
    """After a 1:1 is saved, get a fresh form: one tap where the app offers
    it, else (the form shown again below the message) nothing."""
    button = page.get_by_role("button", name="Record another 1:1")
    if button.count():
        (journey.tap if journey else lambda b: b.tap())(button)
    page.get_by_role("button", name="Submit").wait_for()
    wait_for_run_to_end(page)
