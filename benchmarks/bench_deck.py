"""The meeting deck for the sample data: seconds to build it (data already read)."""

from __future__ import annotations

from .common import SAMPLE, median_seconds


def run(runs: int = 5) -> dict:
    from ccm_analytics.outputs.deck import build_deck
    from ccm_analytics.reading import read_paths
    from ccm_analytics.provenance import SAMPLE_LABEL

    data = read_paths([SAMPLE]).data
    _, info = build_deck(data, "2018-09-05", "Eighth Meeting of States Parties", SAMPLE_LABEL)
    seconds = median_seconds(lambda: build_deck(data, "2018-09-05", "Eighth Meeting of States Parties",
                                                SAMPLE_LABEL), runs)
    return {"seconds": seconds, "slides": info.slides, "targets": {"seconds": "< 2"}}
