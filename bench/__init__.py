"""Benchmarks: each prints ratios measured within one run, so machine noise mostly cancels out."""
