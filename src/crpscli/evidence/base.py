"""The evidence base in memory: plain data, cheap to import.

Kept apart from `loading.py` (YAML and pydantic) so that a command answered from the cache
imports neither.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .authors import fold, parse_author
from .files import DATA_FILES
from .problems import Problem

if TYPE_CHECKING:
    import sqlite3

    from .fulltext import Match
    from .records import Claim, Source, Study, Topic, Treatment


NameRow = tuple[str, str, str, tuple[str, ...]]
"""One name a user may type: the label, what it names ("treatment", "group" or "topic"), the id of the
treatment or topic (a group's own name for a group), and the treatment ids it stands for, in order."""


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
        topics: Mapping[str, Topic] | None = None,
    ) -> None:
        self.sources: Mapping[str, Source] = {} if sources is None else sources
        self.studies: Mapping[str, Study] = {} if studies is None else studies
        self.treatments: Mapping[str, Treatment] = {} if treatments is None else treatments
        self.claims: Mapping[str, Claim] = {} if claims is None else claims
        self.topics: Mapping[str, Topic] = {} if topics is None else topics
        self._search: sqlite3.Connection | None = None
        # Where search gets its index: built in memory here; the cache keeps it in a file of its own.
        self.index: Callable[[EvidenceBase], sqlite3.Connection] = _index_in_memory

    def table(self, filename: str) -> Any:
        """The records of one data file, by id."""
        return getattr(self, DATA_FILES[filename].table)

    def counts(self) -> dict[str, int]:
        """How many records of each kind, in the order `crps check` reports them."""
        return {table: len(getattr(self, table)) for table in ("sources", "treatments", "claims", "studies", "topics")}

    def claims_of(self, treatment_ids: Iterable[str]) -> list[Claim]:
        """The claims about these treatments, in data order."""
        wanted = set(treatment_ids)
        return [claim for claim in self.claims.values() if claim.treatment in wanted]

    def claims_citing(self, study_id: str) -> list[Claim]:
        return [claim for claim in self.claims.values() if study_id in claim.studies]

    def studies_cited(self, claims: Iterable[Claim]) -> dict[str, Study]:
        """The studies these claims cite, by id (an unknown id is left out)."""
        wanted = dict.fromkeys(s for claim in claims for s in claim.studies)
        return {s: self.studies[s] for s in wanted if s in self.studies}

    def studies_keyed(self, keys: Collection[str], prefix: str) -> list[Study]:
        """Every study that may match a reference with these keys (`cite_keys`) or a key starting with
        `prefix`, in data order: here all of them; the cache looks the keys up."""
        return list(self.studies.values())

    def names(self) -> list[NameRow]:
        """Every name a user may type, with what it stands for: each treatment's id, name and aliases,
        then each group (its members in data order), then each topic's name and aliases. A treatment's
        or topic's first row is its name, so that a reader needs no record to name it."""
        rows: list[NameRow] = []
        groups: dict[str, list[str]] = {}
        for treatment in self.treatments.values():
            for label in dict.fromkeys((treatment.name, treatment.id, *treatment.aliases)):
                rows.append((label, "treatment", treatment.id, (treatment.id,)))
            if treatment.group:
                groups.setdefault(treatment.group, []).append(treatment.id)
        rows += [(group, "group", group, tuple(members)) for group, members in groups.items()]
        for topic in self.topics.values():
            members = tuple(m for m in topic.members if m in self.treatments)
            rows += [(label, "topic", topic.id, members) for label in dict.fromkeys((topic.name, *topic.aliases))]
        return rows

    def names_keyed(self, keys: Collection[str]) -> list[NameRow]:
        """The rows of `names()` of every treatment, group or topic that some row whose folded label is
        in `keys` names: all their rows, in order. That is all an exact reading of those keys needs,
        so a command given an exact name builds no index of every name (the cache answers this from
        a table keyed on the folded label)."""
        rows = self.names()
        wanted = {(kind, target) for label, kind, target, _ in rows if name_key(label) in keys}
        return [row for row in rows if (row[1], row[2]) in wanted]

    def longest_name_key(self) -> int:
        """The length of the longest folded label: no longer run of typed words can be a name."""
        return max((len(name_key(row[0])) for row in self.names()), default=0)

    def labels(self) -> list[str]:
        """Every name a user may type, for completion."""
        return list(dict.fromkeys(row[0] for row in self.names()))

    def searchable_records(self) -> Iterator[tuple[str, Any]]:
        """Every record search looks into, with its kind."""
        tables = (
            ("treatment", self.treatments),
            ("claim", self.claims),
            ("study", self.studies),
            ("topic", self.topics),
        )
        for kind, table in tables:
            for record in table.values():
                yield kind, record

    def search(self, terms: list[str]) -> list[Match]:
        """The records holding the terms, best first, from the full-text index (made on first use)."""
        from . import fulltext

        if self._search is None:
            self._search = self.index(self)
        return fulltext.matches(self._search, terms)


def _index_in_memory(base: EvidenceBase) -> sqlite3.Connection:
    from . import fulltext

    return fulltext.in_memory(base)


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


def id_starts(study_id: str) -> list[str]:
    """The leading words of a study id, as a reader may type them: "kemler", "kemler-2000" and the
    whole "kemler-2000-scs"."""
    words = study_id.split("-")
    return ["-".join(words[:n]) for n in range(1, len(words) + 1)]


def cite_keys(study: Study) -> set[str]:
    """What a reference that names this study can be looked up by: its PMID, DOI (folded), id and
    the id's leading words, each citation's label (bare and folded) and each author's surname keys.
    Every way `crps cite` matches a study (answers/cite.py) needs one of these to equal a key of the
    reference, or one starting with the reference's folded text."""
    keys = {*id_starts(study.id), *(c.ref.strip("[]") for c in study.citations)}
    keys.update(name_key(c.ref) for c in study.citations)
    keys.update(key for author in study.authors for key in parse_author(author).surname_keys())
    if study.pmid:
        keys.add(study.pmid)
    if study.doi:
        keys.add(study.doi.casefold())
    return keys


def name_key(text: str) -> str:
    """Fold a name for matching: case, accents, spaces, hyphens and punctuation ignored."""
    return fold(text)
