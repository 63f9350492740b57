"""The progress report renders: LibreOffice turns the French .docx into a PDF whose text is the report's
(the browser tier: CI installs LibreOffice Writer with ``make browser``)."""

from __future__ import annotations

import os
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


def test_the_french_report_renders_to_pdf_with_its_headings_and_numbered_paragraphs(sample_data, tmp_path):
    soffice = _soffice()
    with i18n.language("fr"):
        docx = build_report(localized(sample_data.as_at(DAY), "fr"), DAY, ILLUSTRATIVE_DATASETS, lang="fr")
    (tmp_path / "rapport.docx").write_bytes(docx)
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "rapport.docx")], check=True, timeout=180,
                   capture_output=True)
    pdf = tmp_path / "rapport.pdf"
    assert pdf.exists()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = text.count("\f")
    assert pages >= 3  # the cover, the sections, the annexes (each begins a page)
    flat = " ".join(text.split())
    assert "Rapport intérimaire" in flat and "Huitième Assemblée des États parties" in flat
    assert "I. Universalisation" in flat and "IV. Mesures de transparence (article 7)" in flat
    assert "Annexe I. Rapports au titre des mesures de transparence (article 7)" in flat
    assert "104 États parties" in flat  # 104 States Parties on D (tests/test_report.py)
