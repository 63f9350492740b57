"""Data: what is loaded, the load history, uploads with a preview, roll back, templates."""

import streamlit as st

from ccm_analytics import dataops
from ccm_analytics import formatting as fmt
from ccm_analytics.ui import actions
from ccm_analytics.ui import widgets as w
from ccm_analytics.ui.cache import store_tables
from ccm_analytics.ui.context import can_change_data, policy, store, unlock

run = w.header("Data", "What is loaded, where it came from, and how to load your own spreadsheets.")
flash = st.session_state.pop("data_flash", None)
if flash:
    st.success(flash, icon=":material/check_circle:")

s = store()
loaded, hist = store_tables()
st.header("What is loaded")
w.table(loaded, "datasets", column_config={
    "dataset": "Dataset", "rows": w.int_col("Rows"), "version": w.int_col("Version"),
    "loaded_at": st.column_config.DatetimeColumn("Loaded (UTC)", format="D MMM YYYY, HH:mm"), "by": "By",
    "from": "From"})

st.header("Who may change the data")
rules = policy()
allowed, why = can_change_data()
if rules.exposed_without_password:
    st.warning(rules.explain(), icon=":material/warning:")
token_message = st.session_state.pop("_token_message", None)
if token_message:
    st.error(f"The token in the address was not accepted: {token_message}", icon=":material/error:")
if rules.open_without_credential:
    st.caption(rules.explain())
elif not allowed:
    with st.form("admin_login", border=True):
        if rules.password_set:
            st.markdown("Enter the admin password to upload, roll back or restore data.")
        else:
            st.markdown("Enter the **start-up token** to upload, roll back or restore data. It was printed in the "
                        "terminal where the app was started (`make run` prints a link that fills it in).")
        password = st.text_input("Admin password" if rules.password_set else "Start-up token", type="password",
                                 key="admin_password_input")
        if st.form_submit_button("Unlock", icon=":material/lock_open:"):
            ok, message = unlock(password or "")
            if ok:
                st.session_state["data_flash"] = "Unlocked: you may change the data in this session."
                st.rerun()
            st.error(message, icon=":material/error:")
else:
    c1, c2 = st.columns([4, 1])
    c1.caption(f"Unlocked with the {rules.credential} for this session.")
    if c2.button("Lock again", icon=":material/lock:"):
        st.session_state["_admin_ok"] = False
        st.rerun()
user = st.text_input("Your name (recorded with every change in the history)", key="upload_user",
                     disabled=not allowed, max_chars=80)

st.header("Load spreadsheets")
st.markdown("Upload one workbook (a sheet per dataset) or CSV files (one per dataset, named after it). "
            "Only the datasets in the files are replaced; the others are kept. Nothing is stored until you confirm.")
n = st.session_state.setdefault("upload_round", 0)
files = w.upload_selection(st.file_uploader("Workbooks or CSV files", type=["xlsx", "csv"], accept_multiple_files=True,
                                            key=f"upload-{n}", disabled=not allowed), key=f"upload-{n}")
append = st.checkbox("Add the spend rows to the stored spend (do not replace it)", key="upload_append",
                     disabled=not allowed, help="For a new month of spend: rows already stored with the same date, "
                                                "cost line, amount and description are skipped and listed.")
if files:
    check = dataops.check_upload(s, [(f.name, f.getvalue()) for f in files], append=append)
    if not check.ok:
        w.upload_failed(f"upload-{n}")
        st.error(f"**Not loaded: {fmt.count(len(check.errors), 'problem')} found.** Nothing was changed. "
                 "Correct the cells listed below and upload the files again.", icon=":material/error:")
        w.table(dataops.problems_table(check.errors), "upload-problems", key="problems",
                columns=["cell", "state", "value", "message", "file", "sheet", "row", "column"],
                column_config={"message": st.column_config.TextColumn("What is wrong", width="large")})
    else:
        st.success(f"The files are valid. Storing them replaces the datasets below (current version "
                   f"{check.version}); every other dataset is kept.", icon=":material/fact_check:")
        w.grid(dataops.changes_table(check.changes, check.result.row_counts),
               column_config={"dataset": "Dataset", "rows": w.int_col("Rows in the files"),
                              "added": w.int_col("Added"), "removed": w.int_col("Removed"),
                              "changed": w.int_col("Changed"), "unchanged": w.int_col("Unchanged")})
        for line in dataops.removal_notes(check.changes):
            st.warning(line, icon=":material/delete:")
        if check.appended is not None:
            st.info(check.appended.sentence(), icon=":material/playlist_add:")
            if len(check.appended.duplicates):
                w.table(check.appended.duplicates, "skipped-duplicate-spend", key="append_duplicates",
                        column_config={"date": w.date_col("Date"), "cost_line": "Cost line",
                                       "amount": st.column_config.NumberColumn("Amount", format="%,.2f"),
                                       "description": "Description"})
    if check.warnings:
        with st.expander(f"{fmt.count(len(check.warnings), 'warning')} (the data can still be stored)",
                         expanded=not check.ok or len(check.warnings) < 6):
            w.grid(dataops.problems_table(check.warnings),
                   column_order=["cell", "state", "value", "message", "file", "sheet", "column"],
                   column_config={"message": st.column_config.TextColumn("Warning", width="large")})
    if check.ok:
        if st.button("Store this data", type="primary", icon=":material/save:", disabled=not allowed):
            actions.perform(lambda: actions.store_upload(check, user),
                            lambda v: f"Stored as version {v.version}. Every page now shows the new data.",
                            upload_round=n + 1)

st.header("History")
if hist.empty:
    w.empty("Nothing has been loaded yet.")
else:
    w.table(hist, "load-history", column_config={
        "version": w.int_col("Version"), "when": st.column_config.DatetimeColumn("When (UTC)", format="D MMM YYYY, HH:mm"),
        "action": "Action", "by": "By", "files": st.column_config.TextColumn("Files", width="large"), "rows": "Rows",
        "warnings": w.int_col("Warnings")})
    with st.container(border=True):
        st.markdown("**Roll back.** Return to the data as it was before the last change. The history keeps "
                    "every version, so a roll-back can itself be undone.")
        confirm = st.checkbox("I want to roll back the last change", key=f"confirm_rollback-{n}", disabled=not allowed)
        if st.button("Roll back", icon=":material/undo:", disabled=not (allowed and confirm)):
            actions.perform(lambda: actions.rollback(None, user, expected_version=run.version),
                            lambda v: f"Rolled back: version {v.version} holds {v.note}.", upload_round=n + 1)

st.header("Slide template")
current = actions.current_deck_template()
st.markdown("The meeting deck uses this PowerPoint file's slide layouts and theme"
            + (f": **{fmt.md(current)}**." if current else ". No template is set, so decks use a plain 16:9 design."))
tcol1, tcol2 = st.columns([3, 1])
pptx = tcol1.file_uploader("PowerPoint template (.pptx)", type=["pptx"], key=f"template-{n}", disabled=not allowed)
if pptx is not None and tcol1.button("Use this template", icon=":material/palette:", disabled=not allowed):
    actions.perform(lambda: actions.set_deck_template(pptx.getvalue(), pptx.name, user),
                    lambda _: f"Decks now use the template {fmt.md(pptx.name)}.", upload_round=n + 1)
if current and tcol2.button("Remove the template", icon=":material/delete:", disabled=not allowed):
    actions.perform(actions.remove_deck_template, lambda _: "Template removed: decks use the plain design again.")

st.header("Templates and sample data")
c1, c2, c3, c4 = st.columns(4)
c1.download_button("Blank template (.xlsx)", (dataops.TEMPLATES / "ccm_template.xlsx").read_bytes,
                   file_name="ccm_template.xlsx", icon=":material/download:")
c2.download_button("CSV templates (.zip)", dataops.csv_templates_zip, file_name="ccm_csv_templates.zip",
                   icon=":material/download:")
c3.download_button("Sample workbook (.xlsx)", dataops.SAMPLE_PATH.read_bytes, file_name="ccm_sample.xlsx",
                   icon=":material/download:")
if c4.button("Restore the sample data", icon=":material/restore:", disabled=not allowed,
             help="Loads the bundled sample as a new version; roll back to undo."):
    actions.perform(lambda: actions.restore_sample(user), lambda v: f"Sample data restored as version {v.version}.")
