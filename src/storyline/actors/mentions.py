"""Finding actors in an article: names, titles, metonyms, demonym groups, countries, coreference.

``annotate(article, doc)`` returns one :class:`~storyline.model.Actor` per real-world actor with
all its mentions (character offsets into ``article.text``).  Roles are judged at the article's
publication date (today when unknown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from storyline.actors.gazetteer import Lexicon, Match, Person, lexicon, tokens
from storyline.actors.resolve import (
    _context_resolution, _town_in, _drop_run_on_orgs, _sing, _stance_prefix, _plural_demonym, normalize_date, other_first_name, person_by_first_name, person_status, pick_person, resolve_detail,
    role_from_title, secondary_of, sector_of,
)
from storyline.model import Actor, Article, Mention

LOCATIVE = {"in", "at", "near", "inside", "outside", "across", "throughout", "into", "around", "within", "over",
            "through", "via", "beyond", "from", "to", "toward", "towards", "outside", "off", "along", "between",
            "among", "after", "before", "since", "until", "during", "of", "like"}
CAPITAL_ACTOR_PREPS = {"with", "against", "by", "between", "and", "toward", "towards"}
COUNTRY_NONACTOR_PREPS = {"in", "at", "near", "inside", "outside", "across", "throughout", "into", "around", "within",
                          "over", "through", "via", "beyond", "off", "along", "since", "until", "during", "like", "of",
                          "about", "for", "on", "to", "from"}
ACTOR_DEPS = {"nsubj", "nsubjpass", "dobj", "dative", "appos", "agent", "ROOT", "attr", "npadvmod", "oprd"}
TITLE_NOUNS = {"leader", "president", "prime minister", "premier", "chancellor", "foreign minister",
               "defence minister", "defense minister", "king", "emir", "head of state", "supreme leader"}
PRONOUNS = {"he", "she", "him", "his", "her"}


@dataclass
class _Acc:
    key: tuple
    actor: Actor
    person: Optional[Person] = None
    surnames: set = field(default_factory=set)


class _Builder:
    def __init__(self, text: str, day: str, lex: Lexicon):
        self.text = text
        self.day = day
        self.lex = lex
        self.accs: dict[tuple, _Acc] = {}
        self.used: list[tuple[int, int]] = []
        self.places: dict[int, Match] = {}  # place matches by start offset
        self.not_places: set[int] = set()  # starts of place names that are part of a person's name here
        self.name_starts: dict[int, int] = {}  # such a place's start -> the start of the whole name

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self.used)

    def take(self, start: int, end: int) -> None:
        self.used.append((start, end))

    def add(self, key: tuple, make, start: int, end: int, kind: str) -> _Acc:
        acc = self.accs.get(key)
        if acc is None:
            acc = _Acc(key, make())
            self.accs[key] = acc
        if not any(m.start == start and m.end == end for m in acc.actor.mentions):
            acc.actor.mentions.append(Mention(start, end, self.text[start:end], "", kind))
        return acc

    def actors(self) -> list[Actor]:
        out = [a.actor for a in self.accs.values() if a.actor.mentions]
        for a in out:
            if a.sector and not a.sector_2 and a.kind == "group":
                # "opposition deputy" LEG + OPP, "defence ministry" GOV + MIL: as resolve() gives them
                a.sector_2 = secondary_of([w.lower() for w, _, _ in tokens(a.name)], a.sector, self.lex)
            elif a.sector and not a.sector_2 and a.kind == "person" and a.role and a.sector != "ELI":
                # a defence minister is GOV with MIL second, from the office's own title
                a.sector_2 = secondary_of([w.lower() for w, _, _ in tokens(a.role)], a.sector, self.lex)
        for a in out:
            a.mentions.sort(key=lambda m: (m.start, m.end))
        out.sort(key=lambda a: a.mentions[0].start)
        for i, a in enumerate(out, 1):
            a.id = f"a{i}"
            for m in a.mentions:
                m.actor_id = a.id
        return out


def _token_at(doc, char: int):
    if doc is None:
        return None
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _last_token(doc, start: int, end: int):
    if doc is None:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return span.root


def _sentence(doc, text: str, start: int) -> tuple[int, str]:
    tok = _token_at(doc, start)
    if tok is None:
        return 0, text
    s = tok.sent
    return s.start_char, s.text


def _title_span(text: str, start: int, lex: Lexicon) -> int:
    """Start offset of the title words before a name ("the Burundian rebel leader" X); == start if none."""
    window = max(0, start - 200)  # titles are a few words long: never tokenise the whole text
    before = text[window:start]
    toks = [(tok, s + window, e + window) for tok, s, e in tokens(before)]
    nxt = start
    first = start
    count = 0
    parts = _term_parts(lex)
    base = max(0, start - 80)
    # "Ukrainian President X", "Texas Sen. X", "Lagos State Governor X": a place before a title is part of it
    place_spans = [(base + m.start, base + m.end, m.kind)
                   for m in lex.scan(text[base:start], kinds={"demonym", "country", "capital", "region", "city"})]
    prev = ""
    accepted: list[int] = []
    for tok, s, e in reversed(toks):
        gap = text[e:nxt]
        abbrev = gap.strip() in (".", "") and ((len(tok) == 1 and tok.isupper())  # "U.S." President X
                                              or (tok[:1].isupper() and tok.lower() in lex.title_abbrevs
                                                  and "\n" not in gap))  # "Gov. X", "Lt. Gen. X"
        if re.search(r"[,;:.()\"“”\n―—–]|\s-\s", gap) and not abbrev:
            break
        if re.search(r"['’]", gap) and prev != "s":
            break
        low = tok.lower()
        # a nationality or country may stand right before the name ("Ukrainian X"); a region or city only
        # before a title word ("Texas Sen. X", not "in Ohio X")
        is_place = any(ps <= s < pe and (kind in ("demonym", "country") or count > 0) for ps, pe, kind in place_spans)
        ok = (low in lex.terms or low in lex.generic or low in lex.former or is_place or low in parts
              or (tok[:1].isupper() and (low in _TITLE_CAPS or low in lex.titles_before_names)))
        if low in ("the", "a", "an"):
            break
        if low == "of" and count > 0 and not re.search(r"[,;:.()\"“”\n]", gap):
            # "secretary of state X", "chief of staff X": "of" inside a title, when a title word stands before it
            pw = re.search(r"(\w+)\s+$", text[max(0, s - 30):s])
            if pw and (pw.group(1).lower() in lex.terms or pw.group(1).lower() in lex.generic
                       or pw.group(1).lower() in parts or pw.group(1).lower() in _TITLE_CAPS):
                first = s
                nxt = s
                prev = low
                accepted.append(s)
                continue
            break
        if low in lex.rank_adjectives and tok.islower() and nxt != start:
            break  # "a general strike", "a major road": an adjective, not a rank
        if low == "s" and text[max(0, s - 1):s] in ("'", "’"):
            ok = True  # possessive: "Iran's foreign minister" X
        if not ok or count >= 6:
            break
        first = s
        nxt = s
        prev = low
        accepted.append(s)
        count += 1
    if prev == "s" and len(accepted) > 1:
        first = accepted[-2]  # "Biden's White House": the owner is not a title; never start at the bare "s"
    elif prev == "s":
        first = start
    # a title never opens with a function word ("to Labour Party's X", "of state X")
    while first < start:
        mm = re.match(r"(?:in|of|and|for|on|at|to|by|with)\s+", text[first:start], re.I)
        if not mm:
            break
        first += mm.end()
    return first


_PARTS: dict[int, set[str]] = {}


def _term_parts(lex: Lexicon) -> set[str]:
    """Words of multi-word sector terms ("foreign" of "foreign minister")."""
    key = id(lex)
    if key not in _PARTS:
        _PARTS[key] = {w for t in lex.terms if " " in t for w in t.split()} - {"of", "the", "and"}
    return _PARTS[key]


_TITLE_CAPS = {"president", "prime", "minister", "foreign", "defence", "defense", "secretary", "general", "king",
               "queen", "chancellor", "premier", "vice", "deputy", "sir", "ayatollah", "sheikh", "crown", "prince",
               "emir", "senator", "governor", "mayor", "colonel", "commander", "chief", "special", "envoy", "state",
               "interior", "speaker", "pope", "judge", "ambassador", "representative", "supreme", "leader", "former"}


def _appos_after(text: str, end: int) -> str:
    m = re.match(r"\s*,\s*((?:the|a|an)\s+[^,;.\n]{2,80}?)\s*(?:,|\.|;|$)", text[end:end + 120])
    return m.group(1) if m else ""


def _group_key(words: list[str]) -> str:
    from storyline.actors.gazetteer import _singular
    ws = [w for w in words if w not in ("s", "the", "a", "an", "and", "or")]
    if ws:
        ws[-1] = _singular(ws[-1])
    return " ".join(ws)


def _add_group(b, country: str, code: str, words: list[str], name: str, start: int, end: int, how: str) -> None:
    """Record a group actor ("Russian troops", "Nairobi police") over [start, end) and take that span."""
    b.add(("group", country, code, _group_key(words)),
          lambda: Actor(id="", name=name, country=country, sector=code, kind="group"), start, end, how)
    b.take(start, end)


def _climb_conj(tok):
    while tok is not None and tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    return tok


def annotate(article: Article, doc, lex: Optional[Lexicon] = None) -> list[Actor]:
    """Actors of one article (doc is the spaCy Doc of ``article.text``; may be None: fewer rules apply)."""
    text = article.text or ""
    lex = lex or lexicon()
    day = normalize_date(article.published)
    b = _Builder(text, day, lex)
    matches = _drop_run_on_orgs(text, lex.scan(text))
    named: list[Person] = []
    for m in matches:
        if m.kind == "person":
            p = m.entries[0].ref
            if p not in named:
                named.append(p)  # type: ignore[arg-type]

    # 1. known persons (full names, aliases, surnames), with their titles
    for m in matches:
        if m.kind not in ("person", "surname"):
            continue
        if m.kind == "surname" and any(e.kind == "org" for e in m.entries) \
                and not any(q in named for e in m.entries if e.kind == "surname" for q in e.ref):  # type: ignore[union-attr]
            continue  # a surname that is also an organisation's name means the organisation
        name_start = m.start
        by_first = person_by_first_name(text, m, lex)
        if by_first is not None:
            # "Jeb Bush" beside a named George W. Bush, "John R. Kasich": the first name decides
            p, name_start = by_first
            if p is None:
                continue  # "Stephen Miller" is not the listed Christopher Miller
            if p not in named:
                named.append(p)  # a surname alone may name them from here on
        elif m.kind == "surname" and other_first_name(text, m.start, lex, m.end) \
                and not any(q in named for e in m.entries if e.kind == "surname" for q in e.ref):  # type: ignore[union-attr]
            continue  # "Henry Kissinger" is not the listed Ariel Henry
        else:
            p = pick_person(m, day, prefer=named)
            if p is not None and m.kind == "surname" and _unlisted_namesake_before(doc, matches, m, p, lex):
                continue  # "Jeb Bush ... Bush": the last full name with that surname is another person's
        if p is None:
            continue
        tstart = _title_span(text, name_start, lex)
        title_words = [t.lower() for t, _, _ in tokens(text[tstart:m.start])]
        country, sector, role = person_status(p, day)
        titled = role_from_title(p, title_words) if not any(w in lex.former for w in title_words) else None
        if titled is not None:
            country, sector, role = titled.country, titled.sector, titled.title
        if any(w in lex.former for w in title_words) and sector != "ELI":
            sector, role = "ELI", role
        acc = b.add(("person", p.name), lambda: Actor(id="", name=p.name, country=country, sector=sector, role=role,
                                                      kind="person", wikidata=p.wikidata),
                    name_start, m.end, "name")
        acc.person = p
        b.take(name_start, m.end)
        if tstart < name_start:
            b.add(acc.key, lambda: acc.actor, tstart, m.end, "title")
            b.take(tstart, name_start)

    # 2. organisations and metonyms
    home = _article_country(matches)
    for m in matches:
        org_entry = next((e for e in m.entries if e.kind == "org"), None)
        if org_entry is None or not b.free(m.start, m.end):
            continue
        o = org_entry.ref
        country = o.country  # type: ignore[union-attr]
        if (o.sector == "PTY" and home is not None and home[0] != country  # type: ignore[union-attr]
                and " ".join(w for w, _, _ in tokens(m.text)).lower() in lex.generic_parties
                and country not in home[1] and not _party_of(matches, country, m)):
            # "the Conservative Party" in an article set in Canada is Canada's: many countries have one
            country = home[0]
        start = m.start
        if country is None:
            tstart = _title_span(text, m.start, lex)
            for pm in lex.scan(text[tstart:m.start], kinds={"demonym", "country"}):
                country = pm.entries[0].ref.iso3  # type: ignore[union-attr]
                start = tstart
        key = ("org", o.name, country)  # type: ignore[union-attr]
        acc = b.add(key, lambda: Actor(id="", name=o.name, country=country, sector=o.sector, sector_2=o.sector_2,  # type: ignore
                                       role=o.role, kind=o.kind if o.kind in ("organization", "group") else "organization",  # type: ignore
                                       wikidata=o.wikidata), m.start, m.end, "metonym" if o.metonym else "name")  # type: ignore
        b.take(start, m.end)
        # a title before the name ("China's official news agency Xinhua") is a mention of the same actor
        tstart = _title_span(text, min(start, m.start), lex)
        if tstart < min(start, m.start) and b.free(tstart, min(start, m.start)):
            b.add(acc.key, lambda: acc.actor, tstart, m.end, "title")
            b.take(tstart, m.start)

    # 3. demonym + noun groups ("Serbian negotiators"; "Serbian and Kosovar negotiators" -> two actors)
    places = [m for m in matches if m.kind in ("demonym", "country", "capital", "region", "city")]
    for m in places:
        if m.kind != "demonym" or not b.free(m.start, m.end) or _stance_prefix(text, m.start):
            continue
        _demonym_actor(b, doc, m, named)

    # 4. countries and capitals as actors in political context; regions and cities placing a group
    b.places = {m.start: m for m in places}
    for m in matches:
        if m.kind not in ("country", "capital", "region", "city") or not b.free(m.start, m.end):
            continue
        _country_actor(b, doc, m)

    # 5. other people and organisations spaCy finds (never a known place name)
    if doc is not None:
        for m in places:
            if not _stance_prefix(text, m.start) and m.start not in b.not_places:
                b.take(m.start, m.end)
        for ent in doc.ents:
            if ent.label_ not in ("PERSON", "ORG", "NORP"):
                continue
            s, e = ent.start_char, ent.end_char
            if ent.label_ == "PERSON" and s in b.name_starts and b.free(b.name_starts[s], s):
                s = b.name_starts[s]  # a first name the tagger left out of the person before a place-named surname
            etext = re.sub(r"[’']s$", "", text[s:e]).strip()
            if ent.label_ == "PERSON":
                # "Councilwoman Dana Pike" tagged as one name: the title is no part of it
                while True:
                    mt = re.match(r"([A-Z][a-z]+)\.?\s+(?=[A-Z])", etext)
                    if not mt or len(etext.split()) < 3:
                        break
                    w = mt.group(1).lower()
                    if not (w in lex.titles_before_names or w in lex.title_abbrevs or w in _TITLE_CAPS
                            or w in lex.terms):
                        break
                    s += mt.end()
                    etext = etext[mt.end():]
            e = s + len(etext) if text[s:s + len(etext)] == etext else e
            if not etext or not b.free(s, e):
                continue
            last = etext.split()[-1].rstrip(".").lower() if etext.split()[-1][:1].isupper() else ""
            if ent.label_ == "PERSON" and last in b.lex.place_heads and len(etext.split()) > 1:
                b.take(s, e)
                continue  # "Broad Street": a place the tagger took for a person
            if ent.label_ == "PERSON" and last in b.lex.name_org_heads and len(etext.split()) > 1:
                # "the Ana Lopes Foundation": an organisation named after a person
                res = resolve_detail(etext, "", day, lex=lex)
                o_country = res.actor.country if res.actor is not None else None
                o_sector = b.lex.name_org_heads[last]
                b.add(("org", etext, o_country), lambda: Actor(id="", name=etext, country=o_country, sector=o_sector,
                                                               kind="organization"), s, e, "name")
                b.take(s, e)
                continue
            if ent.label_ == "PERSON":
                _unknown_person(b, doc, s, e, etext)
            elif ent.label_ == "ORG":
                res = resolve_detail(etext, "", day, lex=lex)
                if (res.actor is not None and res.actor.sector == "CVL" and res.pattern
                        and res.pattern.lower() == re.sub(r"^the\s+", "", etext.lower())):
                    continue  # a town's name alone is no organisation, even when the tagger says ORG
                if res.actor is not None and res.actor.sector:
                    a = res.actor
                    if (a.sector == "PTY" and a.country is None and home is not None
                            and re.sub(r"^the ", "", " ".join(w for w, _, _ in tokens(etext)).lower())
                            in lex.generic_parties):
                        a.country = home[0]  # "the Liberal Party" of an article set in one country
                    b.add(("org", a.name, a.country), lambda: Actor(id="", name=a.name, country=a.country,
                                                                    sector=a.sector, sector_2=a.sector_2,
                                                                    role=a.role, kind="organization",
                                                                    wikidata=a.wikidata), s, e, "name")
                    b.take(s, e)

    # 6. groups named by a sector noun alone ("protesters", "the police in Nairobi", "security forces")
    if doc is not None:
        _sector_groups(b, doc, matches)

    # 7. a title phrase with the person's name in apposition after it ("the harbour board's chairman, Dr Ines Falk,")
    _titles_before_appositions(b)

    # 8. a one-word name is the one person of the article with that surname or (failing that) first name;
    # a place name that served as a person's surname here, written alone later, is that person
    _merge_short_names(b)
    _surnames_named_like_places(b)

    # 9. pronouns -> the nearest person named before, in the same or the previous sentence
    if doc is not None:
        _pronouns(b, doc)
    return b.actors()


def _article_country(matches: list[Match]) -> Optional[tuple[str, set]]:
    """(the country the article is set in, every country it places anything in), or None: the country named
    (by name, capital, nationality, region or city) at least twice and more often than all the others together."""
    counts: dict[str, int] = {}
    for m in matches:
        if m.kind in ("country", "capital", "demonym", "region", "city"):
            iso = getattr(m.entries[0].ref, "iso3", None)
            if iso:
                counts[iso] = counts.get(iso, 0) + 1
    if not counts:
        return None
    top, n = max(counts.items(), key=lambda kv: kv[1])
    if n < 2 or n <= sum(counts.values()) - n:
        return None
    return top, set(counts)


def _party_of(matches: list[Match], country: Optional[str], skip: Match) -> bool:
    """Another party of ``country`` is named in the article under a name only it bears ("Tories" aside,
    "the Scottish National Party"): the article is about that country's politics."""
    for m in matches:
        if m is skip:
            continue
        for e in m.entries:
            o = e.ref
            if (e.kind == "org" and getattr(o, "sector", None) == "PTY" and getattr(o, "country", None) == country
                    and " ".join(
                        w for w, _, _ in tokens(m.text)).lower() not in lexicon().generic_parties):
                return True
    return False


def _surnames_named_like_places(b: _Builder) -> None:
    owners = {}
    for st in b.not_places:
        acc = _person_at(b, st)
        if acc is not None and acc.person is None:
            owners[b.text[st:b.places[st].end]] = acc
    if not owners:
        return
    for key, acc in list(b.accs.items()):
        if acc.actor.kind != "country":
            continue
        moved = [m for m in acc.actor.mentions if m.text in owners]
        for m in moved:
            owner = owners[m.text].actor
            owner.mentions.append(Mention(m.start, m.end, m.text, "", "name"))
            acc.actor.mentions.remove(m)
        if not acc.actor.mentions:
            del b.accs[key]


def _merge_short_names(b: _Builder) -> None:
    """An unlisted person named by one word ("Vane", "Ilona") is the article's one person whose full name ends
    (else starts) with it, wherever the full name stands: a surname or first name written before the full
    name, or a first name alone ("Ilona said ... Ilona Sarkis"). Never when two people share the word."""
    full = [acc for acc in b.accs.values() if acc.actor.kind == "person" and len(acc.actor.name.split()) > 1]
    for key, acc in list(b.accs.items()):
        a = acc.actor
        if a.kind != "person" or acc.person is not None or len(a.name.split()) != 1 or not a.name[:1].isupper():
            continue
        for pos in (-1, 0):
            cands = [f for f in full if f.actor.name.split()[pos] == a.name]
            if pos == 0 and cands and any(f.actor.name.split()[-1] == a.name for f in full):
                cands = []
            if len(cands) == 1:
                target = cands[0].actor
                if target.country and a.country and target.country != a.country:
                    break
                for m in a.mentions:
                    if not any(x.start == m.start and x.end == m.end for x in target.mentions):
                        target.mentions.append(m)
                if target.sector is None and a.sector is not None:
                    target.country, target.sector, target.role = target.country or a.country, a.sector, a.role
                del b.accs[key]
                break
            if cands:
                break


_HONORIFIC = re.compile(r"\s*,\s*(?:(?:Mr|Mrs|Ms|Dr|Gen|Sir)\.?\s+)?$")


def _titles_before_appositions(b: _Builder) -> None:
    """A group actor named by a title ("Russia's president") whose only mention is followed by ", [Mr] <person>"
    is that person: the group's mention moves to the person (as a title) and the group goes."""
    persons = [acc for acc in b.accs.values() if acc.actor.kind == "person"]
    for key, acc in list(b.accs.items()):
        a = acc.actor
        if a.kind != "group" or len(a.mentions) != 1 or a.sector not in ("GOV", "MIL", "LEG", "JUD", "COP"):
            continue
        m = a.mentions[0]
        for pacc in persons:
            p = pacc.actor
            nm = next((x for x in p.mentions if x.kind == "name" and x.start > m.end
                       and _HONORIFIC.fullmatch(b.text[m.end:x.start])), None)
            if nm is None or (p.country and a.country and p.country != a.country):
                continue
            p.mentions.append(Mention(m.start, m.end, m.text, "", "title"))
            words = [w.lower() for w, _, _ in tokens(m.text)]
            titled = role_from_title(pacc.person, words) if pacc.person is not None else None
            if titled is not None and not any(w in b.lex.former for w in words):
                # the text's own title is the best witness of the office when the article was written
                p.country, p.sector, p.role = titled.country, titled.sector, titled.title
            elif p.sector is None:
                # an unlisted person takes the title's country and sector ("the Kenyan police chief, X,")
                p.country, p.sector, p.role = p.country or a.country, a.sector, p.role or m.text
            del b.accs[key]
            break


def _demonym_actor(b: _Builder, doc, m: Match, named: list[Person]) -> None:
    c = m.entries[0].ref
    tok = _last_token(doc, m.start, m.end)
    if tok is None:
        return
    first = _climb_conj(tok)
    head = None
    if first.dep_ in ("amod", "compound", "nmod", "npadvmod", "nummod") and first.head.pos_ in ("NOUN", "PROPN"):
        head = first.head
        while (head.dep_ == "compound" and head.head.pos_ in ("NOUN", "PROPN") and head.head.i > head.i
               and head.head.ent_type_ != "PERSON"):
            head = head.head
        if head.ent_type_ == "PERSON" and not _sector_word(head.lower_, b.lex):
            return  # a title before a name: the person step reads it ("Chin Christians" is no name)
        nxt = head.nbor(1) if head.i + 1 < len(head.doc) else None
        if nxt is not None and nxt.ent_type_ == "PERSON" and nxt.text[:1].isupper():
            return  # "Chilean President Tomas Velkov": a title of the person named next
    text = b.text
    if head is not None and head.idx > tok.idx:
        end = head.idx + len(head.text)
        words = [w.lower() for w, _, _ in tokens(text[m.end:end])]
        # drop other demonyms in a coordination ("and Ukrainian")
        inner = b.lex.scan(text[m.end:end], kinds={"demonym"})
        if inner:
            words = [w.lower() for w, _, _ in tokens(text[m.end + inner[-1].end:end])]
        code, pattern, former = sector_of(words, b.lex)
        if code is None and head.lower_ in b.lex.person_nouns:
            code = "CVL"  # "a Lebanese man": a private person of that country
        if code is None:
            return
        noun = text[(m.end + inner[-1].end) if inner else m.end:end].strip()
        # nominal coreference: "the Ukrainian leader" -> the Ukrainian leader named in the article
        det = [t for t in head.lefts if t.dep_ == "det"]
        if (" ".join(words) in TITLE_NOUNS and det and det[0].lower_ == "the" and head.tag_ in ("NN", "NNP")):
            for acc in b.accs.values():
                a = acc.actor
                if acc.person is not None and a.country == c.iso3 and a.sector == "GOV":  # type: ignore
                    b.add(acc.key, lambda: a, det[0].idx, end, "nominal")
                    b.take(det[0].idx, end)
                    return
        name = f"{m.text} {noun}"
        is_last = not (text[m.end:end].strip().lower().startswith(("and", "or", ",")))
        span_end = end if is_last else m.end
        _add_group(b, c.iso3, code, words, name, m.start, span_end, "demonym")  # type: ignore
        return
    # "Chilean and the Peruvian navies": the parser makes the first nationality the head and the noun its
    # conjunct; the first nationality shares the conjunct's noun
    if head is None:
        conj = next((c for c in tok.children if c.dep_ == "conj" and c.pos_ == "NOUN"
                     and any(x.dep_ == "amod" and b.lex.scan(x.text, kinds={"demonym"}) for x in c.lefts)), None)
        if conj is not None:
            words = [conj.lower_]
            code, _, _ = sector_of(words, b.lex)
            if code is not None:
                name = f"{m.text} {conj.text}"
                _add_group(b, c.iso3, code, words, name, m.start, m.end, "demonym")  # type: ignore
                return
    # a demonym used as a noun: "the Russians", "Ukrainians"
    if _plural_demonym(m) and tok.pos_ in ("NOUN", "PROPN") and _climb_conj(tok).dep_ in ACTOR_DEPS | {"pobj", "conj"}:
        det = [t for t in tok.lefts if t.lower_ == "the"]
        code = "GOV" if det else "CVL"
        b.add(("group", c.iso3, code, ""), lambda: Actor(id="", name=m.text, country=c.iso3, sector=code,  # type: ignore
                                                         kind="group"), m.start, m.end, "demonym")
        b.take(m.start, m.end)


def _unlisted_namesake_before(doc, matches: list[Match], m: Match, p: Person, lex: Lexicon) -> bool:
    """The last full name before a bare surname in its sentence that ends in it is someone other than ``p`` (the
    entity tagger's person, with another first name): the surname is that person's."""
    if doc is None:
        return False
    last_other = -1
    for ent in doc.ents:
        if ent.label_ != "PERSON" or ent.end_char > m.start or len(ent) < 2 or ent[-1].text != m.text:
            continue
        first = ent[0].text
        if not any(n.split()[0] == first for n in [p.name, *p.aliases] if " " in n):
            last_other = max(last_other, ent.start_char)
    if last_other < 0 or last_other < _sentence(doc, doc.text, m.start)[0]:
        return False
    last_own = max((x.start for x in matches if x.kind == "person" and x.end <= m.start
                    and any(e.ref is p for e in x.entries)), default=-1)
    return last_other > last_own


def _not_a_place(b: _Builder, doc, m: Match, tok) -> bool:
    """True where a place name is no place here: it is part of a person's name (an unknown first name before a
    capital's name), it is a capital written with "the" that modifies no noun, or it is a country's name in a list
    whose other members are all regions of one other country ("Georgia" among US states)."""
    ent = tok.ent_type_ == "PERSON" and next((e for e in doc.ents if e.start <= tok.i < e.end), None)
    if ent and (ent.start_char < m.start or ent.end_char > m.end) and len(ent) > 1:
        return True
    prev = tok.nbor(-1) if tok.i > 0 else None
    if (ent and prev is not None and prev.dep_ == "compound" and prev.head.i == tok.i and prev.text[:1].isupper()
            and prev.idx + len(prev.text) + 1 == m.start and prev.pos_ == "PROPN"
            and not b.lex.scan(prev.text) and prev.lower_ not in b.lex.terms and prev.lower_ not in _TITLE_CAPS):
        b.name_starts[m.start] = prev.idx
        return True  # an unknown capitalised word before the surname: the first name the tagger left out
    if m.kind == "capital" and re.search(r"\bthe\s+$", b.text[max(0, m.start - 5):m.start]) \
            and not m.text.lower().startswith("the ") and tok.dep_ not in ("compound", "amod", "nmod", "poss"):
        return True  # "the Kabul government" is fine: there the capital modifies a noun
    if m.kind == "country":
        top = _climb_conj(tok)
        sibs = [top] + [t for t in top.subtree if t.dep_ == "conj" and _climb_conj(t).i == top.i]
        others = []
        for t in sibs:
            if t.i == tok.i:
                continue
            pm = next((p for st, p in b.places.items() if st <= t.idx < p.end), None)
            if pm is not None:
                others.append(pm)
        own = getattr(m.entries[0].ref, "iso3", None)
        if others and all(p.kind == "region" for p in others) \
                and len({getattr(p.entries[0].ref, "iso3", None) for p in others} - {own}) == 1:
            return True
    return False


def _country_actor(b: _Builder, doc, m: Match) -> None:
    c = m.entries[0].ref
    tok = _last_token(doc, m.start, m.end)
    if tok is None:
        return
    if _not_a_place(b, doc, m, tok):
        b.not_places.add(m.start)
        if tok.ent_type_ != "PERSON":
            b.take(m.start, m.end)
        return
    t = _climb_conj(tok)
    dep = t.dep_
    text = b.text
    ok = False
    nb = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if (nb is not None and nb.head.i == tok.i and nb.dep_ == "appos" and nb.pos_ == "NOUN" and nb.idx == tok.idx + len(tok) + 1
            and _sector_word(nb.lower_, b.lex) and b.free(m.end, nb.idx + len(nb.text))):
        # "Nairobi police and ..." parsed as a place with the noun in apposition: one group, as "Nairobi police"
        end = nb.idx + len(nb.text)
        words = [nb.lower_]
        code, _, _ = sector_of(words, b.lex)
        if code is not None:
            _add_group(b, c.iso3, code, words, text[m.start:end], m.start, end, "name")  # type: ignore
            return
    if dep in ("poss", "compound", "amod", "nmod") and t.head.pos_ in ("NOUN", "PROPN") and t.head.i > t.i:
        head = t.head
        while ((head.dep_ == "compound" or _name_poss(head)) and head.head.pos_ in ("NOUN", "PROPN") and head.head.i > head.i
               and head.head.ent_type_ != "PERSON"):
            head = head.head
        end = head.idx + len(head.text)
        words = [w.lower() for w, _, _ in tokens(text[m.end:end])]
        code, _, _ = sector_of(words, b.lex)
        proper = head.pos_ == "PROPN" and all(x.text[:1].isupper() for x in head.doc[t.i:head.i + 1])
        if code is not None and not proper and not (
                _sector_word(head.lower_, b.lex) or _sector_word(head.lemma_.lower(), b.lex)
                or head.lower_ in b.lex.generic or _sing(head.lower_) in b.lex.generic):
            # the sector word must head the phrase: "rebel raids" are raids, not rebels; but a body noun before the
            # head is the actor (a city's council named before its office or its decision is the council)
            inner = [x for x in head.doc[t.i + 1:head.i] if x.tag_ in ("NN", "NNS") and _sector_word(x.lower_, b.lex)
                     and sector_of([x.lower_], b.lex)[0] not in ("REB", "CRM", "UAF", "CVL", "OPP")]  # a body,
            # not a kind of person used as a modifier ("terrorist attacks")
            code = None
            if inner:
                head = inner[-1]
                end = head.idx + len(head.text)
                words = [w.lower() for w, _, _ in tokens(text[m.end:end])]
                code, _, _ = sector_of(words, b.lex)
        if code is None and head.lower_ in b.lex.person_nouns and dep != "poss":
            code = "CVL"
        if code is not None and m.kind in ("city", "capital", "region") and head.lower_ in b.lex.local_sectors:
            code = b.lex.local_sectors[head.lower_]  # a city's officers are its police
        nxt = head.nbor(1) if head.i + 1 < len(head.doc) else None
        if nxt is not None and nxt.text == "." and head.lower_ in b.lex.title_abbrevs and nxt.i + 1 < len(head.doc):
            nxt = nxt.nbor(1)  # "Texas Sen. X"
        if (code is not None and nxt is not None and nxt.ent_type_ == "PERSON" and nxt.text[:1].isupper()
                and m.kind in ("region", "city", "capital")):
            return  # "Ohio Gov. X", "Lagos State Governor X": a title of the person named next (read with the name)
        if code is not None and head.i > t.i and (head.ent_type_ != "PERSON" or _sector_word(head.lower_, b.lex)) \
                and b.free(m.end, end):
            _add_group(b, c.iso3, code, words, text[m.start:end], m.start, end, "name")  # type: ignore
            return
        ok = dep == "poss"
    elif dep in ACTOR_DEPS:
        ok = True
    elif dep == "pobj":
        prep = t.head.lower_
        if m.kind == "capital":
            ok = prep in CAPITAL_ACTOR_PREPS or (prep == "from" and t.head.head.lemma_ in ("pressure", "demand", "call",
                                                                                             "warning", "threat", "request"))
        else:
            ok = prep not in COUNTRY_NONACTOR_PREPS or (prep in ("to", "from", "on", "for") and t.head.head.pos_ in ("NOUN",)
                                                         and t.head.head.lemma_ not in ("trip", "visit", "flight", "road",
                                                                                        "return", "way", "border", "route"))
    if not ok or m.kind in ("region", "city"):
        return  # a region or city only places a group ("Utah man"); it is never an actor by itself
    sector = b.lex.country_alone
    b.add(("country", c.iso3), lambda: Actor(id="", name=c.name, country=c.iso3, sector=sector, kind="country"),  # type: ignore
          m.start, m.end, "metonym" if m.kind == "capital" else "name")
    b.take(m.start, m.end)


def _person_at(b: _Builder, char: int) -> Optional[_Acc]:
    """The person actor with a name mention covering ``char``, if any."""
    for acc in b.accs.values():
        if acc.actor.kind == "person" and any(m.start <= char < m.end and m.kind == "name" for m in acc.actor.mentions):
            return acc
    return None


def _name_poss(tok) -> bool:
    """A capitalised possessive inside a capitalised name ("Uganda People's Defence Force")."""
    return (tok.dep_ == "poss" and tok.text[:1].isupper() and tok.head.text[:1].isupper()
            and tok.head.pos_ == "PROPN" and tok.head.i > tok.i)


def _sector_word(word: str, lex: Lexicon) -> bool:
    """A sector noun (also in the plural): a phrase headed by it is a group, even where the parser's entity
    tagger calls it a person ("Chin Christians")."""
    return word in lex.terms or _sing(word) in lex.terms


def _unknown_person(b: _Builder, doc, s: int, e: int, etext: str) -> None:
    # surname repeat of a person already found
    words = etext.split()
    found = []
    for acc in b.accs.values():
        a = acc.actor
        if a.kind != "person":
            continue
        names = [a.name]
        if acc.person is not None:
            names += acc.person.aliases
        if any(etext == n or (len(words) == 1 and len(n.split()) > 1 and n.split()[-1] == etext) for n in names):
            # the person named last before this mention in its sentence wins ("Jeb Bush said Bush ...": Jeb)
            last = max((m.start for m in a.mentions if m.kind == "name" and m.start < s), default=-1)
            found.append((last, acc))
    if found:
        last, acc = max(found, key=lambda x: x[0])
        if len(found) > 1 and last < _sentence(doc, b.text, s)[0]:
            # no namesake named just before: the one the article names most
            acc = max(found, key=lambda x: len(x[1].actor.mentions))[1]
        b.add(acc.key, lambda: acc.actor, s, e, "name")
        b.take(s, e)
        return
    if not any(w[:1].isupper() for w in words):
        return  # a lower-case phrase is no name: a name has a capital letter
    sent_start, sent = _sentence(doc, b.text, s)
    named_after_place = any(s <= st < e for st in b.not_places)
    res = _context_resolution(etext, sent, b.day, b.lex) if not named_after_place else None
    country = sector = role = None
    if res is not None and res.actor is not None:
        country, sector = res.actor.country, res.actor.sector
        tstart0 = _title_span(b.text, s, b.lex)
        role = " ".join(x for x in (b.text[tstart0:s].strip(), _appos_after(b.text, e)) if x) or res.pattern
    tstart = _title_span(b.text, s, b.lex)
    acc = b.add(("person", etext), lambda: Actor(id="", name=etext, country=country, sector=sector, role=role,
                                                 kind="person"), s, e, "name")
    b.take(s, e)
    if tstart < s:
        b.add(acc.key, lambda: acc.actor, tstart, e, "title")
        b.take(tstart, s)


def _sector_groups(b: _Builder, doc, matches: list[Match]) -> None:
    places = {m.start: m for m in matches if m.kind in ("country", "capital", "demonym", "region", "city")}
    for chunk in doc.noun_chunks:
        head = chunk.root
        s, e = chunk.start_char, chunk.end_char
        # drop leading determiners and punctuation from the span
        toks = [t for t in chunk if not (t.i < head.i and (t.dep_ in ("det", "predet") or t.is_punct))]
        if not toks:
            continue
        s = toks[0].idx
        if not b.free(s, e):
            continue
        if (head.pos_ not in ("NOUN", "PROPN")
                or (head.pos_ == "PROPN" and (head.lower_ not in b.lex.terms
                                              or any(t.pos_ == "PROPN" and t.i != head.i for t in chunk)))
                or _climb_conj(head).dep_ not in ACTOR_DEPS | {"pobj", "conj"}):
            continue
        if head.lower_ in b.lex.office_titles:
            # "a spokesman for the state police", "the head of the army": the office and its body are one actor
            for prep in head.children:
                if prep.dep_ == "prep" and prep.lower_ in ("for", "of") and prep.i == head.i + 1:
                    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    if obj is not None:
                        e2 = obj.idx + len(obj.text)
                        if b.free(s, e2) and not re.search(r"[,;:()\n]", b.text[e:e2]):
                            e = e2
                    break
        nb = head.nbor(1) if head.i + 1 < len(doc) else None
        if nb is not None and nb.lower_ in b.lex.abstract_before.get(head.lower_, ()):
            continue  # a division among staff or over pay is an abstract noun, no army division
        if head.lower_ == "state" and any(c.dep_ == "prep" and c.lower_ == "of" and any(
                o.dep_ == "pobj" and not o.text[:1].isupper() for o in c.children) for c in head.children):
            continue  # "a state of siege", "a state of emergency": a condition, not the state
        words = [w.lower() for w, _, _ in tokens(b.text[s:e])]
        # "major demographic groups", "the general public": a lower-case rank word before the head is an adjective
        words = [w for w, t in zip(words, tokens(b.text[s:e]))
                 if not (w in b.lex.rank_adjectives and t[0].islower() and w != words[-1])]
        code, pattern, _ = sector_of(words, b.lex)
        party = _party_modifier(b, chunk, head)
        if party is not None and (code in (None, "UNK") or head.lower_ in b.lex.generic
                                  or _sing(head.lower_) in b.lex.generic):
            # "Republican leaders", "Conservative members": a vague head with a party's adjective is the party's
            code = "PTY"
        if code is None or code in ("UNK",):
            continue
        head_word = head.lower_
        if head_word not in b.lex.terms and head.lemma_.lower() not in b.lex.terms and head_word not in b.lex.generic:
            continue  # the sector word must be the head ("police station" is not the police)
        if head.dep_ == "appos" and code in ("GOV", "MIL", "LEG", "JUD", "COP", "ELI"):
            # "Putin, President of Russia,": a title in apposition to a named person is that person
            owner = _person_at(b, head.head.idx)
            if owner is not None:
                b.add(owner.key, lambda: owner.actor, s, e, "title")
                b.take(s, e)
                continue
        country = None
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "of", "from"):
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        pm = next((m for st, m in places.items() if obj.idx <= st < obj.idx + len(obj.text)
                                   or st <= obj.idx < m.end), None)
                        if pm is not None:
                            country = pm.entries[0].ref.iso3  # type: ignore[union-attr]
                        elif obj.text[:1].isupper() and (obj.ent_type_ == "GPE" or (
                                prep.lower_ in ("in", "from") and obj.pos_ == "PROPN" and obj.ent_type_ != "PERSON")):
                            # "police in Bergen": a GeoNames town the tagger marks as a place (or, after "in" or
                            # "from", names at all)
                            span = doc[obj.left_edge.i:obj.i + 1]
                            hit = _town_in(span.text, b.lex)
                            if hit is not None:
                                country = hit[0]
        if country is None and party is not None:
            country = party.country  # "Republican senators": the party's adjective names its country
        if country is None:
            # "Tacoma officers", "Kumasi traders": a town (GeoNames, as in resolve) the tagger marks as a place
            gpe = [t for t in chunk if t.i < head.i and t.ent_type_ == "GPE" and t.text[:1].isupper()]
            hit = _town_in(b.text[gpe[0].idx:e], b.lex) if gpe else None
            if hit is not None and hit[1] == 0:
                country = hit[0]
                if head_word in b.lex.local_sectors:
                    code = b.lex.local_sectors[head_word]
        if (head.tag_ == "NN" and not any(t.dep_ == "det" for t in head.lefts) and head_word not in ("police",)
                and country is None):
            continue  # a bare singular noun is rarely an actor ("government policy" parses oddly), unless it
            # names its country ("Government of Guatemala declared ...", headline style)
        name = b.text[s:e]
        b.add(("group", country, code, _group_key(words)),
              lambda: Actor(id="", name=name, country=country, sector=code, kind="group"), s, e, "nominal")
        b.take(s, e)


def _party_modifier(b: _Builder, chunk, head) -> Optional[Actor]:
    """The party of the article ("Republican Party") whose adjective ("Republican") modifies a noun phrase."""
    for t in chunk:
        if t.i >= head.i or not t.text[:1].isupper():
            continue
        for acc in b.accs.values():
            a = acc.actor
            words = a.name.split()
            if (a.sector == "PTY" and a.kind == "organization" and a.country and len(words) == 2
                    and words[0] == t.text and words[1] == "Party"):
                return a
    return None


def _pronouns(b: _Builder, doc) -> None:
    persons = [(m.start, acc) for acc in b.accs.values() if acc.actor.kind == "person"
               for m in acc.actor.mentions if m.kind in ("name", "title")]
    if not persons:
        return
    persons.sort(key=lambda x: x[0])
    sents = list(doc.sents)
    sent_index = {}
    for i, s in enumerate(sents):
        for t in s:
            sent_index[t.i] = i
    for tok in doc:
        if tok.lower_ not in PRONOUNS or tok.pos_ != "PRON":
            continue
        if not b.free(tok.idx, tok.idx + len(tok.text)):
            continue
        prev = [(st, acc) for st, acc in persons if st < tok.idx]
        if not prev:
            continue
        st, acc = prev[-1]
        ptok = _token_at(doc, st)
        if ptok is None or sent_index.get(tok.i, 0) - sent_index.get(ptok.i, 0) > 1:
            continue
        b.add(acc.key, lambda: acc.actor, tok.idx, tok.idx + len(tok.text), "pronoun")


def actor_for_span(actors: list[Actor], start: int, end: int) -> Optional[Actor]:
    """The actor whose mention overlaps [start, end) the most (ties: the tighter mention)."""
    best = None
    best_key = None
    for a in actors:
        for m in a.mentions:
            ov = min(end, m.end) - max(start, m.start)
            if ov <= 0 and not (start == end and m.start <= start < m.end):
                continue
            key = (ov, -(m.end - m.start))
            if best_key is None or key > best_key:
                best, best_key = a, key
    return best


def find_co_actors(text: str, start: int, end: int, doc=None) -> list[tuple[int, int, str]]:
    """The coordinated actors an actor phrase ``text[start:end]`` belongs to ("Chileans and Peruvians",
    "Norway, the Netherlands, Chile and Kenya"), as (start, end, text), the phrase's own one included.

    With the spaCy ``doc`` of ``text`` the coordination is read from the parse (conjuncts of the phrase's head,
    each with its left modifiers: "Latvian Foreign Minister Zora Valdane"); without it the phrase itself is
    split at "and"/"or"/commas."""
    if doc is not None:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            top = _climb_conj(span.root)
            members = [top]
            stack = [top]
            while stack:
                t = stack.pop()
                for c in t.children:
                    if c.dep_ == "conj" and c not in members:
                        members.append(c)
                        stack.append(c)
            out = []
            for t in sorted(members, key=lambda t: t.i):
                left = t
                for c in t.lefts:
                    if c.dep_ in ("compound", "amod", "poss", "nmod", "nummod", "quantmod", "case") \
                            or c.dep_ == "punct" and c.text in ("-",):
                        left = min(left, c.left_edge, key=lambda x: x.i)
                        break
                s_, e_ = left.idx, t.idx + len(t.text)
                out.append((s_, e_, text[s_:e_]))
            if len(out) > 1 or out[0][0] <= start < out[0][1]:
                return out
    phrase = text[start:end]
    parts = []
    pos = 0
    for m in re.finditer(r"\s*(?:,\s*(?:and|or)\s+|\s+(?:and|or|as well as|along with)\s+|,\s*)", phrase):
        parts.append((pos, m.start()))
        pos = m.end()
    parts.append((pos, len(phrase)))
    out = []
    for s_, e_ in parts:
        seg = phrase[s_:e_]
        lead = len(seg) - len(seg.lstrip())
        seg = seg.strip()
        if seg:
            out.append((start + s_ + lead, start + s_ + lead + len(seg), seg))
    return out
