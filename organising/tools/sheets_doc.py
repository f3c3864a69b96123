"""docs/SHEETS.md, generated from the forms so it never drifts from them.

Regenerate after changing a form: python -m organising sheets-doc
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

from ..forms.spec import Field, Form
from ..sheets import META_COLUMNS

REGENERATE = "python3 -m organising sheets-doc"
DOC = Path(__file__).resolve().parents[2] / "docs" / "SHEETS.md"
_META_TEXT = {
    "submission_id": "the submission's id; a row with an id already seen counts once",
    "submitted_at": "when it was sent (UTC)",
    "submitted_by": "who sent it",
    "form_version": "the form's version",
}
_INTRO = f"""# The tabs and columns the app expects

Generated from `config/forms/*.yaml` by `{REGENERATE}`; do not edit by hand
(a test fails when this file is out of date).

Each form writes one tab of the alliance's Google Sheet (or of the embedded
store). A hand-kept sheet may differ from what is listed here:

- **Headers** are matched trimmed and case-insensitive, with spaces and
  underscores alike (`Submission ID` is `submission_id`), by name or by any
  of the aliases below. The first matching column wins; a column the app
  does not know is kept and left alone, as is the order of the columns.
- **Tabs** are matched by name, trimmed and case-insensitive. When importing
  an .xlsx download (`python3 -m organising import WORKBOOK.xlsx`) the
  characters Excel forbids in a tab name and separators are ignored too, so
  `1:1s` may arrive as `1_1s`.
- **Cells** are read as typed: dates day first (`8/6/2021`, `08-Jun-21`,
  `8 June 2021`, `2021-06-08`, Sheets serial numbers); yes/no as `Yes`, `y`,
  `TRUE`, `✓`, `x`; counts as `40`, `1,200`, `approx 40`, `40+`. A cell that
  cannot be read without guessing leaves its row out of the figures and is
  listed on the Data quality page with its tab, sheet row and column.
- **Blank rows** are fine: row numbers stay the sheet's.

Every tab also has the app's own columns, added at the end of the header:
"""


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "/")


def _values(field: Field) -> str:
    if field.choices_from is not None:
        return f"a row of the {field.choices_from.tab} tab"
    return ", ".join(f"`{c.name}`" for c in field.choices)


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
    return "\n".join([_INTRO, *meta, "", needed, "", *sections])
