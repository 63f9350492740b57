"""One error hierarchy for the whole package.

Everything a user can cause (a bad file, a busy store, a missing version) raises a
subclass of :class:`CcmError` whose message says what is wrong and what to do. Library
errors are translated where they happen (``raise ... from e``) so that no traceback ever
reaches the command line or a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .i18n import _, ngettext

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One located problem found while reading or validating input.

    Attributes:
        message: What is wrong and what to do, in plain words.
        file: The file's name as the user gave it.
        sheet: The sheet's name (None for CSV files).
        row: The row number as the user sees it in Excel (1-based, header included).
        column: The column's header as written in the file (or the dataset column).
        cell: The Excel cell reference such as ``C7`` when known.
        value: The offending value, as text.
        severity: ``error`` stops the load; ``warning`` is reported and the load goes on.
        state: For a row about a State, the State's name as written in the row.

    Written out (``str``), a problem names its place, then quotes the value, then says what is
    wrong: ``budget.csv, cell C5 (amount): -5,000 - a budget amount cannot be negative.``;
    ``states.csv, row 8 (Albania): listed twice, also on row 2; keep one row per state.``
    """

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    value: str | None = None
    severity: Severity = "error"
    state: str | None = None
    # The place in words, written when the problem is found, in the run's language (like the message).
    _place: str = field(default="", init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_place", self._where())

    def _where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(_("sheet {sheet}").format(sheet=self.sheet))
        if self.cell:
            what = ", ".join(x for x in (self.column, self.state) if x)
            parts.append(_("cell {cell} ({what})").format(cell=self.cell, what=what) if what
                         else _("cell {cell}").format(cell=self.cell))
        else:
            if self.row is not None:
                parts.append(_("row {row} ({state})").format(row=self.row, state=self.state) if self.state
                             else _("row {row}").format(row=self.row))
            if self.column:
                parts.append(_("column {column}").format(column=self.column))
        return ", ".join(parts)

    @property
    def location(self) -> str:
        """Where the problem is, e.g. ``budget.xlsx, sheet Spend, cell C7 (amount)`` (file, sheet, cell,
        column and State as written in the file; the words in the language the problem was found in)."""
        return self._place

    @property
    def text(self) -> str:
        """The message with the offending value quoted first, unless the message already quotes it
        or the value is the State's name already given in the place."""
        value = self.value
        if value is None or value == "" or value in self.message or value == self.state:
            return self.message
        return _("{value} - {message}").format(value=value, message=self.message)

    def __str__(self) -> str:
        where = self.location
        return _("{place}: {problem}").format(place=where, problem=self.text) if where else self.text

    def as_dict(self) -> dict:
        """The problem as a plain dict (for tables and JSON)."""
        return {
            "severity": self.severity,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "value": self.value,
            "state": self.state,
            "message": self.message,
        }


class CcmError(Exception):
    """Base class of every error a user can cause."""


@dataclass
class LoadError(CcmError):
    """Input files could not be loaded; nothing was stored.

    Attributes:
        problems: Every error found (all files, all rows), in file order.
        warnings: Warnings found alongside the errors.
    """

    problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._summary = self._summarise()
        super().__init__(self._summary)

    def _summarise(self) -> str:
        # lazy: formatting pulls pandas; errors is imported at CLI start
        from . import formatting as fmt

        n = len(self.problems)
        return ngettext("The data was not loaded: {n} problem found. Nothing was changed.",
                        "The data was not loaded: {n} problems found. Nothing was changed.", n).format(n=fmt.number(n))

    def summary(self) -> str:
        """One sentence for people, written when the error was raised (in the run's language)."""
        return self._summary

    def __str__(self) -> str:
        lines = [self.summary()]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class StoreError(CcmError):
    """The data store could not do what was asked."""


class StoreBusyError(StoreError):
    """Another program holds the store's file."""


class NothingToRollBack(StoreError):
    """There is no earlier version to return to."""


class UsageError(CcmError):
    """A command was called with arguments that do not make sense."""


class NotAllowed(CcmError):
    """This session may not change the data (see the Data page for why)."""
