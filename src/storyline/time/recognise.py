"""Recognition: the grammar (``data/time/patterns.tsv``) compiled against the lexicons.

Each rule of the grammar is a regex template whose ``{MACRO}``s expand to alternations built from
the lexicon files in ``storyline/data/time``.  :func:`candidates` runs every rule over a text and
returns the non-overlapping matches (longest first; on a tie, the rule listed first), each with its
rule and ``re.Match`` for the normaliser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable, Optional


def _rows(name: str) -> list[list[str]]:
    text = resources.files("storyline.data.time").joinpath(name).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        out.append(line.split("\t"))
    return out


def _alt(words, escape: bool = True) -> str:
    words = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace("\\ ", r"\s+") if escape else w for w in words)


@dataclass(frozen=True)
class Lexicon:
    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    ordinals: dict[str, int]
    units: dict[str, str]          # singular or plural word -> ISO unit code
    seasons: dict[str, tuple[str, int, int]]
    parts_of_day: dict[str, str]
    holidays: list[tuple[re.Pattern, str]]
    point_mods: list[tuple[re.Pattern, str]]
    amount_mods: list[tuple[re.Pattern, str]]
    references: list[tuple[re.Pattern, str, str]]
    sets: dict[str, tuple[str, str]]
    timezones: dict[str, str]
    macros: dict[str, str]

    def month(self, word: str) -> Optional[int]:
        return self.months.get(word.lower().rstrip(".").strip())

    def weekday(self, word: str) -> Optional[int]:
        return self.weekdays.get(word.lower().rstrip(".").strip())

    def unit(self, word: str) -> Optional[str]:
        return self.units.get(re.sub(r"\s+", " ", word.lower()).strip())

    def mod(self, phrase: Optional[str], table: str = "point") -> Optional[str]:
        if not phrase:
            return None
        phrase = re.sub(r"\s+", " ", phrase.lower()).strip(" -")
        for rx, mod in (self.point_mods if table == "point" else self.amount_mods):
            if rx.fullmatch(phrase):
                return mod
        return None


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    months = {w: int(n) for w, n in _rows("months.tsv")}
    weekdays = {w: int(n) for w, n in _rows("weekdays.tsv")}
    numbers = {w: int(n) for w, n in _rows("numbers.tsv")}
    ordinals = {w: int(n) for w, n in _rows("ordinals.tsv")}
    units: dict[str, str] = {}
    for sing, plur, code, _kind in _rows("units.tsv"):
        units[sing] = code
        units[plur] = code
    seasons = {w: (code, int(a), int(b)) for w, code, a, b in _rows("seasons.tsv")}
    pods = {w: code for w, code in _rows("parts_of_day.tsv")}
    holidays = [(re.compile(rx, re.I), rule) for rx, rule in _rows("holidays.tsv")]
    pmods, amods = [], []
    for rx, mod, kind in _rows("modifiers.tsv"):
        (pmods if kind == "point" else amods).append((re.compile(rx), mod))
    refs = [(re.compile(rx), val, typ) for rx, val, typ in _rows("references.tsv")]
    sets = {w: (val, quant) for w, val, quant in _rows("sets.tsv")}
    tzs = {w: off for w, off in _rows("timezones.tsv")}

    def abbrev(words: dict[str, int], full_len: int) -> str:
        alts = []
        for w in words:
            if len(w) >= full_len or w in ("may", "june", "july"):
                alts.append(re.escape(w))
            else:
                alts.append(re.escape(w) + r"\.")
        return "|".join(sorted(alts, key=len, reverse=True))

    ones = [w for w, n in numbers.items() if 1 <= n <= 9 and w not in ("a", "an")]
    teens = [w for w, n in numbers.items() if 10 <= n <= 19]
    tens = [w for w, n in numbers.items() if n in (20, 30, 40, 50, 60, 70, 80, 90)]
    simple = ones + teens
    word_num = (rf"(?:(?:a\s+|(?:{_alt(simple)})\s+)?(?:hundred|thousand)"
                rf"|(?:{_alt(tens)})(?:[\s-](?:{_alt(ones)}))?"
                rf"|(?:a\s+)?dozen|{_alt(simple)}|zero)")
    macros = {
        "MONTH": abbrev(months, 5),
        "WEEKDAY": abbrev(weekdays, 6),
        "DAY": r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)",
        "YEAR": r"(?:1[6-9]\d\d|20\d\d)(?!\d)",
        "NUMW": rf"(?:\d+(?:[.,]\d+)?(?![\d/])|{word_num}|a|an|one)",
        "UNIT": _alt([w for w in units if not w.endswith("s") or w in ("hours",)] ),
        "UNITS": _alt(units.keys()),
        "SEASON": _alt(seasons.keys()),
        "POD": _alt(pods.keys()),
        "HOLIDAY": "|".join(rx.pattern for rx, _ in holidays),
        "REF": "|".join(sorted((rx.pattern for rx, _, _ in refs), key=len, reverse=True)),
        "SETADV": _alt(sets.keys()),
        "TZ": _alt(tzs.keys()),
        "PMOD": "|".join(sorted((rx.pattern for rx, _ in pmods), key=len, reverse=True)),
        "AMOD": "|".join(sorted((rx.pattern for rx, _ in amods), key=len, reverse=True)),
        "ORD": _alt(ordinals.keys()) + r"|\d{1,2}(?:st|nd|rd|th)",
        "QORD": r"first|second|third|fourth|1st|2nd|3rd|4th|final|last|latest|current|previous|same|past|next|"
                r"year-earlier|year-ago|comparable|fiscal\s+first|fiscal\s+second|fiscal\s+third|fiscal\s+fourth",
        "REL": r"this\s+past|this|last|next|past|previous|coming|upcoming|following|current|the\s+previous|the\s+following|"
               r"the\s+next|the\s+coming|the\s+upcoming|the\s+past|the\s+last|the\s+current",
        "ONES": _alt(ones),
        "TEENS": _alt(teens),
        "TENS": _alt(tens),
    }
    macros["SYEAR"] = (rf"nineteen[\s-]+(?:{macros['TENS']})(?:[\s-]+(?:{macros['ONES']}))?|nineteen[\s-]+(?:{macros['TEENS']})"
                       rf"|two\s+thousand(?:\s+and)?(?:[\s-]+(?:{macros['ONES']}|{macros['TEENS']}))?")
    return Lexicon(months, weekdays, numbers, ordinals, units, seasons, pods, holidays, pmods, amods,
                   refs, sets, tzs, macros)


@dataclass(frozen=True)
class Rule:
    name: str
    type: str
    norm: str
    regex: re.Pattern
    priority: int
    needs: frozenset = frozenset()


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    lex = lexicon()
    out = []
    for i, row in enumerate(_rows("patterns.tsv")):
        name, typ, norm, needs, template = row
        pattern = re.sub(r"\{([A-Z]+)\}", lambda m: "(?:" + lex.macros[m.group(1)] + ")", template)
        regex = re.compile(r"(?<![\w'’-])(?:" + pattern + r")(?![\w])", re.I)
        out.append(Rule(name, typ, norm, regex, i, frozenset(needs.split())))
    return tuple(out)


@dataclass
class Candidate:
    start: int
    end: int
    rule: Rule
    match: re.Match


WINDOW = 64  # characters around an anchor word in which the rules are tried


@lru_cache(maxsize=1)
def _anchor_regex() -> re.Pattern:
    """One regex whose named groups are the anchor kinds: every rule match contains an anchor word."""
    m = lexicon().macros
    kinds = {
        "SETADV": m["SETADV"],  # first: "weekly", "monthly", "hourly" begin with a unit word
        "CLOCK": r"noon|midnight|midday|tonight|overnight|o'clock|[ap]\.?m\b\.?|\d{1,2}:\d\d",
        "NUMDATE": r"\d{1,2}/\d{1,2}/\d{2,4}",
        "DECADE": r"'\d0'?s|\d{3}0'?s|(?:twen|thir|for|fif|six|seven|eigh|nine)ties",
        "YEAR": r"\d{4}",
        "SHORTYEAR": r"['’]\d\d(?!\d)",
        "DEICTIC": r"today|yesterday|tomorrow",
        "SPELLED": r"nineteen|thousand",
        "MONTH": m["MONTH"],
        "WEEKDAY": m["WEEKDAY"],
        "HOLIDAY": m["HOLIDAY"],
        "SEASON": m["SEASON"],
        "UNIT": m["UNITS"] + r"|half|period|year-earlier|year-ago|year-before|prior-year",
        "POD": m["POD"],
        "REF": m["REF"],
    }
    return re.compile(r"(?<![\w])(?:" + "|".join(f"(?P<{k}>{v})" for k, v in kinds.items()) + r")", re.I)


@lru_cache(maxsize=1)
def _kind_regexes() -> dict[str, re.Pattern]:
    rx = _anchor_regex()
    return {k: re.compile(v, re.I) for k, v in
            re.findall(r"\(\?P<(\w+)>((?:[^()]|\((?:[^()]|\([^()]*\))*\))*)\)", rx.pattern)}


_KINDS: dict[str, frozenset] = {}


def _kinds_of(word: str) -> frozenset:
    """Every anchor kind a word belongs to ("night" is a unit and a part of day)."""
    key = word.lower()
    kinds = _KINDS.get(key)
    if kinds is None:
        kinds = frozenset(k for k, r in _kind_regexes().items() if r.fullmatch(word))
        if len(_KINDS) < 50000:
            _KINDS[key] = kinds
    return kinds


def _windows(text: str) -> list[tuple[int, int, set]]:
    """Stretches of text around anchor words, with the anchor kinds found in each."""
    spans: list[list] = []
    n = len(text)
    for a in _anchor_regex().finditer(text):
        s, e = max(0, a.start() - WINDOW), min(n, a.end() + WINDOW)
        if spans and s <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], e)
            spans[-1][2].update(_kinds_of(a.group()) or {a.lastgroup})
        else:
            spans.append([s, e, set(_kinds_of(a.group()) or {a.lastgroup})])
    out = []
    for s, e, kinds in spans:
        while e < n and (text[e].isalnum() or text[e] in "'’-."):
            e += 1  # never cut a word: the rules' right boundary must see the real next character
        out.append((s, e, kinds))
    return out


def candidates(text: str, accept: Callable[[Rule, re.Match, str], bool]) -> list[Candidate]:
    """All rule matches that ``accept`` lets through, reduced to non-overlapping ones."""
    found: list[Candidate] = []
    windows = _windows(text)
    for rule in rules():
        for ws, we, kinds in windows:
            if rule.needs and not (rule.needs & kinds):
                continue
            for m in rule.regex.finditer(text, ws, we):
                s, e = m.span()
                if e > s and accept(rule, m, text):
                    found.append(Candidate(s, e, rule, m))
    found.sort(key=lambda c: (-(c.end - c.start), c.rule.priority, c.start))
    taken: list[Candidate] = []
    occupied = bytearray(len(text) + 1)
    for c in found:
        if any(occupied[c.start:c.end]):
            continue
        occupied[c.start:c.end] = b"\x01" * (c.end - c.start)
        taken.append(c)
    taken.sort(key=lambda c: c.start)
    return taken
