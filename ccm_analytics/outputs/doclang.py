"""The language a written file declares: every run of text of a .docx, .pptx or .xlsx carries it (DOMAIN §12).

Word, PowerPoint and Excel check spelling, hyphenate and read aloud in the language the file
marks its text with, not in the language it is written in. python-docx and python-pptx start
from templates that mark everything "en-US", so a French letter would be checked as English.
These functions set the tag of the run's language everywhere a tag can be:

- .docx: the default run properties (``w:docDefaults/w:rPrDefault/w:rPr/w:lang``), every
  ``w:lang`` already in any part (styles, body, headers, footers, Word 2010's stylesWithEffects),
  the theme fonts' language (``w:themeFontLang`` in settings) and the core property ``dc:language``;
- .pptx: ``lang`` on every ``a:rPr``, ``a:endParaRPr`` and ``a:defRPr`` of every part (slides, notes,
  layouts, masters, charts, the presentation's default text style), a ``a:rPr`` added to a run
  without one, and ``dc:language``;
- .xlsx: the workbook's ``dc:language`` (Excel has no per-cell language).

The tags (:data:`TAGS`) are those of the UN's Geneva usage: British English (the UN writes
English in Oxford spelling), French of France, Spanish of Spain.
"""

from __future__ import annotations

from ..i18n import DEFAULT, parse_language

TAGS: dict[str, str] = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES"}

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def tag(lang: str | None) -> str:
    """The BCP 47 tag written into files for a language code ("fr" -> "fr-FR"; unknown -> English's)."""
    return TAGS[parse_language(lang) or DEFAULT]


def tag_docx(document, lang: str) -> None:
    """Mark a python-docx ``Document`` (also ``DocxTemplate.docx``) as written in ``lang``, in place."""
    # heavy (python-docx): only when a letter is tagged
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    value = tag(lang)
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    if rpr.find(qn("w:lang")) is None:
        rpr.append(OxmlElement("w:lang"))  # w:lang is the last child w:rPr may have but a few rare ones
    names = (f"{{{_W}}}lang", f"{{{_W}}}themeFontLang")
    for part in document.part.package.iter_parts():  # styles, body, headers, footers, settings, and the rest
        root = getattr(part, "_element", None)
        if root is not None:
            _set_word_lang(root.iter(*names), value)
        elif part.content_type.endswith("+xml") and b"w:lang" in (part.blob or b""):
            # lazy: lxml only for a part python-docx keeps as bytes
            from lxml import (
                etree,  # a part python-docx keeps as bytes (e.g. Word 2010's stylesWithEffects.xml)
            )

            root = etree.fromstring(part.blob)
            _set_word_lang(root.iter(*names), value)
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    document.core_properties.language = value


def _set_word_lang(elements, value: str) -> None:
    """``w:val`` (the Latin-script language) becomes ``value``; ``w:eastAsia`` and ``w:bidi`` (the languages of
    Asian and right-to-left text) are kept, unless a template left them "en-US", which names no such script."""
    for el in elements:
        el.set(f"{{{_W}}}val", value)
        if el.get(f"{{{_W}}}eastAsia") == "en-US":
            el.set(f"{{{_W}}}eastAsia", value)


def tag_pptx(prs, lang: str) -> None:
    """Mark every text of a python-pptx ``Presentation`` (slides, notes, charts, layouts, masters) as ``lang``."""
    # heavy (python-pptx): only when a deck is tagged
    from lxml import etree
    from pptx.opc.package import XmlPart

    value = tag(lang)
    run_properties = {f"{{{_A}}}rPr", f"{{{_A}}}endParaRPr", f"{{{_A}}}defRPr"}
    for part in prs.part.package.iter_parts():
        root = getattr(part, "_element", None) if isinstance(part, XmlPart) else None
        if root is None:
            continue
        for run in list(root.iter(f"{{{_A}}}r", f"{{{_A}}}fld")):
            if run.find(f"{{{_A}}}rPr") is None:  # a run without properties would fall back to the master's
                run.insert(0, etree.SubElement(run, f"{{{_A}}}rPr"))
        for el in root.iter(*run_properties):
            el.set("lang", value)
    prs.core_properties.language = value


def tag_xlsx(workbook, lang: str) -> None:
    """Mark an openpyxl ``Workbook`` as written in ``lang`` (``docProps/core.xml`` ``dc:language``)."""
    workbook.properties.language = tag(lang)
