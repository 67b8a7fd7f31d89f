"""Benchmarks for azgraph: synthetic corpora shaped like ours, and a runner that times each stage.

Run ``.venv/bin/python -m benchmarks.run --help``. Not part of the test suite: timings go to
stdout, never into assertions.
"""
