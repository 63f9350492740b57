"""Read input files into validated datasets: every problem of every file, located.

``read_inputs`` is the one entry point used by the CLI, the store and the Data page.
It never stores anything: it returns what *would* be stored, or raises ``LoadError``
listing every problem found.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..data import CcmData, conform
from ..errors import LoadError, Problem
from ..i18n import _, ngettext
from ..schema import DATASET_NAMES, DATASETS, DOCUMENTATION_SHEETS, dataset_for_name, header_key
from . import validate as v
from .parse import ParsedTable, parse_table
from .read import stream_source
from .sources import Source, collect_sources


@dataclass(frozen=True)
class SourceInfo:
    """What one input file held.

    Attributes:
        name: The file's name. sha256: Its fingerprint. size: Bytes.
        datasets: Dataset -> (sheet or None, rows read).
    """

    name: str
    sha256: str
    size: int
    datasets: dict[str, tuple[str | None, int]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"name": self.name, "sha256": self.sha256, "size": self.size,
                "datasets": {k: {"sheet": s, "rows": n} for k, (s, n) in self.datasets.items()}}


@dataclass(frozen=True)
class LoadResult:
    """What a load would store.

    Attributes:
        frames: The carried datasets in stored form (only those present in the input).
        data: The stored data with the carried datasets replaced (what the store would hold).
        sources: One entry per input file.
        warnings: Every warning found.
    """

    frames: dict[str, pd.DataFrame]
    data: CcmData
    sources: list[SourceInfo]
    warnings: list[Problem]

    @property
    def row_counts(self) -> dict[str, int]:
        return {name: len(f) for name, f in self.frames.items()}


def parse_sources(sources: list[Source], idle=None) -> tuple[dict[str, ParsedTable], list[Problem], list[SourceInfo]]:
    """Read every sheet/CSV of every source and parse those that name a dataset.

    ``idle(tables, pending)``, if given, is called while the last file's largest sheet is still being
    read, with the tables parsed so far and the datasets still to come (see :class:`Validation`).
    """
    problems: list[Problem] = []
    tables: dict[str, ParsedTable] = {}
    infos: list[SourceInfo] = []
    for k, src in enumerate(sources):
        info = SourceInfo(src.name, src.sha256, src.size)
        infos.append(info)
        parsed: list = []

        def waiting(pending_sheets: list[str], src=src, parsed=parsed) -> None:
            # only for the last file (the datasets of files not yet opened are unknown), and only when
            # no dataset is given twice (which copy is kept is decided at the end)
            pending = {dataset_for_name(sheet) for sheet in pending_sheets} - {None}
            now = [name for _, _, (name, table) in parsed if table is not None]
            if len(set(now)) == len(now) and not (pending | set(tables)) & set(now):
                try:
                    idle({**tables, **{name: t for _, _, (name, t) in parsed if t is not None}}, frozenset(pending))
                except Exception:  # noqa: BLE001 - not the file's fault: the check runs again after the read,
                    pass           # and raises there, where it is not mistaken for an unreadable file

        try:
            warnings, stream = stream_source(src, waiting if idle is not None and k == len(sources) - 1 else None)
            # each sheet is parsed as soon as it is read (the largest is read last, meanwhile), then
            # taken in the workbook's order; a sheet that cannot be read drops the whole file
            for i, raw in stream:
                parsed.append((i, raw, _parse(raw, src)))
            parsed.sort(key=lambda t: t[0])
        except LoadError as e:
            problems += e.problems
            continue
        problems += warnings
        blank: list[str] = []
        for _pos, raw, (name, table) in parsed:
            if name is None:
                problems += _unmatched(src, raw.sheet)
                continue
            if table is None:
                blank.append(raw.sheet or src.name)
                continue
            if table.frame.empty and not table.has_errors:
                blank.append(raw.sheet or src.name)  # a template sheet left empty: not part of the load
                problems += table.problems
                continue
            if name in tables:
                first = tables[name]
                where = _place(first.file, first.sheet)
                problems.append(Problem(
                    _("the {dataset} dataset is given twice in this load (also in {where}); keep one.").format(
                        dataset=name, where=where),
                    file=src.name, sheet=raw.sheet))
                continue
            tables[name] = table
            info.datasets[name] = (raw.sheet, len(table.frame))
        if blank:
            problems.append(Problem(
                ngettext("the sheet {sheets} has no data rows and was skipped: whatever is stored for it is kept.",
                         "the sheets {sheets} have no data rows and were skipped: whatever is stored for them is "
                         "kept.", len(blank)).format(sheets=", ".join(blank)), file=src.name, severity="warning"))
    return tables, problems, infos


def _parse(raw, src: Source) -> tuple[str | None, ParsedTable | None]:
    """(dataset, parsed table) of one sheet or CSV file: (None, None) when it names no dataset,
    (dataset, None) when it holds nothing."""
    name = dataset_for_name(raw.sheet if raw.sheet is not None else src.stem)
    if name is None or raw.is_blank:
        return name, None
    table = parse_table(raw, DATASETS[name])
    if raw.hidden:
        table.problems.append(Problem(_("the sheet {sheet} is hidden in Excel; it was loaded all the same. "
                                        "Delete it if it is an old copy.").format(sheet=raw.sheet), file=src.name,
                                      sheet=raw.sheet, severity="warning"))
    return name, table


def _unmatched(src: Source, sheet: str | None) -> list[Problem]:
    if sheet is not None and header_key(sheet) in DOCUMENTATION_SHEETS:
        return []
    if sheet is not None:
        message = _("the sheet '{sheet}' matches no dataset, so it was ignored. Datasets: {datasets}; rename the "
                    "sheet to load it.")
    else:
        message = _("this file's name matches no dataset, so it was ignored. Datasets: {datasets}; rename the file "
                    "(e.g. reports.csv) to load it.")
    return [Problem(message.format(sheet=sheet, datasets=", ".join(DATASET_NAMES)), file=src.name, sheet=sheet,
                    severity="warning")]


def _place(file: str, sheet: str | None) -> str:
    """``states.csv`` or ``data.xlsx, sheet States``, in the run's language."""
    return _("{file}, sheet {sheet}").format(file=file, sheet=sheet) if sheet else file


class Validation:
    """Every validation rule (problems are added to the tables; nothing is raised) as steps, each run once, as soon as every dataset it reads
    is parsed: :meth:`run` with ``pending`` (datasets still being read) runs what it can, and a last
    call without runs the rest. A load validates the small sheets while the large one is read.
    """

    def __init__(self, base: CcmData, today: pd.Timestamp):
        self.base, self.today, self.done = base, today, set()

    def run(self, tables: dict[str, ParsedTable], pending: frozenset[str] = frozenset()) -> None:
        for key, needs, step in self._steps(tables):
            if key not in self.done and not needs & pending:
                step()
                self.done.add(key)

    def _steps(self, tables: dict[str, ParsedTable]):
        base, today = self.base, self.today
        for name, t in tables.items():
            yield ("dates", name), {name}, lambda t=t: v.check_dates(t, today)
        states_t = tables.get("states")

        def states_sheet() -> None:
            v.resolve_states_sheet(states_t)
            v.check_states(states_t)

        if states_t is not None:
            yield "states", {"states"}, states_sheet

        def known_states() -> tuple[pd.DataFrame, set[str], str]:
            if states_t is not None:
                return states_t.frame, set(states_t.frame["iso3"].dropna()), _place(states_t.file, states_t.sheet)
            where = _("the states already stored") if len(base.states) else _("no states are loaded yet")
            return base.states, set(base.states["iso3"].dropna()), where

        for name in ("reports", "obligations", "extensions", "followups"):
            if name in tables:
                yield (("state_column", name), {name, "states"},
                       lambda name=name: v.resolve_state_column(tables[name], *known_states()[1:]))
        if "reports" in tables:
            yield "reports", {"reports", "states"}, lambda: v.check_reports(tables["reports"], today)
        if "obligations" in tables:
            yield "obligations", {"obligations", "states"}, lambda: v.check_obligations(
                tables["obligations"], known_states()[0])
        if "extensions" in tables:
            yield "extensions", {"extensions", "obligations", "states"}, lambda: v.check_extensions(
                tables["extensions"], tables["obligations"].frame if "obligations" in tables else base.obligations,
                known_states()[0])
        if "budget" in tables:
            yield "budget", {"budget"}, lambda: v.check_budget(tables["budget"])
        if "spend" in tables:
            def spend() -> None:
                budget_t = tables.get("budget")
                budget = budget_t.frame if budget_t is not None else base.budget
                where = _place(budget_t.file, budget_t.sheet) if budget_t else _("the budget already stored")
                v.check_spend(tables["spend"], budget, where)
            yield "spend", {"spend", "budget"}, spend
        for name, check in (("contributions", v.check_contributions), ("meetings", v.check_meetings),
                            ("workplan", v.check_workplan), ("pledges", v.check_pledges)):
            if name in tables:
                yield name, {name}, lambda name=name, check=check: check(tables[name])
        if "followups" in tables:
            yield "followups", {"followups", "states"}, lambda: v.check_followups(tables["followups"])
        elif states_t is not None:
            def lost_followups() -> None:  # the stored log is kept; say when it names States no longer listed
                lost = sorted(set(base.followups["iso3"].dropna()) - known_states()[1])
                if lost:
                    states_t.problems.append(Problem(
                        _("the follow-up log already stored names {codes}, which this states list does not include: "
                          "those contacts are kept but not shown. Load a followups sheet too to replace the log.").format(
                            codes=", ".join(lost[:8]) + ("..." if len(lost) > 8 else "")),
                        file=states_t.file, sheet=states_t.sheet, severity="warning"))
            yield "lost_followups", {"states", "followups"}, lost_followups


def check_stored_references(frames: dict[str, pd.DataFrame], tables: dict[str, ParsedTable],
                            base: CcmData) -> list[Problem]:
    """Stored datasets that a new ``states`` or ``budget`` would leave dangling."""
    problems = []
    if "states" in frames:
        known = set(frames["states"]["iso3"].dropna())
        t = tables["states"]
        for name in ("reports", "obligations", "extensions"):
            if name in frames:
                continue
            lost = sorted(set(base.frame(name)["iso3"].dropna()) - known)
            if lost:
                problems.append(Problem(
                    _("the {dataset} already stored name {codes}, which this states list does not include. Add them "
                      "to states, or load {dataset} again too.").format(
                        dataset=name, codes=", ".join(lost[:8]) + ("..." if len(lost) > 8 else "")),
                    file=t.file, sheet=t.sheet))
    if "budget" in frames and "spend" not in frames and len(base.spend):
        b = frames["budget"]
        keys = set(zip(b["year"], v.line_key(b["cost_line"])))
        s = base.spend.assign(year=base.spend["date"].dt.year)
        stored = s.drop_duplicates(["year", "cost_line"])
        lost = stored[[(y, k) not in keys for y, k in zip(stored["year"], v.line_key(stored["cost_line"]))]]
        if len(lost):
            shown = ", ".join(f"{r.cost_line} ({r.year})" for r in lost.head(5).itertuples())
            t = tables["budget"]
            message = (ngettext("the spend already stored uses cost lines this budget does not have: {lines} and {n} "
                                "more. Keep those lines (and years) in the budget, or load the spend again too.",
                                "the spend already stored uses cost lines this budget does not have: {lines} and {n} "
                                "more. Keep those lines (and years) in the budget, or load the spend again too.",
                                len(lost) - 5) if len(lost) > 5
                       else _("the spend already stored uses cost lines this budget does not have: {lines}. Keep "
                              "those lines (and years) in the budget, or load the spend again too."))
            problems.append(Problem(message.format(lines=shown, n=len(lost) - 5), file=t.file, sheet=t.sheet))
    return problems


def read_inputs(sources: list[Source], base: CcmData | None = None, today: pd.Timestamp | None = None) -> LoadResult:
    """Read, parse and validate input files.

    Args:
        sources: The files.
        base: What is already stored (datasets not in the files are kept from it and
            references are checked against it). None means an empty store.
        today: The day used to flag future dates (default: today).

    Returns:
        What the load would store.

    Raises:
        LoadError: Every error found in every file (with the warnings).
    """
    base = base if base is not None else CcmData.empty()
    today = pd.Timestamp(today if today is not None else pd.Timestamp.today().normalize())
    validation = Validation(base, today)
    tables, problems, infos = parse_sources(sources, idle=validation.run)  # validates while the largest sheet is read
    validation.run(tables)
    for t in tables.values():
        problems += t.problems
    if not tables and not any(p.severity == "error" for p in problems):
        problems.append(Problem(_("no dataset found. Name each sheet (or CSV file) after a dataset: {datasets}. "
                                  "See data/templates/.").format(datasets=", ".join(DATASET_NAMES)),
                                file=", ".join(s.name for s in sources) or None))
    frames = {name: conform(name, t.frame) for name, t in tables.items() if not t.has_errors}
    errors = [p for p in problems if p.severity == "error"]
    if not errors:
        errors = check_stored_references(frames, tables, base)
    warnings = [p for p in problems if p.severity == "warning"]
    if errors:
        raise LoadError(errors, warnings)
    return LoadResult(frames, base.with_frames(frames), infos, warnings)


def read_paths(paths, base: CcmData | None = None, today=None) -> LoadResult:
    """:func:`read_inputs` for files or folders on disk."""

    return read_inputs(collect_sources(list(paths)), base, today)
