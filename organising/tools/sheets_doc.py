"""docs/SHEETS.md, generated from the forms so it never drifts from them.

Regenerate after changing a form: python -m organising sheets-doc
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Mapping

from ..cells import DateReader
from ..forms.spec import GOOGLE_FORMS_TIMESTAMP, Field, Form
from ..sheets import META_COLUMNS

REGENERATE = "python3 -m organising sheets-doc"
DOC = Path(__file__).resolve().parents[2] / "docs" / "SHEETS.md"
_META_TEXT = {
    "submission_id": "the submission's id; a row with an id already seen counts once",
    "submitted_at": f"when it was sent (UTC); a Google Form's `{GOOGLE_FORMS_TIMESTAMP}` column is read as it",
    "submitted_by": "who sent it",
    "form_version": "the form's version",
}
_INTRO = f"""# The tabs and columns the app expects

Generated from `config/forms/*.yaml` by `{REGENERATE}`; do not edit by hand
(a test fails when this file is out of date).

Each form writes one tab of the alliance's Google Sheet (or of the embedded
store). A hand-kept sheet may differ from what is listed here:

- **Headers** are matched trimmed and case-insensitive, with spaces and
  underscores alike (`Submission ID` is `submission_id`), by name, by any
  of the aliases below, or by the question itself (the last column below,
  unless it is worded like another column's name, alias or question), as a
  Google Form's responses tab titles its columns. The first matching
  column wins; a column the app does not know is kept and left alone, as is
  the order of the columns. **Connect your sheet** shows which header is
  read as which column.
- **Tabs** are matched by name, trimmed and case-insensitive. When importing
  an .xlsx download (`python3 -m organising import WORKBOOK.xlsx`) the
  characters Excel forbids in a tab name and separators are ignored too, so
  `1:1s` may arrive as `1_1s`.
- **Google Forms**: a form's `tab` may be the responses tab of a Google
  Form (`tab: Form Responses 1` in its YAML file). Its questions are matched
  to the form's by their wording (the *question* column below), its
  `Timestamp` is the submission time, and each response counts once: rows
  without a submission id are never merged, however alike.
- **Rows**: blank rows are fine (row numbers stay the sheet's). A row with
  a submission id an earlier row already has is a second copy: it counts
  once, and the copy is listed with the row of the first.
- **Cells** are read as below. A cell that cannot be read without guessing
  is listed on the **Data quality** page with its tab, sheet row, column, the
  cell as typed and why (for a choice: the choices it could have been); its
  row is left out of what needs that cell and counted wherever it does not.
  Data quality shows, for each tab, rows read = counted + left out.

Every tab also has the app's own columns, added at the end of the header:
"""


_CELLS = """## How cells are read

### Dates

Dates are read in the order of the alliance's locale (`locale` in
`config/settings.yaml`, here `{locale}`: {order}), the same for every row,
never guessed row by row:

- numbers: {numbers} (two-digit years: `00`-`69` are 2000-2069, `70`-`99`
  are 1970-1999); a year written first is always year, month, day:
  `2021/06/08`;
- with a time of day, as Google Forms writes its `Timestamp` and Sheets
  shows a date-time: {times};
- ISO 8601: `2021-06-08`, `2021-06-08 14:03`, `2021-06-08T14:03:22`; with
  an offset (`2021-06-08T23:30:00Z`, `+01:00`) it is the day it was in the
  alliance's time zone (`timezone`, here `{timezone}`; in London, 23:30 UTC
  on 8 June is already 9 June);
- month names, in English or the locale's language: {names}, with or
  without a time;
- Sheets serial numbers, with the time as a fraction (`44355`, `44355.75`),
  and dates or date-times a workbook holds as dates.

Listed instead: {listed}, a number outside 1990-2100, and any other words
(`{words}`).

### Choices

A select (*select one*, *select multiple*) is read by the choice's name,
its label or one of its aliases (listed below, in that order), whatever the
case, the spaces or the punctuation: `Coffee Hall & Beanhill`, `coffee hall
and beanhill` and `COFFEE_HALL_BEANHILL` are all `coffee_hall_beanhill`.
Aliases are set in `config/choices.yaml` or the form (`aliases: [CMK]`); two
choices of a list may not be typed the same way. Yes/no questions take the
`yes_no` list's aliases: `y`, `TRUE`, `1`, `✓`, `x` and `n`, `FALSE`, `0`.

Several answers of a *select multiple* are separated by commas, semicolons
or line breaks, as Google Forms writes checkboxes (`Housing, Health`); a
label that itself holds a comma is matched whole first.

Listed instead: an answer that is none of the choices, with the choices it
could have been (and the closest, when it looks misspelt). A question with
*Other* (the `other` choice) reads such an answer as Other, with the answer
as its text, as Google Forms writes an Other answer in the question's column;
it is listed only when it looks like a misspelt choice.

### Numbers

Whole numbers and head counts: `40`, `1,200`, `40.0`; approximate ones
(`approx 40`, `about 40`, `c. 40`, `~40`, `40+`) count as 40. Listed
instead: words (`forty`), a range (`10-15`: type one number), a negative
number, a fraction (`1.5`).
"""


def date_examples(dates: DateReader) -> dict[str, list[str]]:
    """8 June 2021 (14:03:22) as the doc shows it read, in the locale's order,
    and cells it lists instead; a test reads every one of them."""
    june_8 = dt.datetime(2021, 6, 8, 14, 3, 22)
    if dates.order == "ymd":
        numbers, times = ["2021-06-08", "2021/06/08", "2021.06.08"], ["2021-06-08 14:03:22", "2021/06/08 9:05"]
    else:
        day = "%-d/%-m/%Y" if dates.order == "dmy" else "%-m/%-d/%Y"
        numbers = [june_8.strftime(day), june_8.strftime(day.replace("-", "").replace("Y", "y")),
                   june_8.strftime(day.replace("/", ".")), june_8.strftime(day.replace("/", "-"))]
        times = [june_8.strftime(day.replace("-", "") + " %H:%M:%S"), f"{numbers[0]} 9:05",
                 f"{numbers[0]} 2:03:22 PM"]
    return {"numbers": numbers, "times": times,
            "names": ["8 June 2021", "8th June 2021", "June 8, 2021", "08-Jun-21", "Tue 8 June 2021"],
            "listed": ["31/02/2021", f"{numbers[0]} 25:00", "8/6", "June 2021", "next Tuesday"]}


def cells_section(dates: DateReader) -> str:
    """How cells are read, with the dates written in the alliance's locale."""
    examples = {kind: ", ".join(f"`{e}`" for e in found) for kind, found in date_examples(dates).items()}
    listed = date_examples(dates)["listed"]
    examples["listed"] = (f"a date that does not exist (`{listed[0]}`), a time that does not (`{listed[1]}`), a "
                          f"date without its year (`{listed[2]}`), a month without its day (`{listed[3]}`)")
    examples["words"] = listed[4]
    order = {"dmy": "day first", "mdy": "month first", "ymd": "year first"}[dates.order]
    return _CELLS.format(locale=dates.locale, order=order, timezone=dates.timezone, **examples)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "/")


def _values(field: Field) -> str:
    if field.choices_from is not None:
        return f"a row of the {field.choices_from.tab} tab"
    return ", ".join(f"`{c.name}` ({' / '.join(_cell(t) for t in dict.fromkeys([c.label, *c.aliases]))})"
                     for c in field.choices)


def _rows(field: Field) -> list[list[str]]:
    kind = field.type.replace("_", " ")
    if field.is_select:
        kind = f"{kind}: {_values(field)}" if _values(field) else kind
    kind += (f" (personal, about `{field.about}`)" if field.about else " (personal)") if field.personal else ""
    need = "yes" if field.required and field.relevant is None else "sometimes" if field.required else ""
    rows = [[f"`{field.name}`", ", ".join(f"`{a}`" for a in field.aliases), kind, need, _cell(field.label)]]
    if field.label_column:
        rows.append([f"`{field.label_column}`", "", "text", "", f"the label of the chosen {field.name}"])
    if field.wording_column:
        rows.append([f"`{field.wording_column}`", "", "text", "",
                     f"the wording of {field.name} as the person saw it when they answered"])
    return rows


def form_section(form: Form) -> str:
    source = f"config/forms/{Path(form.path).name}" if form.path else ""
    lines = [f"## Tab `{form.tab}`", "",
             f"Written by the form *{_cell(form.title)}*" + (f" (`{source}`)." if source else "."), "",
             "| column | also accepted as | what goes in it | needed | question |", "|---|---|---|---|---|"]
    for field in form.fields:
        if field.stored:
            lines += ["| " + " | ".join(row) + " |" for row in _rows(field)]
    return "\n".join(lines) + "\n"


def write_sheets_doc(forms: Mapping[str, Form], path: Path | None = None) -> Path:
    path = path or DOC
    path.write_text(sheets_markdown(forms), encoding="utf-8")
    return path


def sheets_markdown(forms: Mapping[str, Form]) -> str:
    """The whole document; tabs in name order so the file is stable."""
    sections = [form_section(f) for f in sorted(forms.values(), key=lambda f: (f.tab.casefold(), f.id))]
    needed = ("*needed*: `yes`, every row needs it; `sometimes`, only when the question is asked "
              "(it depends on another answer). *(personal)*: it names a person, holds their contact or their "
              "story, so it reaches coordinators only: never trustees, exports for them or outgoing messages.")
    meta = [f"- `{c}`: {_META_TEXT[c]}" for c in META_COLUMNS]
    dates = next(iter(forms.values())).dates if forms else DateReader()
    return "\n".join([_INTRO, *meta, "", needed, "", cells_section(dates), *sections])
