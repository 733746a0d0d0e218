"""The evidence base in memory: plain data, cheap to import.

Kept apart from `loading.py` (YAML and pydantic) so that a command answered from the cache
imports neither.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .authors import fold
from .files import DATA_FILES
from .problems import Problem

if TYPE_CHECKING:
    from .records import Claim, Source, Study, Treatment


SearchRow = tuple[str, str, str | None, str, str]
"""One searchable field: record kind, record id, its treatment (or None), field name, text."""


class EvidenceBase:
    """Everything the tool knows, keyed by id, in data order, with the lookups the queries need.

    This is the in-memory base that loading builds; `cache.CachedBase` answers the same
    methods from the cache file, reading only the records a command touches.
    """

    def __init__(
        self,
        sources: Mapping[str, Source] | None = None,
        studies: Mapping[str, Study] | None = None,
        treatments: Mapping[str, Treatment] | None = None,
        claims: Mapping[str, Claim] | None = None,
    ) -> None:
        self.sources: Mapping[str, Source] = {} if sources is None else sources
        self.studies: Mapping[str, Study] = {} if studies is None else studies
        self.treatments: Mapping[str, Treatment] = {} if treatments is None else treatments
        self.claims: Mapping[str, Claim] = {} if claims is None else claims

    def table(self, filename: str) -> Any:
        """The records of one data file, by id."""
        return getattr(self, DATA_FILES[filename].table)

    def counts(self) -> dict[str, int]:
        """How many records of each kind, in the order `crps check` reports them."""
        return {table: len(getattr(self, table)) for table in ("sources", "treatments", "claims", "studies")}

    def claims_of(self, treatment_ids: Iterable[str]) -> list[Claim]:
        """The claims about these treatments, in data order."""
        wanted = set(treatment_ids)
        return [claim for claim in self.claims.values() if claim.treatment in wanted]

    def claims_citing(self, study_id: str) -> list[Claim]:
        return [claim for claim in self.claims.values() if study_id in claim.studies]

    def name_index(self) -> dict[str, list[str]]:
        """Folded name -> treatment ids: ids, names, aliases, and group names (a group means
        all its members, unless the same word already names a treatment outside the group)."""
        index: dict[str, list[str]] = {}
        treatments = list(self.treatments.values())
        for treatment in treatments:
            for label in (treatment.id, treatment.name, *treatment.aliases):
                ids = index.setdefault(name_key(label), [])
                if treatment.id not in ids:
                    ids.append(treatment.id)
        groups = {t.id: t.group for t in treatments}
        for treatment in treatments:
            if treatment.group:
                key = name_key(treatment.group)
                if key not in index or all(groups[i] == treatment.group for i in index[key]):
                    group = index.setdefault(key, [])
                    if treatment.id not in group:
                        group.append(treatment.id)
        return index

    def labels(self) -> list[str]:
        """Every name a user may type, for completion and suggestions."""
        names: dict[str, None] = {}
        for treatment in self.treatments.values():
            for label in (treatment.id, treatment.name, *treatment.aliases, treatment.group):
                if label:
                    names.setdefault(label, None)
        return list(names)

    def searchable_records(self) -> Iterator[tuple[str, Any]]:
        """Every record search looks into, with its kind."""
        for kind, table in (("treatment", self.treatments), ("claim", self.claims), ("study", self.studies)):
            for record in table.values():
                yield kind, record

    def search_rows(self) -> Iterator[SearchRow]:
        """Every searchable field of every treatment, claim and study."""
        for kind, record in self.searchable_records():
            yield from searchable_fields(kind, record)

    def matching_rows(self, words: list[str]) -> Iterator[SearchRow]:
        """The searchable fields that contain every (casefolded) word."""
        return containing(self.search_rows(), words)


def containing(rows: Iterable[SearchRow], words: list[str]) -> Iterator[SearchRow]:
    for row in rows:
        folded = row[4].casefold()
        if all(word in folded for word in words):
            yield row


def searchable_fields(kind: str, record: Any) -> list[SearchRow]:
    """The fields search looks at in one record (queries.search weighs them)."""
    if kind == "treatment":
        fields = {
            "name": record.name,
            "alias": " | ".join(record.aliases),
            "group": record.group,
            "id": record.id,
            "summary": record.summary,
        }
        treatment = record.id
    elif kind == "claim":
        fields = {"text": record.text, "quote": record.quote, "locator": record.locator}
        treatment = record.treatment
    else:
        authors = ", ".join(record.authors)
        fields = {"title": record.title, "authors": authors, "id": record.id, "finding": record.finding}
        treatment = None
    return [(kind, record.id, treatment, name, value) for name, value in fields.items() if value]


@dataclass
class LoadResult:
    base: EvidenceBase
    problems: list[Problem]
    notices: list[str]
    # (file name, id) -> where the entry that won is defined
    locations: dict[tuple[str, str], tuple[Path, int]] = field(default_factory=dict)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Loading builds hundreds of thousands of objects that all live on; the cyclic collector
    would only rescan them again and again as they pile up (0.75 s of a 3.5 s hundredfold load)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def name_key(text: str) -> str:
    """Fold a name for matching: case, accents, spaces, hyphens and punctuation ignored."""
    return fold(text)
