"""``python -m ccm_analytics brief``: the one-page brief as one self-contained HTML file (DOMAIN §11, §12),
worked by hand on the bundled sample as at 5 September 2018."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import escape
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs

from ccm_analytics import i18n
from ccm_analytics.cli import main
from ccm_analytics.outputs.brief import build_brief
from ccm_analytics.provenance import ILLUSTRATIVE_DATASETS

from .conftest import SAMPLE

DAY = "2018-09-05"
NB = "\u00a0"
CHROMIUM = "/usr/bin/chromium"
PLOTLY_HEADER = get_plotlyjs()[:200]  # "/**\n* plotly.js v4.1.1\n* Copyright ..."


def _brief(tmp_path: Path, lang: str) -> str:
    out = tmp_path / f"brief-{lang}.html"
    assert main(["brief", "--data", str(SAMPLE), "--as-of", DAY, "--lang", lang, "--out", str(out)]) == 0
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("brief")
    return {lang: _brief(folder, lang) for lang in ("en", "fr")}, folder


def test_the_french_brief_says_it_is_french_in_its_html_tag(files):
    assert '<html lang="fr">' in files[0]["fr"]
    assert '<html lang="en">' in files[0]["en"]


def test_the_french_brief_has_its_title_and_as_at_day_in_french(files):
    # the heading "État des lieux au {day}", 5 Sep 2018 written long in French (DOMAIN §12 table)
    title = "Convention sur les armes à sous-munitions · État des lieux au 5 septembre 2018"
    assert f"<h1>{escape(title)}</h1>" in files[0]["fr"]
    assert f"<title>{escape(title)}</title>" in files[0]["fr"]
    assert f"Données au 5 septembre 2018 · Source{NB}: " in files[0]["fr"]


def test_the_french_brief_has_french_headline_labels_and_values(files):
    labels = re.findall(r'<p class="label">(.*?)</p>', files[0]["fr"])
    assert labels == ["États parties", "Rapports annuels 2017 remis dans les délais",
                      "États ayant détruit leurs stocks (art. 3)", "Budget 2018 dépensé"]
    # 50 of the 100 annual reports for 2017 due by D came on time: 50.0% written "50,0 %" (no-break space)
    assert re.findall(r'<p class="value">(.*?)</p>', files[0]["fr"])[1] == f"50,0{NB}%"


def test_the_brief_fetches_nothing_from_the_internet(files):
    for html in files[0].values():
        tags = re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html)
        assert not [t for t in tags if re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", t)]
        assert "@import" not in html and "url(http" not in html


def test_the_brief_holds_the_plotly_bundle_once_inline(files):
    for html in files[0].values():
        assert html.count(PLOTLY_HEADER) == 1
        assert html.count('class="plotly-graph-div"') == 2  # the two charts


def test_the_english_brief_shows_the_headline_values_build_brief_gives(files, sample_data):
    # the sample workbook: every illustrative dataset is the sample's, as the deck treats it
    b = build_brief(sample_data, DAY, ILLUSTRATIVE_DATASETS)
    html = files[0]["en"]
    assert re.findall(r'<p class="value">(.*?)</p>', html) == [escape(h.value) for h in b.headlines]
    # worked by hand (test_brief, DOMAIN §11): 104 States Parties; 50 of 100 on time; 32 of 39 destroyed;
    # CHF 302,494 of CHF 465,440 = 65.0% spent
    assert [h.value for h in b.headlines] == ["104", "50.0%", "32 of 39", "65.0%"]
    for h in b.headlines:
        assert f'<p class="detail">{escape(h.detail)}</p>' in html
    for m in b.messages:
        assert f"<li>{escape(m)}</li>" in html


def test_the_illustrative_note_is_where_the_brief_says_figures_are_illustrative(files):
    html = files[0]["en"]
    # reports and budget rest on sample figures; States Parties and Articles 3/4 on real ones
    boxes = re.findall(r'<div class="headline">(.*?)</div>', html)
    assert ["Illustrative sample figure." in box for box in boxes] == [False, True, False, True]
    assert ('<p class="illustrative">Illustrative data: the report submission dates, spend and contributions in '
            "this brief are sample figures, not real records.</p>") in html


def test_the_brief_is_set_for_a4_portrait_with_10_mm_margins(files):
    assert "@page { size: A4 portrait; margin: 10mm; }" in files[0]["en"]


def test_the_brief_refuses_a_language_it_does_not_write(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        main(["brief", "--data", str(SAMPLE), "--as-of", DAY, "--lang", "de", "--out", str(tmp_path / "b.html")])
    assert e.value.code == 2
    assert "argument --lang: invalid choice: 'de' (choose from 'en', 'fr', 'es')" in capsys.readouterr().err
    assert not (tmp_path / "b.html").exists()


def test_the_brief_must_be_written_to_an_html_file(tmp_path, capsys):
    assert main(["brief", "--data", str(SAMPLE), "--as-of", DAY, "--out", str(tmp_path / "b.pdf")]) == 2
    assert f"The output file must end in .html: {tmp_path / 'b.pdf'}" in capsys.readouterr().err


def test_the_french_run_says_what_it_wrote_in_french_and_leaves_english_after(tmp_path, capsys):
    out = tmp_path / "b.html"
    assert main(["brief", "--data", str(SAMPLE), "--as-of", DAY, "--lang", "fr", "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"{out} écrit.\n"
    assert i18n.current() == "en"


@pytest.mark.browser  # printed by Chromium
@pytest.mark.skipif(not Path(CHROMIUM).exists() or not shutil.which("pdfinfo"), reason="needs chromium and pdfinfo")
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_brief_prints_on_one_a4_page(files, lang):
    folder = files[1]
    html, pdf = folder / f"brief-{lang}.html", folder / f"brief-{lang}.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    "--virtual-time-budget=5000", f"--print-to-pdf={pdf}", html.as_uri()],
                   capture_output=True, timeout=120, check=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    assert "(A4)" in info
