"""Loading: input files to validated datasets (see ``load.read_inputs``)."""

from .load import LoadResult, SourceInfo, read_inputs, read_paths
from .sources import Source, collect_sources

__all__ = ["LoadResult", "SourceInfo", "Source", "collect_sources", "read_inputs", "read_paths"]
