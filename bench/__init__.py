"""Benchmarks: run by hand (README, bench/RESULTS.md), not part of make test."""
