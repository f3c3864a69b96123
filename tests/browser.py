"""Running the real app for browser tests: `streamlit run` on a free
loopback port, and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import fcntl
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium keeps calling Google's hosts.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_chromium() -> None:
    """A missing browser skips on a developer's machine but fails CI."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        problem = "playwright is not installed (pip install -r requirements.txt)"
    else:
        problem = None if Path(CHROMIUM).exists() else f"{CHROMIUM} is missing (apt-get install -y chromium)"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {problem}")
        pytest.skip(problem)


@contextmanager
def one_browser_test_at_a_time() -> Iterator[None]:
    """Hold the machine's browser-test lock: two apps and two Chromiums on a
    small machine (several checkouts testing at once) time each other out."""
    with open(Path(tempfile.gettempdir()) / "organising-browser-tests.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextmanager
def serving(command: Sequence[str], ready_url: str, log: Path, what: str, env: dict[str, str] | None = None,
            ready: bytes | None = None) -> Iterator[subprocess.Popen]:
    """Run a test server; yield once `ready_url` answers (with `ready` as its
    body, if given); stop it afterwards. Its output goes to `log`, shown if it
    does not start."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(list(command), cwd=REPO, env={**os.environ, **(env or {})},
                                stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(ready_url, timeout=2) as answer:
                        if ready is None or answer.read() == ready:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{what} did not start:\n{log.read_text(errors='replace')}")
                time.sleep(0.3)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def running_app(env: dict[str, str], log: Path, port: int | None = None, args: Sequence[str] = (),
                script: str = "streamlit_app.py") -> Iterator[str]:
    """Start the app (once no other browser test runs) on `port` (a free one
    by default), with more `streamlit run` options in `args`; yield its URL; stop it."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *args]
    with one_browser_test_at_a_time(), serving(command, f"{url}/_stcore/health", log, "the app", env, b"ok"):
        yield url


@contextmanager
def chromium_page(width: int = 1200, height: int = 900, locale: str | None = None, phone: bool = False):
    """A page in Chromium; `locale` (pl-PL) is the language the browser asks
    for; `phone`: a touch screen with a phone's viewport (taps, not clicks)."""
    from playwright.sync_api import expect, sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_context(viewport={"width": width, "height": height}, locale=locale,
                                       has_touch=phone, is_mobile=phone).new_page()
            page.set_default_timeout(30_000)
            expect.set_options(timeout=30_000)  # its own default is 5 s, short on a loaded machine
            yield page
        finally:
            browser.close()


def screenshot(page, tmp_path: Path, name: str) -> None:
    """A full-page screenshot called `name`, saved in the folder named by
    ORGANISING_SCREENSHOTS (relative to the checkout; docs/screenshots refreshes
    the README's pictures), else in the test's tmp_path: a plain test run
    leaves the checkout as it was."""
    chosen = os.environ.get("ORGANISING_SCREENSHOTS")
    folder = REPO / chosen if chosen else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


def wait_for_run_to_end(page) -> None:
    """Wait until the app's script run has finished. While Streamlit reruns, the
    last run's elements stay on the page (faded, with their old values) until the
    new run ends, so a check of the page after a click comes after this. The
    status widget is no signal: it shows only after half a second of running."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(state="attached")


def settle(page) -> None:
    """Wait for the run to end, open every expander, and give images, maths
    and charts a moment to draw."""
    wait_for_run_to_end(page)
    page.wait_for_timeout(800)
    page.evaluate("document.querySelectorAll('[data-testid=\"stExpander\"] details').forEach(d => d.open = true)")
    page.wait_for_timeout(700)


def sign_in_as(page, url: str, role: str, name: str) -> None:
    """Sign in on Home with `role` (its label, e.g. "Coordinator")."""
    page.goto(url)
    page.get_by_text(role, exact=True).click()
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as").wait_for()


def open_as(page, url: str, role: str, name: str, link: str) -> None:
    """Sign in on Home with `role` and open the menu page called `link`."""
    sign_in_as(page, url, role, name)
    page.get_by_role("link", name=link).first.click()


def visit_menu(page, url: str, role: str, name: str, sections) -> Iterator[str]:
    """Sign in with `role` and open Home, then every page of its menu
    `sections` (ui.navigation.MENU[role]) from the sidebar, in turn; yield
    each page's title while it is on screen, settled."""
    sign_in_as(page, url, role, name)
    settle(page)
    yield "Home"
    for pages in sections.values():
        for info in pages:
            page.get_by_test_id("stSidebarNav").get_by_role("link", name=info.title, exact=True).click()
            page.wait_for_url(f"**/{Path(info.path).stem}")
            settle(page)
            assert page.get_by_test_id("stException").count() == 0, (role, info.title)
            yield info.title


def pick(page, label: str, *options: str) -> None:
    """Pick `options` for the question labelled `label`, in whatever widget
    the form asks it with: a drop-down, radio buttons or pills."""
    where = page.get_by_test_id("stElementContainer").filter(has=page.get_by_text(label, exact=True)).last
    dropdown = where.get_by_role("combobox")
    if dropdown.count():
        dropdown.click()
        for option in options:
            page.get_by_role("option", name=option, exact=True).click()
        page.locator("h1").first.click()  # a multi-select stays open after a pick (Escape would undo a pick)
    else:
        for option in options:
            where.get_by_text(option, exact=True).click()
            wait_for_run_to_end(page)


def fill_in(page, texts: dict[str, str], options: dict[str, str]) -> None:
    """Type into text boxes and pick choices, each found by its question's label."""
    for label, value in texts.items():
        page.get_by_label(label).fill(value)
    for label, option in options.items():
        pick(page, label, option)
