"""`crps search`: records holding the words, best-weighted field first."""

from __future__ import annotations

from ..evidence.base import EvidenceBase
from .common import Report, UnknownReference, report_class


@report_class
class SearchHit:
    kind: str
    id: str
    treatment: str | None
    field: str
    text: str
    score: int


@report_class
class SearchReport(Report):
    records_field = "hits"
    listing = True

    query: str
    hits: list[SearchHit]


# Field weights: a hit in a name outranks one in a claim's text.
_WEIGHTS = {
    "name": 100,
    "alias": 90,
    "group": 80,
    "id": 70,
    "title": 60,
    "authors": 60,
    "summary": 40,
    "text": 30,
    "quote": 25,
    "finding": 25,
    "locator": 10,
}


def search(base: EvidenceBase, text: str) -> SearchReport:
    """Records with every word in one field; each record once, at its best-weighted field."""
    words = [w.casefold() for w in text.split() if w.strip()]
    if not words:
        raise UnknownReference("nothing to search for")
    best: dict[tuple[str, str], SearchHit] = {}
    for kind, record_id, treatment, field, value in base.matching_rows(words):
        score = _WEIGHTS[field] + (20 if value.casefold() == text.casefold() else 0)
        known = best.get((kind, record_id))
        if known is None or score > known.score:
            best[(kind, record_id)] = SearchHit(
                kind=kind, id=record_id, treatment=treatment, field=field, text=value, score=score
            )
    return SearchReport(query=text, hits=sorted(best.values(), key=lambda h: -h.score))
