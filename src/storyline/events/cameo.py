"""CAMEO <-> PLOVER correspondence (our table in data/events/cameo_plover.tsv)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Optional

PLV_LABEL = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}


@lru_cache(maxsize=1)
def table() -> dict[str, tuple[str, Optional[str], list[str]]]:
    out = {}
    with (resources.files("storyline") / "data" / "events" / "cameo_plover.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t") + ["", "", ""]
            code, root, mode, ctx = parts[:4]
            out[code] = (root, mode or None, [c for c in ctx.split(";") if c])
    return out


def to_plover(cameo: str) -> Optional[tuple[str, Optional[str], list[str]]]:
    """(PLOVER type, mode, context) for a CAMEO code, from its longest listed prefix."""
    code = (cameo or "").strip()
    t = table()
    while code:
        if code in t:
            return t[code]
        code = code[:-1]
    return None


def root_of(cameo: str) -> Optional[str]:
    """The CAMEO root (first two digits)."""
    code = (cameo or "").strip()
    return code[:2] if len(code) >= 2 and code[:2].isdigit() else None


def plv_label(plover_type: str) -> str:
    """PLOVER type in the PLV label set (CONCEDE and RETREAT merged as YIELD)."""
    return PLV_LABEL.get(plover_type, plover_type)
