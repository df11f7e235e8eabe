"""Finding quoted passages in raw text, robust to unbalanced and mixed quotation marks.

A quoted passage is returned with its outer extent (marks included) and inner
extent (marks excluded).  Rules (news typography):

* curly marks say which side they are on; a straight ``"`` (or a mark used on
  the wrong side) is decided by its neighbours: after a space or at the start
  of a line it opens, after a word character or punctuation it closes;
* a passage still open at the end of a paragraph continues when the next
  paragraph opens with a quotation mark (multi-paragraph quote); otherwise it
  is closed at the paragraph end and marked ``unbalanced``;
* a closing mark with nothing open is ignored.

Nothing here raises on odd input: the worst case is fewer quotes.
"""

from __future__ import annotations

from dataclasses import dataclass

OPENERS = "“„«‟"
CLOSERS = "”»"
STRAIGHT = '"'
ALL = OPENERS + CLOSERS + STRAIGHT


@dataclass
class QuotedPassage:
    start: int        # outer: the opening mark
    end: int          # outer: after the closing mark (or end of paragraph)
    inner_start: int
    inner_end: int
    unbalanced: bool = False
    paragraphs: int = 1

    @property
    def inner(self) -> tuple[int, int]:
        return self.inner_start, self.inner_end


def _side(text: str, i: int) -> str:
    """'open' or 'close' for the mark at i, judged by its neighbours then its shape."""
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + 1] if i + 1 < len(text) else "\n"
    prev_space = prev.isspace() or prev in "([{—–-/" or prev in OPENERS
    next_space = nxt.isspace() or nxt in ",.;:!?)]}" or nxt in CLOSERS
    c = text[i]
    if prev_space and not next_space:
        return "open"
    if next_space and not prev_space:
        return "close"
    if c in OPENERS:
        return "open"
    if c in CLOSERS:
        return "close"
    return "close" if not prev_space else "open"


PAIR = "\u2060"  # stands for the second apostrophe of a '' mark while scanning


def find_quotes(text: str) -> list[QuotedPassage]:
    """Quoted passages; two apostrophes ('') count as one double mark."""
    scan = text.replace("''", '"' + PAIR) if "''" in text else text
    out = _scan(scan)
    if scan is not text:
        for q in out:
            if q.end < len(scan) and scan[q.end - 1] == '"' and scan[q.end:q.end + 1] == PAIR:
                q.end += 1
            while q.inner_start < q.inner_end and scan[q.inner_start] in PAIR + " ":
                q.inner_start += 1
    return out


def _scan(text: str) -> list[QuotedPassage]:
    out: list[QuotedPassage] = []
    # paragraph boundaries
    paras: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        paras.append((pos, pos + len(line)))
        pos += len(line) + 1
    open_at: int | None = None
    n_paras = 1
    for pi, (ps, pe) in enumerate(paras):
        for i in range(ps, pe):
            c = text[i]
            if c not in ALL:
                continue
            side = _side(text, i)
            if c == STRAIGHT and open_at is not None and side == "open":
                nxt_c = text[i + 1] if i + 1 < len(text) else " "
                if not nxt_c.isalnum():
                    side = "close"  # ' " after a nested quote, or a mark between spaces
            if side == "open":
                if open_at is not None and i > open_at + 1:
                    # an opening inside an open passage: the earlier one was never closed
                    if text[open_at:i].strip(ALL + " "):
                        if n_paras > 1 and not text[ps:i].strip():
                            continue  # reopening mark of a continued paragraph
                        out.append(_mk(text, open_at, _trim_end(text, i), unbalanced=True, paras=n_paras))
                    n_paras = 1
                open_at = i
            else:
                if open_at is None:
                    continue
                if i - open_at > 1:
                    out.append(_mk(text, open_at, i + 1, unbalanced=False, paras=n_paras))
                open_at = None
                n_paras = 1
        if open_at is not None:
            # open at paragraph end: continue only if the next non-empty paragraph opens with a mark
            nxt = next(((s, e) for s, e in paras[pi + 1:] if text[s:e].strip()), None)
            if nxt is not None and text[nxt[0]:nxt[1]].lstrip()[:1] in OPENERS + STRAIGHT:
                n_paras += 1
                continue
            if text[open_at + 1:pe].strip():
                out.append(_mk(text, open_at, _trim_end(text, pe), unbalanced=True, paras=n_paras))
            open_at = None
            n_paras = 1
    return out


def _trim_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _mk(text: str, start: int, end: int, unbalanced: bool, paras: int) -> QuotedPassage:
    inner_s = start + 1
    inner_e = end - 1 if (not unbalanced and end - 1 > inner_s) else end
    while inner_s < inner_e and text[inner_s].isspace():
        inner_s += 1
    while inner_e > inner_s and text[inner_e - 1].isspace():
        inner_e -= 1
    return QuotedPassage(start, end, inner_s, inner_e, unbalanced, paras)
