"""A volunteer's journeys through the 1:1 form, driven in Chromium and
counted as a person would feel them: each tap, each field typed into, and
each scroll needed to bring the next thing on screen.

The phone journey records a complete 1:1 (every required question, two
issues, a potential leader flagged) at 390×844 with a touch screen. It
answers whatever the form asks in whatever widget it uses (a drop-down, radio
buttons or pills), and leaves alone what the form already holds (today's
date, the volunteer's own name), so the same script measures the form as it
is on any branch. Used by the browser suite (tests/test_browser_accessibility.py) and
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


# -- the keyboard alone -----------------------------------------------------------

_FOCUS_WITHIN = "e => e === document.activeElement || e.contains(document.activeElement)"


def tab_to(page, target, limit: int = 80) -> int:
    """Press Tab until the keyboard's focus is on (or inside) `target`, as a
    person would; return how many presses it took."""
    for presses in range(limit):
        if target.evaluate(_FOCUS_WITHIN):
            return presses
        page.keyboard.press("Tab")
    raise AssertionError(f"{limit} presses of Tab never reached {target}")


def has_focus(locator) -> bool:
    return locator.evaluate(_FOCUS_WITHIN)


def key_choose(page, label: str, options: list[str]) -> None:
    """Pick `options` for the question `label` with the keyboard, in
    whatever widget asks it: type and Enter in a drop-down, arrows to a pill
    and Space, Space then arrows in a group of radio buttons."""
    where = page.get_by_test_id("stElementContainer").filter(has=page.get_by_text(label, exact=True)).last
    dropdown = where.get_by_role("combobox")
    if dropdown.count():
        tab_to(page, dropdown)
        for option in options:
            page.keyboard.type(option)
            page.keyboard.press("Enter")
            wait_for_run_to_end(page)
    elif where.get_by_role("radiogroup").count():
        (option,) = options
        tab_to(page, where.get_by_role("radiogroup"))
        page.keyboard.press("Space")
        wait_for_run_to_end(page)
        target = where.get_by_role("radio", name=option, exact=True)
        for _ in range(where.get_by_role("radio").count()):
            if target.is_checked():
                break
            page.keyboard.press("ArrowDown")
            wait_for_run_to_end(page)
    else:  # pills: one stop for Tab, arrows move between them
        buttons = where.get_by_role("button")
        for option in options:
            target = where.get_by_role("button", name=option, exact=True)
            tab_to(page, where.get_by_role("toolbar"))
            for _ in range(buttons.count()):
                if has_focus(target):
                    break
                page.keyboard.press("ArrowRight")
            page.keyboard.press("Space")
            wait_for_run_to_end(page)


def record_a_1_1_by_keyboard(page, what_they_said: str = "The bus stopped coming after six.") -> None:
    """Record a complete 1:1 on the form on screen with Tab, arrows, Space,
    Enter and typing: no pointer at all. Returns once the confirmation shows."""
    page.get_by_role("button", name="Submit").wait_for()
    wait_for_run_to_end(page)
    for label, answer in (("Your name (the listener) *", LISTENER), ("Your institution *", INSTITUTION)):
        box = page.get_by_label(label)
        if box.input_value() != answer:
            tab_to(page, box)
            page.keyboard.press("ControlOrMeta+a")
            page.keyboard.type(answer)
    key_choose(page, "Where they live *", ["Fishermead"])
    key_choose(page, "What issues came up? *", ["Housing", "Health"])
    tab_to(page, page.get_by_label("What they said *"))
    page.keyboard.type(what_they_said)
    key_choose(page, "Could this person be a leader? *", ["Yes"])
    tab_to(page, page.get_by_role("button", name="Submit"))
    page.keyboard.press("Enter")
    page.get_by_text(SAVED).wait_for()
    wait_for_run_to_end(page)
