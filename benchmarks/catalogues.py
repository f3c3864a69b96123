"""The cost of the app's languages: loading a catalogue, and a form's texts per rerun.

Catalogue: the app reads locales/<code>/LC_MESSAGES/messages.po and compiles
it in memory (organising.i18n.translations, once per language per process);
the usual gettext set-up reads a .mo compiled beforehand by `pybabel compile`
(a build step a fresh clone would need). Both are timed here, the .mo one
after compiling the same catalogue with Babel into a temporary folder.

Texts: every text the 1:1 form shows (title, description, each question's
label and hint, every choice's label) looked up in Polish through
organising.forms.translations.text, as the form page does on each rerun,
against reading the English attributes directly.

    python3 benchmarks/catalogues.py [--repeats 200]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402
from babel.support import Translations  # noqa: E402

from organising.config import load_config  # noqa: E402
from organising.forms.translations import text  # noqa: E402
from organising.i18n import catalogue_path, translations  # noqa: E402


def median_ms(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def form_texts(form, language: str | None) -> list[str]:
    items = [(form, "title"), (form, "description")]
    for f in form.fields:
        items += [(f, "label"), (f, "hint"), *((c, "label") for c in f.choices)]
    if language is None:
        return [getattr(item, key) for item, key in items]
    return [text(item, key, language) for item, key in items]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args(argv)
    compiled = Path(tempfile.mkdtemp()) / "pl" / "LC_MESSAGES"
    compiled.mkdir(parents=True)
    with catalogue_path("pl").open("rb") as po, (compiled / "messages.mo").open("wb") as mo:
        write_mo(mo, read_po(po, locale="pl"))
    load_po = median_ms(lambda: translations.__wrapped__("pl"), args.repeats)
    load_mo = median_ms(lambda: Translations.load(compiled.parent.parent, ["pl"], "messages"), args.repeats)
    listening = load_config().forms["listening"]
    translations("pl")  # as on every rerun after the first: the catalogue is already loaded
    polish = median_ms(lambda: form_texts(listening, "pl"), args.repeats)
    english = median_ms(lambda: form_texts(listening, None), args.repeats)
    print(f"Median of {args.repeats} runs, milliseconds.\n")
    print("| what | the app | compared with | ratio |")
    print("|---|---:|---:|---:|")
    print(f"| load the Polish catalogue (once per process) | {load_po:.2f} (.po compiled in memory) | "
          f"{load_mo:.2f} (a .mo compiled beforehand) | {load_po / load_mo:.1f}× |")
    print(f"| the 1:1 form's {len(form_texts(listening, None))} texts, per rerun | {polish:.3f} (in Polish) | "
          f"{english:.3f} (English only, no lookup) | {polish / english:.0f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
