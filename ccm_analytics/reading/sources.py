"""Input files: what the user gave us, as bytes with a name and a fingerprint."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LoadError, Problem
from ..i18n import N_, _
from ..textsafe import strip_controls
from .guard import size_problem

SUPPORTED_SUFFIXES = (".xlsx", ".csv")
SUPPORTED_TEXT = N_("Excel workbooks (.xlsx) and CSV files (.csv)")
# Formats people save by accident, with what to do about each.
_OTHER_FORMATS = {
    ".xls": N_("this is an old Excel 97-2003 workbook, which cannot be read. Supported: {supported}. In Excel, use "
               "File > Save As > Excel Workbook (.xlsx) or CSV UTF-8."),
    ".xlsb": N_("this is a binary Excel workbook, which cannot be read. Supported: {supported}. In Excel, use "
                "File > Save As > Excel Workbook (.xlsx) or CSV UTF-8."),
    ".xlsm": N_("this is a macro-enabled Excel workbook, which cannot be read. Supported: {supported}. In Excel, use "
                "File > Save As > Excel Workbook (.xlsx) or CSV UTF-8."),
    ".ods": N_("this is an OpenDocument spreadsheet, which cannot be read. Supported: {supported}. In Excel, use "
               "File > Save As > Excel Workbook (.xlsx) or CSV UTF-8."),
    ".numbers": N_("this is an Apple Numbers file, which cannot be read. Supported: {supported}. In Excel, use "
                   "File > Save As > Excel Workbook (.xlsx) or CSV UTF-8."),
    ".tsv": N_("this is a tab-separated file, which cannot be read. Supported: {supported}. In Excel, use "
               "File > Save As > Excel Workbook (.xlsx) or CSV UTF-8."),
    ".txt": N_("this is a text file, which cannot be read. Supported: {supported}. In Excel, use "
               "File > Save As > Excel Workbook (.xlsx) or CSV UTF-8."),
}


@dataclass(frozen=True)
class Source:
    """One input file held in memory.

    Attributes:
        name: The file name shown in messages (no folders).
        data: The file's bytes.
    """

    name: str
    data: bytes = field(repr=False)

    def __post_init__(self) -> None:  # a name is shown everywhere: no control characters in it

        object.__setattr__(self, "name", strip_controls(self.name).replace("\n", " "))

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.casefold()

    @property
    def stem(self) -> str:
        return Path(self.name).stem

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)

    @classmethod
    def from_path(cls, path: str | Path) -> "Source":
        p = Path(path)
        try:
            return cls(p.name, p.read_bytes())
        except OSError as e:
            raise LoadError([Problem(_("could not read the file: {reason}.").format(reason=e.strerror or e),
                                     file=str(p))]) from e


def unsupported_format(source_name: str) -> Problem | None:
    """A problem if the file's extension is not one we read, else None."""
    suffix = Path(source_name).suffix.casefold()
    if suffix in SUPPORTED_SUFFIXES:
        return None
    if suffix in _OTHER_FORMATS:
        message = _(_OTHER_FORMATS[suffix])
    elif suffix:
        message = _("this is a '{suffix}' file, which cannot be read. Supported: {supported}. In Excel, use "
                    "File > Save As > Excel Workbook (.xlsx) or CSV UTF-8.")
    else:
        message = _("this is a 'no extension' file, which cannot be read. Supported: {supported}. In Excel, use "
                    "File > Save As > Excel Workbook (.xlsx) or CSV UTF-8.")
    return Problem(message.format(suffix=suffix, supported=_(SUPPORTED_TEXT)), file=source_name)


def collect_sources(paths: list[str | Path]) -> list[Source]:
    """Read every input file named by ``paths`` (files, or folders of .xlsx/.csv files).

    Raises:
        LoadError: A path does not exist, a folder holds no supported file, or a file has
            an unsupported format. Every such problem is listed at once.
    """
    problems: list[Problem] = []
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f for f in p.iterdir()
                if f.is_file() and f.suffix.casefold() in SUPPORTED_SUFFIXES and not f.name.startswith(("~$", "."))
            )
            if not found:
                problems.append(Problem(_("the folder holds no {supported}.").format(supported=_(SUPPORTED_TEXT)),
                                        file=str(p)))

            problems += [b for f in found if (b := size_problem(str(f), f.stat().st_size))]
            files += found
        elif p.is_file():
            bad = unsupported_format(p.name) or size_problem(str(p), p.stat().st_size)
            if bad:
                problems.append(bad)
            else:
                files.append(p)
        else:
            problems.append(Problem(_("no such file or folder. Check the path."), file=str(p)))
    if problems:
        raise LoadError(problems)
    return [Source.from_path(f) for f in files]
