"""The alliance's Google Sheet as the store, on gspread 6 and a service account.

Reads: every tab asked for in one values.batchGet (the tab list comes from one
cached metadata fetch). Writes: one values.append per submission (or per
batch), anchored at the tab's A1 with INSERT_ROWS and RAW input, so rows are
only ever added below the table and typed text never becomes a formula. A
missing column is written to the end of row 1; nothing is cleared or rewritten.

Every request has a timeout and a bounded number of attempts with jittered
exponential backoff (gspread's BackOffHTTPClient never stops retrying). In
the app, where a viewer or a volunteer waits, reads and submissions make one
attempt and fall back to the last copy read or the outbox; the background
sender and the command line use the whole budget. A
submission id is looked up in the tab before appending and again after any
failure that may have been applied (timeout, dropped connection, 5xx), so a
submission is never appended twice. The id check and the append are
serialised across processes by a lock on a file in the data folder (threads
of one process, and the app beside `python -m organising worker` or a cron
job), so two writers cannot both find an id missing and both append it.

When Google stays unreachable, out of quota or refuses access beyond the
retry budget, submissions go to the local outbox (integrations/outbox.py)
and are sent, in order, once the sheet answers again.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import logging
import random
import re
import threading
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

import gspread
import requests
from google.auth import exceptions as auth_errors
from google.oauth2.service_account import Credentials

from organising import inert
from organising.forms.spec import ConfigError
from organising.sheets import (SUBMISSION_ID, WAITING, AppendResult, AppendsOneAsMany, CellEdit, EditResult,
                               StoreUnavailable, Tab, column_index, column_letter, missing_columns, one_copy_each,
                               place_edit, row_cells)

from .google_transport import is_loopback, route_google_to
from .outbox import Outbox

_log = logging.getLogger(__name__)
SCOPES = ["https://www.googleapis.com/auth/spreadsheets"]
_KEY_IN_URL = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")
_KEY = re.compile(r"^[A-Za-z0-9_-]{20,}$")
_SERVICE_ACCOUNT_FIELDS = ("client_email", "private_key", "token_uri")
# The tab list is re-fetched this often (and at once when a tab seems to have vanished).
_METADATA_SECONDS = 300
_APPEND_BATCH = 200
_EDIT_BATCH = 1000  # cells per values.batchUpdate
# In the data folder: held while one process checks a submission id and appends it.
APPEND_LOCK_FILE = "sheets-append.lock"
# After a failed send, pages and volunteers do not try the outbox again for this long (seconds).
_QUICK_PAUSE = 10


class SheetsNotConfigured(ConfigError):
    """The [google_sheets] secrets are missing or incomplete."""


HOW_TO_CONFIGURE = (
    "Add a [google_sheets] section to .streamlit/secrets.toml with `spreadsheet` (the sheet's address) "
    "and a [google_sheets.service_account] section holding the fields of the service account's JSON key; "
    ".streamlit/secrets.toml.example shows every setting, and the README's \"Connect your Google Sheet\" "
    "walks through it.")


@dataclass(frozen=True)
class SheetsSettings:
    spreadsheet_key: str
    service_account: dict[str, str]
    api_endpoint: str = ""         # tests only: send Google's hosts to a fake on this machine
    timeout_seconds: float = 20.0  # per request
    max_attempts: int = 5          # per request, including the first
    backoff_seconds: float = 0.5   # first wait; doubles each attempt, with jitter
    backoff_max_seconds: float = 16.0
    drain_seconds: float = 30.0    # how often the outbox tries to send what waits

    @property
    def service_account_email(self) -> str:
        return self.service_account.get("client_email", "")


def spreadsheet_key(url_or_key: str) -> str:
    """The key in a sheet's address (…/spreadsheets/d/KEY/edit#gid=0), or the key itself."""
    text = url_or_key.strip()
    found = _KEY_IN_URL.search(text)
    if found:
        return found.group(1)
    if _KEY.match(text):
        return text
    raise SheetsNotConfigured(f"google_sheets.spreadsheet: {text!r} is neither a Google Sheets address "
                              "(https://docs.google.com/spreadsheets/d/…) nor a spreadsheet key")


def _number(section: Mapping[str, Any], name: str, default: float, low: float, high: float) -> float:
    value = section.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise SheetsNotConfigured(f"google_sheets.{name}: must be a number from {low:g} to {high:g}")
    return value


def _api_endpoint(section: Mapping[str, Any]) -> str:
    endpoint = str(section.get("api_endpoint", "")).strip()
    if endpoint and not is_loopback(endpoint):
        # The requests carry the service account's token: never to another machine.
        raise SheetsNotConfigured(f"google_sheets.api_endpoint: only for tests, and only on this machine "
                                  f"(http://127.0.0.1:PORT); {endpoint!r} is not. Remove the line to use Google.")
    return endpoint


def sheets_settings(secrets: Mapping[str, Any]) -> SheetsSettings:
    """Settings from the secrets file's [google_sheets] section; a missing or
    wrong value raises SheetsNotConfigured saying what to fix."""
    section = secrets.get("google_sheets")
    if not isinstance(section, Mapping) or not section.get("spreadsheet"):
        raise SheetsNotConfigured("No Google Sheet is configured. " + HOW_TO_CONFIGURE)
    account = section.get("service_account")
    if not isinstance(account, Mapping):
        raise SheetsNotConfigured("google_sheets.service_account is missing. " + HOW_TO_CONFIGURE)
    lacking = [f for f in _SERVICE_ACCOUNT_FIELDS if not account.get(f)]
    if lacking:
        raise SheetsNotConfigured(f"google_sheets.service_account lacks {', '.join(lacking)}: copy every "
                                  "field of the service account's JSON key")
    return SheetsSettings(
        spreadsheet_key=spreadsheet_key(str(section["spreadsheet"])),
        service_account={k: str(v) for k, v in account.items()},
        api_endpoint=_api_endpoint(section),
        timeout_seconds=_number(section, "timeout_seconds", 20.0, 1, 170),
        max_attempts=int(_number(section, "max_attempts", 5, 1, 10)),
        backoff_seconds=_number(section, "backoff_seconds", 0.5, 0, 60),
        backoff_max_seconds=_number(section, "backoff_max_seconds", 16.0, 0, 300),
        drain_seconds=_number(section, "drain_seconds", 30.0, 0.05, 3600),
    )


# -- failures ------------------------------------------------------------------

@dataclass(frozen=True)
class Failure:
    """One failed request, in the terms the retry loop and a coordinator need."""
    status: int | None   # HTTP status; None when no answer came
    code: str            # Google's status or reason (RESOURCE_EXHAUSTED, SERVICE_DISABLED, …)
    message: str
    retryable: bool      # worth trying again after a pause
    ambiguous: bool      # the request may have been applied before it failed

    @property
    def access(self) -> bool:
        """Google refused this service account or sheet: fixable by a coordinator."""
        return self.status in (401, 403, 404) or self.code == "invalid_grant"


class SheetsError(Exception):
    def __init__(self, failure: Failure, explanation: str):
        super().__init__(explanation)
        self.failure = failure


class SheetsUnavailable(SheetsError, StoreUnavailable):
    """The sheet cannot be used for now (unreachable, out of quota, or access
    refused); a submission waits in the outbox."""


def _api_failure(exc: gspread.exceptions.APIError) -> Failure:
    status = exc.response.status_code
    error = exc.error if isinstance(exc.error, Mapping) else {}
    reasons = [d.get("reason", "") for d in error.get("details", []) if isinstance(d, Mapping)]
    reasons += [e.get("reason", "") for e in error.get("errors", []) if isinstance(e, Mapping)]
    code = next((r for r in reasons if r), "") or str(error.get("status", ""))
    return Failure(status, code, str(error.get("message", "")), retryable=status in (408, 429) or status >= 500,
                   ambiguous=status == 408 or status >= 500)


def failure_of(exc: BaseException) -> Failure | None:
    """What went wrong, or None for an exception that is not a request failure."""
    if isinstance(exc, gspread.exceptions.APIError):
        return _api_failure(exc)
    if isinstance(exc, requests.exceptions.Timeout):
        return Failure(None, "timeout", str(exc), retryable=True, ambiguous=True)
    if isinstance(exc, requests.exceptions.ConnectionError):
        return Failure(None, "connection", str(exc), retryable=True, ambiguous=True)
    if isinstance(exc, auth_errors.RefreshError):
        # Google refused the key itself (deleted, mistyped): trying again will not help.
        return Failure(401, "invalid_grant", str(exc), retryable=False, ambiguous=False)
    if isinstance(exc, auth_errors.TransportError):
        return Failure(None, "connection", str(exc), retryable=True, ambiguous=False)
    return None


def explain(failure: Failure, service_account_email: str = "") -> str:
    """A failure in words a coordinator can act on."""
    account = service_account_email or "the service account's email"
    disabled = failure.code in ("SERVICE_DISABLED", "accessNotConfigured") or "has not been used" in failure.message \
        or "is disabled" in failure.message
    if failure.status == 403 and disabled:
        return ("The Google Sheets API is not enabled for the service account's Google Cloud project. In the Cloud "
                "console open APIs & Services → Library → Google Sheets API → Enable, wait a minute, then try again.")
    if failure.status == 403:
        return f"The sheet is not shared with the app. In Google Sheets press Share and add {account} as Editor."
    if failure.status == 404:
        return ("No spreadsheet has that key. Copy the sheet's address from the browser into `spreadsheet` in "
                "the [google_sheets] section of .streamlit/secrets.toml.")
    if failure.status == 401:
        return ("Google refused the service account's key (deleted, or mistyped in secrets.toml). Create a new "
                "JSON key for the service account and copy its fields into [google_sheets.service_account].")
    if failure.status == 429:
        return ("Google's request quota is used up for the moment (too many requests in the last minute). "
                "The app tries again by itself; submissions wait on this device until then.")
    if failure.status is not None and failure.status >= 500:
        return f"Google Sheets answered with an error ({failure.status}); the app tries again by itself."
    if failure.status is None:
        return ("Google Sheets could not be reached (no network, or no answer in time); the app tries again "
                "by itself.")
    # Google's own words can echo a value the app sent: shown as they are, never as Markdown.
    return f"Google Sheets refused the request ({failure.status}): {inert.markdown(failure.message, one_line=True)}"


# -- A1 notation -----------------------------------------------------------------

def quoted(tab: str) -> str:
    """A tab name as an A1 range: always quoted, since names like 1:1s look like ranges."""
    return "'" + tab.replace("'", "''") + "'"


@dataclass(frozen=True)
class Unavailable:
    """The sheet could not be read just now; pages show the last read."""
    problem: str
    last_read_at: dt.datetime


@dataclass(frozen=True)
class SheetCheck:
    """What the Connect page shows: can the sheet be used, and what is in it."""
    reachable: bool
    problem: str = ""
    title: str = ""
    headers: dict[str, list[str]] | None = None   # tab -> row 1, for every tab


class GoogleSheetsStore(AppendsOneAsMany):
    def __init__(self, settings: SheetsSettings, outbox: Outbox | None = None,
                 sleep: Callable[[float], None] = time.sleep, start_drainer: bool = True,
                 lock_path: Path | None = None, sends: bool = True):
        self.settings = settings
        # Shared by every process writing to this sheet from one data folder.
        self.lock_path = lock_path or (outbox.path.with_name(APPEND_LOCK_FILE) if outbox is not None else None)
        self.key = settings.spreadsheet_key
        self.outbox = outbox
        # False: the outbox is reached (its submissions are read and can be erased) but
        # only the app sends it (the privacy commands of the command line).
        self.sends = sends
        self._sleep = sleep
        try:
            credentials = Credentials.from_service_account_info(settings.service_account, scopes=SCOPES)
        except ValueError as exc:
            raise SheetsNotConfigured(
                f"google_sheets.service_account: the key cannot be read ({exc}). Copy private_key from the JSON "
                "key file exactly, keeping its \\n sequences.") from None
        self.client = gspread.Client(credentials)
        if settings.api_endpoint:
            route_google_to(self.client.http_client.session, settings.api_endpoint)
        self.client.set_timeout(settings.timeout_seconds)
        self._http = self.client.http_client
        self._write_lock = threading.RLock()
        self._meta_lock = threading.Lock()
        self._sheets: dict[str, dict[str, Any]] | None = None   # casefolded tab title -> its properties
        self._sheets_at = 0.0
        self._title = ""
        self._id_columns: dict[str, int] = {}
        self._last_read: dict[str, Tab] = {}
        self._last_read_at = dt.datetime.now(dt.timezone.utc)
        self.unavailable: Unavailable | None = None
        self._budget = threading.local()
        self._drain_failed_at = -1e9
        self._stop = threading.Event()
        if outbox is not None and start_drainer and sends:
            threading.Thread(target=self._drain_forever, name="sheets-outbox", daemon=True).start()

    def __repr__(self) -> str:
        return f"GoogleSheetsStore({self.key!r})"

    @property
    def service_account_email(self) -> str:
        return self.settings.service_account_email

    def close(self) -> None:
        self._stop.set()

    # -- requests with retries --------------------------------------------------

    def _backoff(self, attempt: int) -> float:
        cap = min(self.settings.backoff_max_seconds, self.settings.backoff_seconds * 2 ** (attempt - 1))
        return cap / 2 + random.uniform(0, cap / 2)  # jitter: many clients do not retry in step

    @property
    def _attempts(self) -> int:
        return getattr(self._budget, "attempts", None) or self.settings.max_attempts

    @contextmanager
    def _one_attempt(self) -> Iterator[None]:
        """Requests in this thread make a single attempt (someone is waiting)."""
        self._budget.attempts = 1
        try:
            yield
        finally:
            self._budget.attempts = None

    def _someone_waits(self):
        """One attempt in the app, where a page or a volunteer waits and there
        is a fallback (the last copy read, the outbox); the command line, with
        no outbox, retries in full."""
        return self._one_attempt() if self.outbox is not None else nullcontext()

    def _call(self, request: Callable[[], Any], landed: Callable[[], bool] | None = None) -> Any:
        """Run one request, retrying what is worth retrying within the budget.
        After a failure that may have been applied, `landed` (for writes) looks
        whether it was; True means nothing is left to send."""
        attempts = self._attempts
        for attempt in range(1, attempts + 1):
            try:
                return request()
            except Exception as exc:
                failure = failure_of(exc)
                if failure is None:
                    raise
                last = not failure.retryable or attempt == attempts
                if not last:
                    self._sleep(self._backoff(attempt))
                if failure.ambiguous and landed is not None and landed():
                    return None
                if last:
                    self._raise(failure, exc)

    def _raise(self, failure: Failure, exc: BaseException) -> None:
        kind = SheetsUnavailable if failure.retryable or failure.access else SheetsError
        raise kind(failure, explain(failure, self.service_account_email)) from exc

    # -- the tab list --------------------------------------------------------------

    def _metadata(self, refresh: bool = False) -> dict[str, dict[str, Any]]:
        """Each tab's properties, by its title casefolded (Google's tab names
        ignore case: "events" is the Events tab)."""
        with self._meta_lock:
            stale = time.monotonic() - self._sheets_at > _METADATA_SECONDS
            if refresh or stale or self._sheets is None:
                found = self._call(lambda: self._http.fetch_sheet_metadata(
                    self.key, params={"fields": "properties.title,sheets.properties"}))
                self._title = found.get("properties", {}).get("title", "")
                self._sheets = {s["properties"]["title"].casefold(): s["properties"] for s in found.get("sheets", [])}
                self._sheets_at = time.monotonic()
            return self._sheets

    def _has_tab(self, tab: str) -> bool:
        return tab.casefold() in self._metadata()

    def tab_names(self) -> list[str]:
        return [p["title"] for p in self._metadata().values()]

    # -- reads ---------------------------------------------------------------------

    def _batch_get(self, ranges: list[str]) -> list[list[list[str]]]:
        answer = self._call(lambda: self._http.values_batch_get(self.key, list(ranges)))
        return [[[str(c) for c in row] for row in vr.get("values", [])] for vr in answer.get("valueRanges", [])]

    def read_tabs(self, names: Sequence[str]) -> dict[str, Tab]:
        """One batchGet. While Google cannot be reached, the last tabs read
        are given again (and `unavailable` says since when and why), so forms
        that pick from a tab keep working; with nothing read yet, it raises."""
        self.drain(quick=True)
        wanted = list(dict.fromkeys(names))
        try:
            with self._someone_waits():
                tabs = self._read_fresh(wanted)
        except SheetsUnavailable as exc:
            if not all(n in self._last_read for n in wanted):
                raise
            self.unavailable = Unavailable(str(exc), self._last_read_at)
            return {n: self._last_read[n] for n in wanted}
        self._last_read.update(tabs)
        self._last_read_at = dt.datetime.now(dt.timezone.utc)
        self.unavailable = None
        return tabs

    def _read_fresh(self, wanted: list[str]) -> dict[str, Tab]:
        try:
            return self._read(wanted, self._metadata())
        except SheetsError as exc:
            if exc.failure.status != 400:
                raise
            # A tab was renamed or deleted since the tab list was fetched.
            return self._read(wanted, self._metadata(refresh=True))

    def _read(self, wanted: list[str], sheets: Mapping[str, Any]) -> dict[str, Tab]:
        present = [n for n in wanted if n.casefold() in sheets]
        values = dict(zip(present, self._batch_get([quoted(n) for n in present]))) if present else {}
        texts: dict[str, str] = {}  # each distinct cell text once, across the tabs read
        tabs = {n: Tab(n, values[n][0], one_copy_each(values[n][1:], texts)) if values.get(n) else Tab(n)
                for n in wanted}
        for name in present:  # the next append's id check then needs a single read
            where = tabs[name].column(SUBMISSION_ID)
            if where is not None:
                self._id_columns[name] = where
        return tabs

    # -- writes --------------------------------------------------------------------

    def _add_tab(self, tab: str, columns: int) -> None:
        request = {"addSheet": {"properties": {"title": tab, "gridProperties": {
            "rowCount": 1000, "columnCount": max(26, columns)}}}}
        try:
            self._call(lambda: self._http.batch_update(self.key, {"requests": [request]}))
        except SheetsError as exc:
            if exc.failure.status != 400:  # 400: someone added it meanwhile
                raise
        self._metadata(refresh=True)

    def _header_and_ids(self, tab: str) -> tuple[list[str], set[str]]:
        """Row 1 and the submission ids already in the tab, in one read when
        the id column is where it was last time."""
        known = self._id_columns.get(tab)
        ranges = [f"{quoted(tab)}!1:1"]
        if known is not None:
            letter = column_letter(known)
            ranges.append(f"{quoted(tab)}!{letter}2:{letter}")
        found = self._batch_get(ranges)
        header = found[0][0] if found and found[0] else []
        where = column_index(header, SUBMISSION_ID)
        if where is None:
            self._id_columns.pop(tab, None)
            return header, set()
        if where == known:
            column = found[1]
        else:
            letter = column_letter(where)
            column = self._batch_get([f"{quoted(tab)}!{letter}2:{letter}"])[0]
            self._id_columns[tab] = where
        return header, {row[0].strip() for row in column if row and row[0].strip()}

    def _column_count(self, tab: str, refresh: bool = False) -> int | None:
        props = self._metadata(refresh).get(tab.casefold(), {})
        return props.get("gridProperties", {}).get("columnCount")

    def _widen(self, tab: str, columns: int) -> None:
        """Grow the grid so row 1 has room for `columns` headers (a values
        write beyond the grid is refused). Columns are only ever added."""
        have = self._column_count(tab)
        if have is None or have >= columns:
            return
        have = self._column_count(tab, refresh=True)  # a person may have added columns since
        if have is None or have >= columns:
            return
        sheet_id = self._metadata()[tab.casefold()]["sheetId"]
        request = {"appendDimension": {"sheetId": sheet_id, "dimension": "COLUMNS", "length": columns - have}}
        self._call(lambda: self._http.batch_update(self.key, {"requests": [request]}))
        self._metadata(refresh=True)

    def _add_headers(self, tab: str, header: list[str], names: Sequence[str],
                     aliases: Mapping[str, Sequence[str]]) -> tuple[list[str], list[str]]:
        added = missing_columns(header, names, aliases)
        if added:
            self._widen(tab, len(header) + len(added))
            start = f"{quoted(tab)}!{column_letter(len(header))}1"
            self._call(lambda: self._http.values_update(
                self.key, start, params={"valueInputOption": "RAW"}, body={"values": [added]}))
        return header + added, added

    def _prepare(self, tab: str, names: Sequence[str],
                 aliases: Mapping[str, Sequence[str]]) -> tuple[list[str], list[str], set[str]]:
        if not self._has_tab(tab):
            self._add_tab(tab, len(names))
        header, ids = self._header_and_ids(tab)
        header, added = self._add_headers(tab, header, names, aliases)
        return header, added, ids

    def ensure_tab(self, tab: str, headers: Sequence[str],
                   aliases: Mapping[str, Sequence[str]] | None = None) -> list[str]:
        with self._write_lock:
            return self._prepare(tab, headers, aliases or {})[1]

    def append_rows(self, tab: str, items: Sequence[tuple[str, Mapping[str, str]]],
                    aliases: Mapping[str, Sequence[str]] | None = None) -> list[AppendResult]:
        aliases = aliases or {}
        if self.outbox is None:
            return self._append(tab, items, aliases)
        self.drain(quick=True)
        # Earlier submissions to this tab still wait: this one waits behind them.
        if not self.outbox.waiting(tab):
            try:
                with self._someone_waits():
                    return self._append(tab, items, aliases)
            except SheetsUnavailable as exc:
                return self._queue(tab, items, aliases, str(exc))
        return self._queue(tab, items, aliases, "")

    def _queue(self, tab: str, items: Sequence[tuple[str, Mapping[str, str]]],
               aliases: Mapping[str, Sequence[str]], problem: str) -> list[AppendResult]:
        assert self.outbox is not None
        return [AppendResult(tab, sid, stored=self.outbox.put(tab, sid, record, aliases, problem), queued=True)
                for sid, record in items]

    def _append(self, tab: str, items: Sequence[tuple[str, Mapping[str, str]]],
                aliases: Mapping[str, Sequence[str]]) -> list[AppendResult]:
        results: dict[int, AppendResult] = {}
        numbered = list(enumerate(items))
        with self._write_lock, self._across_processes():
            for start in range(0, len(numbered), _APPEND_BATCH):
                results.update(self._append_batch(tab, numbered[start:start + _APPEND_BATCH], aliases))
        return [results[i] for i in range(len(items))]

    @contextmanager
    def _across_processes(self) -> Iterator[None]:
        """Hold the data folder's append lock (flock: released by the system if the process dies)."""
        if self.lock_path is None:
            yield
            return
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _append_batch(self, tab: str, batch: list[tuple[int, tuple[str, Mapping[str, str]]]],
                      aliases: Mapping[str, Sequence[str]]) -> dict[int, AppendResult]:
        names = list(dict.fromkeys([*(n for _, (_, record) in batch for n in record), SUBMISSION_ID]))
        header, _, ids = self._prepare(tab, names, aliases)
        where = {n: column_index(header, n, aliases.get(n, ())) for n in names}
        results: dict[int, AppendResult] = {}
        pending: dict[int, tuple[str, list[str]]] = {}
        for index, (sid, record) in batch:
            if sid in ids or any(sid == p for p, _ in pending.values()):
                results[index] = AppendResult(tab, sid, stored=False)
                continue
            pending[index] = (sid, row_cells(len(header), where, record, sid))
        if pending:
            # Each attempt sends what has not landed yet: a lost answer is looked up before trying again.
            self._call(lambda: self._http.values_append(
                self.key, f"{quoted(tab)}!A1",
                params={"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"},
                body={"majorDimension": "ROWS", "values": [cells for _, cells in pending.values()]}),
                landed=lambda: self._settle(tab, pending, results))
        for index, (sid, _) in pending.items():
            results[index] = AppendResult(tab, sid, stored=True)
        return results

    def _settle(self, tab: str, pending: dict[int, tuple[str, list[str]]],
                results: dict[int, AppendResult]) -> bool:
        """Move the submissions that landed despite the failure from pending to
        results; True when none is left. If even that cannot be checked, the
        error goes up: appending again unchecked could duplicate, so the
        outbox takes them and checks before it sends."""
        _, ids = self._header_and_ids(tab)
        for index, (sid, _) in list(pending.items()):
            if sid in ids:
                results[index] = AppendResult(tab, sid, stored=True)
                del pending[index]
        return not pending

    # -- privacy: changing cells of rows already there --------------------------------

    def edit_cells(self, edits: Sequence[CellEdit]) -> list[EditResult]:
        """Each tab edited is read in one batchGet and the cells are written
        with values.batchUpdate (RAW, so a blanked or pseudonymised cell is
        never read as a formula). Google offers no conditional write: a row
        sorted in the instant between that read and the write is not caught.
        The outbox does not send meanwhile, so a waiting submission is edited
        where it is, in the outbox or in the sheet."""
        if not edits:
            return []
        # The outbox first, then the write locks: the order the sender takes them in.
        with (self.outbox.sending(wait=True) if self.outbox else nullcontext()), self._write_lock, \
                self._across_processes():
            names = [n for n in dict.fromkeys(e.tab for e in edits) if self._has_tab(n)]
            values = dict(zip(names, self._batch_get([quoted(n) for n in names]))) if names else {}
            tabs = {n: Tab(n, v[0], v[1:]) if v else Tab(n) for n, v in values.items()}
            results, writes = [], []
            for edit in edits:
                tab = tabs.get(edit.tab, Tab(edit.tab))
                index, column, problem = place_edit(tab, edit) if tab.exists else (None, None, "no such tab")
                if index is None and edit.submission_id and self.outbox is not None and \
                        problem in ("the row is no longer in the tab", "no such tab"):
                    problem = self.outbox.edit(edit.tab, edit.submission_id, edit.column, edit.before, edit.after)
                    results.append(EditResult(edit, None if problem else WAITING, problem))
                    continue
                if problem or index is None or column is None:
                    results.append(EditResult(edit, None, problem))
                    continue
                row = tab.sheet_row(index)
                writes.append({"range": f"{quoted(edit.tab)}!{column_letter(column)}{row}", "values": [[edit.after]]})
                results.append(EditResult(edit, row))
            for start in range(0, len(writes), _EDIT_BATCH):
                # Setting a cell twice to the same text is harmless: a lost answer is simply sent again.
                body = {"valueInputOption": "RAW", "data": writes[start:start + _EDIT_BATCH]}
                self._call(lambda: self._http.values_batch_update(self.key, body))
        return results

    def waiting_rows(self) -> dict[str, list[dict[str, str]]]:
        return self.outbox.records() if self.outbox is not None else {}

    # -- outbox ----------------------------------------------------------------------

    def drain(self, quick: bool = False) -> int:
        """Send what waits in the outbox, oldest first per tab; returns how many
        were sent. `quick` (a page or a volunteer is waiting) makes one attempt,
        and none for a while after a failure; the background thread uses the
        full retry budget."""
        if self.outbox is None or not self.sends or not self.outbox.waiting():
            return 0
        if quick and time.monotonic() - self._drain_failed_at < min(self.settings.drain_seconds, _QUICK_PAUSE):
            return 0
        with self.outbox.sending() as sender:
            return self._send_waiting(self.outbox, quick) if sender else 0

    def _send_waiting(self, outbox: Outbox, quick: bool) -> int:
        sent = 0
        with self._one_attempt() if quick else nullcontext():
            for tab in outbox.tabs():
                for entries in outbox.batches(tab, _APPEND_BATCH):
                    try:
                        self._append(tab, [(e.submission_id, e.record) for e in entries], entries[0].aliases)
                    except SheetsError as exc:
                        self._drain_failed_at = time.monotonic()
                        outbox.failed([e.id for e in entries], str(exc))
                        if isinstance(exc, SheetsUnavailable):  # the whole sheet, not this tab: stop trying
                            return sent
                        break  # keep this tab's order: the rest waits behind
                    outbox.sent([e.id for e in entries])
                    sent += len(entries)
        return sent

    def _drain_forever(self) -> None:
        while not self._stop.wait(self.settings.drain_seconds):
            try:
                self.drain()
            except Exception:  # noqa: BLE001 - the thread must outlive any one failure
                _log.exception("sending the outbox failed; trying again in %s s", self.settings.drain_seconds)

    # -- Connect page ------------------------------------------------------------------

    def check(self) -> SheetCheck:
        """Reachable or why not, and every tab's header row."""
        try:
            names = [p["title"] for p in self._metadata(refresh=True).values()]
            rows = self._batch_get([f"{quoted(n)}!1:1" for n in names]) if names else []
        except SheetsError as exc:
            return SheetCheck(False, str(exc))
        return SheetCheck(True, title=self._title,
                          headers={n: (r[0] if r else []) for n, r in zip(names, rows)})
