"""`crps search`: the records holding the words, most relevant first.

Word by word over every text field (names, aliases, topics, claims, quotes, locators, studies,
discrepancy notes), through the full-text index (`evidence/fulltext.py`: stemmed, bm25-ranked, the
fields weighted). Words that carry no meaning in a question ("can I take", "what should I do") are
left out, so a question typed as a sentence finds what it is about.
"""

from __future__ import annotations

from ..evidence.base import EvidenceBase
from .common import Report, UnknownReference, report_class
from .names import STOP_WORDS, exact_reading, words_of

# Question words on top of the stop words names ignore: they say how a question is asked, not what about.
QUESTION_WORDS = frozenset(
    "take taking help helps know tell need much many anything something".split()  # noqa: SIM905
)


@report_class
class SearchHit:
    kind: str
    id: str
    treatment: str | None
    field: str  # the best-weighted field that matched; its text is `text`
    text: str
    score: int  # higher first: how many of the words it holds (thousands), then what the words name, then bm25
    matched: str = ""  # every field that matched, best-weighted first
    words: int = 1  # how many of the query's words the record holds


@report_class
class SearchReport(Report):
    records_field = "hits"
    listing = True

    query: str
    hits: list[SearchHit]
    terms: list[str] | None = None  # the words searched for, after leaving out the question words


def search_terms(text: str) -> list[str]:
    """The words to look for: the query's words less stop and question words (all of them if none is left)."""
    words = list(dict.fromkeys(words_of(text)))
    meaningful = [w for w in words if w not in STOP_WORDS and w not in QUESTION_WORDS]
    return meaningful or words


def search(base: EvidenceBase, text: str) -> SearchReport:
    """Records holding the words, those holding more of them first, then by weighted bm25."""
    terms = search_terms(text)
    if not terms:
        raise UnknownReference("nothing to search for")
    found = base.search(terms)
    if not found:
        return SearchReport(query=text, hits=[], terms=terms)
    # what the words name exactly ("signs", "kids") comes first: the entry or topic itself
    reading = exact_reading(base, text)
    named = {(t.kind, t.id) for t in reading.targets} if reading else set()
    hits = []
    for match in found:
        field, value = next(iter(match.fields.items()), ("", ""))
        relevance = 999 if (match.kind, match.id) in named else min(998, round(-match.rank * 20))
        hits.append(
            SearchHit(
                kind=match.kind,
                id=match.id,
                treatment=match.treatment,
                field=field,
                text=value,
                score=match.words * 1000 + relevance,
                matched=", ".join(match.fields),
                words=match.words,
            )
        )
    hits.sort(key=lambda hit: -hit.score)  # stable: the index's order among equals
    return SearchReport(query=text, hits=hits, terms=terms)
