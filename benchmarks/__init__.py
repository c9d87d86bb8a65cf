"""Benchmarks of the harness's speed and memory (run benchmarks/speed.py; see benchmarks/README.md)."""
