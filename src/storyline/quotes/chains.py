"""Source typing and source chains: speaker -> channel -> the article's outlet."""

from __future__ import annotations

import re
from typing import Optional

from storyline.quotes.cues import anonymous_patterns, media_pattern

_VERSION = re.compile(r"^(?:the\s+)?([A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)\s+(?:version|edition|service|website|site)\s+of\s+(.+)$")


def anonymous_kind(phrase: str) -> Optional[str]:
    """The kind of anonymous source a phrase names, or None for a named one."""
    p = " ".join(phrase.split())
    for pat, kind in anonymous_patterns():
        if pat.search(p):
            return kind
    return None


def is_media(phrase: str) -> bool:
    return bool(media_pattern().search(phrase))


def normalize_channel(phrase: str, doc=None, span: Optional[tuple[int, int]] = None) -> str:
    """A channel label: "the Turkish version of X" -> "X (Turkish edition)"; a named agency inside a
    longer description ("Russia's state news agency TASS") -> its name."""
    p = " ".join(phrase.split())
    m = _VERSION.match(p)
    if m:
        return f"{m.group(2)} ({m.group(1)} edition)"
    if doc is not None and span is not None:
        ents = [e for e in doc.ents if e.start_char >= span[0] and e.end_char <= span[1]
                and e.label_ in ("ORG", "PERSON", "WORK_OF_ART")]
        if ents and len(ents[-1].text) < len(p):
            e = ents[-1]
            if e.start > 0 and doc[e.start - 1].lower_ == "the" and doc[e.start - 1].idx >= span[0]:
                return "The " + e.text if not e.text.startswith("The ") else e.text
            return e.text
    for det in ("The ", "A ", "An "):
        if p.startswith(det) and not is_media(p):
            return det.lower() + p[len(det):]
    return p


def chain(speaker_label: Optional[str], channels: list[str], outlet: Optional[str]) -> list[str]:
    out: list[str] = []
    for x in [speaker_label, *channels, outlet]:
        if x and (not out or out[-1].lower() != x.lower()):
            out.append(x)
    return out
