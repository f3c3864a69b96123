"""The embedded store: a spreadsheet-shaped SQLite file, so the app runs with
no Google account and behaves as the shared sheet will.

Each tab keeps its header as a list and each row as a list of cell text at
the sheet row it would occupy. Appends run in an IMMEDIATE transaction with a
unique index on (tab, submission id), so concurrent submitters each land
exactly once and a retried submission is stored once.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from organising.sheets import (SUBMISSION_ID, AppendResult, AppendsOneAsMany, CellEdit, EditResult, Tab, column_index,
                               edited_row, missing_columns, one_copy_each, place_edit, row_cells)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tabs (
    name TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    header TEXT NOT NULL            -- JSON list of header cells
);
CREATE TABLE IF NOT EXISTS rows (
    tab TEXT NOT NULL REFERENCES tabs(name),
    row_number INTEGER NOT NULL,    -- sheet row: 2 is the first below the header
    cells TEXT NOT NULL,            -- JSON list of cell text
    submission_id TEXT,
    PRIMARY KEY (tab, row_number)
);
CREATE UNIQUE INDEX IF NOT EXISTS rows_submission
    ON rows(tab, submission_id) WHERE submission_id IS NOT NULL AND submission_id != '';
"""


class SQLiteStore(AppendsOneAsMany):
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            # WAL lets dashboards read while a volunteer's append commits.
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
        finally:
            db.close()

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r})"

    @contextmanager
    def _connect(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        # A connection per operation: sqlite3 connections must not be shared
        # across threads, and Streamlit serves each viewer on its own thread.
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout=30000")
            db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()

    # -- reads ----------------------------------------------------------------

    def tab_names(self) -> list[str]:
        with self._connect() as db:
            return [r[0] for r in db.execute("SELECT name FROM tabs ORDER BY position")]

    def read_tabs(self, names: Sequence[str]) -> dict[str, Tab]:
        texts: dict[str, str] = {}  # each distinct cell text once, across the tabs read
        with self._connect() as db:  # one snapshot for every tab asked for
            return {name: self._read(db, name, texts) for name in dict.fromkeys(names)}

    @staticmethod
    def _read(db: sqlite3.Connection, name: str, texts: dict[str, str] | None = None) -> Tab:
        found = db.execute("SELECT header FROM tabs WHERE name = ?", (name,)).fetchone()
        if not found:
            return Tab(name)
        rows: list[list[str]] = []
        found_rows = db.execute("SELECT row_number, cells FROM rows WHERE tab = ? ORDER BY row_number", (name,))
        # A thousand rows at a time, each thousand as one JSON document: a parse per row costs twice
        # as much, and the whole tab at once would hold every cell's text twice before one_copy_each
        # keeps one of each.
        while chunk := found_rows.fetchmany(1000):
            decoded = one_copy_each(json.loads(f"[{','.join(cells for _, cells in chunk)}]"), texts)
            for (number, _), row in zip(chunk, decoded):
                while Tab.sheet_row(len(rows)) < number:
                    rows.append([])  # a blank row, kept so row numbers stay the sheet's
                rows.append(row)
        return Tab(name, json.loads(found[0]), rows)

    def waiting_rows(self) -> dict[str, list[dict[str, str]]]:
        return {}  # every submission is in its tab at once

    # -- writes ---------------------------------------------------------------

    def _header(self, db: sqlite3.Connection, tab: str) -> list[str] | None:
        found = db.execute("SELECT header FROM tabs WHERE name = ?", (tab,)).fetchone()
        return json.loads(found[0]) if found else None

    def _ensure(self, db: sqlite3.Connection, tab: str, headers: Sequence[str],
                aliases: Mapping[str, Sequence[str]]) -> tuple[list[str], list[str]]:
        current = self._header(db, tab)
        if current is None:
            position = db.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM tabs").fetchone()[0]
            header = list(dict.fromkeys(headers))
            db.execute("INSERT INTO tabs(name, position, header) VALUES (?, ?, ?)",
                       (tab, position, json.dumps(header)))
            return header, header
        added = missing_columns(current, headers, aliases)
        header = current + added
        if added:
            db.execute("UPDATE tabs SET header = ? WHERE name = ?", (json.dumps(header), tab))
        return header, added

    def ensure_tab(self, tab: str, headers: Sequence[str],
                   aliases: Mapping[str, Sequence[str]] | None = None) -> list[str]:
        with self._connect(write=True) as db:
            return self._ensure(db, tab, headers, aliases or {})[1]

    def append_rows(self, tab: str, items: Sequence[tuple[str, Mapping[str, str]]],
                    aliases: Mapping[str, Sequence[str]] | None = None) -> list[AppendResult]:
        aliases = aliases or {}
        results = []
        with self._connect(write=True) as db:
            names = [*(n for _, record in items for n in record), SUBMISSION_ID]
            header, _ = self._ensure(db, tab, list(dict.fromkeys(names)), aliases)
            where = {n: column_index(header, n, aliases.get(n, ())) for n in header + names}
            last = db.execute("SELECT COALESCE(MAX(row_number), 1) FROM rows WHERE tab = ?", (tab,)).fetchone()[0]
            for submission_id, record in items:
                # The index holds only rows with an id: say so, or SQLite scans the tab.
                if db.execute("SELECT 1 FROM rows WHERE tab = ? AND submission_id = ? AND submission_id != ''",
                              (tab, submission_id)).fetchone():
                    results.append(AppendResult(tab, submission_id, stored=False))
                    continue
                cells = row_cells(len(header), where, record, submission_id)
                last += 1
                db.execute("INSERT INTO rows(tab, row_number, cells, submission_id) VALUES (?, ?, ?, ?)",
                           (tab, last, json.dumps(cells, ensure_ascii=False), submission_id))
                results.append(AppendResult(tab, submission_id, stored=True))
        return results

    def edit_cells(self, edits: Sequence[CellEdit]) -> list[EditResult]:
        results = []
        with self._connect(write=True) as db:  # placed and written in one transaction
            for name in dict.fromkeys(e.tab for e in edits):
                tab = self._read(db, name)
                changed: dict[int, list[str]] = {}
                for edit in (e for e in edits if e.tab == name):
                    index, column, problem = place_edit(tab, edit)
                    if problem or index is None or column is None:
                        results.append(EditResult(edit, None, problem))
                        continue
                    changed[index] = edited_row(changed.get(index, tab.rows[index]), column, edit.after)
                    results.append(EditResult(edit, tab.sheet_row(index)))
                for index, cells in changed.items():
                    db.execute("UPDATE rows SET cells = ? WHERE tab = ? AND row_number = ?",
                               (json.dumps(cells, ensure_ascii=False), name, tab.sheet_row(index)))
        return results

    def put_tab(self, tab: Tab) -> None:
        """Replace a whole tab with what a person typed (a spreadsheet
        imported from .xlsx, or a hand edit in tests). The app itself only
        appends; this is the one way a tab's existing rows change."""
        with self._connect(write=True) as db:
            if self._header(db, tab.name) is None:
                self._ensure(db, tab.name, tab.header, {})
            db.execute("UPDATE tabs SET header = ? WHERE name = ?", (json.dumps(list(tab.header)), tab.name))
            db.execute("DELETE FROM rows WHERE tab = ?", (tab.name,))
            id_col = column_index(tab.header, SUBMISSION_ID)
            seen: set[str] = set()
            for index, row in enumerate(tab.rows):
                if not any(str(c).strip() for c in row):
                    continue
                cells = [str(c) for c in row]
                sid = cells[id_col].strip() if id_col is not None and id_col < len(cells) else ""
                # A sheet may hold a pasted duplicate: keep the row as typed,
                # index only the first (counting de-duplicates by the cell).
                if sid in seen:
                    sid = ""
                seen.add(sid)
                db.execute("INSERT INTO rows(tab, row_number, cells, submission_id) VALUES (?, ?, ?, ?)",
                           (tab.name, Tab.sheet_row(index), json.dumps(cells, ensure_ascii=False), sid or None))
