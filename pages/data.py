"""Data: what is loaded, the load history, uploads with a preview, roll back, templates."""

import streamlit as st

from ccm_analytics import dataops
from ccm_analytics import formatting as fmt
from ccm_analytics.i18n import _, ngettext
from ccm_analytics.ui import actions, signin
from ccm_analytics.ui import widgets as w
from ccm_analytics.ui.cache import store_tables
from ccm_analytics.ui.context import current_user, may, policy, store, unlock
from ccm_analytics.outputs.letters import LetterSettings

run = w.header(_("Data"), _("What is loaded, where it came from, and how to load your own spreadsheets."))
flash = st.session_state.pop("data_flash", None)
if flash:
    st.success(flash, icon=":material/check_circle:")

s = store()
loaded, hist = store_tables()
st.header(_("What is loaded"))
w.table(loaded, "datasets", column_config={
    "dataset": _("Dataset"), "rows": w.int_col(_("Rows")), "version": w.int_col(_("Version")),
    "loaded_at": st.column_config.DatetimeColumn(_("Loaded (UTC)"), format="D MMM YYYY, HH:mm"), "by": _("By"),
    "from": _("From")})

st.header(_("Who may change the data"))
rules = policy()
me = current_user()
allowed, why = may("load")
if rules.exposed_without_password:
    st.warning(rules.explain(), icon=":material/warning:")
token_message = st.session_state.pop("_token_message", None)
if token_message:
    st.error(_("The link was not accepted: {reason}").format(reason=token_message), icon=":material/error:")
signin.panel(me)
if rules.open_without_credential:
    st.caption(rules.explain())
elif me.via == "token":
    c1, c2 = st.columns([4, 1])
    c1.caption(_("Unlocked with the admin password for this session.") if rules.password_set else
               _("Unlocked with the start-up token for this session."))
    if c2.button(_("Lock again"), icon=":material/lock:"):
        st.session_state["_admin_ok"] = False
        st.rerun()
elif not me.signed_in:
    with st.expander(_("Admin password") if rules.password_set else _("Start-up token (one-person set-up)")):
        with st.form("admin_login", border=False):
            if rules.password_set:
                st.markdown(_("Enter the admin password to upload, roll back or restore data."))
            else:
                st.markdown(_("Enter the **start-up token** to upload, roll back or restore data. It was printed in "
                              "the terminal where the app was started (`make run` prints a link that fills it in "
                              "once)."))
            password = st.text_input(_("Admin password") if rules.password_set else _("Start-up token"),
                                     type="password", key="admin_password_input")
            if st.form_submit_button(_("Unlock"), icon=":material/lock_open:"):
                ok, message = unlock(password or "")
                if ok:
                    st.session_state["data_flash"] = _("Unlocked: you may change the data in this session.")
                    st.rerun()
                st.error(message, icon=":material/error:")
if not allowed:
    st.caption(why)


def problem_columns(message: str) -> dict:
    """The headers of a table of problems in the page's language, the message column headed ``message``."""
    return {"cell": _("Cell"), "state": _("State"), "value": _("Value"), "file": _("File"), "sheet": _("Sheet"),
            "row": w.int_col(_("Row")), "column": _("Column"), "severity": _("Severity"),
            "message": st.column_config.TextColumn(message, width="large")}


st.header(_("Load spreadsheets"))
st.markdown(_("Upload one workbook (a sheet per dataset) or CSV files (one per dataset, named after it). Only the "
              "datasets in the files are replaced; the others are kept. Nothing is stored until you confirm."))
n = st.session_state.setdefault("upload_round", 0)
files = w.upload_selection(st.file_uploader(_("Workbooks or CSV files"), type=["xlsx", "csv"], accept_multiple_files=True,
                                            key=f"upload-{n}", disabled=not allowed), key=f"upload-{n}")
append = st.checkbox(_("Add the spend rows to the stored spend (do not replace it)"), key="upload_append",
                     disabled=not allowed, help=_("For a new month of spend: rows already stored with the same date, "
                                                  "cost line, amount and description are skipped and listed."))
if files:
    check = dataops.check_upload(s, [(f.name, f.getvalue()) for f in files], append=append)
    if not check.ok:
        w.upload_failed(f"upload-{n}")
        st.error(ngettext("**Not loaded: {n} problem found.** Nothing was changed. Correct the cells listed below "
                          "and upload the files again.",
                          "**Not loaded: {n} problems found.** Nothing was changed. Correct the cells listed below "
                          "and upload the files again.", len(check.errors)).format(n=fmt.number(len(check.errors))),
                 icon=":material/error:")
        w.table(dataops.problems_table(check.errors), "upload-problems", key="problems",
                columns=["cell", "state", "value", "message", "file", "sheet", "row", "column"],
                column_config=problem_columns(_("What is wrong")))
    else:
        st.success(_("The files are valid. Storing them replaces the datasets below (current version {version}); "
                     "every other dataset is kept.").format(version=check.version), icon=":material/fact_check:")
        w.grid(dataops.changes_table(check.changes, check.result.row_counts),
               column_config={"dataset": _("Dataset"), "rows": w.int_col(_("Rows in the files")),
                              "added": w.int_col(_("Added")), "removed": w.int_col(_("Removed")),
                              "changed": w.int_col(_("Changed")), "unchanged": w.int_col(_("Unchanged"))})
        for line in dataops.removal_notes(check.changes):
            st.warning(line, icon=":material/delete:")
        if check.appended is not None:
            st.info(check.appended.sentence(), icon=":material/playlist_add:")
            if len(check.appended.duplicates):
                w.table(check.appended.duplicates, "skipped-duplicate-spend", key="append_duplicates",
                        column_config={"date": w.date_col(_("Date")), "cost_line": _("Cost line"),
                                       "amount": st.column_config.NumberColumn(_("Amount"), format="%,.2f"),
                                       "description": _("Description"),
                                       "in_files": w.int_col(_("Identical rows in the files")),
                                       "stored": w.int_col(_("Identical rows stored"))})
    if check.warnings:
        with st.expander(ngettext("{n} warning (the data can still be stored)",
                                  "{n} warnings (the data can still be stored)",
                                  len(check.warnings)).format(n=fmt.number(len(check.warnings))),
                         expanded=not check.ok or len(check.warnings) < 6):
            w.grid(dataops.problems_table(check.warnings),
                   column_order=["cell", "state", "value", "message", "file", "sheet", "column"],
                   column_config=problem_columns(_("Warning")))
    if check.ok:
        if st.button(_("Store this data"), type="primary", icon=":material/save:", disabled=not allowed):
            actions.perform(lambda: actions.store_upload(check),
                            lambda v: _("Stored as version {version}. Every page now shows the new data.").format(
                                version=v.version),
                            upload_round=n + 1)

st.header(_("History"))
if hist.empty:
    w.empty(_("Nothing has been loaded yet."))
else:
    w.table(hist, "load-history", column_config={
        "version": w.int_col(_("Version")),
        "when": st.column_config.DatetimeColumn(_("When (UTC)"), format="D MMM YYYY, HH:mm"),
        "action": _("Action"), "by": _("By"), "files": st.column_config.TextColumn(_("Files"), width="large"),
        "rows": _("Rows"), "warnings": w.int_col(_("Warnings"))})
    with st.container(border=True):
        st.markdown(_("**Roll back.** Return to the data as it was before the last change. The history keeps "
                      "every version, so a roll-back can itself be undone."))
        confirm = st.checkbox(_("I want to roll back the last change"), key=f"confirm_rollback-{n}", disabled=not allowed)
        if confirm:  # what it would change, in the words the command line prints after a rollback
            for line in dataops.rollback_preview(s):
                st.markdown("- " + fmt.md(line))
        if st.button(_("Roll back"), icon=":material/undo:", disabled=not (allowed and confirm)):
            actions.perform(lambda: actions.rollback(None, expected_version=run.version),
                            lambda v: _("Rolled back: version {version} holds {note}.").format(version=v.version,
                                                                                        note=v.note),
                            upload_round=n + 1)

st.header(_("Slide template"))
current = actions.current_deck_template()
st.markdown(_("The meeting deck uses this PowerPoint file's slide layouts and theme: **{name}**.").format(
    name=fmt.md(current)) if current else
    _("The meeting deck uses this PowerPoint file's slide layouts and theme. No template is set, so decks use a "
      "plain 16:9 design."))
tcol1, tcol2 = st.columns([3, 1])
pptx = tcol1.file_uploader(_("PowerPoint template (.pptx)"), type=["pptx"], key=f"template-{n}", disabled=not allowed)
if pptx is not None and tcol1.button(_("Use this template"), icon=":material/palette:", disabled=not allowed):
    actions.perform(lambda: actions.set_deck_template(pptx.getvalue(), pptx.name),
                    lambda _v: _("Decks now use the template {name}.").format(name=fmt.md(pptx.name)),
                    upload_round=n + 1)
if current and tcol2.button(_("Remove the template"), icon=":material/delete:", disabled=not allowed):
    actions.perform(actions.remove_deck_template, lambda _v: _("Template removed: decks use the plain design again."))

st.header(_("Progress report template"))
current_report = actions.current_report_template()
st.markdown(_("The progress report uses this Word file's styles (its text is dropped): **{name}**.").format(
    name=fmt.md(current_report)) if current_report else
    _("The progress report uses this Word file's styles (its text is dropped). No template is set, so reports use "
      "Word's plain styles."))
rcol1, rcol2 = st.columns([3, 1])
docx_file = rcol1.file_uploader(_("Word template (.docx)"), type=["docx"], key=f"report-template-{n}",
                                disabled=not allowed)
if docx_file is not None and rcol1.button(_("Use this Word template"), icon=":material/palette:", disabled=not allowed):
    actions.perform(lambda: actions.set_report_template(docx_file.getvalue(), docx_file.name),
                    lambda _v: _("Progress reports now use the template {name}.").format(name=fmt.md(docx_file.name)),
                    upload_round=n + 1)
if current_report and rcol2.button(_("Remove the Word template"), icon=":material/delete:", disabled=not allowed):
    actions.perform(actions.remove_report_template,
                    lambda _v: _("Template removed: progress reports use Word's plain styles again."))

st.header(_("Letters: the ISU's contact details"))
kept = actions.letter_settings()
st.caption(_("Every reminder letter gives these details at its foot and numbers its reference with this pattern "
             "({year}: the year of the as-of day; {number}: the letter's running number in its batch)."))
with st.form(f"letter_settings-{n}", border=True):
    lc1, lc2 = st.columns(2)
    email = lc1.text_input(_("E-mail"), value=kept.email, disabled=not allowed)
    telephone = lc2.text_input(_("Telephone"), value=kept.telephone, disabled=not allowed)
    address = st.text_area(_("Address"), value=kept.address, height=90, disabled=not allowed)
    reference = st.text_input(_("Reference pattern"), value=kept.reference, disabled=not allowed)
    if st.form_submit_button(_("Save the contact details"), icon=":material/save:", disabled=not allowed):
        actions.perform(lambda: actions.set_letter_settings(LetterSettings(email, telephone, address, reference)),
                        lambda _v: _("The letters now give these contact details."))

st.header(_("Templates and sample data"))
c1, c2, c3, c4 = st.columns(4)
c1.download_button(_("Blank template (.xlsx)"), (dataops.TEMPLATES / "ccm_template.xlsx").read_bytes,
                   file_name="ccm_template.xlsx", icon=":material/download:")
c2.download_button(_("CSV templates (.zip)"), dataops.csv_templates_zip, file_name="ccm_csv_templates.zip",
                   icon=":material/download:")
c3.download_button(_("Sample workbook (.xlsx)"), dataops.SAMPLE_PATH.read_bytes, file_name="ccm_sample.xlsx",
                   icon=":material/download:")
if c4.button(_("Restore the sample data"), icon=":material/restore:", disabled=not allowed,
             help=_("Loads the bundled sample as a new version; roll back to undo.")):
    actions.perform(lambda: actions.restore_sample(),
                    lambda v: _("Sample data restored as version {version}.").format(version=v.version))
