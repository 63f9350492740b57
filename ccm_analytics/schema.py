"""The input datasets of DOMAIN.md section 1: names, columns, kinds and header aliases.

This module is the single description of the template format. The loader, the store's
tables, the blank templates and the sample workbook are all derived from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .i18n import N_

Kind = Literal["text", "state", "date", "amount", "integer", "article", "report_type", "bool"]


@dataclass(frozen=True)
class Column:
    """One column of a dataset.

    Attributes:
        name: Canonical name, as in the template.
        kind: How cells are read (see ``ccm_analytics.reading.cells``).
        required: Whether the header must be present (and, for most, the cell filled).
        aliases: Other header spellings accepted for this column.
        help: One line for the template and the documentation.
    """

    name: str
    kind: Kind = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class Dataset:
    """One dataset: a sheet or a CSV file named after it.

    Attributes:
        name: Sheet name / CSV stem (matched case-insensitively).
        columns: Its columns in template order.
        row_meaning: What one row is.
        key: Columns identifying a row, used to tell changed rows from added ones.
    """

    name: str
    columns: tuple[Column, ...]
    row_meaning: str
    key: tuple[str, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


C = Column

# The languages other than English a label column may be given in (``cost_line_fr``, ``title_es``...).
LABEL_LANGUAGES = ("fr", "es")
_LANGUAGE_NAMES = {"fr": ("french", "français", "francais"), "es": ("spanish", "español", "espanol")}


def labels(column: str) -> tuple[Column, ...]:
    """The optional label columns of ``column`` (``{column}_fr``, ``{column}_es``): the same words in French and
    Spanish, shown when the app or a command runs in that language (DOMAIN.md §12); the data stays as loaded."""
    helps = {"fr": N_("The same in French (optional: shown when the app runs in French)"),
             "es": N_("The same in Spanish (optional: shown when the app runs in Spanish)")}
    return tuple(C(f"{column}_{lang}", "text", False, tuple(f"{column} {name}" for name in _LANGUAGE_NAMES[lang]),
                   helps[lang]) for lang in LABEL_LANGUAGES)


# The columns that have label columns, per dataset.
LABELLED: dict[str, tuple[str, ...]] = {"budget": ("cost_line",), "spend": ("cost_line",), "meetings": ("meeting",),
                                        "workplan": ("title", "outcome", "output")}


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "states",
            (
                C("state", "state", True, ("country", "state name", "name"), N_("State name (UN usage)")),
                C("iso3", "text", False, ("iso", "iso code", "iso 3", "iso3 code", "code"),
                  N_("ISO 3166-1 alpha-3 code (optional; derived from the name)")),
                C("region", "text", False, ("un region",), N_("Region, for filters")),
                C("signature_date", "date", False, ("signature", "signed", "signed on", "date of signature"),
                  N_("Date of signature")),
                C("ratification_date", "date", False,
                  ("ratification_or_accession_date", "accession_date", "ratification", "ratified",
                   "ratification accession", "ratification accession date", "date of ratification",
                   "deposit date", "date of deposit"),
                  N_("Date the instrument of ratification or accession was deposited")),
                C("accession", "bool", False, ("acceded", "is accession"), N_("true if the state acceded")),
                C("entry_into_force", "date", False,
                  ("entry_into_force_date", "eif", "eif date", "date of entry into force"),
                  N_("Entry into force for the state (optional; computed by Article 17)")),
                C("withdrawal_date", "date", False,
                  ("withdrawal", "withdrawal_effective_date", "withdrawn on", "date of withdrawal"),
                  N_("Date the state's withdrawal took effect")),
            ),
            N_("a state that signed and/or joined"),
            ("iso3",),
        ),
        Dataset(
            "reports",
            (
                C("state", "state", True, ("country", "state party")),
                C("report_type", "report_type", True, ("type", "report", "kind"), N_("initial or annual")),
                C("year", "integer", False, ("reporting year", "calendar year", "year covered"),
                  N_("Calendar year covered (annual reports)")),
                C("submitted_on", "date", True,
                  ("submitted", "submission date", "date submitted", "received", "received on", "date received"),
                  N_("Date the report was received")),
            ),
            N_("an Article 7 report received"),
            ("iso3", "report_type", "year"),
        ),
        Dataset(
            "obligations",
            (
                C("state", "state", True, ("country", "state party")),
                C("article", "article", True, ("art", "art."), N_("3 (stockpiles) or 4 (clearance)")),
                C("deadline", "date", False, ("original deadline", "due date"),
                  N_("Deadline (optional; computed from entry into force)")),
                C("completed_on", "date", False, ("completed", "completion date", "date completed", "fulfilled on"),
                  N_("Date the obligation was completed (for month or year precision, any day in it)")),
                C("completed_precision", "text", False, ("precision", "completion precision", "completed precision"),
                  N_("day, month or year: how precisely completed_on is known (default day)")),
                C("outcome", "text", False, ("completion outcome", "how completed"),
                  N_("completed (default) or none_held: the State declared it never held stocks/contaminated "
                  "areas, which ends the obligation on completed_on without counting as destroyed/cleared")),
                C("quantity", "amount", False, ("quantity destroyed", "amount destroyed", "area"),
                  N_("Optional: submunitions destroyed (Art. 3) or m² cleared or remaining (Art. 4)")),
                C("quantity_unit", "text", False, ("unit", "quantity unit"),
                  N_("Unit of quantity (default: submunitions for Art. 3, m² for Art. 4)")),
                C("notes", "text", False, ("note", "comment", "comments")),
                C("source", "text", False, ("sources", "source url", "source urls"),
                  N_("Web addresses of the sources, separated by ' | '")),
            ),
            N_("a State Party's Article 3 or Article 4 obligation"),
            ("iso3", "article"),
        ),
        Dataset(
            "extensions",
            (
                C("state", "state", True, ("country", "state party")),
                C("article", "article", True, ("art", "art.")),
                C("granted_on", "date", False, ("granted", "decision date", "date granted", "decided on"),
                  N_("Date the extension was granted (empty while the request is pending)")),
                C("new_deadline", "date", False, ("extended deadline", "extended to", "deadline"),
                  N_("The new deadline granted (or requested, while pending)")),
                C("requested_on", "date", False, ("requested", "request date", "date requested"),
                  N_("Date the extension was requested")),
                C("meeting", "text", False, ("decided at", "granted at")),
                C("notes", "text", False, ("note", "comment", "comments")),
                C("source", "text", False, ("sources", "source url", "source urls"),
                  N_("Web addresses of the sources, separated by ' | '")),
            ),
            N_("an extension of an Article 3/4 deadline, requested (pending) or granted"),
            ("iso3", "article", "granted_on", "requested_on"),
        ),
        Dataset(
            "budget",
            (
                C("year", "integer", True, ("budget year", "financial year")),
                C("cost_line", "text", True, ("line", "budget line", "cost line", "item", "category")),
                C("amount", "amount", True, ("budget", "approved", "approved amount", "amount chf")),
                C("currency", "text", False, ("ccy", "cur")),
                *labels("cost_line"),
            ),
            N_("an approved budget line"),
            ("year", "cost_line"),
        ),
        Dataset(
            "spend",
            (
                C("date", "date", True, ("posting date", "date paid", "value date", "transaction date")),
                C("cost_line", "text", True, ("line", "budget line", "cost line", "item", "category")),
                C("amount", "amount", True, ("amount chf", "expenditure", "spent", "value")),
                C("description", "text", False, ("details", "memo", "text", "narrative")),
                *labels("cost_line"),
            ),
            N_("an expenditure (negative = refund or correction)"),
            ("date", "cost_line", "description"),
        ),
        Dataset(
            "contributions",
            (
                C("date", "date", True, ("received on", "date received", "value date")),
                C("donor", "text", True, ("contributor", "from", "donor state")),
                C("amount", "amount", True, ("amount chf", "contribution", "value")),
                C("year", "integer", False, ("budget year", "for year", "funds year"),
                  N_("Budget year funded (default: year of the date)")),
            ),
            N_("a contribution received"),
            ("date", "donor", "year"),
        ),
        Dataset(
            "meetings",
            (
                C("meeting", "text", True, ("name", "meeting name", "title")),
                C("start_date", "date", True, ("start", "from", "date", "begins")),
                C("end_date", "date", False, ("end", "to", "ends")),
                C("location", "text", False, ("venue", "place", "city")),
                C("kind", "text", False, ("type", "category")),
                C("sponsored_delegates", "integer", False, ("delegates sponsored", "sponsored participants")),
                C("sponsored_states", "integer", False, ("states sponsored", "sponsored countries")),
                C("sponsorship_cost", "amount", False, ("sponsorship", "cost of sponsorship", "sponsorship chf")),
                *labels("meeting"),
            ),
            N_("a formal or informal meeting"),
            ("meeting",),
        ),
        Dataset(
            "workplan",
            (
                C("activity", "text", True, ("activity id", "no", "number", "ref")),
                C("title", "text", True, ("activity title", "description")),
                C("outcome", "text", False, ()),
                C("output", "text", False, ()),
                C("status", "text", False, ("progress", "state of play")),
                C("notes", "text", False, ("note", "comment", "comments")),
                *labels("title"), *labels("outcome"), *labels("output"),
            ),
            N_("a work-plan activity and its status"),
            ("activity",),
        ),
        Dataset(
            "pledges",
            (
                C("donor", "text", True, ("contributor", "donor state", "from"), N_("Who pledged")),
                C("year", "integer", True, ("budget year", "year funded", "for year", "funds year"),
                  N_("Budget year the pledge funds")),
                C("amount", "amount", True, ("amount chf", "pledge", "pledged amount", "value")),
                C("pledged_on", "date", True, ("pledged", "date pledged", "pledge date", "date", "announced on"),
                  N_("Day the pledge was made")),
            ),
            N_("a pledge of a contribution, not yet money received"),
            ("donor", "year", "pledged_on"),
        ),
        Dataset(
            "followups",
            (
                C("state", "state", True, ("country", "state party")),
                C("date", "date", True, ("on", "contacted on", "date of contact", "contact date")),
                C("channel", "text", True, ("by means of", "medium", "contact type", "how"),
                  N_("letter, email, meeting or call")),
                C("by", "text", False, ("who", "contacted by", "isu contact", "author"), N_("Who made the contact")),
                C("note", "text", False, ("notes", "comment", "comments", "what was said")),
                C("promised_on", "date", False, ("promised", "promised date", "promised submission", "report promised by"),
                  N_("The day the State promised to submit its missing reports by (optional)")),
            ),
            N_("a contact with a State about its overdue reports (the follow-up log)"),
            ("iso3", "date", "channel", "by"),
        ),
    )
}

DATASET_NAMES: tuple[str, ...] = tuple(DATASETS)

# Sheets that document a workbook rather than hold data; skipped without a warning.
DOCUMENTATION_SHEETS = frozenset({"readme", "read me", "about", "instructions", "notes"})


def header_key(text: object) -> str:
    """Normalise a header: case-insensitive, spaces/``_``/``-`` alike, punctuation ignored.

    >>> header_key(" Submitted-On ")
    'submitted on'
    """
    s = str(text).strip().casefold()
    s = re.sub(r"[\s_\-]+", " ", s)
    s = re.sub(r"[^\w ]", "", s)
    return re.sub(r"\s+", " ", s).strip()


def header_lookup(dataset: Dataset) -> dict[str, str]:
    """Map every accepted header spelling (normalised) to its canonical column name."""
    out: dict[str, str] = {}
    for col in dataset.columns:
        for spelling in (col.name, *col.aliases):
            out.setdefault(header_key(spelling), col.name)
    return out


def dataset_for_name(name: str) -> str | None:
    """The dataset a sheet or CSV stem names, or None (case-insensitive, ``_``/space alike)."""
    key = header_key(name).replace(" ", "")
    for ds in DATASETS:
        if ds.replace("_", "") == key:
            return ds
    return None
