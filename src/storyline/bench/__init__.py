"""Benchmarks: one module per stage, each exposing a Typer ``command``.

``storyline bench NAME`` runs the module ``storyline.bench.NAME``.
"""
