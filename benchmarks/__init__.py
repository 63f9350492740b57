"""Benchmarks: ``make bench`` (``python -m benchmarks``). Not part of ``make test``."""
