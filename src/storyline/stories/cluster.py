"""Story clustering: articles about one developing story grouped together.

An online, single pass in publication order (the way a news desk's clustering runs as articles arrive):
each article joins the most similar story that is still active — one whose latest article is at most
``window_days`` older — if the similarity reaches ``threshold``; otherwise it opens a new story.  Similarity
mixes the TF-IDF cosine between the article (title weighted twice) and the story's centroid, the overlap of
named actors (people, organisations and countries resolved by the actors stage), and whether the article
reports a linked event that the story already holds.  Settings are data (``data/stories/linking.json``).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Sequence

from storyline.model import Analysis, LinkedEvent, Story, global_id
from storyline.stories.settings import day_of as _day
from storyline.stories.settings import name_words, settings


def _name_key(name) -> str:
    return " ".join(name_words(name))


def actor_keys(an: Analysis) -> Counter:
    """Named actors of an article, counted by mentions (countries as "c:XXX", others by name)."""
    keys: Counter = Counter()
    for a in an.actors:
        if a.kind == "anonymous":
            continue
        n = max(len(a.mentions), 1)
        if a.kind == "country" and a.country:
            keys[f"c:{a.country}"] += n
        else:
            name = _name_key(a.name)
            if name:
                keys[f"n:{name}"] += n
            if a.country:
                keys[f"c:{a.country}"] += n
    return keys


def _overlap(a: set, b: set) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def cluster(analyses: Sequence[Analysis], linked: Sequence[LinkedEvent] = ()) -> list[Story]:
    """Stories over ``analyses``; ``linked`` events (from :func:`storyline.stories.link.link`) get their
    ``story_id`` set in place and are listed on their story."""
    if not analyses:
        return []
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    cfg = settings()["story"]
    w = cfg["weights"]
    docs = [f"{an.article.title or ''}\n{an.article.title or ''}\n{an.article.text}" for an in analyses]
    try:
        vec = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1)
        matrix = vec.fit_transform(docs).tocsr()
        vocab = np.array(vec.get_feature_names_out())
    except ValueError:  # nothing but stop words
        matrix, vocab = None, np.array([])

    # which linked events each article reports (only those with reports from more than one article matter)
    event_to_linked = {}
    for le in linked:
        if len({r.article_id for r in le.reports}) > 1:
            for r in le.reports:
                event_to_linked[r.event_id] = le.id
    article_links = [{event_to_linked[global_id(an.article.id, e.id)] for e in an.events
                      if global_id(an.article.id, e.id) in event_to_linked} for an in analyses]
    keys = [actor_keys(an) for an in analyses]
    order = sorted(range(len(analyses)), key=lambda i: (analyses[i].article.published or "9999",
                                                       analyses[i].article.id))

    stories: list[dict] = []  # {"members", "centroid" (sparse sum), "keys", "links", "last"}
    active: list[dict] = []    # stories whose latest article is within the window (articles come in date order)
    for i in order:
        day = _day(analyses[i].article.published)
        row = matrix[i] if matrix is not None else None       # 1 x V sparse, L2-normalised
        if day:
            active = [s for s in active if not (s["last"] and (day - s["last"]).days > cfg["window_days"])]
        best, best_sim = None, -1.0
        for s in active:
            text_sim = 0.0
            if row is not None:
                c = s["centroid"]
                norm = float(np.sqrt(c.multiply(c).sum()))
                text_sim = float(c.multiply(row).sum()) / norm if norm else 0.0
            sim = (w["text"] * text_sim + w["actors"] * _overlap(set(keys[i]), set(s["keys"]))
                   + w["linked_events"] * (1.0 if article_links[i] & s["links"] else 0.0))
            if sim > best_sim:
                best, best_sim = s, sim
        if best is not None and best_sim >= cfg["threshold"]:
            best["members"].append(i)
            if row is not None:
                best["centroid"] = best["centroid"] + row
            best["keys"].update(keys[i])
            best["links"] |= article_links[i]
            if day and (best["last"] is None or day > best["last"]):
                best["last"] = day
        else:
            new = {"members": [i], "centroid": row.copy() if row is not None else None,
                   "keys": Counter(keys[i]), "links": set(article_links[i]), "last": day}
            stories.append(new)
            active.append(new)

    out = []
    by_article: dict[str, str] = {}
    for s in stories:
        members = [analyses[i] for i in s["members"]]
        ident = "S" + hashlib.sha1(members[0].article.id.encode()).hexdigest()[:12]
        published = sorted(a.article.published for a in members if a.article.published)
        keywords: list[str] = []
        if s["centroid"] is not None and len(vocab):
            c = s["centroid"].tocoo()
            top = sorted(zip(c.data, c.col), reverse=True)[:cfg["keywords"]]
            keywords = [str(vocab[j]) for v, j in top if v > 0]
        names = _actor_names(members, s["keys"], cfg["actors"])
        label = next((a.article.title for a in members if a.article.title), None) or ", ".join(keywords[:4])
        story = Story(id=ident, label=label, article_ids=[a.article.id for a in members],
                      outlets=sorted({a.article.outlet for a in members if a.article.outlet}),
                      first_published=published[0] if published else None,
                      last_published=published[-1] if published else None,
                      keywords=keywords, actors=names)
        for a in members:
            by_article[a.article.id] = ident
        out.append(story)

    index = {s.id: s for s in out}
    for le in linked:
        votes = Counter(by_article.get(r.article_id) for r in le.reports if by_article.get(r.article_id))
        if votes:
            le.story_id = votes.most_common(1)[0][0]
            index[le.story_id].linked_event_ids.append(le.id)
    return out


def _actor_names(members: Sequence[Analysis], keys: Counter, limit: int) -> list[str]:
    """Display names for the story's most mentioned actors ("Nikol Pashinyan (ARM)", "Armenia")."""
    display: dict[str, str] = {}
    for an in members:
        for a in an.actors:
            if a.kind == "anonymous":
                continue
            if a.kind == "country" and a.country:
                display.setdefault(f"c:{a.country}", a.name)
            else:
                k = "n:" + _name_key(a.name)
                display.setdefault(k, f"{a.name} ({a.country})" if a.country else a.name)
    return [display[k] for k, _ in keys.most_common() if k in display][:limit]
