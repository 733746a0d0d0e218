"""The full-text index behind `crps search`: SQLite FTS5 (in the standard library's sqlite3), one row per
record, one column per text field, ranked by bm25 with the fields weighted.

The cache keeps the index in a file beside the cache file, filled by the first search after a
build; data read straight from YAML gets one built in memory (about 4,000 records take some tens
of milliseconds). The porter tokenizer stems English words, so "kids" finds
"kid" and "infusions" finds "infusion"; accents are ignored.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .base import EvidenceBase

# Each text field and its weight in the ranking: a word in a name outranks the same word in a claim.
FIELDS: dict[str, float] = {
    "name": 10.0,
    "alias": 9.0,
    "topic": 8.0,
    "group": 8.0,
    "id": 7.0,
    "title": 6.0,
    "authors": 6.0,
    "summary": 4.0,
    "text": 3.0,
    "quote": 2.5,
    "finding": 2.5,
    "note": 2.0,
    "journal": 1.5,
    "locator": 1.0,
}
PREFIX_MIN = 5  # shorter terms are not taken as prefixes: "kid" would find "kidney"
_KEYS = ("kind", "id_", "treatment", "seq")  # stored, not searched
SCHEMA = (
    f"CREATE VIRTUAL TABLE search USING fts5({', '.join(f'{k} UNINDEXED' for k in _KEYS)}, "
    f"{', '.join(f'f_{f}' for f in FIELDS)}, tokenize = 'porter unicode61 remove_diacritics 2')"
)


def record_fields(kind: str, record: Any, topics: dict[str, list[str]]) -> tuple[str | None, dict[str, str]]:
    """The treatment a record is about (or None) and its searchable text, field by field."""
    if kind == "treatment":
        return record.id, {
            "name": record.name,
            "alias": " | ".join(record.aliases),
            "group": record.group or "",
            "topic": " | ".join(topics.get(record.id, [])),
            "id": record.id,
            "summary": record.summary,
        }
    if kind == "claim":
        return record.treatment, {"text": record.text, "quote": record.quote, "locator": record.locator}
    if kind == "topic":
        aliases = " | ".join(record.aliases)
        return None, {"name": record.name, "alias": aliases, "id": record.id, "summary": record.summary}
    return None, {
        "title": record.title or "",
        "authors": ", ".join(record.authors),
        "id": record.id,
        "journal": record.journal or "",
        "finding": record.finding,
        "note": " | ".join(d.note for d in record.discrepancies),
        "locator": " | ".join(c.locator for c in record.citations),
    }


def fill(db: sqlite3.Connection, base: EvidenceBase) -> None:
    """Create and fill the index from an evidence base."""
    topics: dict[str, list[str]] = {}
    for topic in base.topics.values():
        for member in topic.members:
            topics.setdefault(member, []).append(topic.name)
    db.execute(SCHEMA)

    def rows() -> Iterator[tuple[Any, ...]]:
        for seq, (kind, record) in enumerate(base.searchable_records()):
            treatment, fields = record_fields(kind, record, topics)
            texts = [fields.get(f) or "" for f in FIELDS]
            yield (kind, record.id, treatment, seq, *texts)

    marks = ", ".join("?" * (len(_KEYS) + len(FIELDS)))
    db.executemany(f"INSERT INTO search VALUES ({marks})", rows())


def in_memory(base: EvidenceBase) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    fill(db, base)
    return db


@dataclass(frozen=True)
class Match:
    """A record that holds some of the words: which fields matched, and how well."""

    kind: str
    id: str
    treatment: str | None
    fields: dict[str, str]  # each matched field's text, best-weighted first
    words: int  # how many of the words it holds
    rank: float  # bm25, weighted: lower is better


def _phrase(term: str, prefix: bool) -> str:
    return '"' + term.replace('"', '""') + '"' + ("*" if prefix else "")


def matches(db: sqlite3.Connection, terms: list[str]) -> list[Match]:
    """Records holding any of the terms, those holding more of them first, then by weighted bm25; when
    none holds a term whole, the words starting with a term of five letters or more ("magnes").
    Raises sqlite3.Error when the index is unusable."""
    found = _matches(db, [_phrase(t, prefix=False) for t in terms])
    long_enough = [t for t in terms if len(t) >= PREFIX_MIN]
    if found or not long_enough:
        return found
    return _matches(db, [_phrase(t, prefix=True) for t in long_enough])


def _matches(db: sqlite3.Connection, phrases: list[str]) -> list[Match]:
    columns = list(FIELDS)
    offset = len(_KEYS)
    weights = ", ".join(["0"] * offset + [str(FIELDS[f]) for f in columns])
    marks = ", ".join(f"highlight(search, {offset + i}, char(1), '')" for i in range(len(columns)))
    texts = ", ".join(f"f_{f}" for f in columns)
    sql = (
        f"SELECT rowid, kind, id_, treatment, bm25(search, {weights}), {marks}, {texts} "
        "FROM search WHERE search MATCH ? ORDER BY 5, seq"
    )
    rows = db.execute(sql, (" OR ".join(phrases),)).fetchall()
    if not rows:
        return []
    holding = [
        {r[0] for r in db.execute("SELECT rowid FROM search WHERE search MATCH ?", (p,))} if len(phrases) > 1 else set()
        for p in phrases
    ]
    found = []
    for row in rows:
        marked, plain = row[5 : 5 + len(columns)], row[5 + len(columns) :]
        fields = {f: plain[i] for i, f in enumerate(columns) if marked[i] and "\x01" in marked[i]}
        words = sum(row[0] in h for h in holding) if len(phrases) > 1 else 1
        found.append(Match(kind=row[1], id=row[2], treatment=row[3], fields=fields, words=words, rank=row[4]))
    found.sort(key=lambda m: -m.words)  # stable: bm25 order within the same number of words
    return found
