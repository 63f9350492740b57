"""Checks made before any parser sees a file: size, zip bombs, XML entity tricks, formulas.

An .xlsx file is a zip archive of XML parts. Its central directory says how big each part is
once unpacked, so absurd sizes and compression ratios are refused from the directory alone,
without inflating anything. XML parts that declare a DOCTYPE (the door to entity-expansion
attacks) are refused before parsing. Formula cells are counted so the user is told that their
stored values, never the formulas, were used.
"""

from __future__ import annotations

import html
import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from ..errors import Problem

MB = 1024 * 1024
DEFAULT_MAX_FILE_MB = 50
MAX_UNPACKED_BYTES = 400 * MB      # all parts together, once unpacked
MAX_PART_BYTES = 300 * MB          # one part, once unpacked
MAX_RATIO = 100                    # unpacked / packed, for parts larger than RATIO_FLOOR
RATIO_FLOOR = 5 * MB
MAX_PARTS = 5000
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)


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


@dataclass
class PartScan:
    """What one worksheet part holds, found in one streaming pass over its XML.

    Attributes:
        formulas: Cells with a formula.
        merges: Merged ranges as written (``A1:D1``).
        first_value_row: Excel row of the first cell holding a value (None if none found).
    """

    formulas: int = 0
    merges: list[str] = field(default_factory=list)
    first_value_row: int | None = None
    errors: dict[str, str] = field(default_factory=dict)  # cell -> Excel error shown (#REF!, #N/A...)


def scan_xml_parts(name: str, data: bytes, full_scan: set[str] | None = None
                   ) -> tuple[list[Problem], dict[str, PartScan]]:
    """Refuse DOCTYPE/ENTITY declarations in any XML part; scan worksheet parts.

    Args:
        name: The file's name (for messages).
        data: The workbook's bytes.
        full_scan: Worksheet parts to scan to the end (formulas, merges); None means all.
            The others get only their head checked.

    Returns:
        (errors, {worksheet part name: its scan})
    """
    errors: list[Problem] = []
    scans: dict[str, PartScan] = {}
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return [], {}
    for info in z.infolist():
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            chunks = _inflate(data, info)
            head = next(chunks, b"")
            if _DOCTYPE.search(head[:4096]):
                errors.append(Problem(
                    f"the part {info.filename} declares XML entities (a DOCTYPE), which spreadsheets never "
                    "need and attacks use; the file was refused. Save the workbook again from Excel.", file=name))
                continue
            if info.filename.startswith("xl/worksheets/"):
                if full_scan is None or info.filename in full_scan:
                    scans[info.filename] = _scan_sheet(head, chunks)
                else:
                    scans[info.filename] = PartScan(first_value_row=_first_value_row(head))
        except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError, NotImplementedError, ValueError):
            continue  # the reader reports an unreadable workbook
    return errors, scans


def _inflate(data: bytes, info: zipfile.ZipInfo, chunk: int = 8 * MB):
    """Yield a part's bytes, inflated straight from the archive (the first block is 64 KB)."""
    header = data[info.header_offset:info.header_offset + 30]
    if header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("bad local header")
    name_len, extra_len = int.from_bytes(header[26:28], "little"), int.from_bytes(header[28:30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    raw = memoryview(data)[start:start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        yield bytes(raw[:64 * 1024])
        for i in range(64 * 1024, len(raw), chunk):
            yield bytes(raw[i:i + chunk])
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise NotImplementedError("compression method")
    d = zlib.decompressobj(-15)
    yield d.decompress(raw[:256 * 1024], 64 * 1024)
    pending = d.unconsumed_tail
    pos = 256 * 1024
    while True:
        out = d.decompress(pending, chunk) if pending else b""
        if out:
            yield out
        pending = d.unconsumed_tail
        if pending:
            continue
        if pos >= len(raw):
            rest = d.flush()
            if rest:
                yield rest
            return
        pending = bytes(raw[pos:pos + chunk])
        pos += chunk


def _scan_sheet(head: bytes, chunks) -> PartScan:
    scan = PartScan(first_value_row=_first_value_row(head))
    tail = b""
    for block in _chain(head, chunks):
        data = tail + block
        if data.count(b"<f") > tail.count(b"<f"):  # a cheap pre-filter: exact counts only if needed
            scan.formulas += _formulas(data) - _formulas(tail)
        if b"<mergeCell " in data:
            scan.merges += [m.decode() for m in _MERGE.findall(data)]
        if b't="e"' in data and len(scan.errors) < 1000:
            scan.errors.update({m[0].decode(): m[1].decode(errors="replace") for m in _ERROR_CELL.findall(data)})
        tail = data[-64:]
    scan.merges = list(dict.fromkeys(scan.merges))
    return scan


def _chain(head: bytes, chunks):
    yield head
    yield from chunks


def _formulas(data: bytes) -> int:
    return data.count(b"<f>") + data.count(b"<f ")


def _first_value_row(head: bytes) -> int | None:
    """The row of the first cell that holds a value (a <v> or an inline string), from the XML head."""
    for m in _CELL.finditer(head):
        if m.group(3) and (b"<v>" in m.group(3) or b"<v " in m.group(3) or b"<is>" in m.group(3)):
            return int(m.group(2))
    return None


_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
_ERROR_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*?t="e"[^>]*>(?:<f[^>]*>[^<]*</f>|<f[^>]*/>)?<v>([^<]*)</v>')
_CELL = re.compile(rb'<c r="([A-Z]+)([0-9]+)"[^>]*?(?:/>|>(.*?)</c>)', re.S)


def workbook_parts(data: bytes) -> dict[str, tuple[str, bool]]:
    """Sheet name -> (worksheet part name, hidden), from workbook.xml and its relationships."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        wb = z.read("xl/workbook.xml")
        rels = z.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return {}
    targets = {}
    for rel in re.finditer(rb"<Relationship\b([^>]*)/?>", rels):
        attrs = dict(re.findall(rb'(\w+)="([^"]*)"', rel.group(1)))
        if b"Id" in attrs and b"Target" in attrs:
            target = attrs[b"Target"].decode()
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[attrs[b"Id"].decode()] = target
    out = {}
    for sheet in re.finditer(rb"<(?:\w+:)?sheet\b([^>]*)/?>", wb):
        attrs = dict(re.findall(rb'([\w:]+)="([^"]*)"', sheet.group(1)))
        rid = next((v.decode() for k, v in attrs.items() if k.endswith(b":id")), None)
        name = html.unescape(attrs.get(b"name", b"").decode("utf-8"))
        hidden = attrs.get(b"state", b"visible") != b"visible"
        if rid in targets:
            out[name] = (targets[rid], hidden)
    return out
