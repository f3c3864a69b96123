"""Tables a coordinator reads or downloads."""
import csv
import io

import pandas as pd
from hypothesis import given, strategies as st

from organising.counting.records import csv_download, csv_text, spreadsheet_safe


def test_a_downloaded_csv_shows_typed_formulas_as_text_and_keeps_numbers_and_accents():
    typed = ['=HYPERLINK("http://x")', "@home", "+44 7700 900123", "-2+3", "-1", "+1.5", "crèche", "plain"]
    data = csv_download(pd.DataFrame({"cell": typed, "Sheet row": range(2, 10)}))
    assert data.startswith("\ufeff".encode("utf-8"))  # Excel then reads it as UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["cell", "Sheet row"]
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://x\")", "'@home", "'+44 7700 900123", "'-2+3", "-1",
                                        "+1.5", "crèche", "plain"]
    assert [r[1] for r in rows[1:]] == [str(n) for n in range(2, 10)]


HOSTILE_CELLS = ["a\r=1+1", "a\n=1+1", "a\r\n@SUM(A1)", "\r=1+1", '=HYPERLINK("http://127.0.0.1:9/x","click")',
                 'say "hi", then go', "tab\tinside", "+1", "-1", "ends with CR\r", "\u200b", ""]


def read_back(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_a_carriage_return_in_a_cell_keeps_it_one_cell_of_one_row_and_no_formula_escapes():
    frame = pd.DataFrame({"typed": HOSTILE_CELLS, "next": [f"row {i}" for i in range(len(HOSTILE_CELLS))]})
    rows = read_back(csv_download(frame))
    assert rows[0] == ["typed", "next"]
    assert rows[1:] == [[spreadsheet_safe(cell), f"row {i}"] for i, cell in enumerate(HOSTILE_CELLS)]
    assert [r[0] for r in rows[1:5]] == ["a\r=1+1", "a\n=1+1", "a\r\n@SUM(A1)", "'\r=1+1"]
    assert all(spreadsheet_safe(cell) == cell for row in rows for cell in row)  # nothing left would run


def test_blank_cells_download_empty():
    rows = read_back(csv_download(pd.DataFrame({"a": [None, float("nan"), pd.NA], "b": [1, 2.5, True]})))
    assert rows[1:] == [["", "1"], ["", "2.5"], ["", "True"]]


@given(st.lists(st.lists(st.text(), min_size=2, max_size=2), max_size=5))
def test_any_cells_read_back_as_written(cells):
    rows = read_back(csv_text(["a", "b"], cells).encode("utf-8"))
    assert rows == [["a", "b"], *([spreadsheet_safe(c) for c in row] for row in cells)]
