"""Helpers shared by the benches: finding ../shared/data, printing results."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Optional

from rich.console import Console
from rich.table import Table


def shared_data() -> Optional[Path]:
    """The shared data folder: ``$STORYLINE_SHARED_DATA``, or ``../shared/data`` beside the repo."""
    env = os.environ.get("STORYLINE_SHARED_DATA")
    candidates = [Path(env)] if env else []
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidates.append(parent.parent / "shared" / "data")
        candidates.append(parent / "shared" / "data")
    candidates.append(Path.cwd().parent / "shared" / "data")
    for c in candidates:
        if c.is_dir():
            return c
    return None


def resolve_data(data: Optional[Path], default_rel: str) -> Optional[Path]:
    """The bench's data path: as given, or the default under the shared data.

    None when the shared data is absent (the bench then skips); a path the user
    named that does not exist is an error, not a skip.
    """
    if data is not None:
        if not data.exists():
            from storyline.errors import StorylineError

            raise StorylineError(f"--data {data}: no such file or directory")
        return data
    root = shared_data()
    if root is None:
        return None
    path = root / default_rel
    return path if path.exists() else None


def skip(message: str, as_json: bool) -> None:
    """Print a clean skip message and exit 0 (the data is absent, e.g. on a user's clone)."""
    if as_json:
        print(json.dumps({"skipped": message}))
    else:
        Console(stderr=True).print(f"[yellow]skipped:[/] {message}")
    raise SystemExit(0)


def fail(message: str, as_json: bool, code: int = 2) -> None:
    """Print a clear error (``{"error": ...}`` with --json) and exit with ``code``: bad options or unreadable data."""
    if as_json:
        print(json.dumps({"error": message}))
    else:
        Console(stderr=True).print(f"[red]error:[/] {message}")
    raise SystemExit(code)


def emit(result: dict[str, Any], as_json: bool, title: str, keys: Optional[list[str]] = None) -> None:
    """Print a bench result: the JSON object, or a table with storyline and each peer side by side."""
    if as_json:
        json.dump(result, sys.stdout, default=float)
        sys.stdout.write("\n")
        return
    systems = {"storyline": result.get("storyline", {})}
    systems.update(result.get("peers", {}))
    if keys is None:
        keys = [k for k, v in result.get("storyline", {}).items() if isinstance(v, (int, float))]
    table = Table(title=f"{title} (n={result.get('n')})")
    table.add_column("metric")
    for name in systems:
        table.add_column(name, justify="right")
    for key in keys:
        row = [key]
        for metrics in systems.values():
            v = metrics.get(key)
            row.append("—" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v)))
        table.add_row(*row)
    Console().print(table)
