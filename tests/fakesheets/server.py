"""A fake Google Sheets v4 + Drive v3 API on 127.0.0.1, answering as Google does.

Modelled on the recorded traffic in shared/reference/gspread-cassettes: response
shapes, A1 quoting, `values` omitted for an empty range, trailing blanks trimmed,
append's table detection, error envelopes. Not modelled: formatting, formulas'
results (a formula reads back as its text), named ranges, merges.
"""
from __future__ import annotations

import ast
import base64
import datetime as dt
import json
import operator
import random
import re
import secrets
import socket
import string
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from .a1 import CellRange, RangeError, a1, parse_cells, split_title

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
SERVICE_ACCOUNT_EMAIL = "organising-app@fake-project.iam.gserviceaccount.com"
DEFAULT_ROWS, DEFAULT_COLS = 1000, 26

STATUS_NAMES = {
    400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED", 409: "ABORTED", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
    502: "UNAVAILABLE", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED",
}
MESSAGES = {
    401: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
         "or other valid authentication credential. "
         "See https://developers.google.com/identity/sign-in/web/devconsole-project.",
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    408: "Request timed out.",
    429: "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user' of service "
         "'sheets.googleapis.com' for consumer 'project_number:000000000000'.",
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
}
SERVICE_DISABLED_MESSAGE = (
    "Google Sheets API has not been used in project 000000000000 before or it is disabled. Enable it by "
    "visiting https://console.developers.google.com/apis/api/sheets.googleapis.com/overview?project=000000000000 "
    "then retry."
)
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d")
_EPOCH = dt.date(1899, 12, 30)


class ApiError(Exception):
    def __init__(self, status: int, message: str | None = None, details: list | None = None):
        super().__init__(message)
        self.status = status
        error = {"code": status, "message": message or MESSAGES.get(status, "Error"),
                 "status": STATUS_NAMES.get(status, "UNKNOWN")}
        if details:
            error["details"] = details
        self.body = {"error": error}


def error_for(status: int, reason: str = "") -> ApiError:
    """Google's envelope for an injected fault."""
    if status == 429:
        return ApiError(429, details=[{
            "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED",
            "domain": "googleapis.com",
            "metadata": {"service": "sheets.googleapis.com", "consumer": "projects/000000000000",
                         "quota_limit": "ReadRequestsPerMinutePerUser"}}])
    if reason == "SERVICE_DISABLED":
        return ApiError(403, SERVICE_DISABLED_MESSAGE, [{
            "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "SERVICE_DISABLED",
            "domain": "googleapis.com",
            "metadata": {"service": "sheets.googleapis.com", "consumer": "projects/000000000000"}}])
    return ApiError(status)


def bad_range(text: str) -> ApiError:
    return ApiError(400, f"Unable to parse range: {text}")


# --- cells -----------------------------------------------------------------

@dataclass
class Cell:
    """What a cell holds: `shown` is what a person sees; `value` what UNFORMATTED_VALUE returns."""

    shown: str
    value: object
    formula: str | None = None
    is_date: bool = False


def number_text(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else repr(float(number))


def entered(raw, user_entered: bool) -> Cell | None:
    """The cell a value becomes under valueInputOption RAW or USER_ENTERED; None clears it."""
    if raw == "":
        return None
    if isinstance(raw, bool):
        return Cell("TRUE" if raw else "FALSE", raw)
    if isinstance(raw, (int, float)):
        return Cell(number_text(raw), raw)
    text = str(raw)
    if not user_entered:
        return Cell(text, text)
    if text.startswith("'"):
        return Cell(text[1:], text[1:]) if len(text) > 1 else None
    if text.startswith("=") and len(text) > 1:
        result = arithmetic(text[1:])
        if result is None:
            return Cell(text, text, formula=text)
        return Cell(number_text(result), result, formula=text)
    if _NUMBER.match(text.strip()):
        number = float(text)
        number = int(number) if number.is_integer() and "e" not in text.lower() else number
        return Cell(number_text(number), number)
    if text.upper() in ("TRUE", "FALSE"):
        return Cell(text.upper(), text.upper() == "TRUE")
    for fmt in _DATE_FORMATS:
        try:
            day = dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
        return Cell(text.strip(), (day - _EPOCH).days, is_date=True)
    return Cell(text, text)


_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def arithmetic(expression: str) -> float | None:
    """The value of a formula made only of numbers and + - * / ( ); None for anything else
    (other formulas read back as their text: the fake has no spreadsheet engine)."""
    def value(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            return -value(node.operand) if isinstance(node.op, ast.USub) else value(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](value(node.left), value(node.right))
        raise ValueError(expression)
    try:
        result = value(ast.parse(expression.strip(), mode="eval").body)
    except (SyntaxError, ValueError, ZeroDivisionError):
        return None
    return int(result) if float(result).is_integer() else result


def rendered(cell: Cell | None, option: str, dates: str = "SERIAL_NUMBER"):
    if cell is None:
        return ""
    if option == "FORMULA" and cell.formula:
        return cell.formula
    if cell.is_date and dates == "FORMATTED_STRING":
        return cell.shown
    if option in ("UNFORMATTED_VALUE", "FORMULA"):
        return cell.value
    return cell.shown


# --- spreadsheets ----------------------------------------------------------

def new_id() -> str:
    return "1" + "".join(random.choices(string.ascii_letters + string.digits + "-_", k=43))


def now_rfc3339() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass
class Sheet:
    sheet_id: int
    title: str
    rows: int = DEFAULT_ROWS
    cols: int = DEFAULT_COLS
    grid: list[list[Cell | None]] = field(default_factory=list)
    hidden: bool = False

    def cell(self, row: int, col: int) -> Cell | None:
        if row <= len(self.grid) and col <= len(self.grid[row - 1]):
            return self.grid[row - 1][col - 1]
        return None

    def filled(self, row: int, col: int) -> bool:
        return self.cell(row, col) is not None

    def put(self, row: int, col: int, cell: Cell | None) -> None:
        while len(self.grid) < row:
            self.grid.append([])
        line = self.grid[row - 1]
        while len(line) < col:
            line.append(None)
        line[col - 1] = cell
        self.rows, self.cols = max(self.rows, row), max(self.cols, col)

    def insert_rows(self, before: int, count: int) -> None:
        if before <= len(self.grid):
            self.grid[before - 1:before - 1] = [[] for _ in range(count)]
        self.rows += count

    def last_row(self) -> int:
        return max((r for r, line in enumerate(self.grid, 1) if any(c is not None for c in line)), default=0)

    def properties(self, index: int) -> dict:
        props = {"sheetId": self.sheet_id, "title": self.title, "index": index, "sheetType": "GRID",
                 "gridProperties": {"rowCount": self.rows, "columnCount": self.cols}}
        if self.hidden:
            props["hidden"] = True
        return props


@dataclass
class Spreadsheet:
    key: str
    title: str
    sheets: list[Sheet]
    created: str = field(default_factory=now_rfc3339)
    modified: str = ""
    denied: set[str] = field(default_factory=set)
    locale: str = "en_US"
    time_zone: str = "Etc/GMT"

    def __post_init__(self):
        self.modified = self.modified or self.created

    def touch(self) -> None:
        self.modified = now_rfc3339()

    def resource(self) -> dict:
        return {
            "spreadsheetId": self.key,
            "properties": {"title": self.title, "locale": self.locale, "autoRecalc": "ON_CHANGE",
                           "timeZone": self.time_zone},
            "sheets": [{"properties": s.properties(i)} for i, s in enumerate(self.sheets)],
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{self.key}/edit",
        }

    def drive_file(self) -> dict:
        return {"kind": "drive#file", "id": self.key, "name": self.title, "mimeType": SPREADSHEET_MIME,
                "createdTime": self.created, "modifiedTime": self.modified}

    def sheet_named(self, title: str) -> Sheet | None:
        return next((s for s in self.sheets if s.title.lower() == title.lower()), None)

    def resolve(self, text: str) -> tuple[Sheet, CellRange]:
        """The sheet and cells a range names, as Google reads it."""
        try:
            title, cells = split_title(text)
            if title is None:
                sheet = self.sheet_named(cells)
                if sheet is not None:
                    return sheet, CellRange(1, 1, None, None, False)
                return self.sheets[0], parse_cells(cells)
            sheet = self.sheet_named(title)
            if sheet is None:
                raise bad_range(text)
            if cells is None:
                return sheet, CellRange(1, 1, None, None, False)
            return sheet, parse_cells(cells)
        except RangeError:
            raise bad_range(text) from None

    def new_sheet_id(self) -> int:
        taken = {s.sheet_id for s in self.sheets}
        while True:
            candidate = random.randint(1, 2_000_000_000)
            if candidate not in taken:
                return candidate


def bounds(sheet: Sheet, cells: CellRange) -> tuple[int, int, int, int]:
    """(top, left, bottom, right) of a range, open ends closed at the grid's edge."""
    bottom = min(cells.end_row or sheet.rows, sheet.rows)
    right = min(cells.end_col or sheet.cols, sheet.cols)
    return cells.start_row, cells.start_col, bottom, right


def value_range(sheet: Sheet, cells: CellRange, option: str, major: str, dates: str = "SERIAL_NUMBER") -> dict:
    top, left, bottom, right = bounds(sheet, cells)
    rows = [[rendered(sheet.cell(r, c), option, dates) for c in range(left, right + 1)]
            for r in range(top, bottom + 1)]
    if major == "COLUMNS":
        rows = [list(col) for col in zip(*rows)] if rows else []
    trimmed = [trim(line) for line in rows]
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    answer = {"range": a1(sheet.title, top, left, bottom, right), "majorDimension": major}
    if trimmed:
        answer["values"] = trimmed
    return answer


def trim(line: list) -> list:
    line = list(line)
    while line and line[-1] == "":
        line.pop()
    return line


def write_block(sheet: Sheet, top: int, left: int, values: list, user_entered: bool) -> dict:
    """Write values from (top, left): "" clears a cell, null leaves it as it is (and is not counted)."""
    written = set()
    for r, line in enumerate(values):
        for c, raw in enumerate(line):
            if raw is not None:
                sheet.put(top + r, left + c, entered(raw, user_entered))
                written.add((r, c))
    width = max((len(line) for line in values), default=0)
    height = len(values)
    return {"updatedRange": a1(sheet.title, top, left, top + max(height, 1) - 1, left + max(width, 1) - 1),
            "updatedRows": len({r for r, _ in written}), "updatedColumns": len({c for _, c in written}),
            "updatedCells": len(written)}


def find_table(sheet: Sheet, cells: CellRange) -> tuple[int, int, int, int] | None:
    """The "table" values.append adds after, as Google detects it.

    Anchored at a filled cell: the table starts there, spans the filled cells to
    its right, and goes down while any of those columns is filled. Given a whole
    sheet: Google takes the last run of filled cells in the last filled row and
    goes up from there, so a blank cell in that row shifts the append right.
    """
    if not cells.has_cells:
        last = sheet.last_row()
        if not last:
            return None
        runs, c = [], 1
        while c <= sheet.cols:
            if sheet.filled(last, c):
                start = c
                while sheet.filled(last, c + 1):
                    c += 1
                runs.append((start, c))
            c += 1
        left, right = runs[-1]
        top = last
        while top > 1 and any(sheet.filled(top - 1, col) for col in range(left, right + 1)):
            top -= 1
        return top, left, last, right
    top, left, bottom_edge, right_edge = bounds(sheet, cells)
    anchor = next(((r, c) for r in range(top, bottom_edge + 1) for c in range(left, right_edge + 1)
                   if sheet.filled(r, c)), None) if not cells.single_cell() else (top, left)
    if anchor is None or not sheet.filled(*anchor):
        return None
    top, left = anchor
    right = left
    while sheet.filled(top, right + 1):
        right += 1
    bottom = top
    while any(sheet.filled(bottom + 1, col) for col in range(left, right + 1)):
        bottom += 1
    return top, left, bottom, right


# --- the fake --------------------------------------------------------------

@dataclass
class LogEntry:
    method: str
    path: str
    query: dict
    kind: str
    status: int = 0
    body: object = None
    time: float = field(default_factory=time.time)


@dataclass
class Fault:
    action: str  # "fail", "delay" or "drop"
    remaining: int
    path: str
    status: int = 0
    seconds: float = 0.0
    reason: str = ""

    def matches(self, path: str) -> bool:
        # Faults aim at the APIs: the token endpoint is hit only when asked for by path.
        if path.startswith("/token") and "/token" not in self.path:
            return False
        return self.remaining > 0 and self.path in path


class FakeSheets:
    """Fake Sheets/Drive API server. Use as a context manager, or start()/stop()."""

    def __init__(self, port: int = 0):
        self._lock = threading.RLock()
        self._spreadsheets: dict[str, Spreadsheet] = {}
        self._tokens: dict[str, tuple[str, int]] = {}  # token -> (client email, generation)
        self._generation = 0
        self._faults: list[Fault] = []
        self._down = False
        self.log: list[LogEntry] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "FakeSheets":
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fakesheets",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "FakeSheets":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- what a person does in the Google Sheets UI --

    def create_spreadsheet(self, title: str, tabs: dict[str, list[list]] | None = None,
                           key: str | None = None) -> str:
        with self._lock:
            key = key or new_id()
            book = Spreadsheet(key, title, [])
            for name in tabs or {"Sheet1": []}:
                book.sheets.append(Sheet(0 if not book.sheets else book.new_sheet_id(), name))
            self._spreadsheets[key] = book
            for name, rows in (tabs or {}).items():
                self.set_values(key, name, rows)
            return key

    def set_values(self, key: str, tab: str, rows: list[list]) -> None:
        """Replace a tab's contents as if typed by hand (creating the tab if needed)."""
        with self._lock:
            book = self._spreadsheets[key]
            sheet = book.sheet_named(tab)
            if sheet is None:
                sheet = Sheet(book.new_sheet_id(), tab)
                book.sheets.append(sheet)
            sheet.grid = []
            write_block(sheet, 1, 1, rows, user_entered=True)
            book.touch()

    def values(self, key: str, tab: str) -> list[list[str]]:
        """The tab as a person sees it, trailing blanks trimmed."""
        with self._lock:
            sheet = self._spreadsheets[key].sheet_named(tab)
            if sheet is None:
                raise KeyError(f"no tab {tab!r} in spreadsheet {key}")
            return value_range(sheet, CellRange(1, 1, None, None, False), "FORMATTED_VALUE", "ROWS").get("values", [])

    def tabs(self, key: str) -> list[str]:
        with self._lock:
            return [s.title for s in self._spreadsheets[key].sheets]

    def share_with(self, key: str, email: str) -> None:
        with self._lock:
            self._spreadsheets[key].denied.discard(email)

    def unshare(self, key: str, email: str) -> None:
        with self._lock:
            self._spreadsheets[key].denied.add(email)

    # -- faults and the log --

    def fail_next(self, count: int, status: int = 429, path: str = "", reason: str = "") -> None:
        """The next `count` matching requests answer Google's error envelope for `status`
        (reason="SERVICE_DISABLED" with 403: the API is not enabled for the project)."""
        self._add_fault(Fault("fail", count, path, status=status, reason=reason))

    def delay_next(self, count: int, seconds: float, path: str = "") -> None:
        """The next `count` matching requests are applied, then answered `seconds` late."""
        self._add_fault(Fault("delay", count, path, seconds=seconds))

    def drop_after_apply(self, count: int, path: str = ":append") -> None:
        """The next `count` matching requests are applied, then the connection closes unanswered."""
        self._add_fault(Fault("drop", count, path))

    def _add_fault(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def expire_tokens(self) -> None:
        with self._lock:
            self._generation += 1

    def down(self, is_down: bool = True) -> None:
        with self._lock:
            self._down = is_down

    def count(self, kind: str) -> int:
        with self._lock:
            return sum(1 for entry in self.log if entry.kind == kind)

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(path):
                    fault.remaining -= 1
                    return fault
            return None

    # -- the API --

    def handle(self, method: str, path: str, query: dict, headers, body: bytes) -> tuple[LogEntry, int, object, Fault | None]:
        """(log entry, status, JSON answer or None, fault to apply after answering)."""
        kind, route = route_for(method, path)
        entry = LogEntry(method, unquote(path), simple_query(query), kind)
        if body:
            try:
                entry.body = json.loads(body)
            except ValueError:
                entry.body = body.decode("utf-8", "replace")
        with self._lock:
            self.log.append(entry)
        fault = self._take_fault(entry.path)
        try:
            if fault and fault.action == "fail":
                raise error_for(fault.status, fault.reason)
            if route is None:
                raise ApiError(404, "Method not found.")
            if kind == "token":
                status, answer = 200, self._token(body)
            else:
                email = self._caller(headers)
                with self._lock:
                    if self._down:
                        raise ApiError(503)
                    status, answer = route(self, email, query, entry.body)
        except ApiError as error:
            status, answer = error.status, error.body
        entry.status = status
        return entry, status, answer, fault if fault and fault.action != "fail" else None

    def _token(self, body: bytes) -> dict:
        form = parse_qs(body.decode())
        assertion = form.get("assertion", [""])[0]
        try:
            payload = assertion.split(".")[1]
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except (IndexError, ValueError):
            raise ApiError(400, "Invalid JWT assertion.") from None
        token = "ya29.fake-" + secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = (claims.get("iss", ""), self._generation)
        return {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}

    def _caller(self, headers) -> str:
        auth = headers.get("Authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
        with self._lock:
            email, generation = self._tokens.get(token, ("", -1))
            if generation != self._generation:
                raise ApiError(401)
        return email

    def _book(self, key: str, email: str) -> Spreadsheet:
        book = self._spreadsheets.get(key)
        if book is None:
            raise ApiError(404)
        if email in book.denied:
            raise ApiError(403)
        return book


def simple_query(query: dict[str, list[str]]) -> dict:
    """One value as a string, a repeated parameter (batchGet's ranges) as a list."""
    return {k: v[0] if len(v) == 1 else v for k, v in query.items()}


# --- routes: each runs under the fake's lock and returns (status, answer) ---

def get_spreadsheet(fake, email, query, body, key):
    return 200, fake._book(key, email).resource()


def create_spreadsheet(fake, email, query, body):
    body = body or {}
    title = body.get("properties", {}).get("title", "Untitled spreadsheet")
    tabs = {s["properties"]["title"]: [] for s in body.get("sheets", []) if s.get("properties", {}).get("title")}
    key = fake.create_spreadsheet(title, tabs or None)
    return 200, fake._spreadsheets[key].resource()


def batch_update(fake, email, query, body, key):
    book = fake._book(key, email)
    replies = []
    for n, request in enumerate((body or {}).get("requests", [])):
        (name, args), = request.items()
        if name == "addSheet":
            replies.append({"addSheet": {"properties": add_sheet(book, args.get("properties", {}), n)}})
        elif name == "deleteSheet":
            book.sheets = [s for s in book.sheets if s.sheet_id != args.get("sheetId")]
            replies.append({})
        elif name == "updateSheetProperties":
            update_sheet(book, args, n)
            replies.append({})
        elif name == "appendDimension":
            append_dimension(book, args, n)
            replies.append({})
        elif name == "updateSpreadsheetProperties":
            props, fields = args.get("properties", {}), args.get("fields", "")
            for field_name, attribute in (("title", "title"), ("locale", "locale"), ("timeZone", "time_zone")):
                if field_name in fields.split(",") or fields == "*":
                    setattr(book, attribute, props.get(field_name, getattr(book, attribute)))
            replies.append({})
        else:
            raise ApiError(400, f"Invalid requests[{n}]: {name} is not supported by the fake.")
    book.touch()
    return 200, {"spreadsheetId": key, "replies": replies}


def add_sheet(book: Spreadsheet, props: dict, n: int) -> dict:
    title = props.get("title") or f"Sheet{len(book.sheets) + 1}"
    if book.sheet_named(title):
        raise ApiError(400, f'Invalid requests[{n}].addSheet: A sheet with the name "{title}" already exists. '
                            "Please enter another name.")
    grid = props.get("gridProperties", {})
    sheet = Sheet(props.get("sheetId", book.new_sheet_id()), title,
                  grid.get("rowCount", DEFAULT_ROWS), grid.get("columnCount", DEFAULT_COLS))
    book.sheets.insert(props.get("index", len(book.sheets)), sheet)
    return sheet.properties(book.sheets.index(sheet))


def grid_with_id(book: Spreadsheet, sheet_id, request: str) -> Sheet:
    sheet = next((s for s in book.sheets if s.sheet_id == sheet_id), None)
    if sheet is None:
        raise ApiError(400, f"Invalid {request}: No grid with id: {sheet_id}")
    return sheet


def append_dimension(book: Spreadsheet, args: dict, n: int) -> None:
    """Empty rows or columns added at the end of a tab's grid."""
    request = f"requests[{n}].appendDimension"
    sheet = grid_with_id(book, args.get("sheetId"), request)
    length, dimension = args.get("length"), args.get("dimension")
    if dimension not in ("ROWS", "COLUMNS"):
        raise ApiError(400, f"Invalid {request}: dimension must be ROWS or COLUMNS")
    if not isinstance(length, int) or length < 1:
        raise ApiError(400, f"Invalid {request}: length must be at least 1")
    if dimension == "ROWS":
        sheet.rows += length
    else:
        sheet.cols += length


def update_sheet(book: Spreadsheet, args: dict, n: int) -> None:
    props = args.get("properties", {})
    sheet = grid_with_id(book, props.get("sheetId"), f"requests[{n}].updateSheetProperties")
    fields = args.get("fields", "")
    grid = props.get("gridProperties", {})
    if "title" in fields or fields == "*":
        sheet.title = props.get("title", sheet.title)
    if "rowCount" in fields:
        sheet.rows = grid["rowCount"]
        del sheet.grid[sheet.rows:]
    if "columnCount" in fields:
        sheet.cols = grid["columnCount"]
        sheet.grid = [line[:sheet.cols] for line in sheet.grid]
    if "hidden" in fields:
        sheet.hidden = bool(props.get("hidden"))
        if all(s.hidden for s in book.sheets):
            sheet.hidden = False
            raise ApiError(400, f"Invalid requests[{n}].updateSheetProperties: "
                                "You can't hide all the sheets in a document.")
    if "index" in fields:
        book.sheets.remove(sheet)
        book.sheets.insert(props["index"], sheet)


def values_get(fake, email, query, body, key, range_text):
    sheet, cells = fake._book(key, email).resolve(range_text)
    return 200, value_range(sheet, cells, *render_options(query))


def values_batch_get(fake, email, query, body, key):
    book = fake._book(key, email)
    answers = []
    for text in query.get("ranges", []):
        sheet, cells = book.resolve(text)
        answers.append(value_range(sheet, cells, *render_options(query)))
    return 200, {"spreadsheetId": key, "valueRanges": answers}


def render_options(query) -> tuple[str, str, str]:
    return (query.get("valueRenderOption", ["FORMATTED_VALUE"])[0],
            query.get("majorDimension", ["ROWS"])[0],
            query.get("dateTimeRenderOption", ["SERIAL_NUMBER"])[0])


def input_values(query, body) -> tuple[list, bool]:
    option = query.get("valueInputOption", [""])[0]
    if option not in ("RAW", "USER_ENTERED"):
        raise ApiError(400, "'valueInputOption' is required but not specified")
    values = (body or {}).get("values")
    if not isinstance(values, list) or not all(isinstance(line, list) for line in values):
        message = f"Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), {json.dumps(values)}"
        raise ApiError(400, message, [{"@type": "type.googleapis.com/google.rpc.BadRequest",
                                        "fieldViolations": [{"field": "data.values", "description": message}]}])
    if (body or {}).get("majorDimension") == "COLUMNS":
        values = [list(col) for col in zip(*values)]
    return values, option == "USER_ENTERED"


def with_values(update: dict, sheet: Sheet, query) -> dict:
    if query.get("includeValuesInResponse", [""])[0].lower() == "true":
        cells = parse_cells(update["updatedRange"].rpartition("!")[2])
        update["updatedData"] = value_range(sheet, cells, query.get("responseValueRenderOption", ["FORMATTED_VALUE"])[0], "ROWS")
    return update


def values_update(fake, email, query, body, key, range_text):
    book = fake._book(key, email)
    values, user_entered = input_values(query, body)  # Google checks the body before the range
    sheet, cells = book.resolve(range_text)
    height, width = len(values), max((len(line) for line in values), default=0)
    if cells.start_row + height - 1 > sheet.rows or cells.start_col + width - 1 > sheet.cols:
        raise ApiError(400, f"Range ({range_text}) exceeds grid limits. Max rows: {sheet.rows}, "
                            f"max columns: {sheet.cols}")
    update = write_block(sheet, cells.start_row, cells.start_col, values, user_entered)
    book.touch()
    return 200, {"spreadsheetId": key, **with_values(update, sheet, query)}


def values_batch_update(fake, email, query, body, key):
    """Several ranges written in one request; every range is checked before any is written."""
    book = fake._book(key, email)
    body = body or {}
    option = body.get("valueInputOption", "")
    if option not in ("RAW", "USER_ENTERED"):
        raise ApiError(400, "'valueInputOption' is required but not specified")
    blocks = []
    for item in body.get("data", []):
        values, user_entered = input_values({"valueInputOption": [option]}, item)
        sheet, cells = book.resolve(item.get("range", ""))
        height, width = len(values), max((len(line) for line in values), default=0)
        if cells.start_row + height - 1 > sheet.rows or cells.start_col + width - 1 > sheet.cols:
            raise ApiError(400, f"Range ({item['range']}) exceeds grid limits. Max rows: {sheet.rows}, "
                                f"max columns: {sheet.cols}")
        blocks.append((sheet, cells, values, user_entered))
    responses = [{"spreadsheetId": key, **write_block(sheet, cells.start_row, cells.start_col, values, entered_)}
                 for sheet, cells, values, entered_ in blocks]
    book.touch()
    answer = {"spreadsheetId": key}
    if responses:
        answer.update({
            "totalUpdatedRows": sum(r["updatedRows"] for r in responses),
            "totalUpdatedColumns": max(r["updatedColumns"] for r in responses),
            "totalUpdatedCells": sum(r["updatedCells"] for r in responses),
            "totalUpdatedSheets": len({sheet.sheet_id for sheet, *_ in blocks}),
            "responses": responses})
    return 200, answer


def values_append(fake, email, query, body, key, range_text):
    book = fake._book(key, email)
    values, user_entered = input_values(query, body)
    sheet, cells = book.resolve(range_text)
    table = find_table(sheet, cells)
    answer = {"spreadsheetId": key}
    if table is None:
        top, left = cells.start_row, cells.start_col
    else:
        answer["tableRange"] = a1(sheet.title, *table)
        top, left = table[2] + 1, table[1]
    if query.get("insertDataOption", ["OVERWRITE"])[0] == "INSERT_ROWS":
        sheet.insert_rows(top, len(values))
    update = write_block(sheet, top, left, values, user_entered)
    book.touch()
    answer["updates"] = {"spreadsheetId": key, **with_values(update, sheet, query)}
    return 200, answer


def values_clear(fake, email, query, body, key, range_text):
    book = fake._book(key, email)
    sheet, cells = book.resolve(range_text)
    top, left, bottom, right = bounds(sheet, cells)
    for r in range(top, min(bottom, len(sheet.grid)) + 1):
        for c in range(left, min(right, len(sheet.grid[r - 1])) + 1):
            sheet.grid[r - 1][c - 1] = None
    book.touch()
    return 200, {"spreadsheetId": key, "clearedRange": a1(sheet.title, top, left, bottom, right)}


def drive_create(fake, email, query, body):
    body = body or {}
    if body.get("mimeType") != SPREADSHEET_MIME:
        raise ApiError(400, "The fake only creates spreadsheets.")
    key = fake.create_spreadsheet(body.get("name", "Untitled spreadsheet"))
    book = fake._spreadsheets[key]
    return 200, {k: v for k, v in book.drive_file().items() if k in ("kind", "id", "name", "mimeType")}


def drive_get(fake, email, query, body, key):
    return 200, drive_fields(fake._book(key, email).drive_file(), query)


def drive_list(fake, email, query, body):
    q = query.get("q", [""])[0]
    name = re.search(r'name\s*=\s*"((?:[^"\\]|\\.)*)"', q)
    files = [book.drive_file() for book in fake._spreadsheets.values() if email not in book.denied
             and (name is None or book.title == name.group(1).replace('\\"', '"'))]
    return 200, {"kind": "drive#fileList", "files": [drive_fields(f, query, inside="files") for f in files]}


def drive_delete(fake, email, query, body, key):
    fake._book(key, email)
    del fake._spreadsheets[key]
    return 204, None


def drive_fields(file: dict, query, inside: str = "") -> dict:
    """Drive answers only the fields asked for ("files(id,name)" inside a list)."""
    wanted = query.get("fields", [""])[0]
    if inside:
        match = re.search(inside + r"\(([^)]*)\)", wanted)
        wanted = match.group(1) if match else ""
    if not wanted:
        return {k: file[k] for k in ("kind", "id", "name", "mimeType")}
    return {k: file[k] for k in wanted.split(",") if k in file}


def allowed_locations(fake, email, query, body, account):
    """google-auth's regional access boundary lookup: no restriction."""
    return 200, {"locations": [], "encodedLocations": "0x0"}


_SPREADSHEET = r"/v4/spreadsheets/([^/:?]+)"
ROUTES = [
    ("POST", r"/token", "token", None),
    ("GET", r"/v1/projects/-/serviceAccounts/([^/]+)/allowedLocations", "iam", allowed_locations),
    ("POST", r"/v4/spreadsheets", "create", create_spreadsheet),
    ("GET", _SPREADSHEET, "get_spreadsheet", get_spreadsheet),
    ("POST", _SPREADSHEET + r":batchUpdate", "batch_update", batch_update),
    ("GET", _SPREADSHEET + r"/values:batchGet", "values_batch_get", values_batch_get),
    ("POST", _SPREADSHEET + r"/values:batchUpdate", "values_batch_update", values_batch_update),
    ("POST", _SPREADSHEET + r"/values/(.+):append", "values_append", values_append),
    ("POST", _SPREADSHEET + r"/values/(.+):clear", "values_clear", values_clear),
    ("GET", _SPREADSHEET + r"/values/(.+)", "values_get", values_get),
    ("PUT", _SPREADSHEET + r"/values/(.+)", "values_update", values_update),
    ("POST", r"/drive/v3/files", "drive", drive_create),
    ("GET", r"/drive/v3/files", "drive", drive_list),
    ("GET", r"/drive/v3/files/([^/]+)", "drive", drive_get),
    ("DELETE", r"/drive/v3/files/([^/]+)", "drive", drive_delete),
]


def route_for(method: str, path: str):
    """(kind, handler bound to the path's captures) for a raw (still percent-encoded) path."""
    for route_method, pattern, kind, handler in ROUTES:
        match = re.fullmatch(pattern, path)
        if match and method == route_method:
            if handler is None:
                return kind, True
            captures = [unquote(group) for group in match.groups()]
            return kind, lambda fake, email, query, body, h=handler, c=captures: h(fake, email, query, body, *c)
    return "unknown", None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One buffered write per answer and no Nagle: otherwise each keep-alive answer waits ~40 ms.
    wbufsize = -1
    disable_nagle_algorithm = True

    def log_message(self, *args) -> None:  # the fake's own log is enough
        pass

    def _serve(self) -> None:
        fake: FakeSheets = self.server.fake
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        entry, status, answer, fault = fake.handle(
            self.command, parts.path, parse_qs(parts.query, keep_blank_values=True), self.headers, body)
        if fault and fault.action == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault and fault.action == "delay":
            time.sleep(fault.seconds)
        payload = b"" if answer is None else json.dumps(answer, indent=2, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            if answer is not None:
                self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = _serve


@lru_cache(maxsize=1)
def _private_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def service_account_info(base_url: str, email: str = SERVICE_ACCOUNT_EMAIL) -> dict:
    """A service account's JSON fields whose token_uri is the fake's (key generated once per process)."""
    return {
        "type": "service_account",
        "project_id": "fake-project",
        "private_key_id": "fake-key-1",
        "private_key": _private_key_pem(),
        "client_email": email,
        "client_id": "100000000000000000000",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": base_url.rstrip("/") + "/token",
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/" + email,
        "universe_domain": "googleapis.com",
    }


def gspread_client(fake: "FakeSheets", timeout: float = 10.0, email: str = SERVICE_ACCOUNT_EMAIL):
    """A real gspread client, service-account credentials and all, talking to the fake."""
    import gspread
    from google.oauth2.service_account import Credentials

    from integrations.google_transport import route_google_to

    credentials = Credentials.from_service_account_info(
        service_account_info(fake.url, email), scopes=["https://www.googleapis.com/auth/spreadsheets",
                                                       "https://www.googleapis.com/auth/drive"])
    client = gspread.Client(credentials)
    route_google_to(client.http_client.session, fake.url)
    client.set_timeout(timeout)
    return client
