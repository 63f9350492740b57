"""The bundled sample: real facts where public, marked illustrative elsewhere, reproducible."""

from __future__ import annotations

import importlib.util
import io

import pandas as pd
from openpyxl import load_workbook

from ccm_analytics.reading import Source, read_inputs, read_paths
from ccm_analytics.metrics import compute_metrics
from ccm_analytics.templates import write_workbook

from .conftest import ROOT, SAMPLE


def generator():
    spec = importlib.util.spec_from_file_location("make_sample_data", ROOT / "scripts" / "make_sample_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_workbook_is_what_the_generator_makes():
    gen = generator()
    buf = io.BytesIO()
    write_workbook(buf, gen.build(), gen.readme())
    fresh = read_inputs([Source("fresh.xlsx", buf.getvalue())]).data
    committed = read_paths([SAMPLE]).data
    for name in committed.row_counts():
        assert committed.frame(name).equals(fresh.frame(name)), name


def test_the_sample_loads_without_warnings_and_says_what_is_illustrative():
    assert read_paths([SAMPLE]).warnings == []
    readme = " ".join(str(c.value) for row in load_workbook(SAMPLE)["README"].iter_rows() for c in row if c.value)
    for word in ("ILLUSTRATIVE", "Spend", "Report submissions", "Contributions", "Meetings"):
        assert word in readme


def test_the_sample_holds_the_real_facts(sample_data):
    m = compute_metrics(sample_data, "2018-09-05")
    # Became parties on or after the Dubrovnik Action Plan's adoption (2015-09-11) and by D: Somalia, Mauritius,
    # Cuba, Palau, Madagascar, Benin, Sri Lanka, Namibia (2018-08-31).
    assert m["universalization"] == {"states_parties": 104, "in_force": 103, "signatories": 16, "target": 130,
                                     "target_year": 2020,
                                     "action_plan": {"plan": "dubrovnik", "adopted_on": "2015-09-11",
                                                     "period_start": 2015, "period_end": 2020, "target": 130,
                                                     "target_year": 2020, "joined_since_adoption": 8}}
    assert m["budget"]["budget"] == 465440.0
    lines = {line["cost_line"]: line["budget"] for line in m["budget"]["lines"]}
    assert lines == {"Salaries": 345054.0, "Social charges": 63386.0, "Communication": 10000.0, "Travel": 37000.0,
                     "Other implementation support costs": 10000.0}
    assert len(sample_data.states) == 124 and len(sample_data.workplan) == 28
    ltu = sample_data.states.set_index("iso3").loc["LTU"]
    assert ltu["withdrawal_date"] == pd.Timestamp("2025-03-06")


def test_nothing_illustrative_is_dated_after_the_sample_date(sample_data):
    limit = generator().DATA_AS_AT
    assert sample_data.reports["submitted_on"].max() <= limit
    assert sample_data.spend["date"].max() <= limit
    assert sample_data.contributions["date"].max() <= limit
