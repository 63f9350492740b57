"""The progress report renders: LibreOffice turns the French .docx into a PDF whose text is the report's
(the browser tier: CI installs LibreOffice Writer with ``make browser``)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pandas as pd
import pytest

from ccm_analytics import i18n
from ccm_analytics.data import localized
from ccm_analytics.outputs.report import build_report
from ccm_analytics.provenance import ILLUSTRATIVE_DATASETS

pytestmark = pytest.mark.browser

DAY = pd.Timestamp("2018-09-05")


def _soffice() -> str:
    found = shutil.which("soffice")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("soffice is missing: CI must install LibreOffice Writer (make browser).")
    pytest.skip("LibreOffice is not installed (make browser installs it).")


def _pdf_text(docx: bytes, tmp_path) -> str:
    """The text of the PDF LibreOffice renders ``docx`` to (pdftotext, the page layout kept)."""
    soffice = _soffice()
    (tmp_path / "rapport.docx").write_bytes(docx)
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "rapport.docx")], check=True, timeout=180,
                   capture_output=True)
    pdf = tmp_path / "rapport.pdf"
    assert pdf.exists()
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def _numbers(text: str, pattern: str) -> list[str]:
    """The numbers that start the lines of the sections (before the annexes), in the order of the pages."""
    sections = text[:re.search(r"^\s*Annexes\s*$", text, flags=re.MULTILINE).start()]  # the annexes' heading
    return re.findall(rf"^\s*({pattern})\s", sections, flags=re.MULTILINE)


# Worked from the sections on the sample as at D: I. 2 paragraphs, II. 3, III. 3, IV. 3, V. 1 (the budget).
PARAGRAPHS = 3 + 3 + 3 + 3 + 1


def test_the_french_report_renders_to_pdf_with_its_headings_and_numbered_paragraphs(sample_data, tmp_path):
    with i18n.language("fr"):
        docx = build_report(localized(sample_data.as_at(DAY), "fr"), DAY, ILLUSTRATIVE_DATASETS, lang="fr")
    text = _pdf_text(docx, tmp_path)
    pages = text.count("\f")
    assert pages >= 3  # the cover, the sections, the annexes (each begins a page)
    flat = " ".join(text.split())
    assert "Rapport intérimaire" in flat and "Huitième Assemblée des États parties" in flat
    # Word's numbers, as LibreOffice lays them out: the sections I. to V., the paragraphs 1. to 13. in order
    assert _numbers(text, r"[IVX]+\.") == ["I.", "II.", "III.", "IV.", "V."]
    assert _numbers(text, r"\d+\.") == [f"{n}." for n in range(1, PARAGRAPHS + 1)]
    assert "I. Universalisation" in flat and "IV. Mesures de transparence (article 7)" in flat
    assert "1. Au 5 septembre 2018" in flat and f"{PARAGRAPHS}. L'ISU a dépensé" in flat
    assert "Annexe I. Rapports au titre des mesures de transparence (article 7)" in flat
    assert "104 États parties" in flat  # 104 States Parties on D (tests/test_report.py)
    assert "nan" not in text.split()


def test_a_house_templates_own_paragraph_numbering_shows_in_the_pdf(sample_data, tmp_path):
    from .test_report import house_template

    docx = build_report(sample_data.as_at(DAY), DAY, (), house_template(), lang="en")
    text = _pdf_text(docx, tmp_path)
    # the template's "(a)", "(b)", ... list, not the report's "1.", "2.", ...
    assert _numbers(text, r"\([a-z]\)") == [f"({chr(ord('a') + i)})" for i in range(PARAGRAPHS)]
    assert _numbers(text, r"\d+\.") == []
