"""Benchmarks and the synthetic timelines they run on (see README.md)."""
