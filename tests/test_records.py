"""Tables a coordinator reads or downloads."""
import csv
import io

import pandas as pd

from organising.counting.records import csv_download


def test_a_downloaded_csv_shows_typed_formulas_as_text_and_keeps_numbers_and_accents():
    typed = ['=HYPERLINK("http://x")', "@home", "+44 7700 900123", "-2+3", "-1", "+1.5", "crèche", "plain"]
    data = csv_download(pd.DataFrame({"cell": typed, "Sheet row": range(2, 10)}))
    assert data.startswith("\ufeff".encode("utf-8"))  # Excel then reads it as UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["cell", "Sheet row"]
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://x\")", "'@home", "'+44 7700 900123", "'-2+3", "-1",
                                        "+1.5", "crèche", "plain"]
    assert [r[1] for r in rows[1:]] == [str(n) for n in range(2, 10)]
