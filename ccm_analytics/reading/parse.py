"""From a raw grid to a typed dataset frame: header row, column names, cell types.

Every problem is located: file, sheet, the row as the user sees it in Excel, the column's
header as written, the cell reference and the value.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from .. import formatting as fmt
from ..errors import Problem
from ..i18n import _, ngettext
from ..schema import Dataset, header_key, header_lookup
from .cells import CONVERTERS, _number_shown, date_shown, is_blank
from . import textops
from .read import RawTable
from ..textsafe import CONTROL_RE2, strip_controls, visible

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
        amount = bool(column) and column in self.dataset.column_names and self.dataset.column(column).kind == "amount"
        rows = self.frame["_row"].to_numpy()
        names = (self.frame["state"].to_numpy(dtype=object)
                 if "state" in self.frame.columns and column != "state" else None)  # the State, unless it is the cell
        out = []
        for i, (pos, msg) in enumerate(zip(positions, messages)):
            if i == limit:
                out.append(Problem(
                    ngettext("… and {n} more row with the same kind of problem.",
                             "… and {n} more rows with the same kind of problem.", len(positions) - limit).format(
                        n=fmt.number(len(positions) - limit)),
                    file=self.file, sheet=self.sheet, column=header, severity=severity,
                ))
                break
            row = int(rows[pos])
            value = None
            if values is not None:
                v = values[i]
                value = None if is_blank(v) else _shown(v, amount)
            state = names[pos] if names is not None and isinstance(names[pos], str) and names[pos] else None
            out.append(Problem(
                msg, file=self.file, sheet=self.sheet, row=row, column=header,
                cell=f"{letter}{row}" if letter else None, value=value, severity=severity, state=state,
            ))
        return out

    def add(self, *args, **kwargs) -> None:
        self.problems += self.locate(*args, **kwargs)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def _shown(v, amount: bool = False) -> str:
    """A cell value as a person reads it: amounts with separators (-5,000, 12,500.5), other numbers
    as written (2018, not 2018.0), dates without a time."""
    if isinstance(v, (float, np.floating)) and amount:
        return _number_shown(float(v))
    if isinstance(v, (float, np.floating)) and float(v).is_integer() and abs(v) < 1e15:
        return str(int(v))
    if isinstance(v, (np.integer,)):
        return str(int(v))
    if isinstance(v, (pd.Timestamp, np.datetime64)):
        return date_shown(v) if v == pd.Timestamp(v).normalize() else str(v)
    return str(v)


def fill_merged(raw: RawTable) -> list[pd.Series]:
    """The columns with each merged range filled with its top-left value."""
    columns = list(raw.columns)
    r_off, c_off = raw.data_first_row - 1, raw.first_col
    for (r0, c0), (r1, c1) in raw.merged:
        r0, r1, c0, c1 = r0 - r_off, r1 - r_off, c0 - c_off, c1 - c_off
        if not (0 <= r0 < raw.height and 0 <= c0 < len(columns)):
            continue
        top = columns[c0].iloc[r0]
        for c in range(max(c0, 0), min(c1, len(columns) - 1) + 1):
            col = columns[c].copy() if textops.is_text(columns[c]) else columns[c].astype(object)
            col.iloc[r0:min(r1, raw.height - 1) + 1] = top
            columns[c] = col
    return columns


def find_header(rows: list[list], dataset: Dataset) -> tuple[int | None, dict[int, str], str | None]:
    """Locate the header row: the first of the first 10 rows with every required column.

    Args:
        rows: The first rows of the sheet (up to Excel row 10), from its first used row.

    Returns:
        (index into ``rows`` or None, {column index: canonical name}, reason when not found)
    """
    lookup = header_lookup(dataset)
    required = {c.name for c in dataset.required}
    best: tuple[int, int, set] = (-1, -1, set())
    for r, row in enumerate(rows):
        found = {lookup[header_key(v)] for v in row if not is_blank(v) and header_key(v) in lookup}
        if required <= found:
            mapping = {c: lookup[header_key(v)] for c, v in enumerate(row)
                       if not is_blank(v) and header_key(v) in lookup}
            return r, mapping, None
        score = len(found & required)
        if score > best[1]:
            best = (r, score, found)
    wanted = ", ".join(c.name for c in dataset.required)
    if best[1] > 0:
        lacking = sorted(required - best[2])
        reason = ngettext("row {row} looks like the header but lacks the required column {missing}. Required: "
                          "{wanted}. Add or rename the column (see the template).",
                          "row {row} looks like the header but lacks the required columns {missing}. Required: "
                          "{wanted}. Add or rename the columns (see the template).", len(lacking)).format(
                              row="{row}", missing=", ".join(lacking), wanted=wanted)
        return None, {best[0]: "?"}, reason
    reason = ngettext("no header row found in the first {n} row. The header must name the required columns: "
                      "{wanted} (see the template).",
                      "no header row found in the first {n} rows. The header must name the required columns: "
                      "{wanted} (see the template).", HEADER_SEARCH_ROWS).format(n=HEADER_SEARCH_ROWS, wanted=wanted)
    return None, {}, reason


def clean_controls(raw: RawTable) -> list[Problem]:
    """Remove control characters from every text cell of ``raw`` (in place), once, at the loader;
    one warning per cell changed (at most 25 per column, then a count).

    Tab and newline are kept (CR LF becomes LF); everything else below a space, DEL and the
    C1 range go: nothing downstream (exports, terminals, the dashboard) can break on them.
    """

    problems: list[Problem] = []
    where = {"file": raw.file, "sheet": raw.sheet, "severity": "warning"}
    if raw.header is not None:
        for c, name in enumerate(raw.header):
            if isinstance(name, str) and strip_controls(name) != name:
                problems.append(Problem(_("control characters (invisible codes such as ESC or BEL) were removed "
                                          "from this header."), cell=f"{column_letter(raw.first_col + c)}{raw.first_row}",
                                        value=visible(name), **where))
                raw.header[c] = strip_controls(name)
    for c, col in enumerate(raw.columns):
        if not textops.is_text(col):
            continue
        a = pc.replace_substring(textops.arrow(col), "\r\n", "\n")
        hit = pc.match_substring_regex(a, CONTROL_RE2).fill_null(False)
        if not pc.any(hit).as_py():
            continue
        positions = np.flatnonzero(hit.to_numpy(zero_copy_only=False))
        letter = column_letter(raw.first_col + c)
        for i, pos in enumerate(positions):
            if i == MAX_PROBLEMS_PER_COLUMN:
                problems.append(Problem(ngettext("… and {n} more cell in column {letter} had control characters "
                                                 "removed.",
                                                 "… and {n} more cells in column {letter} had control characters "
                                                 "removed.", len(positions) - i).format(n=fmt.number(len(positions) - i), letter=letter),
                                        column=letter, **where))
                break
            row = raw.data_first_row + int(pos)
            problems.append(Problem(_("control characters (invisible codes such as ESC or BEL, which break exports "
                                      "and terminals) were removed from this cell."), row=row, cell=f"{letter}{row}",
                                    value=visible(str(col.iloc[pos])), **where))
        raw.columns[c] = textops.series(pc.replace_substring_regex(a, CONTROL_RE2, ""), col.index)
    return problems


def parse_table(raw: RawTable, dataset: Dataset) -> ParsedTable:
    """Read one sheet/CSV as ``dataset``: header, typed columns, per-cell errors."""
    cleaned = clean_controls(raw)
    columns = fill_merged(raw)
    if raw.header is not None:  # typed columns under a first-row header
        head = [list(raw.header)]
    else:
        head_n = max(HEADER_SEARCH_ROWS - (raw.first_row - 1), 0)
        head = [[c.iloc[r] for c in columns] for r in range(min(head_n, raw.height))]
    header_idx, mapping, reason = find_header(head, dataset)
    table = ParsedTable(dataset, raw.file, raw.sheet, pd.DataFrame({"_row": pd.Series([], dtype="int64")}))
    table.problems += cleaned
    if header_idx is None:
        guess = next(iter(mapping), None)
        reason = reason.replace("{row}", str(raw.first_row + guess)) if guess is not None else reason
        table.problems.append(Problem(reason, file=raw.file, sheet=raw.sheet))
        empty = pd.Series([], dtype="str")
        table.frame = pd.DataFrame({"_row": pd.Series([], dtype="int64"),
                                    **{c.name: CONVERTERS[c.kind](empty).values for c in dataset.columns}})
        return table
    header_row = raw.first_row + header_idx  # Excel row number
    letters = {c: column_letter(raw.first_col + c) for c in range(len(columns))}
    seen = _map_header(table, head[header_idx], mapping, header_row, letters)

    skip = 0 if raw.header is not None else header_idx + 1
    body = [c.iloc[skip:].reset_index(drop=True) if skip else c for c in columns]
    rows = np.arange(header_row + 1, header_row + 1 + (raw.height - skip), dtype="int64")
    keep = _non_empty_rows(body, len(rows)) & ~(totals := _first_cell_matches(body, len(rows), TOTAL_ROW))
    table.frame = pd.DataFrame({"_row": rows})
    if totals.any():
        table.add(np.flatnonzero(totals), None,
                  _("this looks like a totals row; delete it (the dashboard computes totals)."))
    body = [c[keep].reset_index(drop=True) for c in body]
    table.frame = pd.DataFrame({"_row": rows[keep]})
    _check_headless_columns(table, raw, body, head[header_idx], mapping, letters)
    _check_error_cells(table, raw, seen, letters)

    frame = {"_row": table.frame["_row"]}
    n = int(keep.sum())
    for col in dataset.columns:
        c = seen.get(col.name)
        raw_values = body[c] if c is not None else pd.Series([None] * n, dtype="str")
        converted = CONVERTERS[col.kind](raw_values)
        frame[col.name] = converted.values.reset_index(drop=True)
        bad = np.flatnonzero(pd.notna(converted.errors))
        if len(bad):
            table.add(bad, col.name, list(converted.errors[bad]), values=list(raw_values.to_numpy()[bad]))
        if col.required and c is not None and col.name not in OPTIONAL_CELLS.get(dataset.name, ()):
            missing = np.flatnonzero(converted.empty)
            if len(missing):
                table.add(missing, col.name, _("{column} is empty; every row needs one.").format(column=col.name))
    table.frame = pd.DataFrame(frame)
    _name_states(table)
    return table


def _name_states(table: ParsedTable) -> None:
    """Give the problems found while converting cells the State of their row (as written)."""
    if "state" not in table.frame.columns or not table.problems:
        return

    names = dict(zip(table.frame["_row"].tolist(), table.frame["state"].tolist()))
    state_header = table.headers.get("state", (None, None))[0]
    table.problems = [
        replace(p, state=names[p.row]) if p.row in names and p.state is None and p.column != state_header
        and isinstance(names[p.row], str) and names[p.row] else p for p in table.problems]


# Required columns whose cells may be empty on some rows (checked by a dataset rule).
OPTIONAL_CELLS: dict[str, tuple[str, ...]] = {}
TOTAL_ROW = r"\s*(?:grand\s+)?(?:sub\s*)?totals?\b"


def _map_header(table: ParsedTable, cells: list, mapping: dict[int, str], header_row: int,
                letters: dict[int, str]) -> dict[str, int]:
    """Record each canonical column's header and letter; report duplicates and unknown columns."""
    _check_header_cells(table, cells, mapping, header_row, letters)
    seen: dict[str, int] = {}
    for c, name in sorted(mapping.items()):
        if name in seen:
            table.problems.append(Problem(
                _("the column '{column}' appears twice (columns {first} and {second}); delete one of them.").format(
                    column=name, first=letters[seen[name]], second=letters[c]),
                file=table.file, sheet=table.sheet, row=header_row, column=str(cells[c]).strip(),
                cell=f"{letters[c]}{header_row}",
            ))
        else:
            seen[name] = c
    table.headers = {name: (str(cells[c]).strip(), letters[c]) for name, c in seen.items()}
    return seen


def _non_empty_rows(columns: list[pd.Series], n: int) -> np.ndarray:
    """True for rows with at least one non-blank cell (vectorised per column)."""
    keep = np.zeros(n, dtype=bool)
    for col in columns:
        keep |= textops.filled(col)
    return keep


def _first_cell_matches(columns: list[pd.Series], n: int, pattern: str) -> np.ndarray:
    """True for rows whose first non-blank cell matches ``pattern`` (case-insensitive) from its start."""
    hit = np.zeros(n, dtype=bool)
    seen = np.zeros(n, dtype=bool)
    for col in columns:
        here = textops.filled(col) & ~seen
        if here.any():
            hit |= here & textops.matches(col, "^" + pattern, ignore_case=True)
        seen |= here
        if seen.all():
            break
    return hit


def _check_headless_columns(table: ParsedTable, raw: RawTable, body: list[pd.Series], header: list,
                            mapping: dict[int, str], letters: dict[int, str]) -> None:
    """Values in a column without a header: an error in a CSV (usually an unquoted "345,054"),
    a warning in a workbook (the values are ignored)."""
    for c, col in enumerate(body):
        if c in mapping or not is_blank(header[c]):
            continue
        filled_rows = np.flatnonzero(textops.filled(col))
        if not len(filled_rows):
            continue
        if raw.is_csv:
            table.add(filled_rows, None, _("this row has more values than the header has columns. A number written "
                                           "with a comma (345,054) must be in quotes or written without the comma."),
                      values=list(col.iloc[filled_rows]))
        else:
            table.problems.append(Problem(
                _("column {letter} has values but no header, so they were ignored. Give it a header from the "
                  "template, or delete it.").format(letter=letters[c]), file=table.file, sheet=table.sheet, column=letters[c], severity="warning"))


def _check_error_cells(table: ParsedTable, raw: RawTable, seen: dict[str, int], letters: dict[int, str]) -> None:
    """Excel error values (#REF!, #N/A, #DIV/0!) in the dataset's columns are errors, named by cell."""
    if not raw.error_cells:
        return
    data_rows = set(table.frame["_row"].tolist())
    columns = {raw.first_col + c: name for name, c in seen.items()}
    for (r, c), text in sorted(raw.error_cells.items()):
        if c in columns and r + 1 in data_rows:
            name = columns[c]
            table.problems.append(Problem(
                _("the cell holds the Excel error {error}; correct the formula or the value, or clear the cell.").format(
                    error=text),
                file=table.file, sheet=table.sheet, row=r + 1, column=table.headers[name][0],
                cell=f"{letters[c - raw.first_col]}{r + 1}", value=text))


def _check_header_cells(table: ParsedTable, cells: list, mapping: dict[int, str], header_row: int,
                        letters: dict[int, str]) -> None:
    """Warn about header cells that name no known column (they are ignored)."""
    known = [c.name for c in table.dataset.columns]
    for c, v in enumerate(cells):
        if is_blank(v) or c in mapping:
            continue
        text = str(v).strip()
        close = difflib.get_close_matches(header_key(text).replace(" ", "_"), known, n=1, cutoff=0.75)
        message = (_("the column '{column}' is not part of the {dataset} template and was ignored. Did you mean "
                     "'{suggestion}'?") if close else
                   _("the column '{column}' is not part of the {dataset} template and was ignored."))
        table.problems.append(Problem(
            message.format(column=text, dataset=table.dataset.name, suggestion=close[0] if close else ""),
            file=table.file, sheet=table.sheet, row=header_row, column=text,
            cell=f"{letters[c]}{header_row}", severity="warning",
        ))
