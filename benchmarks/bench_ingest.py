"""Ingest: a workbook with 100,000 spend rows and the other datasets, loaded end to end into a
fresh store, against reading the same sheets with openpyxl (the naive baseline) and with the
fastest raw reader installed (the floor), all measured in the same run."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .common import SAMPLE, median_seconds, synthetic_ledger, work_dir

ROWS = 100_000


def make_workbook(rows: int = ROWS):
    """The sample workbook's datasets plus a 100,000-row Spend sheet (cached in benchmarks/work)."""
    import xlsxwriter

    from ccm_analytics.reading import read_paths
    from ccm_analytics.schema import DATASETS

    path = work_dir() / f"ingest_{rows}.xlsx"
    if path.exists():
        return path
    sample = read_paths([SAMPLE])
    data = sample.data
    names = dict(zip(data.states["iso3"], data.states["state"]))
    lines = sorted(data.budget["cost_line"].unique())
    spend = synthetic_ledger(rows, range(2016, 2021), lines, np.random.default_rng(100))
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for name, ds in DATASETS.items():
        frame = spend if name == "spend" else data.frame(name)
        if "iso3" in frame.columns and name != "states":
            frame = frame.assign(state=frame["iso3"].map(names))
        ws = wb.add_worksheet(name.capitalize())
        cols = [c for c in ds.column_names if c in frame.columns]
        ws.write_row(0, 0, cols)  # constant_memory: rows must be written in order
        kinds = [ds.column(c).kind for c in cols]
        for i, values in enumerate(frame[cols].itertuples(index=False), start=1):
            for j, (v, kind) in enumerate(zip(values, kinds)):
                if v is None or v is pd.NA or (not isinstance(v, str) and pd.isna(v)):
                    continue
                if kind == "date":
                    ws.write_datetime(i, j, pd.Timestamp(v).to_pydatetime(), date_fmt)
                elif isinstance(v, (bool, np.bool_)):
                    ws.write_boolean(i, j, bool(v))
                elif isinstance(v, (int, float, np.integer, np.floating)):
                    ws.write_number(i, j, float(v))
                else:
                    ws.write_string(i, j, str(v))
    wb.close()
    return path


def run(runs: int = 5) -> dict:
    import fastexcel
    import python_calamine

    from ccm_analytics.reading import Source, read_inputs
    from ccm_analytics.store import Store, settle

    path = make_workbook()
    data = path.read_bytes()
    store_path = work_dir() / "ingest_store.duckdb"

    def fresh():
        settle()  # the last run's checkpoint, which runs after the load has returned (not timed)
        for p in store_path.parent.glob(store_path.name + "*"):
            p.unlink()

    def ingest():
        store = Store(store_path)
        store.load(read_inputs([Source(path.name, data)]), user="bench")

    def openpyxl_read():
        pd.read_excel(path, sheet_name=None, engine="openpyxl")

    def fastexcel_read():
        reader = fastexcel.read_excel(data)
        for name in reader.sheet_names:
            reader.load_sheet(name).to_arrow()

    def calamine_read():
        wb = python_calamine.CalamineWorkbook.from_filelike(__import__("io").BytesIO(data))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()

    seconds = median_seconds(ingest, runs, setup=fresh)
    floors = {"fastexcel": median_seconds(fastexcel_read, runs), "python-calamine": median_seconds(calamine_read, runs)}
    floor_reader = min(floors, key=floors.get)
    baseline = median_seconds(openpyxl_read, max(1, min(runs, 3)), warmup=0)
    return {"rows": ROWS, "seconds": seconds, "openpyxl_seconds": baseline, "floor_seconds": floors[floor_reader],
            "floor_reader": floor_reader, "calamine_seconds": floors["python-calamine"],
            "speedup_vs_openpyxl": baseline / seconds, "ratio_to_floor": seconds / floors[floor_reader],
            "targets": {"speedup_vs_openpyxl": ">= 10", "ratio_to_floor": "<= 2"}}
