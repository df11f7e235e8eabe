"""Render HTML to plain text the way a WET conversion does: all visible text, one block per line.

Each line keeps the context it came from (tags and class/id words of its
ancestors), so a removed block can be given a readable reason
("navigation", "newsletter box", "related links", …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "embed", "canvas",
        "select", "option", "input", "textarea", "meta", "link", "title", "math"}
BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dd", "dt", "td", "th", "tr",
         "table", "thead", "tbody", "tfoot", "caption", "section", "article", "header", "footer", "nav", "aside",
         "main", "blockquote", "pre", "form", "figure", "figcaption", "address", "hr", "br", "fieldset",
         "legend", "details", "summary", "body", "center", "menu", "dialog", "button", "label", "hgroup"}
CONTEXT_TAGS = {"nav", "header", "footer", "aside", "form", "button", "figcaption", "li", "a", "h1", "h2", "h3",
                "h4", "h5", "h6", "article", "main", "time", "blockquote", "table", "dialog"}
_WS = re.compile(r"\s+")
_TOKEN = re.compile(r"[a-z]+")


@dataclass
class Block:
    text: str
    tags: frozenset[str] = field(default_factory=frozenset)   # ancestor tags of interest
    words: frozenset[str] = field(default_factory=frozenset)  # class/id/role/aria words of ancestors
    link_chars: int = 0                                        # characters of text inside <a>
    tag: str = ""                                              # the block element
    depth: int = 0                                             # number of open ancestor elements
    anc: tuple[int, ...] = ()                                  # serial numbers of the open ancestors (outer first)
    near_words: frozenset[str] = field(default_factory=frozenset)  # class/id words of the 2 innermost ancestors


def parse(html: str | bytes):
    """An lxml tree for ``html`` (never raises; an empty document for unparsable input)."""
    import lxml.html
    from lxml import etree

    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    html = html.replace("\x00", "")
    if html.lstrip().startswith("<?xml"):
        html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    if not html.strip():
        return lxml.html.fromstring("<html><body></body></html>")
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        try:
            return lxml.html.fromstring(f"<html><body>{html}</body></html>")
        except Exception:
            return lxml.html.fromstring("<html><body></body></html>")


def _ctx_words(el) -> set[str]:
    out = set()
    for attr in ("class", "id", "role", "aria-label", "itemprop"):
        v = el.get(attr)
        if v:
            out.update(t for t in _TOKEN.findall(v.lower()) if len(t) > 1)
    return out


_EMPTY: frozenset = frozenset()


def render(tree_or_html, *, with_blocks: bool = True) -> list[Block]:
    """Visible text blocks of a page, in document order."""
    from lxml import etree

    tree = parse(tree_or_html) if isinstance(tree_or_html, (str, bytes)) else tree_or_html
    root = tree
    blocks: list[Block] = []
    buf: list[str] = []
    link_buf = [0]
    # (tag, words, element serial, words of it and its ancestors, context tags of it and its ancestors)
    stack: list[tuple[str, set[str], int, frozenset, frozenset]] = []
    serial = [0]
    hidden_depth = [0]

    def flush(tag: str = "") -> None:
        text = _WS.sub(" ", "".join(buf)).strip()
        buf.clear()
        if text:
            top = stack[-1] if stack else None
            tags = top[4] if top else _EMPTY
            words = top[3] if top else _EMPTY
            near = (stack[-2][1] | top[1]) if len(stack) > 1 else (frozenset(top[1]) if top else _EMPTY)
            blocks.append(Block(text, tags, words, min(link_buf[0], len(text)), tag, len(stack),
                                tuple(e[2] for e in stack), frozenset(near)))
        link_buf[0] = 0

    def hidden(el) -> bool:
        style = (el.get("style") or "").replace(" ", "").lower()
        return el.get("hidden") is not None or "display:none" in style or "visibility:hidden" in style \
            or el.get("aria-hidden") == "true" and el.tag not in ("span", "i")

    walker = etree.iterwalk(root, events=("start", "end"))
    skipped = set()
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower().split("}")[-1]
        if event == "start":
            if not tag or tag in SKIP or hidden(el):
                skipped.add(id(el))
                walker.skip_subtree()
                continue
            if tag in BLOCK:
                flush(tag)
            serial[0] += 1
            own = _ctx_words(el)
            if stack:
                up = stack[-1]
                cum_words = up[3] | own if own else up[3]
                cum_tags = up[4] | {tag} if tag in CONTEXT_TAGS and tag not in up[4] else up[4]
            else:
                cum_words = frozenset(own)
                cum_tags = frozenset((tag,)) if tag in CONTEXT_TAGS else _EMPTY
            stack.append((tag, own, serial[0], cum_words, cum_tags))
            if el.text:
                buf.append(el.text)
                if tag == "a":
                    link_buf[0] += len(el.text.strip())
        else:
            if id(el) in skipped:
                skipped.discard(id(el))
            else:
                if tag in BLOCK:
                    flush(tag)
                if stack:
                    stack.pop()
            if el.tail:
                buf.append(el.tail)
                if stack and stack[-1][0] == "a":
                    link_buf[0] += len(el.tail.strip())
            if tag == "a" and not (id(el) in skipped):
                # count link text of nested inline children too
                pass
    flush()
    return blocks


def wet_lines(html: str | bytes) -> list[str]:
    """WET-like plain text of a page: one visible block per line."""
    return [b.text for b in render(html)]


def block_reason(block: Block) -> Optional[str]:
    """A readable reason from a block's page context, if its context says boilerplate."""
    w = block.words
    t = block.tags

    joined = " ".join(sorted(w))

    def has(*keys: str) -> bool:
        return any((k in w) if len(k) <= 3 else (k in joined) for k in keys)

    if has("cookie", "consent", "gdpr"):
        return "cookie notice"
    if has("newsletter", "subscribe", "signup"):
        return "newsletter box"
    if has("donat", "appeal", "support", "membership", "paywall", "piano"):
        return "appeal/paywall box"
    if has("share", "social", "sharing"):
        return "share widget"
    if has("related", "recommend", "more", "popular", "trending", "teaser", "readnext", "also"):
        return "related links"
    if has("comment", "disqus", "respond", "reply"):
        return "comments"
    if has("breadcrumb"):
        return "breadcrumbs"
    if "nav" in t or has("nav", "menu", "navbar"):
        return "navigation"
    if has("ticker", "breaking"):
        return "ticker"
    if has("ad", "ads", "advert", "sponsor", "promo", "banner"):
        return "advertisement"
    if "footer" in t or has("footer", "copyright"):
        return "footer"
    if "aside" in t or has("sidebar", "widget", "rail"):
        return "sidebar"
    if "header" in t and "article" not in t:
        return "page header"
    if "form" in t or "button" in t:
        return "form/widget"
    return None
