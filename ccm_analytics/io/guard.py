"""Checks made before any parser sees a file: size, zip bombs, XML entity tricks, formulas.

An .xlsx file is a zip archive of XML parts. Its central directory says how big each part is
once unpacked, so absurd sizes and compression ratios are refused from the directory alone,
without inflating anything. XML parts that declare a DOCTYPE (the door to entity-expansion
attacks) are refused before parsing. Formula cells are counted so the user is told that their
stored values, never the formulas, were used.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib

from ..errors import Problem

MB = 1024 * 1024
DEFAULT_MAX_FILE_MB = 50
MAX_UNPACKED_BYTES = 400 * MB      # all parts together, once unpacked
MAX_PART_BYTES = 300 * MB          # one part, once unpacked
MAX_RATIO = 100                    # unpacked / packed, for parts larger than RATIO_FLOOR
RATIO_FLOOR = 5 * MB
MAX_PARTS = 5000
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)
_FORMULA = re.compile(rb"<f[ >/]")


def max_file_bytes() -> int:
    """The upload/load size limit: ``CCM_MAX_FILE_MB`` megabytes (default 50)."""
    try:
        mb = float(os.environ.get("CCM_MAX_FILE_MB", DEFAULT_MAX_FILE_MB))
    except ValueError:
        mb = DEFAULT_MAX_FILE_MB
    return int(mb * MB)


def size_problem(name: str, size: int) -> Problem | None:
    limit = max_file_bytes()
    if size <= limit:
        return None
    return Problem(f"this file is {size / MB:,.1f} MB; files over {limit / MB:,.0f} MB are refused. Split it, or "
                   "remove unused sheets and formatting (an administrator can raise the limit with CCM_MAX_FILE_MB).",
                   file=name)


def inspect_zip(name: str, data: bytes) -> list[Problem]:
    """Refuse archives that would unpack to absurd sizes, judged from the zip directory only."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return []  # the reader reports an unreadable workbook
    total = sum(i.file_size for i in infos)
    too_big = [i for i in infos if i.file_size > MAX_PART_BYTES
               or (i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1))]
    if len(infos) > MAX_PARTS or total > MAX_UNPACKED_BYTES or too_big:
        worst = max(infos, key=lambda i: i.file_size)
        return [Problem(
            f"this workbook would unpack to {total / MB:,.0f} MB (its largest part, {worst.filename}, to "
            f"{worst.file_size / MB:,.0f} MB from {worst.compress_size / MB:,.1f} MB). That is not a normal "
            "spreadsheet, so it was refused without being opened. If it is genuine, save a copy with only the "
            "data sheets (no empty formatted rows).", file=name)]
    return []


def scan_xml_parts(name: str, data: bytes) -> tuple[list[Problem], dict[str, int]]:
    """Refuse DOCTYPE/ENTITY declarations; count formula cells per worksheet part.

    Returns:
        (errors, {worksheet part name: formula cells})
    """
    errors: list[Problem] = []
    formulas: dict[str, int] = {}
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return [], {}
    for info in z.infolist():
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with z.open(info) as f:
                head = f.read(4096)
                if _DOCTYPE.search(head):
                    errors.append(Problem(
                        f"the part {info.filename} declares XML entities (a DOCTYPE), which spreadsheets never "
                        "need and attacks use; the file was refused. Save the workbook again from Excel.", file=name))
                    continue
                if info.filename.startswith("xl/worksheets/"):
                    formulas[info.filename] = _count_formulas(head, f)
        except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError, NotImplementedError):
            continue  # the reader reports an unreadable workbook
    return errors, formulas


def _count_formulas(head: bytes, stream, chunk: int = 4 * MB) -> int:
    count, tail = 0, b""
    block = head
    while block:
        data = tail + block
        count += len(_FORMULA.findall(data)) - len(_FORMULA.findall(tail))
        tail = data[-8:]
        block = stream.read(chunk)
    return count
