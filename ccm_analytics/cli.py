"""The command line: ``python -m ccm_analytics <command> ...``.

Exit status: 0 on success, 2 on bad input or a refused action (every problem on stderr,
in plain words), 1 on an internal error. No traceback for anything a user can cause.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import secrets
import sys
import time
from dataclasses import replace
from pathlib import Path

from . import access, i18n, paths
from .errors import CcmError, LoadError, Problem, UsageError
from .i18n import N_, _, ngettext
from .outfiles import output_file, output_folder, write_file
from .textsafe import json_safe, visible

# The CLI starts fast (`--help` without pandas): each command imports the heavy modules it uses.

# A letter's language named in a sentence of the run's language ("in French", "en français", "en francés").
IN_LANGUAGE = {"en": N_("in English"), "fr": N_("in French"), "es": N_("in Spanish")}

SAMPLE_WORKBOOK = paths.SAMPLE_WORKBOOK
EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2
DEFAULT_TITLE = N_("Meeting of States Parties")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2018-09-05") from None


def _year(text: str) -> int:
    if text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    raise argparse.ArgumentTypeError(f"'{text}' is not a year; write it as YYYY, e.g. 2018")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # same exit status as any other bad input
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    # The name it was called by: the `ccm` console script, or `python -m ccm_analytics`.
    called = Path(sys.argv[0]).stem if sys.argv and sys.argv[0] else ""
    p = _Parser(prog="ccm" if called == "ccm" else "python -m ccm_analytics",
                description="CCM Analytics: load the ISU's spreadsheets and compute the Convention's metrics.")
    p.add_argument("--db", metavar="PATH", help="the data store (default: $CCM_DB or var/ccm.duckdb)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    m = sub.add_parser("metrics", help="print the metrics JSON for a day, reading files directly",
                       description="Print DOMAIN.md's metrics as JSON for one day. Reads the files directly; "
                                   "no store needed.")
    m.add_argument("--data", metavar="PATH", action="append",
                   help="an .xlsx/.csv file or a folder of them (repeatable); default: the store")
    m.add_argument("--as-of", type=_date, default=dt.date.today(), metavar="YYYY-MM-DD",
                   help="the day counted (default: today)")
    m.add_argument("--report-year", type=_year, metavar="YYYY", help="annual reporting year (default: latest due)")
    m.add_argument("--budget-year", type=_year, metavar="YYYY", help="budget year (default: the as-of year)")
    m.set_defaults(func=cmd_metrics)

    ld = sub.add_parser("load", help="validate files and store them as a new version",
                        description="Validate .xlsx/.csv files and store the datasets they hold as a new "
                                    "version. Datasets not in the files are kept. On any error nothing is stored.")
    ld.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    ld.add_argument("--user", default=os.environ.get("USER", ""), help="your name, for the load history")
    ld.add_argument("--check", action="store_true", help="only validate and show what would change")
    ld.add_argument("--append", action="store_true",
                    help="add the files' spend rows to the stored spend instead of replacing it; rows already "
                         "stored (same date, cost line, amount, description) are reported and skipped")
    ld.set_defaults(func=cmd_load)

    st = sub.add_parser("status", help="what the store holds", description="Show the datasets, rows and last load.")
    st.set_defaults(func=cmd_status)

    hi = sub.add_parser("history", help="the load history", description="List every version, newest first.")
    hi.add_argument("--limit", type=int, default=20, help="how many versions to show (default 20)")
    hi.set_defaults(func=cmd_history)

    df = sub.add_parser("diff", help="what a change did (default: the last one)",
                        description="Rows added, removed and changed per dataset between two versions.")
    df.add_argument("--from", dest="old", type=int, metavar="N", help="old version (default: the one before --to)")
    df.add_argument("--to", dest="new", type=int, metavar="N", help="new version (default: the current one)")
    df.set_defaults(func=cmd_diff)

    rb = sub.add_parser("rollback", help="restore the data as it was before the last load",
                        description="Restore an earlier version as a new version; the history keeps everything.")
    rb.add_argument("--to", type=int, metavar="N", help="the version to restore (default: before the last load)")
    rb.add_argument("--user", default=os.environ.get("USER", ""), help="your name, for the history")
    rb.set_defaults(func=cmd_rollback)

    dk = sub.add_parser("deck", help="build the meeting deck (PowerPoint, native charts)",
                        description="Build a 16:9 PowerPoint deck with the state of play as at a day: native, "
                                    "editable charts and tables, a footer and speaker notes on every slide.")
    _data_args(dk)
    dk.add_argument("--title", default=None, help="the meeting's name, on the title slide (default: "
                    "'Meeting of States Parties' in the deck's language)")
    _lang_arg(dk, "the deck's language")
    dk.add_argument("--out", required=True, metavar="FILE.pptx", help="where to write the deck")
    dk.add_argument("--template", metavar="FILE.pptx", help="a PowerPoint file whose layouts and theme to use")
    dk.add_argument("--rows-per-slide", type=int, default=12, metavar="N",
                    help="table rows per slide, at most 13 (default 12); overdue reports take two slides at most")
    dk.set_defaults(func=cmd_deck)

    br = sub.add_parser("brief", help="write the one-page brief (HTML, prints on one A4 page)",
                        description="Write the one-page brief as at a day (the Brief page's): headline figures, two "
                                    "charts, the key messages and the source, in one self-contained HTML file that "
                                    "needs no internet and prints on one A4 page.")
    _data_args(br)
    _lang_arg(br, "the brief's language")
    br.add_argument("--out", required=True, metavar="FILE.html", help="where to write the brief")
    br.set_defaults(func=cmd_brief)

    rp = sub.add_parser("report", help="draft the progress report to a Meeting of States Parties (Word)",
                        description="Draft the progress report on the action plan in force as at a day: "
                                    "universalization, stockpile destruction, clearance and transparency measures "
                                    "in numbered paragraphs, with tables in annex, in one Word document.")
    _data_args(rp)
    _lang_arg(rp, "the report's language")
    rp.add_argument("--template", metavar="FILE.docx", help="a Word file whose styles to use (its text is dropped)")
    rp.add_argument("--out", required=True, metavar="FILE.docx", help="where to write the report")
    rp.set_defaults(func=cmd_report)

    ex = sub.add_parser("export", help="export the analysis tables as an Excel workbook",
                        description="Write the overdue reports, deadlines, reporting by year, the budget of every year and "
                                    "contributions as at a day to one .xlsx workbook.")
    _data_args(ex)
    ex.add_argument("--budget-year", type=_year, metavar="YYYY", help="budget year (default: the as-of year)")
    ex.add_argument("--out", required=True, metavar="FILE.xlsx", help="where to write the workbook")
    _lang_arg(ex, "the language of the sheet names, headers and About sheet")
    ex.set_defaults(func=cmd_export)

    sv = sub.add_parser("serve", help="start the dashboard and print the link that lets you change the data",
                        description="Start the dashboard (streamlit run serve.py: app.py behind the door that counts "
                                    "wrong credentials per client). Without an admin password, "
                                    "changing the data needs a start-up token: it is made now and printed with a "
                                    "link that fills it in, as notebook servers do. Used by 'make run'.")
    sv.add_argument("--port", type=int, default=8501, help="the port (default 8501)")
    sv.add_argument("--address", default=None,
                    help="the address to listen on (default: .streamlit/config.toml's, 127.0.0.1)")
    sv.set_defaults(func=cmd_serve)

    it = sub.add_parser("init", help="create the store and load the sample data if it is empty",
                        description="Create the store if needed; load the bundled sample workbook when the "
                                    "store holds nothing yet. Used by 'make run'.")
    it.set_defaults(func=cmd_init)
    _working_group_commands(sub)
    _users_commands(sub)
    return p


def _users_commands(sub) -> None:
    us = sub.add_parser("users", help="the local users file: who may sign in, with which role",
                        description="Manage the local users file ($CCM_USERS_FILE, default var/users.json) used "
                                    "when the app has no identity provider. Roles: viewer (read, download), editor "
                                    "(also log contacts, letterheads), admin (also load, roll back, restore the "
                                    "sample, set templates). Passwords are asked twice on a terminal, read once "
                                    "from standard input otherwise; only an Argon2 hash is stored.")
    usub = us.add_subparsers(dest="users_command", metavar="ACTION", parser_class=_Parser)
    usub.required = True
    ua = usub.add_parser("add", help="add a user")
    ua.add_argument("name", help="the user's name (letters, digits, . _ @ + -), recorded in the history")
    ua.add_argument("--role", required=True, choices=["viewer", "editor", "admin"], help="what the user may do")
    ua.set_defaults(func=cmd_users_add)
    ul = usub.add_parser("list", help="list the users and their roles")
    ul.set_defaults(func=cmd_users_list)
    ur = usub.add_parser("remove", help="remove a user (their sessions end at once)")
    ur.add_argument("name")
    ur.set_defaults(func=cmd_users_remove)
    up = usub.add_parser("passwd", help="set a user's password (their sessions end at once)")
    up.add_argument("name")
    up.set_defaults(func=cmd_users_passwd)


def _working_group_commands(sub) -> None:
    """letters, followup and calendar: the Working Groups' tools (DOMAIN.md section 7)."""
    lt = sub.add_parser("letters", help="write reminder letters (.docx) to States with overdue reports",
                        description="Write one Word letter per State with an Article 7 report overdue on the day, "
                                    "listing each outstanding report with its due date; files named with the "
                                    "State's ISO3 code.")
    _data_args(lt)
    _lang_arg(lt, "the letters' language")
    lt.add_argument("--state", action="append", metavar="ISO3", help="only this State (repeatable; a name works too)")
    lt.add_argument("--template", metavar="FILE.docx", help="a Word letterhead with placeholders (see DOMAIN.md 7)")
    lt.add_argument("--contact", default="", help="the ISU contact person named in the letters")
    lt.add_argument("--first-number", type=int, default=1, metavar="N",
                    help="the running number of the first letter's reference (default 1; see letter-settings)")
    lt.add_argument("--out", required=True, metavar="DIR", help="the folder to write the letters to (made if missing)")
    lt.set_defaults(func=cmd_letters)

    ls = sub.add_parser("letter-settings", help="show or set the ISU's contact details and reference pattern "
                                                "used by every letter",
                        description="The ISU's e-mail, telephone and address, and the pattern of the letters' "
                                    "reference numbers, kept in the store for the letters command and the app "
                                    "(DOMAIN.md section 7). Without an option: show them.")
    ls.add_argument("--email", help="the ISU's e-mail address")
    ls.add_argument("--telephone", help="the ISU's telephone number")
    ls.add_argument("--address", help="the ISU's postal address (use \\n between lines)")
    ls.add_argument("--reference", metavar="PATTERN",
                    help="the reference pattern, with {year} and {number} (default CCM/ISU/{year}/{number:03d})")
    ls.add_argument("--user", default=os.environ.get("USER", ""), help="your name, for the record")
    ls.set_defaults(func=cmd_letter_settings)

    fu = sub.add_parser("followup", help="the follow-up log: record or list contacts with States",
                        description="Record a contact with a State about its overdue reports (stored as a new "
                                    "version; rollback undoes it), or list the log.")
    fsub = fu.add_subparsers(dest="followup_command", metavar="add|list", parser_class=_Parser)
    fsub.required = True
    fa = fsub.add_parser("add", help="record a contact")
    fa.add_argument("--state", required=True, metavar="ISO3", help="the State (ISO3 code or name)")
    fa.add_argument("--on", type=_date, required=True, metavar="YYYY-MM-DD", help="the day of the contact")
    fa.add_argument("--channel", required=True, choices=["letter", "email", "meeting", "call"])
    fa.add_argument("--note", default="", help="what was said or sent")
    fa.add_argument("--promised", type=_date, metavar="YYYY-MM-DD", help="the day the State promised to report by")
    fa.add_argument("--by", default=os.environ.get("USER", ""), help="who made the contact (default: $USER)")
    fa.set_defaults(func=cmd_followup_add)
    fl = fsub.add_parser("list", help="list the contacts, newest first")
    fl.add_argument("--state", metavar="ISO3", help="only this State")
    fl.set_defaults(func=cmd_followup_list)

    ca = sub.add_parser("calendar", help="write what falls due in the coming months as an .ics calendar",
                        description="Initial and annual report dates, Article 3/4 deadlines (with pending extension "
                                    "requests) and meetings from the day to N months later, as all-day events with "
                                    "stable UIDs (re-importing updates them).")
    _data_args(ca)
    ca.add_argument("--months", type=int, choices=[3, 12, 24], default=24, help="how far ahead (default 24)")
    ca.add_argument("--out", required=True, metavar="FILE.ics", help="where to write the calendar")
    _lang_arg(ca, "the language of the events' titles and descriptions")
    ca.set_defaults(func=cmd_calendar)


def _lang_arg(p: argparse.ArgumentParser, what: str) -> None:
    """``--lang en|fr|es``: the language of everything the command writes and prints (DOMAIN §12)."""
    p.add_argument("--lang", choices=list(i18n.LANGUAGES), default=i18n.DEFAULT,
                   help=f"{what}, and of the command's messages: en, fr or es (default en)")


def _data_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", metavar="PATH", action="append",
                   help="an .xlsx/.csv file or a folder of them (repeatable); default: the store")
    p.add_argument("--store", action="store_true", help="use the data store (the default without --data)")
    p.add_argument("--as-of", type=_date, default=dt.date.today(), metavar="YYYY-MM-DD",
                   help="the day counted (default: today)")


def _data_and_source(args, localize: bool = True):
    """The data to report on, as knowable on ``--as-of`` (the one cut, ``CcmData.as_at``; DOMAIN §3a) with
    State names in the command's language (DOMAIN §12), and the label for footers."""
    # lazy: pandas
    from . import provenance
    from .data import localized

    if args.data and not getattr(args, "store", False):
        # lazy: pandas
        from .reading import read_paths

        result = read_paths(args.data)
        _print_problems(result.warnings, _("Warnings:"))
        data, source, compiled = result.data, provenance.files_label([s.name for s in result.sources]), None
    else:
        store = _store(args)
        prov = store.provenance()
        data, source, compiled = store.snapshot(ledger="daily")[1], provenance.source_label(prov), \
            provenance.record_compiled_on(prov)
    data = data.as_at(args.as_of, compiled)
    return (localized(data, i18n.current()) if localize else data), source


def _illustrative(data, as_of, source: str) -> tuple[str, ...]:
    """The illustrative datasets a brief or deck as at D rests on: those showing rows of the bundled sample on D
    (per row, DOMAIN §3b); for files read straight from disk, which carry no such marks, the sample's label."""
    # lazy: python-pptx and pandas
    from . import provenance
    from .outputs.deck import default_illustrative

    flagged = provenance.sample_datasets_in(data.as_at(as_of))
    if flagged:
        return tuple(d for d in flagged if d in provenance.ILLUSTRATIVE_DATASETS)
    return tuple(default_illustrative(source))


def _out_path(text: str, suffix: str) -> Path:
    """An ``--out`` file, checked before any work (see ``outfiles.output_file``)."""

    return output_file(text, suffix)


def _store(args):
    # lazy: DuckDB and pandas
    from .store import Store

    return Store(args.db) if args.db else Store()


def _print_problems(problems: list[Problem], title: str) -> None:
    if problems:
        print(title, file=sys.stderr)
        for prob in problems:
            print(f"  - {prob}", file=sys.stderr)


def cmd_metrics(args) -> int:
    # lazy: pandas
    from .metrics import compute_metrics

    data, _source = _data_and_source(args, localize=False)
    out = compute_metrics(data, args.as_of, args.report_year, args.budget_year)

    print(json.dumps(json_safe(out), indent=2, ensure_ascii=False, allow_nan=False))
    return EXIT_OK


def cmd_load(args) -> int:
    # lazy: DuckDB and pandas
    from .reading import read_paths
    from .store import diff_data

    store = _store(args)
    version, base = store.snapshot()
    result = read_paths(args.paths, base)
    report = None
    if args.append:
        # lazy: pandas
        from .dataops import append_spend

        result, report = append_spend(result, base)
    _print_problems(result.warnings, f"{len(result.warnings)} warning(s):")
    if report is not None:
        print(report.sentence())
        for r in report.duplicates.head(10).itertuples():
            counts = (f"  ({r.in_files:,} identical in the files, {r.stored:,} stored)"
                      if r.in_files > 1 or r.stored > 1 else "")
            print(f"  skipped: {r.date:%Y-%m-%d}  {r.cost_line}  {r.amount:,.2f}  {r.description or ''}{counts}")
        if len(report.duplicates) > 10:
            print(f"  ... and {len(report.duplicates) - 10:,} more")
    changes = diff_data(base, result.data, datasets=list(result.frames))
    for d in changes:
        print(f"  {d.dataset:<14} {result.row_counts[d.dataset]:>8,} rows   "
              f"+{d.added:,} added  -{d.removed:,} removed  ~{d.changed:,} changed")
    if args.check:
        print("Checked only (--check): nothing was stored.")
        return EXIT_OK
    v = store.load(result, user=args.user, expected_version=version)
    print(f"Stored as version {v.version} in {store.path}.")
    return EXIT_OK


def cmd_status(args) -> int:
    s = _store(args).status()
    print(f"Store: {s.path}")
    print(f"Version: {s.version}")
    for name, n in s.rows.items():
        print(f"  {name:<14} {n:>10,} rows")
    if s.last:
        files = ", ".join(x["name"] for x in s.last.sources) or s.last.note
        print(f"Last change: {s.last.action} on {s.last.created_at:%Y-%m-%d %H:%M} UTC"
              f"{' by ' + s.last.user if s.last.user else ''} ({files})")
    else:
        print("Nothing loaded yet: run 'python -m ccm_analytics load FILE...' or 'init' for the sample data.")
    return EXIT_OK


def cmd_history(args) -> int:
    history = _store(args).history()
    if not history:
        print("No loads yet.")
    for v in history[: args.limit]:
        what = ", ".join(f"{x['name']} ({x['sha256'][:12]})" for x in v.sources) or v.note
        rows = ", ".join(f"{k} {n:,}" for k, n in v.rows.items())
        print(f"v{v.version:<4} {v.created_at:%Y-%m-%d %H:%M} UTC  {v.action:<8} {v.user or '-':<12} {what}")
        if rows:
            print(f"       rows: {rows}")
        if v.warnings:
            print(f"       {len(v.warnings)} warning(s)")
    return EXIT_OK


def cmd_diff(args) -> int:
    changes = _store(args).diff(args.old, args.new)
    for d in changes:
        if d.has_changes:
            print(f"  {d.dataset:<14} +{d.added:,} added  -{d.removed:,} removed  ~{d.changed:,} changed  "
                  f"({d.unchanged:,} unchanged)")
    if not any(d.has_changes for d in changes):
        print("No differences.")
    return EXIT_OK


def cmd_rollback(args) -> int:
    # lazy: pandas
    from .dataops import rollback_notes

    store = _store(args)
    version, before = store.snapshot()
    v = store.rollback(args.to, user=args.user, expected_version=version)
    print(f"Rolled back: version {v.version} now holds the data of version {v.content_of} ({v.note}).")
    for line in rollback_notes(before, store.snapshot(v.version)[1]):
        print(f"  {line}")
    return EXIT_OK


def cmd_deck(args) -> int:
    # lazy: python-pptx and pandas
    from . import formatting as fmt
    from .outputs.deck import build_deck

    out = _out_path(args.out, ".pptx")
    if args.rows_per_slide < 1:
        raise UsageError(_("--rows-per-slide must be at least 1."))
    template = _template_bytes(args.template, "pptx")
    data, source = _data_and_source(args)
    start = time.perf_counter()
    title = args.title if args.title else _(DEFAULT_TITLE)
    deck, info = build_deck(data, args.as_of, title, source, template, args.rows_per_slide,
                            illustrative=_illustrative(data, args.as_of, source),
                            template_name=Path(args.template).name if args.template else None)
    write_file(out, deck)
    print(_("Wrote {file}: {slides} slides (overdue reports on {overdue}, deadlines on {deadlines}) in {seconds} s.")
          .format(file=out, slides=info.slides, overdue=info.overdue_slides, deadlines=info.deadline_slides,
                  seconds=fmt.number(time.perf_counter() - start, 2)))
    return EXIT_OK


def cmd_brief(args) -> int:
    # lazy: Plotly and pandas
    from .outputs.brief import build_brief
    from .outputs.brief_html import brief_html
    out = _out_path(args.out, ".html")
    data, source = _data_and_source(args)
    brief = build_brief(data, args.as_of, _illustrative(data, args.as_of, source))
    write_file(out, brief_html(brief, source).encode("utf-8"))
    print(_("Wrote {file}.").format(file=out))
    return EXIT_OK


def cmd_report(args) -> int:
    from .outputs.report import build_report  # lazy: python-docx, only for this command

    out = _out_path(args.out, ".docx")
    template = _template_bytes(args.template, "docx")
    data, source = _data_and_source(args)
    write_file(out, build_report(data, args.as_of, _illustrative(data, args.as_of, source), template,
                                 template_name=Path(args.template).name if args.template else "template.docx"))
    print(_("Wrote {file}.").format(file=out))
    return EXIT_OK


def cmd_export(args) -> int:
    # lazy: pandas (openpyxl when written)
    from .export import export_workbook

    out = _out_path(args.out, ".xlsx")
    data, source = _data_and_source(args)
    write_file(out, export_workbook(data, args.as_of, source, args.budget_year))
    print(_("Wrote {file}.").format(file=out))
    return EXIT_OK


def cmd_serve(args) -> int:
    """Print how to change the data (and a warning when exposed without a password), then become the
    Streamlit server (``serve.py``: app.py behind the door) with the token in its environment."""

    script = paths.serve_script()  # outside a checkout: refused here, before anything is printed
    env = dict(os.environ)
    access.trusted_proxies(env)  # a bad CCM_TRUSTED_PROXIES is refused here, before anything starts
    # Uvicorn would take the client from X-Forwarded-For for loopback peers: the door (serve.py) decides.
    env["FORWARDED_ALLOW_IPS"] = ""
    address = args.address or "127.0.0.1"
    password = bool(env.get("CCM_ADMIN_PASSWORD"))
    token = env.get("CCM_ADMIN_TOKEN") or secrets.token_urlsafe(24)
    env["CCM_ADMIN_TOKEN"] = token
    code = env.get(access.LINK_CODE_ENV) or secrets.token_urlsafe(24)  # the printed link's one-use code
    env[access.LINK_CODE_ENV] = code
    policy = access.policy_from(address, password, env)
    host = address if address not in ("0.0.0.0", "::", "") else "127.0.0.1"
    print(f"CCM Analytics: http://{host}:{args.port}")
    notice = access.startup_notice(f"http://{host}:{args.port}", token, policy, code)
    if notice:
        print(notice, flush=True)
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(args.port)]
    if args.address:
        cmd += ["--server.address", args.address]
    sys.stdout.flush()
    os.execve(sys.executable, cmd, env)
    return EXIT_OK  # not reached


def cmd_init(args) -> int:
    # lazy: pandas
    from .reading import read_paths

    sample = paths.sample_workbook()  # outside a checkout: refused before the store is created
    store = _store(args)
    if store.version() > 0:
        print(f"The store {store.path} already holds data (version {store.version()}); nothing to do.")
        return EXIT_OK
    result = read_paths([sample])
    v = store.load(result, user="sample", action="sample", note="bundled sample data")
    print(f"Loaded the sample data into {store.path} (version {v.version}).")
    return EXIT_OK


def _template_bytes(path: str | None, kind: str) -> bytes | None:
    """The bytes of a --template file (None when not given), once the Office guard has passed them
    (``kind``: docx or pptx; DOMAIN.md section 9)."""
    # lazy: the io package pulls pandas
    from .reading.guard import check_office, size_problem

    if not path:
        return None
    if not Path(path).is_file():
        raise UsageError(_("No such template file: {path}").format(path=path))
    problem = size_problem(Path(path).name, Path(path).stat().st_size)  # never read more than the limit
    if problem is not None:
        raise UsageError(str(problem))
    data = Path(path).read_bytes()
    check_office(Path(path).name, data, kind)
    return data


def _iso3_list(names, data) -> list[str]:
    # lazy: pandas
    from . import countries

    out = []
    for name in names or []:
        code = countries.to_iso3(name)
        if code is None or code not in set(data.states["iso3"]):
            close = countries.suggest(name)
            raise UsageError(_("'{name}' is not a State in the data.").format(name=name) + (
                " " + _("Did you mean {names}?").format(names=_or_list(close)) if close else ""))
        out.append(code)
    return out


def _or_list(names: list[str]) -> str:
    """``A or B or C`` (``A, B ou C``, ``A, B o C``)."""
    if i18n.current() == "en":
        return " or ".join(names)
    # lazy: Babel only where a list is written
    from babel.lists import format_list

    return format_list(names, style="or", locale=i18n.locale())


def _letter_settings(args):
    """The letter settings kept in the store (``--db`` or the default one), if that store exists."""
    # lazy: the letters module and pandas
    from .outputs.letters import LetterSettings, load_settings
    from .store import Store, default_path

    path = Path(args.db) if getattr(args, "db", None) else default_path()
    return load_settings(Store(path)) if path.exists() else LetterSettings()


def _reports_illustrative(args, source: str) -> bool:
    """Whether the report submission dates are the bundled sample's (illustrative; the letters then say so): files
    read straight that include the sample workbook, or a store whose reports came from the sample."""
    # lazy: pandas
    from . import provenance

    if args.data and not args.store:
        return provenance.is_sample_label(source)
    return "reports" in provenance.sample_datasets(_store(args).provenance())


def cmd_letter_settings(args) -> int:
    # lazy: the letters module and pandas
    from .outputs.letters import load_settings, save_settings

    store = _store(args)
    settings = load_settings(store)
    changes = {k: getattr(args, k).replace("\\n", "\n") for k in ("email", "telephone", "address", "reference")
               if getattr(args, k) is not None}
    if changes:
        settings = replace(settings, **changes)
        save_settings(store, settings, args.user)
    for label, value in ((_("E-mail"), settings.email), (_("Telephone"), settings.telephone),
                         (_("Address"), settings.address.replace("\n", " / ")),
                         (_("Reference pattern"), settings.reference)):
        print(f"{label}: {value}")
    return EXIT_OK


def cmd_letters(args) -> int:
    # lazy: the letters module and pandas
    from .analysis import reporting as rp
    from .outputs.letters import build_letters

    out = output_folder(args.out)
    template = _template_bytes(args.template, "docx")
    data, _source = _data_and_source(args)
    statuses = rp.report_statuses(data.states, data.reports, args.as_of)
    table = rp.overdue_by_state(statuses, args.as_of)
    wanted = _iso3_list(args.state, data)
    if wanted:
        missing = [c for c in wanted if c not in set(table["iso3"])]
        if missing:
            print(_("Nothing is overdue on {day} for {states}: no letter.").format(day=args.as_of,
                                                                                  states=", ".join(missing)),
                  file=sys.stderr)
        table = table[table["iso3"].isin(wanted)]
    letters = build_letters(table, args.as_of, args.lang, template, args.contact,
                            **({"template_name": Path(args.template).name} if args.template else {}),
                            settings=_letter_settings(args), first_number=args.first_number,
                            illustrative=_reports_illustrative(args, _source))
    for letter in letters:
        write_file(out / letter.file_name, letter.data)
    print(ngettext("Wrote {n} letter {in_language} to {folder}.", "Wrote {n} letters {in_language} to {folder}.",
                   len(letters)).format(n=len(letters), in_language=_(IN_LANGUAGE[args.lang]), folder=out))
    return EXIT_OK


def cmd_followup_add(args) -> int:
    # lazy: pandas
    from .dataops import add_followup

    v = add_followup(_store(args), args.state, args.on, args.channel, args.note, args.promised, args.by,
                     user=args.by)
    print(f"Recorded as version {v.version}: {v.note}. 'rollback' undoes it.")
    return EXIT_OK


def cmd_followup_list(args) -> int:
    # lazy: pandas
    from .analysis.followups import known_followups

    data = _store(args).data()
    f = known_followups(data.followups, data.followups["date"].max())
    if args.state:
        f = f[f["iso3"].isin(_iso3_list([args.state], data))]
    if f.empty:
        print("No follow-up recorded" + (f" for {args.state}." if args.state else "."))
        return EXIT_OK
    names = dict(zip(data.states["iso3"], data.states["state"]))
    for r in f.itertuples():
        promised = f"  promised by {r.promised_on:%Y-%m-%d}" if r.promised_on == r.promised_on else ""
        by = f" by {r.by}" if isinstance(r.by, str) and r.by else ""
        note = f": {r.note}" if isinstance(r.note, str) and r.note else ""
        print(f"{r.date:%Y-%m-%d}  {r.iso3}  {names.get(r.iso3, r.iso3)}  {r.channel}{by}{promised}{note}")
    return EXIT_OK


def cmd_calendar(args) -> int:
    # lazy: pandas (icalendar when written)
    from .outputs.ical import coming_up, to_ics

    out = _out_path(args.out, ".ics")
    data, _source = _data_and_source(args)
    events = coming_up(data, args.as_of, args.months)
    write_file(out, to_ics(events, args.as_of, args.months))
    print(ngettext("Wrote {file}: {n} event from {day} to {months} months later.",
                   "Wrote {file}: {n} events from {day} to {months} months later.", len(events)).format(
        file=out, n=len(events), day=args.as_of, months=args.months))
    return EXIT_OK


def _new_password(name: str) -> str:
    """The password, asked twice on a terminal (not echoed), else read once from standard input."""

    if sys.stdin.isatty():
        first = getpass.getpass(_("Password for {name}: ").format(name=name))
        if first != getpass.getpass(_("The same password again: ")):
            raise UsageError(_("The two passwords differ; nothing was changed."))
        return first
    line = sys.stdin.readline()
    return line[:-1] if line.endswith("\n") else line


def cmd_users_add(args) -> int:
    # lazy: argon2, DuckDB and pandas
    from .users import UsersFile, check_name, check_password

    users = UsersFile()
    check_name(args.name)
    entry = users.add(args.name, args.role, check_password(_new_password(args.name)))
    print(_("Added {name} ({role}) to {file}.").format(name=entry.name, role=entry.role, file=users.path))
    return EXIT_OK


def cmd_users_list(args) -> int:
    # lazy: argon2, DuckDB and pandas
    from .users import UsersFile

    users = UsersFile()
    entries = users.entries()
    if not entries:
        print(_("No users in {file}.").format(file=users.path))
    for entry in entries.values():
        print(f"{entry.name}\t{entry.role}")
    return EXIT_OK


def cmd_users_remove(args) -> int:
    # lazy: argon2, DuckDB and pandas
    from .users import UsersFile

    users = UsersFile()
    users.remove(args.name)
    print(_("Removed {name} from {file}.").format(name=args.name, file=users.path))
    return EXIT_OK


def cmd_users_passwd(args) -> int:
    # lazy: argon2, DuckDB and pandas
    from .users import UsersFile

    users = UsersFile()
    users.require(args.name)  # an unknown name is refused before the password is asked
    users.passwd(args.name, _new_password(args.name))
    print(_("Changed the password of {name}; their sessions have ended.").format(name=args.name))
    return EXIT_OK


class _Visible:
    """A text stream that writes control characters as ``\\u001b``: an ANSI escape in a file name or
    a cell is shown on the terminal, never obeyed (see ``textsafe.visible``)."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(visible(text))

    def __getattr__(self, name):
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Visible(out), _Visible(err)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # the language of the whole command: what it writes, its messages and its errors (DOMAIN §12)
    with i18n.language(getattr(args, "lang", None)):
        return _run(args)


def _check_as_of(args) -> None:
    """A command's ``--as-of`` must be a day the app offers (DOMAIN §10), checked before any work."""
    # lazy: pandas
    from .analysis.treaty import EARLIEST_DAY, LATEST_DAY

    day = getattr(args, "as_of", None)
    if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
        raise UsageError(_("--as-of {day} is outside the days the analysis covers: choose a day from {first} to "
                           "{last} (the Convention opened for signature on {first}).").format(
            day=day.isoformat(), first=EARLIEST_DAY.isoformat(), last=LATEST_DAY.isoformat()))


def _run(args) -> int:
    try:
        _check_as_of(args)
        return args.func(args)
    except LoadError as e:
        print(e.summary(), file=sys.stderr)
        for prob in e.problems:
            print(f"  - {prob}", file=sys.stderr)
        _print_problems(e.warnings, _("Warnings:"))
        return EXIT_INPUT
    except CcmError as e:
        print(str(e), file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print(_("Interrupted."), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as e:  # a bug, not the user's fault: say so plainly
        if os.environ.get("CCM_DEBUG"):
            raise
        print(_("Internal error ({error}). This is a bug in CCM Analytics; run again with CCM_DEBUG=1 for details "
                "and report it.").format(error=f"{type(e).__name__}: {e}"), file=sys.stderr)
        return EXIT_INTERNAL
