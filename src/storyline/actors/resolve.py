"""Resolving a short actor phrase to country (ISO3) and PLOVER sector.

``resolve("Russian President Vladimir Putin", date="2025-07-21")`` -> Actor(RUS, GOV).
The rules, in order:

1. a known person (full name, alias, or a surname that is unambiguous at the date): the office held
   at the date gives country and sector; after the last term the person is ELI (a former leader);
2. a named organisation or metonym ("the Kremlin", "TASS", "NATO");
3. a country, capital or demonym ("Burundian", "Moscow") plus the sector nouns around it
   ("rebel leader" -> REB); a bare country or capital is its government (GOV);
4. sector nouns alone ("soldiers" -> MIL, country unknown or ``known_country``);
5. with a ``context`` sentence, the words before the phrase and an apposition after it
   ("the Burundian rebel leader X", "X, the Kenyan police chief,") are read as its title.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Optional

from storyline.actors.gazetteer import Lexicon, Match, Person, lexicon, tokens
from storyline.model import Actor

DETERMINERS = {"a", "an", "the", "some", "several", "two", "three", "four", "many", "other", "its", "their",
               "his", "her", "our", "this", "that", "these", "those", "s", "one", "both", "all", "of", "and",
               "few", "dozens", "hundreds", "thousands", "unidentified", "unnamed", "senior", "top", "local",
               "high", "ranking", "level", "new", "own"}
COMPLEMENT_WORDS = {"of", "for", "from", "to", "with", "at", "in", "loyal", "on", "under", "by"}


@dataclass
class Resolution:
    actor: Optional[Actor]
    pattern: Optional[str] = None        # the words that decided the sector
    country_text: Optional[str] = None   # the words that decided the country
    rest: str = ""                       # the phrase without the country words
    matches: list[Match] = field(default_factory=list)


_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                        "dec"], 1)}


def normalize_date(date: Optional[str]) -> str:
    """YYYY-MM-DD for role look-ups. Accepts ISO days and datetimes, YYYYMMDD, YYYY-MM, YYYY, "10 May 2015",
    "May 10, 2015", "today"; anything else (or None) means today."""
    today = _dt.date.today().isoformat()
    if not date:
        return today
    d = str(date).strip()
    if re.match(r"\d{8}(?:$|T)", d):  # basic format, with or without a time
        return f"{d[:4]}-{d[4:6]}-{d[6:8]}"
    m = re.match(r"(\d{4})-W(\d{2})", d)  # ISO week: its Thursday
    if m:
        try:
            return _dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 4).isoformat()
        except ValueError:
            return f"{m.group(1)}-07-01"
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", d)
    if m:
        return f"{m.group(1)}-{m.group(2) or '07'}-{m.group(3) or '01'}" if not m.group(3) else m.group(0)[:10]
    low = d.lower()
    m = re.search(r"(\d{1,2})\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})", low) or None
    if m and m.group(2) in _MONTHS:
        return f"{m.group(3)}-{_MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}"
    m = re.search(r"([a-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})", low)
    if m and m.group(1) in _MONTHS:
        return f"{m.group(3)}-{_MONTHS[m.group(1)]:02d}-{int(m.group(2)):02d}"
    m = re.search(r"([a-z]{3})[a-z]*\s+(\d{4})", low)
    if m and m.group(1) in _MONTHS:
        return f"{m.group(2)}-{_MONTHS[m.group(1)]:02d}-15"
    return today


# ------------------------------------------------------------------ sectors

def sector_of(words: list[str], lex: Optional[Lexicon] = None) -> tuple[Optional[str], Optional[str], bool]:
    """(code, pattern, former) for lower-case words such as ["burundian", "rebel", "leader"].

    The head is the last sector word before a complement ("of", "for", ...). A vague head
    ("leader", "official", "forces") takes its sector from the nearest specific modifier
    ("rebel leader" -> REB, "police officer" -> COP); a government modifier does not turn
    armed "forces" into GOV. "former"/"ex-" make a government title ELI.
    """
    lex = lex or lexicon()
    found: list[tuple[int, int, str, Optional[str], bool]] = []  # (pos, n, phrase, code, generic)
    i = 0
    while i < len(words):
        hit = None
        for n in (4, 3, 2, 1):
            if i + n > len(words):
                continue
            tup = tuple(words[i:i + n])
            phrase = " ".join(tup)
            code = lex.sector_term(tup)
            generic = phrase in lex.generic or _sing(phrase) in lex.generic
            if code is None and generic:
                code = lex.generic.get(phrase, lex.generic.get(_sing(phrase)))
                hit = (i, n, phrase, code, True)
                break
            if code is not None:
                hit = (i, n, _dict_form(phrase, lex), code, generic and n == 1)
                break
        if hit:
            found.append(hit)
            i += hit[1]
        else:
            i += 1
    if not found:
        return None, None, False
    split = next((k for k, w in enumerate(words) if w in COMPLEMENT_WORDS and k > 0), len(words))
    head_part = [f for f in found if f[0] < split]
    comp_part = [f for f in found if f[0] >= split]
    former = any(w in lex.former for w in words) or any(w == "ex" for w in words)

    def finish(code: Optional[str], pattern: str) -> tuple[Optional[str], Optional[str], bool]:
        if former and code in ("GOV", "LEG", "JUD", "IGO", None):
            return "ELI", pattern, True
        return code, pattern, former

    if head_part:
        head = head_part[-1]
        comp_spec = [f for f in comp_part if not f[4]]
        if head[2] in lex.office_titles and comp_spec and not [f for f in head_part[:-1] if not f[4]]:
            # "president of the human rights league", "head of the army": the office is in that body; the
            # body is the last specific noun of the first complement ("spokesman for the state police": police)
            nxt = next((k for k, w in enumerate(words) if w in COMPLEMENT_WORDS and k > split), len(words))
            body = [f for f in comp_spec if f[0] < nxt][-1:] or comp_spec[:1]
            return finish(body[0][3], f"{head[2]} of {body[0][2]}")
        office_mods = [f for f in head_part[:-1] if not f[4]] if head[2] in lex.office_titles else []
        if not head[4] and not office_mods:
            return finish(head[3], head[2])
        # an office ("president", "director") with a body before it is in that body: a union's president LAB,
        # "university president" EDU, "Senate president" LEG, as "president of the union"
        mods = office_mods or [f for f in head_part[:-1] if not f[4]] or [f for f in comp_part if not f[4]]
        if mods:
            mod = mods[-1] if mods is not comp_part else mods[0]
            if head[3] == "MIL" and mod[3] == "GOV":
                return finish("MIL", head[2])
            if mod[3] in lex.religions:
                # "Muslim leaders", "Christian groups": a faith's leaders or bodies are religious actors (REL);
                # the faith's own code is for its adherents ("Buddhists"), and goes second here
                return finish("REL", f"{mod[2]} {head[2]}")
            return finish(mod[3], f"{mod[2]} {head[2]}")
        if head[3] is None and comp_part:
            return finish(comp_part[0][3], comp_part[0][2])
        return finish(head[3], head[2])
    spec = [f for f in comp_part if not f[4]] or comp_part
    return finish(spec[0][3], spec[0][2])


def _dict_form(phrase: str, lex: Lexicon) -> str:
    """The dictionary (singular) form of a matched sector phrase, as agent dictionaries list them
    ("warplanes" -> "warplane"); unchanged when the singular is not itself a listed term."""
    words = phrase.split()
    sing = " ".join(words[:-1] + [_sing(words[-1])])
    return sing if sing != phrase and (sing in lex.terms or sing in lex.generic) else phrase


def secondary_of(words: list[str], code: Optional[str], lex: Optional[Lexicon] = None) -> Optional[str]:
    """A second PLOVER code from a domain or stance word ("defence ministry" -> MIL beside GOV,
    "protesters" -> OPP beside CVL), or None when there is none or it repeats ``code``."""
    lex = lex or lexicon()
    if not lex.secondary or not words:
        return None
    for n in (4, 3, 2, 1):
        for i in range(len(words) - n + 1):
            phrase = " ".join(words[i:i + n])
            for cand in (phrase, _sing(phrase)):
                sec = lex.secondary.get(cand)
                if sec == "MIL" and code == "JUD":
                    continue  # "defence lawyer": a legal defence, not the military
                if sec is not None and sec != code:
                    return sec
    if code == "REL":  # "Muslim leaders": REL with the faith second (CAMEO)
        for w in words:
            faith = lex.terms.get(w) or lex.terms.get(_sing(w))
            if faith in lex.religions:
                return faith
    return None


_TIME_RE = re.compile(r"^(?:\d{1,4}(?:st|nd|rd|th)?|[ivx]+)$")


def _is_junk(content: list[str], lex: Lexicon) -> bool:
    """Every word is a date/time word, a number or a natural-disaster word ("yesterday", "last Tuesday",
    "the earthquake"): never an actor."""
    if not content or not lex.junk:
        return False
    i = 0
    while i < len(content):
        if i + 1 < len(content) and f"{content[i]} {content[i + 1]}" in lex.junk:
            i += 2
            continue
        w = content[i]
        if w not in lex.junk and _sing(w) not in lex.junk and not _TIME_RE.match(w):
            return False
        i += 1
    return True


def _town_in(text: str, lex: Lexicon) -> Optional[tuple[str, int, int]]:
    """(ISO3, token start, token end) of a town named in a short phrase, where the phrase is the town alone
    ("Tarnow") or the town stands before an institution or sector noun ("Leiden University", "Lviv
    police") or after "of" in one ("University of Leiden"). A capitalised word just before the town makes
    it part of a person's name ("Maria Lyon"), not a place."""
    from storyline.actors.gazetteer import towns

    toks = tokens(text)
    if not toks:
        return None
    table = towns()
    words = [w for w, _, _ in toks]
    low = [w.lower() for w in words]
    for n in (3, 2, 1):
        for i in range(len(toks) - n + 1):
            if not all(w[:1].isupper() for w in words[i:i + n]):
                continue
            name = text[toks[i][1]:toks[i + n - 1][2]]
            hit = table.get(name)
            if hit is None:
                continue
            lname = name.lower()
            if (lname in lex.terms or lname in lex.generic or lname in lex.junk or lname in lex.person_nouns
                    or lname in lex.unknown_nouns or lname in DETERMINERS):
                continue  # a town named like a common word ("Police", Poland) is that word
            before = [w for w in low[:i] if w not in DETERMINERS]
            after = low[i + n:]
            if after and f"{lname} {after[0]}" in lex.generic_parties:
                continue  # "Liberal Party" is a party's name, not a party of Liberal, Kansas
            if i > 0 and words[i - 1][:1].isupper() and low[i - 1] not in ("the",) \
                    and low[i - 1] not in lex.terms and low[i - 1] not in _title_parts(lex):
                continue
            # alone: no other words, and no article ("the Commonwealth" is not a town called Commonwealth)
            alone = not before and not [w for w in after if w not in DETERMINERS] and "the" not in low[:i]
            noun_after = bool(after) and (after[0] in lex.terms or _sing(after[0]) in lex.terms
                                          or after[0] in lex.generic)
            of_before = i > 0 and low[i - 1] == "of" and any(w in lex.terms or _sing(w) in lex.terms
                                                            for w in low[:i - 1])
            if alone or noun_after or of_before:
                return hit[0], i, i + n
    return None


def _title_parts(lex: Lexicon) -> set[str]:
    from storyline.actors.mentions import _term_parts
    return _term_parts(lex)


def _sing(w: str) -> str:
    from storyline.actors.gazetteer import _singular
    return _singular(w)


# ------------------------------------------------------------------ persons

def person_status(p: Person, day: str) -> tuple[Optional[str], Optional[str], Optional[str]]:
    """(country, sector, role title) of a person at ``day``: in office -> the office's sector;
    after the last term -> ELI; before any known office -> (country, None, None)."""
    now = p.roles_at(day)
    if now:
        r = max(now, key=lambda r: r.start or "")
        return r.country, r.sector, r.title
    last = p.last_role_before(day)
    if last:
        return last.country, "ELI", f"former {last.title}"
    first = p.roles[0] if p.roles else None
    return (first.country if first else None), None, None


def _norm_title(words: list[str]) -> str:
    abbrevs = lexicon().title_abbrevs  # "Gov." names the office "Governor"
    return " ".join(abbrevs.get(w, w) for w in words).replace("defense", "defence").replace("-", " ")


def role_from_title(p: Person, words: list[str]):
    """The office of ``p`` that the title words in the text name ("Foreign Minister" X), if any.

    The text's own title is the best evidence of what the person was when the article was written, so it
    wins over our dated records (which may be stale); "former" titles are handled by the caller."""
    text = " " + _norm_title(words) + " "
    best = None
    for r in p.roles:
        t = _norm_title([w.lower() for w, _, _ in tokens(r.title)])
        if t and f" {t} " in text and (best is None or len(t) > len(_norm_title(best.title.lower().split()))):
            best = r
    if best is None:
        # "Ohio Gov. X", "Chief Minister X": the office's own title without its "of <place>" part
        heads = {}
        for r in p.roles:
            t = _norm_title([w.lower() for w, _, _ in tokens(r.title)])
            if " of " in t:
                heads.setdefault(t.split(" of ")[0], []).append(r)
        for h, rs in heads.items():
            i = text.find(f" {h} ")
            if i >= 0 and len(rs) == 1 and not re.search(r"\b(?:vice|deputy|former|ex)\s*$", text[:i + 1]):
                best = rs[0]
    return best


def other_first_name(text: str, start: int, lex: Lexicon, end: Optional[int] = None) -> bool:
    """A capitalised word right before a surname (or, with ``end``, right after it) that is not a title,
    sector word, place or organisation: the name belongs to another person ("Stephen Miller", "Anderson
    Cooper"; "Henry Kissinger" is not the listed Ariel Henry)."""
    m = re.search(r"([A-Z][\w'’.-]*)\s+$", text[max(0, start - 40):start])
    if end is not None and not m:
        m = re.match(r"\s+([A-Z][\w'’-]*)", text[end:end + 40])
    if not m:
        return False
    w = m.group(1).rstrip(".").lower()
    if w in lex.terms or w in lex.generic or w in lex.former or w in lex.office_titles or w in lex.junk:
        return False
    from storyline.actors.gazetteer import TITLE_WORDS
    from storyline.actors.mentions import _TITLE_CAPS
    if w in TITLE_WORDS or w in _TITLE_CAPS or w in _title_parts(lex) or w in ("sen", "rep", "gov", "gen", "lt",
                                                                             "col", "maj", "adm", "capt", "sgt",
                                                                             "mr", "mrs", "ms", "dr", "the", "s"):
        return False
    if lex.scan(m.group(1)):
        return False  # "Russian", "NATO", a known name: not a first name
    return True


def _given_name_before(text: str, start: int, lex: Lexicon) -> Optional[tuple[str, int]]:
    """(first name, its start) of a capitalised word right before a surname, past a middle initial ("John R."),
    when it is no title, sector word, place or known name (see ``other_first_name``); else None."""
    m = re.search(r"\b([A-Z][a-z][\w'’-]*)\s+(?:[A-Z]\.\s+)?$", text[max(0, start - 40):start])
    if not m:
        return None
    pos = max(0, start - 40) + m.start(1)
    if not other_first_name(text, pos + len(m.group(1)) + 1, lex):
        return None
    return m.group(1), pos


def person_by_first_name(text: str, m: Match, lex: Lexicon) -> Optional[tuple[Optional[Person], int]]:
    """A first name right before a listed surname decides the person (shared by ``annotate`` and ``resolve``).

    None when ``m`` is no surname match or no first name stands right before it (past a middle initial): the
    caller reads the surname as usual. Otherwise (the one listed person of that surname whose name or alias
    starts with that first name, or None when no or several listed people do; the start of the whole name)."""
    if m.kind != "surname":
        return None
    given = _given_name_before(text, m.start, lex)
    if given is None:
        return None
    cands = [q for e in m.entries if e.kind == "surname" for q in e.ref]  # type: ignore[union-attr]
    same = [q for q in cands if any(n.split()[0] == given[0] for n in [q.name, *q.aliases] if " " in n)]
    return (same[0] if len(same) == 1 else None), given[1]


def pick_person(m: Match, day: str, prefer: Optional[list[Person]] = None) -> Optional[Person]:
    """The person a name match means: a full name is unique; a surname must be unambiguous
    (among people already named in the article, or in office at ``day``)."""
    if m.kind == "person":
        return m.entries[0].ref  # type: ignore[return-value]
    cands: list[Person] = []
    for e in m.entries:
        if e.kind == "surname":
            cands.extend(e.ref)  # type: ignore[arg-type]
    if prefer:
        known = [p for p in cands if p in prefer]
        if len(known) == 1:
            return known[0]
    # a surname alone names someone who already held an office at the date, never a person we only know
    # from a later office ("Cooper" in 2016 is not the foreign secretary of 2025)
    cands = [p for p in cands if any(r.start is None or r.start <= day for r in p.roles) and not p.local]
    if len(cands) == 1:
        return cands[0]
    active = [p for p in cands if p.roles_at(day)]
    if len(active) == 1:
        return active[0]
    return None


# ------------------------------------------------------------------ resolve

def _words(text: str) -> list[str]:
    return [t.lower() for t, _, _ in tokens(text)]


def _rest_words(text: str, matches: list[Match]) -> list[str]:
    toks = tokens(text)
    covered = set()
    for m in matches:
        covered.update(range(m.tok_start, m.tok_end))
    return [t.lower() for k, (t, _, _) in enumerate(toks) if k not in covered]


def _content(words: list[str]) -> list[str]:
    return [w for w in words if w not in DETERMINERS]


def _plural_demonym(m: Match) -> bool:
    w = m.text
    return m.kind == "demonym" and w.endswith("s") and not w.endswith(("ss", "ese")) and w[:1].isupper()


def resolve_detail(text: str, context: str = "", date: Optional[str] = None,
                   known_country: Optional[str] = None, use_context: bool = True,
                   lex: Optional[Lexicon] = None) -> Resolution:
    lex = lex or lexicon()
    res = _resolve_detail(text, context, date, known_country, use_context, lex)
    a = res.actor
    if a is not None and a.sector and not a.sector_2:
        words = _words(str(text or ""))
        a.sector_2 = secondary_of(words, a.sector, lex)
        if not a.sector_2 and a.kind == "person" and a.role and a.sector != "ELI":
            # the office's own domain word: a defence minister is GOV with MIL second, as the title would give
            a.sector_2 = secondary_of(_words(a.role), a.sector, lex)
    return res


def _resolve_detail(text: str, context: str, date: Optional[str], known_country: Optional[str],
                    use_context: bool, lex: Lexicon) -> Resolution:
    t = str(text or "").strip().strip("\"'“”‘’").strip()
    context = str(context or "")
    if not t or t.lower() in lex.non_actors:
        return Resolution(None)
    if t.lower() in lex.personal_pronouns:
        # a pronoun stands for an actor the phrase itself cannot place
        return Resolution(Actor(id="r1", name=t, country=None, sector="UNK", kind="group"), rest=t.lower())
    day = normalize_date(date)
    if known_country and not (len(known_country) == 3 and known_country.isupper()):
        known_country = country_of(known_country) or known_country
    matches = _drop_run_on_orgs(t, lex.scan(t))
    rest = _rest_words(t, matches)
    code, pattern, former = sector_of(rest, lex)
    if code is not None and not matches and _first_name_like_a_noun(t, lex):
        code, pattern, former = None, None, False  # "Marine Le Pen" is a person, not marines
    places = [m for m in matches if m.kind in ("country", "capital", "demonym", "region", "city")
              and not _inside_name(t, m, lex) and not _stance_prefix(t, m.start)]
    place_cc = places[0].entries[0].ref.iso3 if places else None  # type: ignore[union-attr]

    # 1. persons
    for m in matches:
        if m.kind not in ("person", "surname"):
            continue
        if m.kind == "surname" and any(e.kind == "org" for e in m.entries):
            continue  # "Wagner" alone is the group of that name, not a person who shares it
        by_first = person_by_first_name(t, m, lex)
        if by_first is not None:
            # "John R. Kasich": a middle initial between a listed person's first name and surname
            p = by_first[0]
            if p is None:
                continue  # "Stephen Miller" is not the listed Christopher Miller
        elif m.kind == "surname" and other_first_name(t, m.start, lex, m.end):
            continue  # "Henry Kissinger" is not the listed Ariel Henry
        else:
            p = pick_person(m, day)
        if p is None:
            continue
        country, sector, role = person_status(p, day)
        titled = role_from_title(p, rest) if not former else None
        if titled is not None:
            country, sector, role = titled.country, titled.sector, titled.title
        if former and sector not in ("ELI",):
            sector, role = "ELI", role or "former official"
        if sector is None:
            sector = code
        actor = Actor(id="r1", name=p.name, country=country or place_cc or known_country, sector=sector,
                      role=role, kind="person", wikidata=p.wikidata)
        return Resolution(actor, pattern=m.text, country_text=m.text, rest=" ".join(rest), matches=matches)

    # 2. organisations and metonyms
    for m in matches:
        org_entry = next((e for e in m.entries if e.kind == "org"), None)
        if org_entry is None:
            continue
        if (code is not None or places) and re.search(r"\b(?:to|at|with|against|toward|towards)\s+(?:the\s+)?$",
                                                      t[:m.start], re.I):
            # "Russia's ambassador to the UN": the body is where the actor is sent, not the actor
            continue
        o = org_entry.ref
        country = o.country or place_cc or known_country  # type: ignore[union-attr]
        if o.sector == "PTY" and " ".join(w.lower() for w, _, _ in tokens(m.text)) in lex.generic_parties:  # type: ignore[union-attr]
            # "the Conservative Party" of Canada, "Norway's Labour Party": many countries have a party of the
            # name; the phrase's own place, the caller's country or the context's one country decides
            country = (place_cc or known_country or (_context_country(context, lex) if use_context and context
                                                     else None) or o.country)  # type: ignore[union-attr]
        sector = o.sector  # type: ignore[union-attr]
        sector_2 = o.sector_2 or (code if code and code != sector else None)  # type: ignore[union-attr]
        if sector == "IGO" and code and code != "IGO" and _content(rest):
            # "EU legislators", "the president of the European Council": the body gives the country,
            # the noun the sector
            sector, sector_2 = code, "IGO"
        kind = o.kind if o.kind in ("organization", "group", "person") else "organization"  # type: ignore[union-attr]
        actor = Actor(id="r1", name=o.name, country=country, sector=sector, sector_2=sector_2,  # type: ignore[union-attr]
                      role=o.role, kind=kind, wikidata=o.wikidata)  # type: ignore[union-attr]
        return Resolution(actor, pattern=m.text, country_text=m.text, rest=" ".join(rest), matches=matches)

    content_all = _content(_words(t))
    if not matches and _is_junk(content_all, lex):
        return Resolution(Actor(id="r1", name=_display(t), country=None, sector="JNK", kind="group"),
                          rest=" ".join(rest))

    # 3. places with sector words
    if places:
        m = places[0]
        c = m.entries[0].ref
        content = _content(rest)
        if code is None:
            # a bare country, capital or nationality names a country, not a sector ("" in PLOVER);
            # other words we cannot place make the sector unknown (UNK); a breakaway state alone is a
            # proto-state (PRE) of the state it broke from; a city alone is its people (CVL)
            kind = "group" if (content or _plural_demonym(m)) else "country"
            code = "UNK" if content else None
            pattern = None
            if not content and m.kind == "region" and _key_of(m.text) in lex.de_facto:
                code, kind, pattern = "PRE", "group", m.text
            elif not content and (m.kind == "city" or (m.kind == "region" and _is_city(m, lex))):
                # a city alone is its people, also where a region bears its name ("Aleppo", "Mariupol")
                code, kind, pattern = "CVL", "group", m.text
        else:
            kind = "group"
        name = c.name if kind == "country" else _display(t)  # type: ignore[union-attr]
        actor = Actor(id="r1", name=name, country=c.iso3, sector=code, kind=kind)  # type: ignore[union-attr]
        return Resolution(actor, pattern=pattern, country_text=m.text, rest=" ".join(rest), matches=matches)

    # 3b. a smaller town (GeoNames, 15,000+ people) alone or before an institution noun
    town = _town_in(t, lex) if not any(m.kind in ("person", "surname", "org") for m in matches) else None
    if town is not None and use_context and context and len(tokens(t)) > 1 \
            and all(w[:1].isupper() for w, _, _ in tokens(t)):
        # a two-word capitalised name whose first word is a town's name (Marion, Ohio) is a person when the
        # context gives it a person's title or apposition, not the town's bishop
        ctx = _context_resolution(t, context, date, lex)
        if ctx is not None and ctx.actor is not None and ctx.actor.kind == "person" and ctx.actor.sector:
            return ctx
    capital = False
    if town is None and not matches:
        near = _misspelt_place(t, lex)
        if near is not None:
            town, capital = near[:3], near[3]
    if town is not None:
        cc, ti, tj = town
        words_all = _words(t)
        others = _content(words_all[:ti] + words_all[tj:])
        tcode, tpattern, _ = sector_of(others, lex) if others else (None, None, False)
        if tcode is None and not others and capital:
            # a (misspelt) capital alone names its country, with no sector, as the capital itself does
            actor = Actor(id="r1", name=lex.countries[cc].name, country=cc, sector=None, kind="country")
            return Resolution(actor, rest="", matches=matches)
        if tcode is None and not others:
            tcode, tpattern = "CVL", " ".join(tokens(t)[k][0] for k in range(ti, tj))
        if tcode is not None:
            actor = Actor(id="r1", name=_display(t), country=cc, sector=tcode, kind="group")
            return Resolution(actor, pattern=tpattern, country_text=None, rest=" ".join(others), matches=matches)

    # 4. sector words alone
    if code is not None:
        if use_context and context and not known_country:
            ctx = _context_resolution(t, context, date, lex)
            if ctx is not None and ctx.actor is not None and ctx.actor.country:
                return ctx
        country = known_country or (_context_country(context, lex) if context else None)
        actor = Actor(id="r1", name=_display(t), country=country, sector=code, kind="group")
        return Resolution(actor, pattern=pattern, rest=" ".join(rest), matches=matches)

    # 5. context
    if use_context and context:
        ctx = _context_resolution(t, context, date, lex)
        if ctx is not None and ctx.actor is not None:
            if ctx.actor.country is None and known_country:
                ctx.actor.country = known_country
            return ctx
    # 5b. a single word misspelt from one sector noun
    words_t = _content(_words(t))
    if len(words_t) == 1 and not matches:
        near = _misspelt_term(words_t[0], lex)
        if near is not None:
            actor = Actor(id="r1", name=_display(t), country=known_country, sector=near[0], kind="group")
            return Resolution(actor, pattern=near[1], rest=" ".join(rest), matches=matches)
    # 6. person and group nouns we cannot place ("a man", "a group of men"): an actor of unknown sector
    content = [w for w in _content(rest) if w not in ("of",)]
    if content and all(w in lex.unknown_nouns or _sing(w) in lex.unknown_nouns or w in lex.person_nouns
                       for w in content):
        actor = Actor(id="r1", name=_display(t), country=known_country, sector="UNK", kind="group")
        return Resolution(actor, rest=" ".join(rest), matches=matches)
    return Resolution(None, rest=" ".join(rest), matches=matches)


def _stance_prefix(text: str, start: int) -> bool:
    """A place written as a stance ("pro-Russian separatists", "anti-American protesters"): the group takes
    a side, it is not of that country."""
    return bool(re.search(r"\b(?:pro|anti)[-‑–]\s*$", text[max(0, start - 6):start], re.I))


def _is_city(m: Match, lex: Lexicon) -> bool:
    """A region match that also names a city of the same country (a listed big city, or a GeoNames town of
    15,000+ people): "Aleppo", "Mariupol", "Goma"."""
    from storyline.actors.gazetteer import towns

    if any(e.kind == "city" for e in m.entries):
        return True
    iso = m.entries[0].ref.iso3  # type: ignore[union-attr]
    hit = towns().get(m.text)
    return hit is not None and hit[0] == iso and hit[1] >= 15000


def _drop_run_on_orgs(t: str, matches: list[Match]) -> list[Match]:
    """Without the organisation matches that a country's name runs straight into: "Uganda People's Defence
    Force" is one longer name of Uganda's (its army), not Myanmar's People's Defence Force after the word
    "Uganda". Only for a capitalised organisation of another country right after the country's name."""
    out = []
    for m in matches:
        org = next((e.ref for e in m.entries if e.kind == "org"), None)
        if org is not None and org.country and m.text[:1].isupper() and any(  # type: ignore[union-attr]
                p.kind in ("country", "region") and p.end <= m.start and not t[p.end:m.start].strip()
                and p.entries[0].ref.iso3 != org.country for p in matches):  # type: ignore[union-attr]
            continue
        if org is not None and _longer_name_before(t, m, matches):
            continue
        out.append(m)
    return out


_FUNCTION_CAPS = {"in", "at", "on", "after", "before", "when", "while", "but", "and", "as", "if", "for", "with",
                  "by", "from", "to", "under", "against", "since", "during", "both", "neither", "nor", "or", "so",
                  "yet", "because", "although", "though", "once", "until", "unlike", "like", "amid", "among", "via",
                  "per", "despite", "without", "within", "across", "through", "toward", "towards", "near", "over",
                  "meanwhile", "later", "then", "also", "still", "now", "however", "instead", "earlier", "separately",
                  "elsewhere", "there", "here", "thus", "moreover", "finally", "again", "already", "even", "only",
                  "not", "no", "every", "each", "many", "most", "this", "that", "these", "those", "his", "her",
                  "their", "its", "our", "we", "they", "he", "she", "it", "i", "you", "who", "which", "what",
                  "where", "why", "how", "said", "says", "told", "asked", "urged", "warned", "against"}


def _longer_name_before(t: str, m: Match, matches: list[Match]) -> bool:
    """A capitalised word run straight into a listed name of two or more words makes a longer name of
    something else ("Karen National Liberation Army" is not Colombia's National Liberation Army, a "Kurdish
    Democratic Party" no US party); not for places, titles, sector words or function words before it."""
    words = tokens(m.text)
    if len(words) < 2 or not m.text[:1].isupper():
        return False
    pm = re.search(r"([A-Z][\w'’-]*)\s$", t[max(0, m.start - 40):m.start])
    if not pm:
        return False
    w = pm.group(1)
    ws = m.start - 1 - len(w)
    low = w.lower()
    if w.isupper() and len(w) <= 5:
        return False  # an acronym before a name ("UN Security Council", "US Senate")
    if "-" in w and w.rsplit("-", 1)[1][:1].islower():
        return False  # "Shia-dominated", "Iran-backed": a modifier, not part of the name
    if (low in DETERMINERS or low in COMPLEMENT_WORDS or low in _FUNCTION_CAPS or low in ("the", "a", "an")
            or low in lexicon().junk):
        return False
    lex = lexicon()
    if low in lex.terms or low in lex.generic or low in lex.former or low in _title_parts(lex) \
            or _sing(low) in lex.terms or low in lex.title_abbrevs:
        return False
    if any(o.start <= ws < o.end for o in matches if o is not m):
        return False  # a place, nationality or another name: "Russian Wagner Group", "Lebanon Hezbollah"
    return True


def _dl1(a: str, b: str) -> bool:
    """One edit apart: a substitution, insertion, deletion or swap of two neighbouring letters."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


def _swap1(a: str, b: str) -> bool:
    """Two neighbouring letters swapped ("Tokoy"), the commonest typing slip; no other edit."""
    if a == b or len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _misspelt_place(text: str, lex: Lexicon) -> Optional[tuple[str, int, int, bool]]:
    """(ISO3, token start, token end) of a single capitalised word one edit away from a capital or a city of
    500,000+ people, where the word stands alone or before a sector noun ("Nairbi police"). Only words of six
    letters or more, and only a unique nearest place, so names are rarely taken for places; a five-letter word
    only with two neighbouring letters swapped and before a sector noun ("Tokoy police")."""
    toks = tokens(text)
    low = [w.lower() for w, _, _ in toks]
    for i, (w, _, _) in enumerate(toks):
        if len(w) < 5 or not w[:1].isupper() or low[i] in lex.terms or low[i] in lex.generic:
            continue
        near = _dl1 if len(w) >= 6 else _swap1  # five-letter words: only two neighbouring letters swapped
        after = [x for x in low[i + 1:] if x not in DETERMINERS]
        before = [x for x in low[:i] if x not in DETERMINERS]
        if before or (after and not (after[0] in lex.terms or _sing(after[0]) in lex.terms
                                     or after[0] in lex.generic)):
            continue
        if len(w) < 6 and not after:
            continue  # a five-letter word alone is too often a name ("Nayla", "Beria")
        hits = {(c.iso3, name in c.capitals) for c in lex.countries.values() for name in c.capitals + c.cities
                if " " not in name and near(w.lower(), name.lower())}
        if len({h[0] for h in hits}) == 1:
            iso3, capital = hits.pop()
            return iso3, i, i + 1, capital
    return None


def _misspelt_term(word: str, lex: Lexicon) -> Optional[tuple[str, str]]:
    """(code, term) for a single unknown word within two small edits of sector nouns of eight letters or more
    that all carry one code ("paratrooeprs" -> MIL)."""
    w = word.lower()
    if len(w) < 8 or " " in w:
        return None
    found = {(code, t) for t, code in lex.terms.items() if code and " " not in t and abs(len(t) - len(w)) <= 1
             and len(t) >= 8 and _within2(w, t)}
    if len({code for code, _ in found}) != 1:
        return None
    return min(found, key=lambda ct: (not _dl1(w, ct[1]), ct[1]))  # the nearer term names the pattern


def _within2(a: str, b: str) -> bool:
    if _dl1(a, b):
        return True
    return any(_dl1(a[:i] + a[i + 1:], b) for i in range(len(a)))


_RANKS = {"major", "captain", "colonel", "general", "lieutenant", "sergeant", "corporal", "private", "admiral",
          "commodore", "brigadier", "marshal", "inspector", "constable", "detective", "officer", "judge", "justice",
          "bishop", "archbishop", "imam", "rabbi", "pastor", "father", "sister", "brother", "cardinal", "mullah",
          "sheikh", "mayor", "governor", "senator", "minister", "ambassador", "consul", "envoy", "chancellor",
          "premier", "president", "professor", "doctor", "prosecutor", "sheriff", "chief", "commander", "agent"}


def _first_name_like_a_noun(text: str, lex: Lexicon) -> bool:
    """A personal name whose first name is also a sector noun ("Marine Le Pen", "Major Jones" is not one: a rank
    is a title): two to four capitalised words, the first a sector noun that is not a title, none of the others a
    sector noun."""
    words = [w for w, _, _ in tokens(text)]
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return False
    from storyline.actors.gazetteer import TITLE_WORDS
    from storyline.actors.mentions import _TITLE_CAPS
    first = words[0].lower()
    if (first not in lex.terms or first in TITLE_WORDS or first in _TITLE_CAPS or first in lex.office_titles
            or first in _RANKS or first.endswith("s")):
        return False
    rest = [w.lower() for w in words[1:]]
    return not any(w in lex.terms or _sing(w) in lex.terms or w in lex.generic or w in _title_parts(lex)
                   for w in rest)


def _key_of(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w, _, _ in tokens(text))


def _inside_name(text: str, m: Match, lex: Lexicon) -> bool:
    """A city or capital that is only part of a longer proper name ("Kevin Victoria Brooks")."""
    if m.kind not in ("capital", "city", "region"):
        return False
    after = tokens(text[m.end:])
    if not after:
        return False
    nxt = after[0][0]
    from storyline.actors.mentions import _term_parts
    low = nxt.lower()
    return (nxt[:1].isupper() and low not in lex.terms and low not in lex.generic and low not in _term_parts(lex)
            and low not in ("university", "college", "institute", "province", "state", "region", "city"))


def _context_country(context: str, lex: Lexicon) -> Optional[str]:
    """The one country a context names, by its name, capital, nationality, a big city or a region (None when it
    names none or several)."""
    found = {m.entries[0].ref.iso3 for m in lex.scan(context)  # type: ignore[union-attr]
             if m.kind in ("country", "capital", "demonym", "city", "region")}
    return found.pop() if len(found) == 1 else None


def _display(text: str) -> str:
    t = re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I)
    return t


def _context_resolution(text: str, context: str, date: Optional[str], lex: Lexicon) -> Optional[Resolution]:
    """Read the words before ``text`` in ``context`` (its title) and an apposition after it."""
    idx = context.find(text)
    if idx < 0:
        idx = context.lower().find(text.lower())
    if idx < 0:
        return None
    before = context[:idx]
    after = context[idx + len(text):]
    # title words: walk back over capitalised words, sector words, demonyms, determiners
    btoks = tokens(before)
    if btoks and re.search(r"[.;:!?]\s*$", before[btoks[-1][2]:]) and not (
            re.fullmatch(r"\.\s+", before[btoks[-1][2]:]) and btoks[-1][0][:1].isupper()
            and btoks[-1][0].lower() in lex.title_abbrevs):  # "Texas Sen. X": the stop ends an abbreviation
        btoks = []
    title: list[str] = []
    nxt = len(before)
    for k in range(len(btoks) - 1, -1, -1):
        tok, s, e = btoks[k]
        gap = before[e:nxt]
        if re.search(r"[,;:.()\"“”]", gap) and not (gap.strip() == "." and tok[:1].isupper()
                                                    and tok.lower() in lex.title_abbrevs):
            break
        low = tok.lower()
        ok = (tok[:1].isupper() or low in lex.terms or low in lex.generic or _sing(low) in lex.terms
              or low in lex.former or low in ("the", "a", "an", "s", "ex") or "-" in tok
              or low in _title_parts(lex) or low in lex.secondary)  # "interior" of "interior minister"
        if low == "of" and title and k > 0:
            # "secretary of state X", "chief of staff X": "of" between two title words
            pw = btoks[k - 1][0].lower()
            ok = pw in lex.terms or pw in lex.generic or pw in _title_parts(lex) or _sing(pw) in lex.terms
        if not ok or len(title) >= 7:
            break
        title.insert(0, tok)
        nxt = s
    appos = ""
    m = re.match(r"\s*,\s*((?:(?:the|a|an)\s+)?[^,;.]{2,80}?)\s*(?:,|\.|;|$)", after)
    if m:
        first = m.group(1).split()[0].lower()
        # without an article the apposition must open with a title or sector word ("spokesman for ...")
        if first in ("the", "a", "an") or first in lex.terms or first in lex.generic or first in _title_parts(lex):
            appos = m.group(1)
    if not title and not appos:
        return None
    name_like = all(w[:1].isupper() for w, _, _ in tokens(text)) and len(tokens(text)) > 1
    # a person's own name gives no sector ("Ines Bishop" is no bishop, "Tom Marshall" no marshal): read the title
    # and the apposition around it
    res = None
    if name_like:
        phrase = " ".join(title) + (" " + appos if appos else "")
        res = resolve_detail(phrase, "", date, None, use_context=False, lex=lex)
        if res.actor is None or res.actor.sector in (None, "JNK", "UNK"):
            res = None  # the title alone says nothing: read it with the name, as before
    if res is None:
        phrase = " ".join(title + [text]) + (" " + appos if appos else "")
        res = resolve_detail(phrase, "", date, None, use_context=False, lex=lex)
    last = title[-1] if title else ""
    named_title = name_like and last[:1].isupper() and last.lower() in lex.titles_before_names
    if res.actor is None and named_title:
        res = Resolution(Actor(id="r1", name=_display(text), country=None, sector=None, kind="person"),
                         pattern=last, rest=last.lower())
    if res.actor is None:
        return None
    if named_title and res.actor.sector not in ("ELI",):
        res.actor.sector = lex.titles_before_names[last.lower()]  # "Representative X": a legislator
    if res.actor.kind in ("group", "country"):
        # the phrase names a person or thing the title describes; keep the asked-for name
        res.actor.name = _display(text)
        res.actor.kind = "person" if text[:1].isupper() else res.actor.kind
    return res


def resolve(text: str, context: str = "", date: Optional[str] = None,
            known_country: Optional[str] = None) -> Optional[Actor]:
    """The actor a short phrase names, or None for non-actors (NGEC ``agent_to_code``-like)."""
    return resolve_detail(text, context, date, known_country).actor


def search_nat(text: str) -> tuple[Optional[str], str]:
    """(ISO3 of the first country/demonym/capital in ``text``, the text without it)."""
    lex = lexicon()
    t = (text or "").strip()
    for m in lex.scan(t):
        if m.kind in ("country", "capital", "demonym", "region", "city"):
            rest = (t[:m.start] + " " + t[m.end:])
            rest = re.sub(r"^\s*'s\b", "", t[m.end:]) if not t[:m.start].strip(" ,") else rest
            rest = re.sub(r"\s+", " ", rest).strip(" ,")
            rest = re.sub(r"^(?:the|a|an)(?:\s+|$)", "", rest, flags=re.I)
            rest = re.sub(r"^'s\s*", "", rest)
            return m.entries[0].ref.iso3, rest.strip()  # type: ignore[union-attr]
    return None, t


def country_of(name_or_demonym: str) -> Optional[str]:
    """ISO3 for a country name, demonym, capital, or a known organisation/person; else None."""
    lex = lexicon()
    t = (name_or_demonym or "").strip()
    if not t:
        return None
    iso = t.upper()
    if len(iso) == 3 and iso in lex.countries:
        return iso
    matches = lex.scan(t)
    for m in matches:
        if m.kind in ("country", "capital", "demonym", "region", "city"):
            return m.entries[0].ref.iso3  # type: ignore[union-attr]
    for m in matches:
        if m.kind == "org" and m.entries[0].ref.country:  # type: ignore[union-attr]
            return m.entries[0].ref.country  # type: ignore[union-attr]
        if m.kind in ("person", "surname"):
            p = pick_person(m, normalize_date(None))
            if p and p.countries:
                return p.countries[-1]
    return None
