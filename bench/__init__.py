"""Benchmarks: each prints its figure and the baseline it is compared with in the same run."""
