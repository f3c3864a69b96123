"""The fake Sheets API through the real gspread client: what the store relies on."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import gspread
import pytest
import requests

from tests.fakesheets import SERVICE_ACCOUNT_EMAIL, gspread_client

from .browser import REPO, free_port

APPEND = {"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"}


@pytest.fixture
def client(fake_sheets) -> gspread.Client:
    return gspread_client(fake_sheets, timeout=5)


def api_error(error: gspread.exceptions.APIError) -> dict:
    return error.response.json()["error"]


def test_an_expired_token_is_refreshed_and_the_call_goes_through(fake_sheets, client):
    key = fake_sheets.create_spreadsheet("Alliance", {"1:1s": [["listener"], ["Ann"]]})
    book = client.open_by_key(key)
    fake_sheets.expire_tokens()
    assert book.values_get("'1:1s'")["values"] == [["listener"], ["Ann"]]
    assert fake_sheets.count("token") == 2
    assert [e.status for e in fake_sheets.log if e.kind == "values_get"] == [401, 200]


def test_a_call_without_a_token_gets_googles_unauthenticated_envelope(fake_sheets):
    key = fake_sheets.create_spreadsheet("Alliance")
    answer = requests.get(f"{fake_sheets.url}/v4/spreadsheets/{key}", timeout=5)
    assert answer.status_code == 401
    assert answer.json()["error"]["status"] == "UNAUTHENTICATED"


def test_append_unanchored_after_a_blank_cell_shifts_right_but_anchored_at_a1_stays_under_the_table(
        fake_sheets, client):
    key = fake_sheets.create_spreadsheet("Alliance", {"Tab": [["id", "name", "note"], ["1", "", "x"]]})
    book = client.open_by_key(key)
    shifted = book.values_append("Tab", {"valueInputOption": "RAW"}, {"values": [["2", "Bo", "y"]]})
    assert shifted["tableRange"] == "Tab!C1:C2"
    assert shifted["updates"]["updatedRange"] == "Tab!C3:E3"
    anchored = book.values_append("'Tab'!A1", APPEND, {"values": [["3", "Cy", "z"]]})
    assert anchored["tableRange"].startswith("Tab!A1:")
    assert anchored["updates"]["updatedRange"] == "Tab!A4:C4"
    assert fake_sheets.values(key, "Tab")[-1] == ["3", "Cy", "z"]


def test_append_to_an_empty_tab_has_no_table_range(fake_sheets, client):
    key = fake_sheets.create_spreadsheet("Alliance", {"Tab": []})
    answer = client.open_by_key(key).values_append("'Tab'!A1", APPEND, {"values": [["id", "name"]]})
    assert "tableRange" not in answer
    assert answer["updates"]["updatedRange"] == "Tab!A1:B1"


def test_insert_rows_pushes_a_persons_notes_below_the_table_down_instead_of_overwriting(fake_sheets, client):
    key = fake_sheets.create_spreadsheet("Alliance", {"Tab": [["id"], ["1"], [], ["totals row"]]})
    client.open_by_key(key).values_append("'Tab'!A1", APPEND, {"values": [["2"]]})
    assert fake_sheets.values(key, "Tab") == [["id"], ["1"], ["2"], [], ["totals row"]]


def test_raw_keeps_text_verbatim_while_user_entered_parses_it_as_typed(fake_sheets, client):
    key = fake_sheets.create_spreadsheet("Alliance", {"Tab": [["a", "b", "c"]]})
    book = client.open_by_key(key)
    typed = [["=1+1", "02139", "8/6/2021"]]
    book.values_append("'Tab'!A1", APPEND, {"values": typed})
    book.values_append("'Tab'!A1", {**APPEND, "valueInputOption": "USER_ENTERED"}, {"values": typed})
    assert fake_sheets.values(key, "Tab")[1:] == [["=1+1", "02139", "8/6/2021"], ["2", "2139", "8/6/2021"]]
    unformatted = book.values_get("'Tab'!A2:C3", params={"valueRenderOption": "UNFORMATTED_VALUE"})
    assert unformatted["values"] == [["=1+1", "02139", "8/6/2021"], [2, 2139, 44414]]


def test_reads_omit_values_for_an_empty_range_and_trim_trailing_blanks(fake_sheets, client):
    key = fake_sheets.create_spreadsheet("Alliance", {"1:1s": [["a", "", ""], ["", "b", ""], ["", "", ""]]})
    answer = client.open_by_key(key).values_batch_get(["'1:1s'!A1:Z", "'1:1s'!A10:B"])
    first, empty = answer["valueRanges"]
    assert first == {"range": "'1:1s'!A1:Z1000", "majorDimension": "ROWS", "values": [["a"], ["", "b"]]}
    assert empty == {"range": "'1:1s'!A10:B1000", "majorDimension": "ROWS"}
    columns = client.open_by_key(key).values_get("'1:1s'!A1:B2", params={"majorDimension": "COLUMNS"})
    assert columns["values"] == [["a"], ["", "b"]]


@pytest.mark.parametrize("problem, status, google_status", [
    ("unknown tab", 400, "INVALID_ARGUMENT"),
    ("unknown spreadsheet", 404, "NOT_FOUND"),
    ("not shared", 403, "PERMISSION_DENIED"),
])
def test_errors_come_in_googles_envelope(fake_sheets, client, problem, status, google_status):
    key = fake_sheets.create_spreadsheet("Alliance")
    if problem == "not shared":
        fake_sheets.unshare(key, SERVICE_ACCOUNT_EMAIL)
    http = client.http_client
    with pytest.raises(gspread.exceptions.APIError) as raised:
        http.values_get("nope" if problem == "unknown spreadsheet" else key,
                        "'Missing'!A1" if problem == "unknown tab" else "Sheet1")
    error = api_error(raised.value)
    assert (error["code"], error["status"]) == (status, google_status)
    if problem == "unknown tab":
        assert error["message"] == "Unable to parse range: 'Missing'!A1"


def test_twenty_four_concurrent_appends_each_land_once(fake_sheets, client):
    key = fake_sheets.create_spreadsheet("Alliance", {"Tab": [["n"]]})
    book = client.open_by_key(key)

    def submit(n: int) -> None:
        book.values_append("'Tab'!A1", APPEND, {"values": [[f"row {n}"]]})

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows = [row[0] for row in fake_sheets.values(key, "Tab")[1:]]
    assert sorted(rows) == sorted(f"row {n}" for n in range(24))
    assert fake_sheets.count("values_append") == 24


def test_fault_switches_answer_like_google_then_recover(fake_sheets, client):
    key = fake_sheets.create_spreadsheet("Alliance", {"Tab": [["n"]]})
    book = client.open_by_key(key)
    fake_sheets.fail_next(1, 429, path=":append")
    with pytest.raises(gspread.exceptions.APIError) as raised:
        book.values_append("'Tab'!A1", APPEND, {"values": [["lost"]]})
    assert api_error(raised.value)["status"] == "RESOURCE_EXHAUSTED"
    assert api_error(raised.value)["details"][0]["reason"] == "RATE_LIMIT_EXCEEDED"
    fake_sheets.down(True)
    with pytest.raises(gspread.exceptions.APIError) as raised:
        book.values_get("Tab")
    assert api_error(raised.value)["status"] == "UNAVAILABLE"
    fake_sheets.down(False)
    assert book.values_get("Tab")["values"] == [["n"]]


def test_a_dropped_or_late_answer_still_applied_the_append(fake_sheets, client):
    key = fake_sheets.create_spreadsheet("Alliance", {"Tab": [["n"]]})
    book = client.open_by_key(key)
    fake_sheets.drop_after_apply(1)
    with pytest.raises(requests.ConnectionError):
        book.values_append("'Tab'!A1", APPEND, {"values": [["dropped"]]})
    client.set_timeout(0.3)
    fake_sheets.delay_next(1, 1.0, path=":append")
    with pytest.raises(requests.Timeout):
        book.values_append("'Tab'!A1", APPEND, {"values": [["late"]]})
    assert fake_sheets.values(key, "Tab") == [["n"], ["dropped"], ["late"]]


def test_append_dimension_widens_or_lengthens_a_grid_and_answers_an_empty_reply_per_request(fake_sheets, client):
    key = fake_sheets.create_spreadsheet("Alliance", {"Tab": [["a"]]})
    book = client.open_by_key(key)
    sheet_id = book.worksheet("Tab").id
    too_wide = {"values": [["z"] * 27]}
    with pytest.raises(gspread.exceptions.APIError) as raised:
        book.values_update("'Tab'!A2", {"valueInputOption": "RAW"}, too_wide)
    assert api_error(raised.value)["message"] == "Range ('Tab'!A2) exceeds grid limits. Max rows: 1000, max columns: 26"
    answer = book.batch_update({"requests": [
        {"appendDimension": {"sheetId": sheet_id, "dimension": "COLUMNS", "length": 2}},
        {"appendDimension": {"sheetId": sheet_id, "dimension": "ROWS", "length": 5}}]})
    assert answer == {"spreadsheetId": key, "replies": [{}, {}]}
    grid = client.open_by_key(key).worksheet("Tab")
    assert (grid.col_count, grid.row_count) == (28, 1005)
    book.values_update("'Tab'!A1005", {"valueInputOption": "RAW"}, too_wide)
    assert fake_sheets.values(key, "Tab")[-1] == ["z"] * 27


@pytest.mark.parametrize("request_args, message", [
    ({"sheetId": 999, "dimension": "ROWS", "length": 1}, "No grid with id: 999"),
    ({"dimension": "COLUMNS", "length": 0}, "length must be at least 1"),
    ({"length": 1}, "dimension must be ROWS or COLUMNS"),
])
def test_a_wrong_append_dimension_is_refused_and_changes_nothing(fake_sheets, client, request_args, message):
    key = fake_sheets.create_spreadsheet("Alliance", {"Tab": [["a"]]})
    book = client.open_by_key(key)
    args = {"sheetId": book.worksheet("Tab").id, **request_args}
    with pytest.raises(gspread.exceptions.APIError) as raised:
        book.batch_update({"requests": [{"appendDimension": args}]})
    error = api_error(raised.value)
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["message"] == f"Invalid requests[0].appendDimension: {message}"
    grid = client.open_by_key(key).worksheet("Tab")
    assert (grid.col_count, grid.row_count) == (26, 1000)


def test_open_by_title_goes_through_drive(fake_sheets, client):
    key = fake_sheets.create_spreadsheet("Alliance")
    assert client.open("Alliance").id == key
    assert fake_sheets.count("drive") >= 1


def test_the_fake_runs_alone_from_the_command_line(tmp_path):
    port = free_port()
    credentials = tmp_path / "service-account.json"
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.fakesheets", "--port", str(port), "--credentials", str(credentials),
         "--spreadsheet", "Alliance"], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        ready = json.loads(server.stdout.readline())
        assert ready["url"] == f"http://127.0.0.1:{port}"
        info = json.loads(credentials.read_text())
        assert info["token_uri"] == f"http://127.0.0.1:{port}/token"
        deadline = time.monotonic() + 10
        while True:
            try:
                answer = requests.get(f"{ready['url']}/v4/spreadsheets/{ready['spreadsheet_key']}", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "the fake did not start listening"
                time.sleep(0.1)
        assert answer.status_code == 401  # serving, and asking for a token like Google
    finally:
        server.terminate()
        server.wait(timeout=10)
