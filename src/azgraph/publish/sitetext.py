"""The seed text as the site presents it: paragraphs, sentences, and no web furniture.

Presentation only: every offset still counts in the verbatim seed. ``seeds/<id>.yaml`` may say,
under ``presentation:``, which lines are web furniture (``furniture:``, e.g. "Skip to content",
hidden unless a quote sits in them) and whether the capture breaks lines inside sentences with a
blank line (``hard_wrapped: true``), in which case those pieces are joined back into paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from azgraph.build.seeds import Seed

_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n\s*")
_ENDS_SENTENCE = re.compile(r"[.!?:;\"”’')\]]\s*$")
_EMPTY_LINK = re.compile(r"\[\]\([^)]*\)")
_SENTENCE_END = re.compile(r"[.!?](?:\[\d+\])?[\"”’']?\s+")


@dataclass(frozen=True)
class Segment:
    text: str
    evidence: tuple[str, ...]  # the evidence slugs covering this text
    anchors: tuple[str, ...]  # evidence slugs whose quote starts here


@dataclass(frozen=True)
class Presentation:
    furniture: frozenset[str]
    hard_wrapped: bool

    @classmethod
    def of(cls, seed: Seed) -> Presentation:
        raw = seed.meta.get("presentation")
        conf = raw if isinstance(raw, dict) else {}
        furniture = conf.get("furniture") or []
        return cls(frozenset(str(f).strip() for f in furniture), bool(conf.get("hard_wrapped")))

    def is_furniture(self, text: str) -> bool:
        return text.strip() in self.furniture

    def show(self, text: str) -> str:
        """Text for display: blank-line breaks inside a joined paragraph become spaces, and
        empty web links (``[](…)``) are dropped."""
        if self.hard_wrapped:
            text = _BLANK_LINE.sub(" ", text)
        return _EMPTY_LINK.sub("", text)


def paragraph_spans(text: str, hard_wrapped: bool = False) -> list[tuple[int, int]]:
    """The paragraphs of ``text`` as (start, end) offsets: blank-line separated pieces, joined
    across a break that falls inside a sentence when the capture is ``hard_wrapped``."""
    spans, pos = [], 0
    for sep in _BLANK_LINE.finditer(text):
        if text[pos : sep.start()].strip():
            spans.append((pos, sep.start()))
        pos = sep.end()
    if text[pos:].strip():
        spans.append((pos, len(text)))
    if not hard_wrapped:
        return spans
    joined: list[tuple[int, int]] = []
    for a, b in spans:
        if joined and _continues(text[joined[-1][0] : joined[-1][1]], text[a:b]):
            joined[-1] = (joined[-1][0], b)
        else:
            joined.append((a, b))
    return joined


def _continues(before: str, after: str) -> bool:
    last = before.rstrip(" \t").splitlines()[-1] if before.strip() else ""
    if _ENDS_SENTENCE.search(last.replace("\u00a0", "")) or last.endswith("\u00a0"):
        return False
    return after[:1].islower() or len(last) >= 80


def paragraph_bounds(
    text: str, start: int, end: int, hard_wrapped: bool = False
) -> tuple[int, int]:
    """The paragraph(s) around ``text[start:end]``."""
    spans = [s for s in paragraph_spans(text, hard_wrapped) if s[1] >= start and s[0] <= end] or [
        (start, end)
    ]
    return min(start, spans[0][0]), max(end, spans[-1][1])


def sentence_bounds(text: str, start: int, end: int, para: tuple[int, int]) -> tuple[int, int]:
    """The sentence(s) around ``text[start:end]`` inside the paragraph ``para``."""
    a = para[0]
    for m in _SENTENCE_END.finditer(text, para[0], start):
        a = m.end()
    stop = _SENTENCE_END.search(text, end - 1 if end > start else end, para[1])
    b = stop.end() if stop else para[1]
    return min(a, start), max(min(b, para[1]), end)


def segments(text: str, begin: int, stop: int, spans: list[tuple[int, int, str]]) -> list[Segment]:
    """``text[begin:stop]`` cut where quotes start and end, each piece with its evidence."""
    inside = [s for s in spans if s[0] < stop and s[1] > begin]
    cuts = sorted(
        {begin, stop, *(max(begin, s[0]) for s in inside), *(min(stop, s[1]) for s in inside)}
    )
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = tuple(s[2] for s in inside if s[0] <= a and s[1] >= b)
        anchors = tuple(s[2] for s in inside if s[0] == a)
        out.append(Segment(text[a:b], covering, anchors))
    return out
