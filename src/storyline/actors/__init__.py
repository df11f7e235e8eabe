"""The actors stage: who is acting, resolved to country (ISO3) and PLOVER sector.

Public API (other stages rely on it):

* :func:`annotate` (article, doc) -> list[Actor] with their mentions
* :func:`resolve` (text, context, date, known_country) -> Actor | None
* :func:`actor_for_span` (actors, start, end) -> Actor | None
* :func:`country_of` (name or demonym) -> ISO3 | None
* :func:`search_nat` (text) -> (ISO3 | None, rest of the text)
* :func:`find_co_actors` (text, start, end, doc=None) -> [(start, end, text)] coordinated actors of a phrase
* :func:`resolve_detail` -> a :class:`~storyline.actors.resolve.Resolution` (the actor plus the words that
  decided its sector and country)

Conventions: ``country`` is ISO 3166-1 alpha-3 or IGO/UNO/EUR; ``sector`` a PLOVER agent code, ``None`` where a
phrase names only a country ("Russia" alone), ``"UNK"`` for a noun we cannot place ("a Syrian ferry"). In an
article a country or capital in a political role ("Moscow said", "talks with Russia") is its government (GOV).
Roles are judged at the article's publication date (today when unknown); after a term ends a person is ELI.
The data files and the JSON format for your own additions ($STORYLINE_ACTORS) are described in
``storyline/data/actors/README.md``.
"""

from storyline.actors.resolve import country_of, resolve, resolve_detail, search_nat
from storyline.actors.mentions import actor_for_span, annotate, find_co_actors

__all__ = ["annotate", "resolve", "resolve_detail", "actor_for_span", "country_of", "search_nat", "find_co_actors"]
