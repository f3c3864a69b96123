"""axe-core in the browser suite: scan a page as it stands once Streamlit has
finished rendering, and tell the app's own violations from Streamlit's.

Streamlit's are listed in docs/ACCESSIBILITY.md (a table: the axe rule, the
CSS selector of Streamlit's element it is found in, the Streamlit issue, and
why it is not the app's); this module reads that table, so what is allowed is
written once, for people, with its reason. Any other serious or critical
violation is the app's and fails the suite.

`python3 -m tests.accessibility` scans every page as every role of the demo
alliance and prints the views × violations table (before the allow-list).
"""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from .browser import REPO, settle

ACCESSIBILITY_MD = REPO / "docs" / "ACCESSIBILITY.md"
# What fails the suite: axe's two highest impacts.
FAILING = ("serious", "critical")
# WCAG 2.0, 2.1 and 2.2, levels A and AA, and axe's best practices (the menu's list markup is one).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


def require_axe() -> None:
    """axe-core comes with the pip package axe-playwright-python: a missing
    one skips on a developer's machine but fails CI."""
    try:
        import axe_playwright_python  # noqa: F401
    except ImportError:
        problem = "axe-playwright-python is not installed (pip install -r requirements.txt)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"the accessibility scan must run in CI: {problem}")
        pytest.skip(problem)


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    target: str       # axe's CSS selector for the element
    html: str         # the element's opening markup, shortened
    summary: str      # what axe says is wrong
    allowed_by: str   # the Streamlit issue that explains it ("" when it is the app's)

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}) at {self.target}: {self.summary}\n      {self.html}"


@dataclass(frozen=True)
class Allowed:
    """One row of docs/ACCESSIBILITY.md's table of Streamlit's own violations."""
    rule: str
    selector: str     # a violating element inside (or being) this is Streamlit's
    issue: str
    reason: str


_ROW = re.compile(r"^\|\s*`(?P<rule>[a-z0-9-]+)`\s*\|\s*`(?P<selector>[^`]+)`\s*\|\s*(?P<issue>[^|]+?)\s*\|"
                  r"\s*(?P<reason>[^|]+?)\s*\|\s*$")


def allowed() -> list[Allowed]:
    """The table under "Streamlit's own violations" in docs/ACCESSIBILITY.md."""
    text = ACCESSIBILITY_MD.read_text(encoding="utf-8")
    section = text.split("## Streamlit's own violations", 1)[1].split("\n## ", 1)[0]
    return [Allowed(m["rule"], m["selector"], m["issue"], m["reason"])
            for m in map(_ROW.match, section.splitlines()) if m]


# For each violating element: the allow-list entries (by index) whose selector holds it.
_MATCHING = """([nodes, entries]) => nodes.map(([rule, target]) => {
  const el = document.querySelector(target);
  if (!el) return -1;
  return entries.findIndex(([r, selector]) => r === rule && el.closest(selector) !== null);
})"""


def scan(page, entries: list[Allowed] | None = None) -> list[Violation]:
    """The serious and critical violations on the page now, each marked with
    the Streamlit issue it is allowed by, if any."""
    from axe_playwright_python.sync_playwright import Axe
    found = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    nodes = [(v["id"], v["impact"], n) for v in found.response["violations"] if v["impact"] in FAILING
             for n in v["nodes"]]
    # A target inside a frame is a list of selectors: the frame's, then the element's.
    targets = [" ".join(str(t) for t in n["target"]) for _, _, n in nodes]
    entries = allowed() if entries is None else entries
    matched = page.evaluate(_MATCHING, [[[rule, t] for (rule, _, _), t in zip(nodes, targets)],
                                        [[a.rule, a.selector] for a in entries]])
    return [Violation(rule, impact, target, re.sub(r"\s+", " ", n["html"])[:200], n.get("failureSummary", ""),
                      entries[m].issue if m >= 0 else "")
            for (rule, impact, n), target, m in zip(nodes, targets, matched)]


# -- every page as every role -------------------------------------------------------

def demo_data(data: Path) -> dict[str, str]:
    """Load the demo alliance into `data`; the app's environment for it."""
    env = {"ORGANISING_DATA_DIR": str(data)}
    subprocess.run([sys.executable, "-m", "organising", "demo"], cwd=REPO, env={**os.environ, **env},
                   check=True, capture_output=True)
    return env


def kiosk_link(url: str, data: Path) -> str:
    """A kiosk link for the demo's newest event, signed as the app signs them
    without [auth] (the key kept in the data folder)."""
    from integrations.access_ledger import ACCESS_FILE, AccessLedger
    from integrations.sqlite_store import SQLiteStore
    from integrations.stores import SQLITE_FILE
    from organising.access.kiosk import kiosk_token, kiosk_url
    events = SQLiteStore(data / SQLITE_FILE).read_tabs(["Events"])["Events"]
    event = [row for _, row in events.records()][-1]["submission_id"]
    secret = AccessLedger(data / ACCESS_FILE).app_key()
    return kiosk_url(url, kiosk_token(secret, event, dt.date.today() + dt.timedelta(days=1)))


def every_view(page, url: str, data: Path) -> Iterator[tuple[str, str]]:
    """Open every page of every role's menu (and the kiosk) in turn, settled;
    yield (role, page title) while each is on screen."""
    from ui.navigation import KIOSK, KIOSK_PAGE, MENU
    from ui.session import ROLE_LABELS

    from .browser import visit_menu
    for role in MENU:
        if role is None or role == KIOSK:
            continue
        for title in visit_menu(page, url, ROLE_LABELS[role], "Alex Example", MENU[role]):
            yield role, title
    page.goto(kiosk_link(url, data))
    page.get_by_role("button", name="Submit").wait_for()
    settle(page)
    yield KIOSK, KIOSK_PAGE.title


def main() -> None:
    import tempfile

    from .browser import chromium_page, running_app
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        env = demo_data(data)
        with running_app(env, Path(folder) / "app.log") as url, chromium_page(width=1280, height=1000) as page:
            rows = []
            for role, title in every_view(page, url, data):
                found = scan(page, entries=[])
                rows.append((role, title, Counter(v.rule for v in found)))
                print(f"{role:12} {title:28} {sum(rows[-1][2].values()):3} {dict(rows[-1][2])}", flush=True)
    views_per_rule = Counter(rule for *_, rules in rows for rule in rules)
    print(f"\n{len(rows)} views; views failing each rule: {dict(views_per_rule)}; "
          f"views with any: {sum(1 for *_, rules in rows if rules)}")


if __name__ == "__main__":
    main()
