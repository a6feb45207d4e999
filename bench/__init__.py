"""Benchmarks: not tests. Each prints ratios measured within one run (absolute times drift here)."""
