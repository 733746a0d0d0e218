"""`crps list` and `crps sources`: every treatment, and every source, one row each."""

from __future__ import annotations

from ..evidence.base import EvidenceBase
from ..evidence.records import Source
from ..evidence.vocab import Category, Level
from .common import Report, UnknownReference, all_disagreements, report_class, source_by_label
from .disagreements import levels_by_treatment


@report_class
class ListEntry:
    id: str
    name: str
    category: Category
    group: str | None
    sources: list[str]
    source_numbers: list[str]
    claims: int
    conflicted: bool  # the sources conflict on it (not only a tension)
    level: Level | None  # the strongest disagreement on it: conflict, tension or none


@report_class
class ListReport(Report):
    records_field = "treatments"
    listing = True

    treatments: list[ListEntry]


def list_treatments(
    base: EvidenceBase,
    category: Category | None = None,
    source: str | None = None,
    conflicted: bool = False,
) -> ListReport:
    source_id = None
    if source:
        found = source_by_label(base, source)
        if not found:
            raise UnknownReference(f"no source '{source}' (known: {', '.join(base.sources)})")
        source_id = found.id
    levels = levels_by_treatment(all_disagreements(base))
    # One pass over the claims: each treatment's sources in order of first claim, and its count.
    sources_of: dict[str, dict[str, None]] = {}
    counts: dict[str, int] = {}
    for claim in base.claims.values():
        sources_of.setdefault(claim.treatment, {})[claim.source] = None
        counts[claim.treatment] = counts.get(claim.treatment, 0) + 1
    entries = []
    for treatment in base.treatments.values():
        sources = list(sources_of.get(treatment.id, {}))
        if category and treatment.category != category:
            continue
        if source_id and source_id not in sources:
            continue
        level = levels.get(treatment.id)
        if conflicted and level is not Level.conflict:
            continue
        entries.append(
            ListEntry(
                id=treatment.id,
                name=treatment.name,
                category=treatment.category,
                group=treatment.group,
                sources=sources,
                source_numbers=[base.sources[s].number for s in sources],
                claims=counts.get(treatment.id, 0),
                conflicted=level is Level.conflict,
                level=level,
            )
        )
    return ListReport(treatments=entries)


@report_class
class SourceEntry:
    source: Source
    claims: int
    treatments: int
    studies: int


@report_class
class SourcesReport(Report):
    records_field = "sources"
    listing = True

    sources: list[SourceEntry]


def sources(base: EvidenceBase) -> SourcesReport:
    """Each source with how many claims, treatments and cited studies it has (one pass over each table)."""
    claims: dict[str, int] = {}
    treatments: dict[str, set[str]] = {}
    studies: dict[str, int] = {}
    for claim in base.claims.values():
        claims[claim.source] = claims.get(claim.source, 0) + 1
        treatments.setdefault(claim.source, set()).add(claim.treatment)
    for study in base.studies.values():
        for source_id in {c.source for c in study.citations}:
            studies[source_id] = studies.get(source_id, 0) + 1
    return SourcesReport(
        sources=[
            SourceEntry(
                source=source,
                claims=claims.get(source.id, 0),
                treatments=len(treatments.get(source.id, ())),
                studies=studies.get(source.id, 0),
            )
            for source in base.sources.values()
        ]
    )
