"""Opening the store: a read (``Store.version()``: lock files, a connection, one query, close) side by side with
the same query through a DuckDB instance of its own per connection (``duckdb.connect(path, read_only=True)``, as
every connection was made before the process kept one engine and attached the file; ``store.py``).

``read_ms``: the median milliseconds of ``Store.version()`` on the sample store. ``connect_ms``: the same query on a
``duckdb.connect`` of the file. ``ratio_to_connect``: the first divided by the second (measured in one run).
"""

from __future__ import annotations

import duckdb

from .common import median_seconds


def run(db: str, runs: int = 5, reads: int = 50) -> dict:
    from ccm_analytics.store import Store

    store = Store(db)

    def reads_through_the_store() -> None:
        for _ in range(reads):
            store.version()

    def reads_through_connect() -> None:
        for _ in range(reads):
            con = duckdb.connect(db, read_only=True)
            try:
                con.execute("SELECT coalesce(max(version), 0) FROM versions").fetchall()
            finally:
                con.close()

    store_ms = median_seconds(reads_through_the_store, runs) / reads * 1000
    connect_ms = median_seconds(reads_through_connect, runs) / reads * 1000
    return {"read_ms": store_ms, "connect_ms": connect_ms, "ratio_to_connect": store_ms / connect_ms}
