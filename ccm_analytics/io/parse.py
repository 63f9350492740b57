"""From a raw grid to a typed dataset frame: header row, column names, cell types.

Every problem is located: file, sheet, the row as the user sees it in Excel, the column's
header as written, the cell reference and the value.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import Problem
from ..schema import Dataset, header_key, header_lookup
from .cells import CONVERTERS, is_blank
from .read import RawTable

HEADER_SEARCH_ROWS = 10
MAX_PROBLEMS_PER_COLUMN = 25


def column_letter(index: int) -> str:
    """Excel column letters for a 0-based index (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class ParsedTable:
    """One dataset read from one sheet or CSV file.

    Attributes:
        dataset: The dataset's definition.
        file: File name; sheet: sheet name (None for CSV).
        frame: Typed columns of the dataset plus ``_row`` (the Excel row of each record).
        headers: Canonical column -> (header as written, column letter).
        problems: Errors and warnings found so far.
    """

    dataset: Dataset
    file: str
    sheet: str | None
    frame: pd.DataFrame
    headers: dict[str, tuple[str, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def locate(self, positions, column: str | None, messages, severity="error", values=None,
               limit: int = MAX_PROBLEMS_PER_COLUMN) -> list[Problem]:
        """Problems for the records at ``positions`` (0-based, in ``frame``), capped at ``limit``.

        ``messages`` is one message for all, or one per position. When more records are
        affected than ``limit``, one more problem says how many were not listed.
        """
        positions = list(positions)
        if isinstance(messages, str):
            messages = [messages] * len(positions)
        header, letter = self.headers.get(column, (column, None)) if column else (None, None)
        rows = self.frame["_row"].to_numpy()
        out = []
        for i, (pos, msg) in enumerate(zip(positions, messages)):
            if i == limit:
                out.append(Problem(
                    f"... and {len(positions) - limit} more rows with the same kind of problem.",
                    file=self.file, sheet=self.sheet, column=header, severity=severity,
                ))
                break
            row = int(rows[pos])
            value = None
            if values is not None:
                v = values[i]
                value = None if is_blank(v) else str(v)
            out.append(Problem(
                msg, file=self.file, sheet=self.sheet, row=row, column=header,
                cell=f"{letter}{row}" if letter else None, value=value, severity=severity,
            ))
        return out

    def add(self, *args, **kwargs) -> None:
        self.problems += self.locate(*args, **kwargs)

    def table_problem(self, message: str, severity="error", column: str | None = None) -> None:
        header = self.headers.get(column, (column,))[0] if column else None
        self.problems.append(Problem(message, file=self.file, sheet=self.sheet, column=header, severity=severity))

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def fill_merged(raw: RawTable) -> list[list]:
    """The grid with each merged range filled with its top-left value."""
    rows = raw.rows
    for (r0, c0), (r1, c1) in raw.merged:
        if r0 >= len(rows):
            continue
        top = rows[r0][c0] if c0 < len(rows[r0]) else None
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    row[c] = top
    return rows


def find_header(rows: list[list], dataset: Dataset) -> tuple[int | None, dict[int, str], str | None]:
    """Locate the header row: the first of the first 10 rows with every required column.

    Returns:
        (row index or None, {column index: canonical name}, reason when not found)
    """
    lookup = header_lookup(dataset)
    required = {c.name for c in dataset.required}
    best: tuple[int, int, set] = (-1, -1, set())
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = {lookup[header_key(v)] for v in row if not is_blank(v) and header_key(v) in lookup}
        if required <= found:
            mapping = {}
            for c, v in enumerate(row):
                if not is_blank(v) and header_key(v) in lookup:
                    mapping[c] = lookup[header_key(v)]
            return r, mapping, None
        score = len(found & required)
        if score > best[1]:
            best = (r, score, found)
    wanted = ", ".join(c.name for c in dataset.required)
    if best[1] > 0:
        missing = ", ".join(sorted(required - best[2]))
        reason = (f"row {best[0] + 1} looks like the header but lacks the required column(s) {missing}. "
                  f"Required: {wanted}. Add or rename the column (see the template).")
    else:
        reason = (f"no header row found in the first {HEADER_SEARCH_ROWS} rows. The header must name the "
                  f"required columns: {wanted} (see the template).")
    return None, {}, reason


def parse_table(raw: RawTable, dataset: Dataset) -> ParsedTable:
    """Read one sheet/CSV as ``dataset``: header, typed columns, per-cell errors."""
    rows = fill_merged(raw)
    header_row, mapping, reason = find_header(rows, dataset)
    table = ParsedTable(dataset, raw.file, raw.sheet, pd.DataFrame({"_row": pd.Series([], dtype="int64")}))
    if header_row is None:
        table.problems.append(Problem(reason, file=raw.file, sheet=raw.sheet))
        empty = pd.Series([], dtype=object)
        table.frame = pd.DataFrame({"_row": pd.Series([], dtype="int64"),
                                    **{c.name: CONVERTERS[c.kind](empty).values for c in dataset.columns}})
        return table
    seen = _map_header(table, rows[header_row], mapping, header_row)

    grid = _body(rows, header_row)
    totals = _matches(grid, TOTAL_ROW)
    table.frame = pd.DataFrame({"_row": grid.index.to_numpy(dtype="int64")})
    if totals.any():
        table.add(np.flatnonzero(totals), None,
                  "this looks like a totals row; delete it (the dashboard computes totals).")
        grid = grid[~totals]
        table.frame = pd.DataFrame({"_row": grid.index.to_numpy(dtype="int64")})

    frame = {"_row": table.frame["_row"]}
    for col in dataset.columns:
        c = seen.get(col.name)
        if c is not None and c in grid.columns:
            raw_values = grid[c].reset_index(drop=True)
        else:
            raw_values = pd.Series([None] * len(grid), dtype=object)
        converted = CONVERTERS[col.kind](raw_values)
        frame[col.name] = converted.values.reset_index(drop=True)
        bad = np.flatnonzero(pd.notna(converted.errors))
        if len(bad):
            table.add(bad, col.name, list(converted.errors[bad]), values=list(raw_values.to_numpy()[bad]))
        if col.required and c is not None and col.name not in OPTIONAL_CELLS.get(dataset.name, ()):
            missing = np.flatnonzero(converted.empty)
            if len(missing):
                table.add(missing, col.name, f"{col.name} is empty; every row needs one.")
    table.frame = pd.DataFrame(frame)
    return table


# Required columns whose cells may be empty on some rows (checked by a dataset rule).
OPTIONAL_CELLS: dict[str, tuple[str, ...]] = {}
TOTAL_ROW = r"\s*(?:grand\s+)?(?:sub\s*)?totals?\b"


def _map_header(table: ParsedTable, cells: list, mapping: dict[int, str], header_row: int) -> dict[str, int]:
    """Record each canonical column's header and letter; report duplicates and unknown columns."""
    _check_header_cells(table, cells, mapping, header_row)
    seen: dict[str, int] = {}
    for c, name in sorted(mapping.items()):
        if name in seen:
            table.problems.append(Problem(
                f"the column '{name}' appears twice (columns {column_letter(seen[name])} and "
                f"{column_letter(c)}); delete one of them.",
                file=table.file, sheet=table.sheet, row=header_row + 1, column=str(cells[c]).strip(),
                cell=f"{column_letter(c)}{header_row + 1}",
            ))
        else:
            seen[name] = c
    table.headers = {name: (str(cells[c]).strip(), column_letter(c)) for name, c in seen.items()}
    return seen


def _body(rows: list[list], header_row: int) -> pd.DataFrame:
    """The rows below the header as an object frame indexed by Excel row, blank rows dropped."""
    body = rows[header_row + 1:]
    width = max((len(r) for r in body), default=0)
    grid = pd.DataFrame(body, columns=range(width), dtype=object)
    grid.index = np.arange(header_row + 2, header_row + 2 + len(grid))
    return grid[_non_empty_rows(grid)]


def _text(col: pd.Series) -> pd.Series | None:
    """The column's string cells (others NaN), or None when it has no strings."""
    if pd.api.types.infer_dtype(col.to_numpy(dtype=object), skipna=True) not in ("string", "mixed", "mixed-integer"):
        return None
    return col.str


def _non_empty_rows(grid: pd.DataFrame) -> np.ndarray:
    """True for rows with at least one non-blank cell (vectorised per column)."""
    keep = np.zeros(len(grid), dtype=bool)
    for c in grid.columns:
        col = grid[c]
        filled = col.notna().to_numpy().copy()
        text = _text(col)
        if text is not None:
            filled &= ~text.strip().eq("").to_numpy(dtype=bool)
        keep |= filled
    return keep


def _matches(grid: pd.DataFrame, pattern: str) -> np.ndarray:
    """True for rows where some text cell matches ``pattern`` (case-insensitive) from its start."""
    hit = np.zeros(len(grid), dtype=bool)
    for c in grid.columns:
        text = _text(grid[c])
        if text is not None:
            hit |= text.match(pattern, case=False, na=False).to_numpy(dtype=bool)
    return hit


def _check_header_cells(table: ParsedTable, cells: list, mapping: dict[int, str], header_row: int) -> None:
    """Warn about header cells that name no known column (they are ignored)."""
    known = [c.name for c in table.dataset.columns]
    for c, v in enumerate(cells):
        if is_blank(v) or c in mapping:
            continue
        text = str(v).strip()
        close = difflib.get_close_matches(header_key(text).replace(" ", "_"), known, n=1, cutoff=0.75)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        table.problems.append(Problem(
            f"the column '{text}' is not part of the {table.dataset.name} template and was ignored.{hint}",
            file=table.file, sheet=table.sheet, row=header_row + 1, column=text,
            cell=f"{column_letter(c)}{header_row + 1}", severity="warning",
        ))
