"""Build the bundled sample workbook (data/ccm_sample.xlsx) and the blank templates.

Real, sourced facts come from data/reference/ (see its SOURCES.md): every State Party and
signatory with its dates, the Article 3 and 4 record (deadlines, extensions, completions),
the ISU's 2018 budget lines and work plan. Everything that is not public is generated here
with a fixed seed and marked as illustrative in the workbook's README sheet: monthly spend,
budgets other than 2018, report submission dates, contributions, pledges, meetings and sponsorship,
and work-plan progress.

Run: ``make sample`` (or ``python scripts/make_sample_data.py``).
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ccm_analytics.analysis.reporting import report_obligations  # noqa: E402
from ccm_analytics.templates import write_templates, write_workbook  # noqa: E402

REF = ROOT / "data" / "reference"
OUT = ROOT / "data" / "ccm_sample.xlsx"
SEED = 20180905
# The day the illustrative records run to: nothing generated is dated later.
DATA_AS_AT = pd.Timestamp("2026-11-20")
BUDGET_YEARS = range(2016, 2021)
BUDGET_SCALE = {2016: 0.93, 2017: 0.97, 2018: 1.0, 2019: 1.02, 2020: 1.04}


def d(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


# -- real facts -----------------------------------------------------------------------------

def states() -> pd.DataFrame:
    r = pd.read_csv(REF / "states.csv", dtype=str, keep_default_na=False)
    out = pd.DataFrame({
        "state": r["state"],
        "iso3": r["iso3"],
        "region": r["region"],
        "signature_date": pd.to_datetime(r["signature_date"].replace("", None)),
        "ratification_date": pd.to_datetime(r["ratification_or_accession_date"].replace("", None)),
        "accession": r["accession"].map({"true": True, "false": False}),
        "entry_into_force": pd.to_datetime(r["entry_into_force_date"].replace("", None)),
        "withdrawal_date": pd.to_datetime(r["withdrawal_effective_date"].replace("", None)),
    })
    return out


# -- the Article 3 and 4 record (data/reference/article3_record.csv, article4_record.csv) -------------
#
# Both files are read as they are; the choices below are the only things added, each with its
# reason (data/reference/SOURCES.md, "How the sample reads the record", says why).

# had_stockpile values that give no Article 3 row: no stockpile was ever declared by the State
# (Guinea) or the State declared none at entry into force (Nigeria), so no obligation arose.
NO_OBLIGATION = {"unconfirmed", "no_at_eif"}
# Completions the record leaves undated, dated by the record's own notes, one row each with its
# reason in data/reference/record_completions.csv (a declaration's date where that is all that is dated).


def completions_from_notes() -> dict[tuple[str, int], tuple[str, str, str, str]]:
    c = pd.read_csv(REF / "record_completions.csv", dtype=str, keep_default_na=False)
    return {(r.state, int(r.article)): (r.completed_on, r.completed_precision, r.outcome, r.why) for r in c.itertuples()}


# Areas cleared that the record's notes state (m²).
AREA_CLEARED = {"Albania": 2_100_000, "Montenegro": 1_850_900, "Mozambique": 1_300_000, "Zambia": 484_000}
# Decision days the record does not give: the last day of the meeting that decided, or of the
# silence procedure after the Second Review Conference (decisions expected by end of Feb 2021).
MEETING_DAYS = {"9MSP": "2019-09-04", "2RC silence procedure": "2021-02-28", "2RC part two": "2021-09-21",
                "10MSP": "2022-09-02"}
DECIDED_AT = {  # (state, article, k-th extension) -> meeting
    ("Bulgaria", 3, 1): "9MSP", ("Bulgaria", 3, 2): "2RC silence procedure", ("Bulgaria", 3, 3): "10MSP",
    ("Peru", 3, 1): "2RC silence procedure",
    ("Afghanistan", 4, 1): "2RC part two",
    ("Bosnia and Herzegovina", 4, 1): "2RC silence procedure", ("Bosnia and Herzegovina", 4, 2): "2RC part two",
    ("Chad", 4, 1): "10MSP",
    ("Chile", 4, 1): "2RC silence procedure", ("Chile", 4, 2): "2RC part two", ("Chile", 4, 3): "10MSP",
    ("Germany", 4, 1): "9MSP", ("Lao People's Democratic Republic", 4, 1): "9MSP",
    ("Lebanon", 4, 1): "2RC silence procedure",
}
# Requests the record's notes name without a decision and without columns of their own.
EXTRA_REQUESTS = {("Afghanistan", 4): ("2025", "Further extension request posted for the 13MSP (2025); "
                                               "outcome not found. Requested day approximated as the year's end.")}


def partial_date(text: str) -> tuple[pd.Timestamp | None, str | None]:
    """'2019-04-30', '2019-04' or '2019' as (day, precision); '' and '?' as (None, None)."""
    text = (text or "").strip()
    if text in ("", "?"):
        return None, None
    parts = text.split("-")
    if len(parts) == 3:
        return pd.Timestamp(text), "day"
    if len(parts) == 2:
        return pd.Timestamp(text + "-01"), "month"
    return pd.Timestamp(f"{text}-01-01"), "year"


def last_day(text: str) -> pd.Timestamp | None:
    """The latest day a partial date allows (a request dated '2019-04' is known by 30 April 2019)."""
    day, precision = partial_date(text)
    if day is None:
        return None
    return {"day": day, "month": day + pd.offsets.MonthEnd(0), "year": pd.Timestamp(day.year, 12, 31)}[precision]


def read_record(article: int) -> pd.DataFrame:
    return pd.read_csv(REF / f"article{article}_record.csv", dtype=str, keep_default_na=False)


def obligations() -> pd.DataFrame:
    rows, from_notes = [], completions_from_notes()
    for article in (3, 4):
        for r in read_record(article).itertuples():
            if article == 3 and r.had_stockpile in NO_OBLIGATION:
                continue
            done, precision = partial_date(r.completed_on)
            outcome, notes = "completed", r.notes
            if (r.state, article) in from_notes:
                text, precision, outcome, why = from_notes[(r.state, article)]
                done = partial_date(text)[0]
                notes = f"{r.notes} {why}"
            if article == 3:
                qty = float(r.quantity_destroyed_submunitions) if r.quantity_destroyed_submunitions else None
            else:
                qty = float(AREA_CLEARED[r.state]) if r.state in AREA_CLEARED else None
            rows.append({"state": r.state, "article": article, "deadline": pd.Timestamp(r.original_deadline),
                         "completed_on": done, "completed_precision": precision if done is not None else None,
                         "outcome": outcome if done is not None else None, "quantity": qty,
                         "quantity_unit": None if qty is None else ("submunitions" if article == 3 else "m²"),
                         "notes": notes, "source": r.source})
    out = pd.DataFrame(rows)
    out["completed_on"] = pd.to_datetime(out["completed_on"])
    return out


def extensions() -> pd.DataFrame:
    rows = []
    for article in (3, 4):
        for r in read_record(article).itertuples():
            if article == 3 and r.had_stockpile in NO_OBLIGATION:
                continue
            new = [x.strip() for x in r.extended_deadline.split(";")] if r.extended_deadline else []
            asked = [x.strip() for x in r.extension_requested_on.split(";")] if r.extension_requested_on else []
            granted = [x.strip() for x in r.extension_granted_on.split(";")] if r.extension_granted_on else []
            for k, deadline in enumerate(new, start=1):
                requested = last_day(asked[k - 1]) if k <= len(asked) else None
                partial = requested is not None and partial_date(asked[k - 1])[1] != "day"
                asked_note = f" Requested {asked[k - 1]} in the record: counted from that period's last day." \
                    if partial else ""
                decided = granted[k - 1] if k <= len(granted) else ""
                meeting = DECIDED_AT.get((r.state, article, k))
                if meeting is None:  # no decision in the record: a pending request
                    if "REQUESTED" not in r.notes:
                        raise ValueError(f"{r.state} Art. {article} extension {k}: no decision day and not REQUESTED")
                    rows.append({"state": r.state, "article": article, "granted_on": None,
                                 "new_deadline": pd.Timestamp(deadline), "requested_on": requested, "meeting": None,
                                 "notes": "Requested; no decision found in the sources (pending in the record)."
                                          + asked_note,
                                 "source": r.source})
                    continue
                day = pd.Timestamp(MEETING_DAYS[meeting])
                note = (f"Decision day approximated as the last day of the {meeting}"
                        + (f" (the record gives {decided})" if decided not in ("", "?") else " (not in the record)")
                        + ".")
                if requested is not None and requested > day:
                    note += f" Request dated {asked[k - 1]} in the record; set to the decision day."
                    requested = day
                elif partial:
                    note += asked_note
                rows.append({"state": r.state, "article": article, "granted_on": day,
                             "new_deadline": pd.Timestamp(deadline), "requested_on": requested,
                             "meeting": meeting.replace(" silence procedure", " (silence procedure)"),
                             "notes": note, "source": r.source})
            if (r.state, article) in EXTRA_REQUESTS:
                when, note = EXTRA_REQUESTS[(r.state, article)]
                rows.append({"state": r.state, "article": article, "granted_on": None, "new_deadline": None,
                             "requested_on": last_day(when), "meeting": None, "notes": note, "source": r.source})
    out = pd.DataFrame(rows)
    for col in ("granted_on", "new_deadline", "requested_on"):
        out[col] = pd.to_datetime(out[col])
    return out


# -- the sample's own words in French and Spanish (label columns, DOMAIN.md §12) ---------------------
# The ISU's documents are in English; these are the sample's translations, in the wording of the
# Convention's French and Spanish texts (Unité d'appui à l'application, Plan d'action de Dubrovnik...).

COST_LINES = {  # cost line -> (French, Spanish)
    "Salaries": ("Salaires", "Sueldos"),
    "Social charges": ("Charges sociales", "Cargas sociales"),
    "Communication": ("Communication", "Comunicación"),
    "Travel": ("Voyages", "Viajes"),
    "Other implementation support costs": ("Autres frais d'appui à l'application",
                                           "Otros gastos de apoyo a la implementación"),
}
MEETING_NAMES = {  # meeting -> (French, Spanish); Coordination Committee meetings: see meetings()
    "Sixth Meeting of States Parties (6MSP)": ("Sixième Assemblée des États parties",
                                               "Sexta Reunión de los Estados Partes"),
    "Seventh Meeting of States Parties (7MSP)": ("Septième Assemblée des États parties",
                                                 "Séptima Reunión de los Estados Partes"),
    "Eighth Meeting of States Parties (8MSP)": ("Huitième Assemblée des États parties",
                                                "Octava Reunión de los Estados Partes"),
    "Ninth Meeting of States Parties (9MSP)": ("Neuvième Assemblée des États parties",
                                               "Novena Reunión de los Estados Partes"),
    "Second Review Conference, part one (2RC)": ("Deuxième Conférence d'examen, première partie",
                                                 "Segunda Conferencia de Examen, primera parte"),
    **{f"Intersessional meetings {y}": (f"Réunions intersessions {y}", f"Reuniones entre períodos de sesiones {y}")
       for y in range(2016, 2020)},
    "Regional universalization workshop, Africa 2018": ("Atelier régional sur l'universalisation, Afrique 2018",
                                                        "Taller regional sobre universalización, África 2018"),
    "Regional universalization workshop, Asia-Pacific 2019": (
        "Atelier régional sur l'universalisation, Asie-Pacifique 2019",
        "Taller regional sobre universalización, Asia-Pacífico 2019"),
}
OUTCOMES = {  # the work plan's outcomes, by number
    "1": ("1 Les mécanismes d'application et les titulaires de charges s'acquittent de leur mandat",
          "1 Los mecanismos de implementación y los titulares de cargos cumplen su mandato"),
    "2": ("2 Les réunions se tiennent et sont organisées efficacement (y compris le parrainage)",
          "2 Las reuniones se celebran y organizan con eficiencia (incluido el patrocinio)"),
    "3": ("3 Les États parties s'acquittent de leurs obligations et en rendent compte",
          "3 Los Estados partes cumplen sus obligaciones e informan al respecto"),
    "4": ("4 Les produits de connaissance aident les États parties à travailler efficacement",
          "4 Los productos de conocimiento ayudan a los Estados partes a trabajar con eficacia"),
    "5": ("5 La Convention gagne en universalité", "5 La Convención avanza hacia la universalidad"),
}
OUTPUTS = {
    "1.1": ("1.1 La présidence reçoit les informations et les conseils dont elle a besoin",
            "1.1 La Presidencia recibe la información y el asesoramiento que necesita"),
    "1.2": ("1.2 Chaque groupe de travail thématique reçoit conseils et appui",
            "1.2 Cada grupo de trabajo temático recibe asesoramiento y apoyo"),
    "2.1": ("2.1 Appui à la réussite de la huitième Assemblée des États parties",
            "2.1 Apoyo para el éxito de la Octava Reunión de los Estados Partes"),
    "2.2": ("2.2 Appui aux réunions formelles et informelles tout au long de l'année",
            "2.2 Apoyo a las reuniones formales e informales a lo largo del año"),
    "2.3": ("2.3 Davantage d'États participent aux réunions grâce au programme de parrainage",
            "2.3 Más Estados asisten a las reuniones gracias al programa de patrocinio"),
    "3.1": ("3.1 Les États parties reçoivent des conseils pour mettre en œuvre le Plan d'action de Dubrovnik",
            "3.1 Los Estados partes reciben asesoramiento para aplicar el Plan de Acción de Dubrovnik"),
    "3.2": ("3.2 Les États parties reçoivent un appui pour rendre compte de leurs obligations",
            "3.2 Los Estados partes reciben apoyo para informar sobre sus obligaciones"),
    "4.1": ("4.1 Les représentants connaissent mieux la Convention",
            "4.1 Los representantes conocen mejor la Convención"),
    "4.2": ("4.2 L'information sur la Convention est plus facilement accessible",
            "4.2 La información sobre la Convención es más fácilmente accesible"),
    "5.1": ("5.1 Le groupe de travail sur l'universalisation et les États parties bénéficient d'un appui",
            "5.1 El grupo de trabajo sobre universalización y los Estados partes reciben apoyo"),
}
ACTIVITIES = {  # activity -> (French, Spanish) title
    "1.1.1": ("Assister le Président dans tous les aspects de la présidence",
              "Asistir al Presidente en todos los aspectos de la Presidencia"),
    "1.1.2": ("Rédiger des points sur l'état de l'application, des analyses de situation et des outils pratiques",
              "Redactar informes sobre el estado de la implementación, análisis de situación y herramientas prácticas"),
    "1.1.3": ("Préparer les réunions formelles et informelles et en assurer le suivi",
              "Preparar las reuniones formales e informales y darles seguimiento"),
    "1.2.1": ("Appuyer les coordonnateurs thématiques et les groupes de travail dans leurs priorités du Plan "
              "d'action de Dubrovnik",
              "Apoyar a los coordinadores temáticos y a los grupos de trabajo en sus prioridades del Plan de Acción "
              "de Dubrovnik"),
    "1.2.2": ("Préparer les réunions informelles des coordonnateurs et leurs documents",
              "Preparar las reuniones informales de los coordinadores y sus documentos"),
    "1.2.3": ("Travaux de suivi demandés par les coordonnateurs",
              "Trabajos de seguimiento solicitados por los coordinadores"),
    "1.2.4": ("Tenir les archives des réunions et des produits de connaissance",
              "Llevar el archivo de las reuniones y de los productos de conocimiento"),
    "2.1.1": ("Appui de fond à la présidence, à l'État hôte et au Comité de coordination pour la huitième "
              "Assemblée",
              "Apoyo sustantivo a la Presidencia, al Estado anfitrión y al Comité de Coordinación para la Octava "
              "Reunión"),
    "2.1.2": ("Missions exploratoires pour préparer la huitième Assemblée (sur demande)",
              "Misiones exploratorias para preparar la Octava Reunión (a petición)"),
    "2.2.1": ("Préparer et convoquer les réunions formelles et informelles (sur demande)",
              "Preparar y convocar reuniones formales e informales (a petición)"),
    "2.2.2": ("Tenir les comptes rendus des réunions et en assurer le suivi (sur demande)",
              "Llevar las actas de las reuniones y darles seguimiento (a petición)"),
    "2.3.1": ("Gérer le programme de parrainage avec le GICHD",
              "Administrar el programa de patrocinio con el CIDHG"),
    "3.1.1": ("Conseils et expertise technique aux États", "Asesoramiento y conocimientos técnicos a los Estados"),
    "3.1.2": ("Coopération entre les parties prenantes à l'application",
              "Cooperación entre las partes interesadas en la implementación"),
    "3.1.3": ("Missions d'appui sur les engagements fondamentaux (sur demande)",
              "Misiones de apoyo sobre los compromisos fundamentales (a petición)"),
    "3.1.4": ("Ateliers régionaux ou thématiques sur les engagements fondamentaux (sur demande)",
              "Talleres regionales o temáticos sobre los compromisos fundamentales (a petición)"),
    "3.2.1": ("Suivre les rapports de transparence initiaux, annuels et en souffrance",
              "Dar seguimiento a los informes de transparencia iniciales, anuales y atrasados"),
    "3.2.2": ("Échange d'informations sur les pratiques de présentation de rapports économes en ressources",
              "Intercambio de información sobre prácticas de presentación de informes eficaces en función del costo"),
    "3.2.3": ("Encourager la présentation dans les délais de rapports de transparence de qualité",
              "Alentar la presentación puntual de informes de transparencia de calidad"),
    "4.1.1": ("Faciliter la communication et les partenariats entre les parties prenantes",
              "Facilitar la comunicación y las alianzas entre las partes interesadas"),
    "4.1.2": ("Promouvoir la coopération et l'assistance par le partage d'informations, de pratiques et d'expertise",
              "Promover la cooperación y la asistencia mediante el intercambio de información, prácticas y "
              "conocimientos"),
    "4.1.3": ("Base de ressources d'expertise technique et d'outils d'analyse",
              "Base de recursos de conocimientos técnicos y herramientas analíticas"),
    "4.2.1": ("Publications et matériel promotionnel", "Publicaciones y material promocional"),
    "4.2.2": ("Site Web officiel et comptes de médias sociaux", "Sitio web oficial y cuentas en redes sociales"),
    "4.2.3": ("Faire connaître les décisions et les priorités des réunions",
              "Comunicar las decisiones y prioridades de las reuniones"),
    "5.1.1": ("Appuyer les réunions du groupe de travail par des informations de référence",
              "Apoyar las reuniones del grupo de trabajo con información de antecedentes"),
    "5.1.2": ("Missions d'appui (sur demande)", "Misiones de apoyo (a petición)"),
    "5.1.3": ("Un ou deux ateliers régionaux sur l'universalisation (sur demande)",
              "Uno o dos talleres regionales sobre universalización (a petición)"),
}


def budget() -> pd.DataFrame:
    real = pd.read_csv(REF / "isu_budget_2018.csv")
    rows = []
    for year in BUDGET_YEARS:
        for r in real.itertuples():
            amount = r.amount if year == 2018 else round(r.amount * BUDGET_SCALE[year], -2)
            fr, es = COST_LINES[r.cost_line]
            rows.append({"year": year, "cost_line": r.cost_line, "amount": float(amount), "currency": "CHF",
                         "cost_line_fr": fr, "cost_line_es": es})
    return pd.DataFrame(rows)


def workplan(rng: np.random.Generator) -> pd.DataFrame:
    w = pd.read_csv(REF / "isu_workplan_2018.csv")
    on_request = w["title"].str.contains("on request", case=False)
    status = rng.choice(["Completed", "In progress", "In progress", "Completed", "Not started"], size=len(w))
    status = np.where(on_request & (rng.random(len(w)) < 0.5), "Not requested", status)
    notes = np.where(status == "Not requested", "Illustrative: no request received so far.", "Illustrative status.")
    number = w["output"].str.split(" ").str[0]
    return pd.DataFrame({"activity": w["activity"], "title": w["title"], "outcome": w["outcome"],
                         "output": w["output"], "status": status, "notes": notes,
                         **{f"{col}_{lang}": keys.map(lambda k, t=table, i=i: t[k][i])
                            for col, keys, table in (("title", w["activity"], ACTIVITIES),
                                                     ("outcome", number.str.split(".").str[0], OUTCOMES),
                                                     ("output", number, OUTPUTS))
                            for i, lang in enumerate(("fr", "es"))}})


# -- illustrative records -----------------------------------------------------------------------

MEETINGS = [
    # name, start, end, location, kind  (MSP dates are public; the rest is illustrative)
    ("Sixth Meeting of States Parties (6MSP)", "2016-09-05", "2016-09-07", "Geneva", "Meeting of States Parties"),
    ("Seventh Meeting of States Parties (7MSP)", "2017-09-04", "2017-09-06", "Geneva", "Meeting of States Parties"),
    ("Eighth Meeting of States Parties (8MSP)", "2018-09-03", "2018-09-05", "Geneva", "Meeting of States Parties"),
    ("Ninth Meeting of States Parties (9MSP)", "2019-09-02", "2019-09-04", "Geneva", "Meeting of States Parties"),
    ("Second Review Conference, part one (2RC)", "2020-11-25", "2020-11-27", "Online", "Review Conference"),
    ("Intersessional meetings 2016", "2016-06-20", "2016-06-21", "Geneva", "Intersessional"),
    ("Intersessional meetings 2017", "2017-05-22", "2017-05-23", "Geneva", "Intersessional"),
    ("Intersessional meetings 2018", "2018-05-14", "2018-05-15", "Geneva", "Intersessional"),
    ("Intersessional meetings 2019", "2019-05-13", "2019-05-14", "Geneva", "Intersessional"),
    ("Regional universalization workshop, Africa 2018", "2018-03-20", "2018-03-21", "Lomé", "Workshop"),
    ("Regional universalization workshop, Asia-Pacific 2019", "2019-02-26", "2019-02-27", "Manila", "Workshop"),
]


def meetings(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for name, start, end, loc, kind in MEETINGS:
        if kind in ("Meeting of States Parties", "Review Conference"):
            delegates = int(rng.integers(28, 46)) if loc != "Online" else 0
        elif kind == "Intersessional":
            delegates = int(rng.integers(14, 26))
        else:
            delegates = int(rng.integers(8, 16))
        states_n = int(max(round(delegates * rng.uniform(0.7, 0.9)), 0))
        cost = round(delegates * rng.uniform(2600, 3600), -1)
        rows.append({"meeting": name, "start_date": d(start), "end_date": d(end), "location": loc, "kind": kind,
                     "sponsored_delegates": delegates, "sponsored_states": states_n, "sponsorship_cost": float(cost),
                     "meeting_fr": MEETING_NAMES[name][0], "meeting_es": MEETING_NAMES[name][1]})
    for year in BUDGET_YEARS:  # Coordination Committee: about every six weeks
        for i, month in enumerate(sorted(rng.choice(range(1, 13), size=7, replace=False))):
            day = int(rng.integers(8, 26))
            rows.append({"meeting": f"Coordination Committee {year} #{i + 1}",
                         "start_date": pd.Timestamp(year, int(month), day), "end_date": pd.Timestamp(year, int(month), day),
                         "location": "Geneva", "kind": "Coordination Committee", "sponsored_delegates": 0,
                         "sponsored_states": 0, "sponsorship_cost": 0.0,
                         "meeting_fr": f"Comité de coordination {year}, réunion n\u00b0\u00a0{i + 1}",
                         "meeting_es": f"Comité de Coordinación {year}, reunión n.\u00ba {i + 1}"})
    return pd.DataFrame(rows).sort_values("start_date").reset_index(drop=True)


def spend(rng: np.random.Generator, budget_frame: pd.DataFrame, meetings_frame: pd.DataFrame) -> pd.DataFrame:
    rows = []

    def add(date, line, amount, text):
        rows.append({"date": pd.Timestamp(date), "cost_line": line, "amount": round(float(amount), 2), "description": text})

    for year in BUDGET_YEARS:
        b = budget_frame[budget_frame["year"] == year].set_index("cost_line")["amount"]
        month_ends = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="ME")
        # Salaries: 13 monthly salaries, the 13th paid with December's.
        monthly = b["Salaries"] / 13
        for m in month_ends:
            amount = monthly * rng.uniform(0.995, 1.005) * (2 if m.month == 12 else 1)
            add(m, "Salaries", amount, f"{m:%B} salaries" + (" and 13th month" if m.month == 12 else ""))
        for m in month_ends:
            add(m, "Social charges", b["Social charges"] / 12 * rng.uniform(0.97, 1.03), f"{m:%B} social charges")
        # Travel follows the meetings sheet: a preparatory mission about a month before each
        # Meeting of States Parties, intersessional meeting and workshop, the journey to a workshop held
        # away from Geneva, and two missions requested by States Parties; 2020 stops in March.
        heat = {2016: 0.9, 2017: 1.0, 2018: 1.15, 2019: 0.95, 2020: 0.35}[year]
        trips = []
        for mt in meetings_frame[(meetings_frame["start_date"].dt.year == year)
                                 & meetings_frame["kind"].isin(["Meeting of States Parties", "Intersessional",
                                                                "Workshop", "Review Conference"])].itertuples():
            haul = "short" if mt.kind == "Intersessional" else "long"
            trips.append((mt.start_date - pd.Timedelta(days=int(rng.integers(24, 36))), haul,
                          f"Mission to prepare {mt.meeting}"))
            if mt.location not in ("Geneva", "Online"):
                trips.append((mt.start_date - pd.Timedelta(days=1), "long", f"Travel to {mt.meeting}"))
        for _ in range(2):
            day = pd.Timestamp(year, 1, 1) + pd.Timedelta(days=int(rng.integers(20, 340)))
            trips.append((day, "short", "Mission to a State Party with an imminent deadline"))
        for day, haul, text in sorted(trips, key=lambda t: t[0]):
            if year == 2020 and day > pd.Timestamp("2020-03-10"):
                continue
            cost = rng.uniform(5200, 8800) if haul == "long" else rng.uniform(1300, 2600)
            add(day, "Travel", cost * heat * 1.25, f"{text} ({haul} haul)")
            if rng.random() < 0.15:
                add(day + pd.Timedelta(days=int(rng.integers(5, 30))), "Travel", -round(cost * 0.1, -1),
                    "Refund of unused ticket")
        # Communication: quarterly website maintenance and a publication before the MSP.
        for q in (3, 6, 9, 12):
            add(pd.Timestamp(year, q, 15), "Communication", b["Communication"] * 0.15 * rng.uniform(0.9, 1.1),
                "Website maintenance")
        add(pd.Timestamp(year, 8, 10), "Communication", b["Communication"] * 0.3 * rng.uniform(0.8, 1.2),
            "Printing of meeting documents")
        # Other: room rental and catering around meetings and workshops.
        for mt in meetings_frame[(meetings_frame["start_date"].dt.year == year)
                                 & meetings_frame["kind"].isin(["Intersessional", "Workshop"])].itertuples():
            add(mt.end_date + pd.Timedelta(days=10), "Other implementation support costs",
                b["Other implementation support costs"] * rng.uniform(0.25, 0.4), f"Room rental and catering, {mt.meeting}")
    return pd.DataFrame(rows).sort_values(["date", "cost_line"]).reset_index(drop=True)


DONORS = ["Australia", "Austria", "Belgium", "France", "Germany", "Ireland", "Italy", "Japan", "Netherlands",
          "New Zealand", "Norway", "Spain", "Switzerland", "United Kingdom", "Canada", "Luxembourg"]


def contributions(rng: np.random.Generator, budget_frame: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for year in BUDGET_YEARS:
        total = budget_frame.loc[budget_frame["year"] == year, "amount"].sum()
        target = total * rng.uniform(0.78, 1.02)
        donors = rng.choice(DONORS, size=int(rng.integers(9, 13)), replace=False)
        shares = rng.dirichlet(np.ones(len(donors)) * 2.5)
        for donor, share in zip(donors, shares):
            early = rng.random() < 0.2
            date = (pd.Timestamp(year - 1, 12, int(rng.integers(1, 20))) if early
                    else pd.Timestamp(year, 1, 1) + pd.Timedelta(days=int(rng.beta(1.6, 2.6) * 360)))
            rows.append({"date": date, "donor": str(donor), "amount": float(round(target * share, -2)), "year": year})
    return pd.DataFrame(rows).sort_values("date").reset_index(drop=True)


def pledges(rng: np.random.Generator, contributions_frame: pd.DataFrame) -> pd.DataFrame:
    """Most contributions were pledged one to five months before they arrived (some for a little more
    than was paid); each year two or three donors pledge money that has not arrived."""
    rows = []
    for c in contributions_frame.itertuples():
        if rng.random() < 0.1:
            continue  # paid without a pledge
        lead = pd.Timedelta(days=int(rng.integers(30, 150)))
        extra = 1.0 + (rng.random() < 0.15) * rng.uniform(0.1, 0.3)
        rows.append({"donor": c.donor, "year": int(c.year), "amount": float(round(c.amount * extra, -2)),
                     "pledged_on": c.date - lead})
    for year in BUDGET_YEARS:
        paying = set(contributions_frame.loc[contributions_frame["year"] == year, "donor"])
        others = [x for x in DONORS if x not in paying]
        for donor in rng.choice(others, size=int(rng.integers(2, 4)), replace=False):
            rows.append({"donor": str(donor), "year": year, "amount": float(round(rng.uniform(8000, 30000), -2)),
                         "pledged_on": pd.Timestamp(year, 1, 1) + pd.Timedelta(days=int(rng.integers(60, 250)))})
    out = pd.DataFrame(rows)
    out = out[out["pledged_on"] <= DATA_AS_AT]
    return out.sort_values(["pledged_on", "donor"]).reset_index(drop=True)


# Each State Party gets a reporting habit: (share on time, share late, share never).
HABITS = {"diligent": (0.92, 0.07, 0.01), "usual": (0.55, 0.33, 0.12), "weak": (0.2, 0.35, 0.45),
          "silent": (0.02, 0.08, 0.9)}


def reports(rng: np.random.Generator, states_frame: pd.DataFrame) -> pd.DataFrame:
    s = states_frame.assign(entry_into_force=states_frame["entry_into_force"].astype("datetime64[us]"),
                            ratification_date=states_frame["ratification_date"].astype("datetime64[us]"),
                            withdrawal_date=states_frame["withdrawal_date"].astype("datetime64[us]"))
    owed = report_obligations(s, pd.DataFrame(columns=["iso3", "report_type", "year", "submitted_on"])
                              .astype({"year": "Int64", "submitted_on": "datetime64[us]"}), DATA_AS_AT.year)
    owed = owed[owed["due_date"] < DATA_AS_AT]
    habit_of = dict(zip(s["iso3"], rng.choice(list(HABITS), size=len(s), p=[0.38, 0.4, 0.17, 0.05])))
    rows = []
    for o in owed.itertuples():
        on_time, late, _never = HABITS[habit_of[o.iso3]]
        u = rng.random()
        if u < on_time:
            lead = int(rng.integers(0, 45 if o.report_type == "annual" else 120))
            date = o.due_date - pd.Timedelta(days=lead)
        elif u < on_time + late:
            date = o.due_date + pd.Timedelta(days=int(1 + rng.exponential(70)))
        else:
            continue
        if date > DATA_AS_AT:
            continue
        rows.append({"state": o.state, "report_type": o.report_type,
                     "year": None if pd.isna(o.year) else int(o.year), "submitted_on": date})
    out = pd.DataFrame(rows)
    out["year"] = out["year"].astype("Int64")
    out = agree_with_reporting_record(out, owed, rng)
    return out.sort_values(["submitted_on", "state"]).reset_index(drop=True)


# -- making the illustrative reports agree with data/reference/reporting_record.csv ------------------

# The two ISU lists of overdue initial reports are undated pages; their content dates them: the
# first names Tunisia (submitted 12 Jun 2019) and Benin (due 30 Jun 2018), the second names Niue
# (due in Aug 2021, submitted Dec 2021). Each list is checked on the last day it can describe.
UNDATED_LIST_DAYS = {
    "https://www.clusterconvention.org/the-convention/operative-commitments/transparency-measures/": "2019-06-11",
    "https://ccm3.pronk.se/?p=4211": "2021-11-30",
}
# Who filed first for a year (the ISU's gold, silver and bronze): the order is public, the days are
# illustrative (none before the New Year; joint bronze on the same day).
FIRST_FILERS = {
    2018: [("Saint Kitts and Nevis", "2019-01-07"), ("Costa Rica", "2019-01-09"), ("Australia", "2019-01-15"),
           ("Austria", "2019-01-15")],
    2019: [("Australia", "2020-01-02"), ("Saint Kitts and Nevis", "2020-01-03")],
    2020: [("Saint Kitts and Nevis", "2021-01-05")],
    2022: [("Australia", "2023-01-04"), ("Saint Kitts and Nevis", "2023-01-05"), ("Guinea-Bissau", "2023-01-06")],
}
# Annual reports the Monitor says were provided (state, year covered, illustrative day) and
# ranges in which a State provided none: (state, from, to).
ANNUAL_PROVIDED = [("Guinea-Bissau", 2020, "2021-03-15"), ("Guinea-Bissau", 2021, "2022-04-14"),
                   ("Cameroon", 2015, "2016-04-20")]
NO_ANNUAL = [("Guinea-Bissau", "2010-01-01", "2019-12-31"), ("Cameroon", "2010-01-01", "2015-03-31"),
             ("Cameroon", "2017-05-01", "2018-08-02")]


def reporting_record() -> pd.DataFrame:
    return pd.read_csv(REF / "reporting_record.csv", dtype=str, keep_default_na=False)


def overdue_facts(record: pd.DataFrame) -> pd.DataFrame:
    """(state, report_type, day) for every row saying a report was overdue on a day."""
    rows = []
    for r in record[record["status"].str.startswith("overdue")].itertuples():
        day = last_day(r.status_as_of) if r.status_as_of else pd.Timestamp(UNDATED_LIST_DAYS[r.source])
        rows.append({"state": r.state, "report_type": r.report_type, "day": day})
    return pd.DataFrame(rows)


def known_submissions(record: pd.DataFrame) -> pd.DataFrame:
    """The submission dates the record gives (a month counts from its last day)."""
    k = record[record["submitted_on"] != ""].copy()
    k["submitted"] = k["submitted_on"].map(last_day)
    year = pd.to_numeric(k["report_year"], errors="coerce")
    k["year"] = year.where(year.notna() | (k["report_type"] != "annual"), k["submitted"].dt.year - 1).astype("Int64")
    return k[["state", "report_type", "year", "submitted"]].reset_index(drop=True)


def agree_with_reporting_record(out: pd.DataFrame, owed: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The illustrative submissions changed where the public record says otherwise."""
    record = reporting_record()
    key = ["state", "report_type", "year"]
    subs = {(r.state, r.report_type, None if pd.isna(r.year) else int(r.year)): r.submitted_on
            for r in out.itertuples()}

    def later(day: pd.Timestamp, low: int, high: int) -> pd.Timestamp | None:
        new = day + pd.Timedelta(days=int(rng.integers(low, high)))
        return new if new <= DATA_AS_AT else None

    # 1. States named overdue on a day submit only after the last such day (or never).
    facts = overdue_facts(record).groupby(["state", "report_type"], as_index=False)["day"].max()
    for f in facts.itertuples():
        k = (f.state, f.report_type, None)
        if k in subs and subs[k] <= f.day:
            subs[k] = later(f.day, 30, 400)
    # 2. The submission dates the record gives.
    for r in known_submissions(record).itertuples():
        subs[(r.state, r.report_type, None if pd.isna(r.year) else int(r.year))] = r.submitted
    # 3. First filers for a year, and nobody else before them.
    for year, firsts in FIRST_FILERS.items():
        for state, day in firsts:
            subs[(state, "annual", year)] = pd.Timestamp(day)
    for year in sorted(set(FIRST_FILERS) | {2017}):
        names = {s for s, _ in FIRST_FILERS.get(year, [])} | (
            {"Saint Kitts and Nevis", "Uruguay", "Mozambique"} if year == 2017 else set())
        names |= {"Guinea-Bissau"} if year == 2019 else set()
        cutoff = max(v for (s, t, y), v in subs.items() if t == "annual" and y == year and s in names and v is not None)
        for k, v in list(subs.items()):
            if k[1] == "annual" and k[2] == year and k[0] not in names and v is not None and v <= cutoff:
                subs[k] = later(cutoff, 1, 60)
    # 4. Initial reports said to be in before their deadline (as at 12 Dec 2019).
    due = {(r.state, r.report_type): r.due_date for r in owed[owed["report_type"] == "initial"].itertuples()}
    for r in record[record["status"].str.startswith("submitted before deadline")].itertuples():
        k = (r.state, "initial", None)
        limit = min(due[(r.state, "initial")], pd.Timestamp(r.status_as_of))
        if subs.get(k) is None or subs[k] > limit:
            subs[k] = limit - pd.Timedelta(days=int(rng.integers(5, 60)))
    # 5. Annual reports the Monitor says were, or were not, provided.
    for state, year, day in ANNUAL_PROVIDED:
        subs[(state, "annual", year)] = pd.Timestamp(day)
    no_update = record[record["status"].str.startswith("no annual update")]
    gaps = NO_ANNUAL + [(r.state, "2010-01-01", str(last_day(r.status_as_of).date())) for r in no_update.itertuples()]
    for state, start, end in gaps:
        for k, v in list(subs.items()):
            if k[0] == state and k[1] == "annual" and v is not None and pd.Timestamp(start) <= v <= pd.Timestamp(end):
                subs[k] = None
    rows = [{"state": s, "report_type": t, "year": y, "submitted_on": v} for (s, t, y), v in subs.items()
            if v is not None]
    out = pd.DataFrame(rows)
    out["year"] = out["year"].astype("Int64")
    return out.drop_duplicates(key)


FOLLOWUP_NOTES = {
    "letter": "Reminder letter on the overdue Article 7 reports sent to the Permanent Mission.",
    "email": "Reminder sent by email to the mission's disarmament focal point.",
    "meeting": "Met the delegation in the margins of the meeting; reports discussed.",
    "call": "Telephone call with the mission; the capital is preparing the report.",
}


def followups(rng: np.random.Generator, states_frame: pd.DataFrame, reports_frame: pd.DataFrame) -> pd.DataFrame:
    """Illustrative contacts: each June-October from 2015 to 2020, a few States with reports
    overdue on 1 June are contacted; some promise a date, which some then miss."""
    from ccm_analytics.analysis.reporting import report_status
    from ccm_analytics.countries import to_iso3

    s = states_frame.assign(entry_into_force=states_frame["entry_into_force"].astype("datetime64[us]"),
                            ratification_date=states_frame["ratification_date"].astype("datetime64[us]"),
                            withdrawal_date=states_frame["withdrawal_date"].astype("datetime64[us]"))
    r = reports_frame.assign(iso3=reports_frame["state"].map(to_iso3),
                             submitted_on=reports_frame["submitted_on"].astype("datetime64[us]"))
    owed = report_obligations(s, r, 2020)
    rows = []
    for year in range(2015, 2021):
        day = pd.Timestamp(f"{year}-06-01")
        st = report_status(owed, day)
        late = sorted(st.loc[st["status"] == "overdue", "state"].unique())
        for state in rng.choice(late, size=min(len(late), 12), replace=False):
            date = day + pd.Timedelta(days=int(rng.integers(0, 140)))
            channel = str(rng.choice(list(FOLLOWUP_NOTES), p=[0.3, 0.4, 0.2, 0.1]))
            promised = date + pd.Timedelta(days=int(rng.integers(20, 120))) if rng.random() < 0.5 else pd.NaT
            rows.append({"state": state, "date": date, "channel": channel,
                         "by": str(rng.choice(["ISU Director", "ISU Implementation Officer", "Working Group co-chair"])),
                         "note": FOLLOWUP_NOTES[channel], "promised_on": promised})
    return pd.DataFrame(rows).sort_values(["date", "state"]).reset_index(drop=True)


def readme() -> list[tuple[str, str]]:
    return [
        ("CCM Analytics sample data", ""),
        ("", "This workbook is in exactly the template format (data/templates/ccm_template.xlsx). "
             "Load it, or your own workbook, from the Data page or with 'python -m ccm_analytics load'."),
        ("", ""),
        ("REAL (public sources)", "States: every State Party and signatory with its signature, ratification/accession, "
                                  "entry-into-force and withdrawal dates (UN Treaty Collection, Cluster Munition "
                                  "Monitor, ISU news; see data/reference/SOURCES.md)."),
        ("", "Obligations and extensions: the Article 3 and 4 record (data/reference/article3_record.csv and "
             "article4_record.csv): every State Party that stockpiled or was contaminated, with deadlines, "
             "extensions requested and granted, completions at day, month or year precision, quantities and "
             "sources. Decision days the sources do not give are approximated as the last day of the meeting "
             "that decided; each row's notes say so (see data/reference/SOURCES.md)."),
        ("", "Budget 2018: the five cost lines of the ISU 2018 Work Plan and Budget (CCM/MSP/2017/2), CHF 465,440."),
        ("", "Work plan 2018: the plan's outcomes, outputs and 28 activities (titles shortened)."),
        ("", ""),
        ("ILLUSTRATIVE (not public)", "Budgets for 2016, 2017, 2019 and 2020 (the 2018 lines scaled)."),
        ("", "Spend: every expenditure: monthly salaries (a 13th month in December), social charges, travel around "
             "the meetings of the Meetings sheet, communication, other costs."),
        ("", "Report submissions: the dates on which Article 7 reports were received, and which never were; "
             "except the 16 dates and the overdue reports known from public sources "
             "(data/reference/reporting_record.csv), which the sample follows."),
        ("", "Contributions: donors, amounts and dates."),
        ("", "Pledges: who pledged how much for which year, and when (some never paid)."),
        ("", "Meetings and sponsorship: delegates, states and costs (the dates of the Meetings of States Parties "
             "are real; other meetings are illustrative)."),
        ("", "Work-plan status and notes."),
        ("", "Follow-ups: the contacts with States about overdue reports, and the dates they promised."),
        ("", ""),
        ("Generated by", f"scripts/make_sample_data.py, seed {SEED}; illustrative records run to {DATA_AS_AT:%d %B %Y}."),
    ]


def rng_for(dataset: str) -> np.random.Generator:
    """One random stream per dataset, so that changing how one dataset is drawn never
    shifts the values of another (the seed and the dataset's name make the stream)."""
    return np.random.default_rng([SEED, zlib.crc32(dataset.encode())])


def build() -> dict[str, pd.DataFrame]:
    st = states()
    b = budget()
    m = meetings(rng_for("meetings"))
    c = contributions(rng_for("contributions"), b)
    r = reports(rng_for("reports"), st)
    return {
        "states": st,
        "reports": r,
        "obligations": obligations(),
        "extensions": extensions(),
        "budget": b,
        "spend": spend(rng_for("spend"), b, m),
        "contributions": c,
        "meetings": m,
        "workplan": workplan(rng_for("workplan")),
        "pledges": pledges(rng_for("pledges"), c),
        "followups": followups(rng_for("followups"), st, r),
    }


def main() -> None:
    frames = build()
    write_workbook(OUT, frames, readme())
    write_templates(ROOT / "data" / "templates")
    for name, f in frames.items():
        print(f"{name:<14} {len(f):>6} rows")
    print(f"Wrote {OUT.relative_to(ROOT)} and data/templates/")


if __name__ == "__main__":
    main()
