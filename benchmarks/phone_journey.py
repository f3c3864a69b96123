"""A complete 1:1 on a phone: how many interactions, and how long.

A script in Chromium (390×844, touch, tests/journeys.py) opens the 1:1 link
as a volunteer would, records a complete 1:1 (every required question, two
issues, a potential leader flagged) and waits for the confirmation; then taps
to start the next one and records it too, in the same session (the
volunteer's name and institution are remembered there). Each journey counts
taps, fields typed into and scrolls; the time is the script's, from the form
on screen to the confirmation, with the app's reruns after each answer (a
person adds their reading and typing to it). Median of --repeats sessions,
each in a fresh browser against one `streamlit run`.

    python3 benchmarks/phone_journey.py [--repeats 3] [--no-write]

prints the figures and writes them to docs/PERFORMANCE.md (the section
between the phone-journey markers).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.browser import chromium_page, running_app  # noqa: E402
from tests.journeys import PHONE, Journey, record_a_1_1, start_the_next  # noqa: E402

PERFORMANCE = REPO / "docs" / "PERFORMANCE.md"
BEGIN, END = "<!-- phone-journey:begin -->", "<!-- phone-journey:end -->"


def sessions(repeats: int) -> tuple[list[Journey], list[Journey]]:
    first, then = [], []
    with tempfile.TemporaryDirectory() as folder:
        env = {"ORGANISING_DATA_DIR": str(Path(folder) / "data")}
        with running_app(env, Path(folder) / "app.log") as url:
            for _ in range(repeats):
                with chromium_page(**PHONE, phone=True) as page:
                    page.goto(f"{url}/listening")  # the link a volunteer is sent
                    first.append(record_a_1_1(page))
                    after = Journey(page)
                    start_the_next(page, after)
                    journey = record_a_1_1(page, "No safe place to cross the road to school.")
                    journey.taps += after.taps
                    journey.scrolls += after.scrolls
                    then.append(journey)
    return first, then


def row(name: str, journeys: list[Journey]) -> str:
    median = lambda values: statistics.median(values)
    return (f"| {name} | {median([j.interactions for j in journeys]):.0f} | {median([j.taps for j in journeys]):.0f} "
            f"| {median([j.typed for j in journeys]):.0f} | {median([j.scrolls for j in journeys]):.0f} "
            f"| {median([j.seconds for j in journeys]):.1f} s "
            f"| {'yes' if all(j.confirmation_in_view for j in journeys) else 'no'} |")


def table(first: list[Journey], then: list[Journey]) -> str:
    return "\n".join([
        "| journey | interactions | taps | typed | scrolls | script's time | confirmation on screen |",
        "|---|---|---|---|---|---|---|",
        row("first 1:1 of the session", first),
        row("the next 1:1 (one tap to start it)", then),
    ])


def write(result: str, repeats: int) -> None:
    text = PERFORMANCE.read_text(encoding="utf-8")
    block = f"{BEGIN}\nMedians of {repeats} sessions (`python3 benchmarks/phone_journey.py --repeats {repeats}`):\n\n{result}\n{END}"
    if BEGIN in text:
        text = text.split(BEGIN)[0] + block + text.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    PERFORMANCE.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/PERFORMANCE.md alone")
    args = parser.parse_args()
    first, then = sessions(args.repeats)
    result = table(first, then)
    print(result)
    if not args.no_write:
        write(result, args.repeats)


if __name__ == "__main__":
    main()
