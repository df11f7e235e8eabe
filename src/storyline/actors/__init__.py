"""The actors stage: who is acting, resolved to country (ISO3) and PLOVER sector.

Public API (other stages rely on it):

* :func:`annotate` (article, doc) -> list[Actor] with their mentions
* :func:`resolve` (text, context, date, known_country) -> Actor | None
* :func:`actor_for_span` (actors, start, end) -> Actor | None
* :func:`country_of` (name or demonym) -> ISO3 | None
* :func:`search_nat` (text) -> (ISO3 | None, rest of the text)
"""

from storyline.actors.resolve import country_of, resolve, resolve_detail, search_nat
from storyline.actors.mentions import actor_for_span, annotate, find_co_actors

__all__ = ["annotate", "resolve", "resolve_detail", "actor_for_span", "country_of", "search_nat", "find_co_actors"]
