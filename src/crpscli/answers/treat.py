"""`crps treat`: everything the sources say about a treatment, grouped by source."""

from __future__ import annotations

from ..evidence.base import EvidenceBase
from ..evidence.records import Source, Treatment
from .common import CLAIM_ROW, ClaimView, Report, Row, claim_views, claims_of, report_class, source_names
from .disagreements import Conflict, find_conflicts


@report_class
class SourceClaims:
    source: Source
    claims: list[ClaimView]


@report_class
class TreatmentEntry:
    treatment: Treatment
    sources: list[SourceClaims]
    conflicts: list[Conflict]


@report_class
class TreatReport(Report):
    treatments: list[TreatmentEntry]

    def rows(self) -> list[Row]:
        return [
            view.row(name=entry.treatment.name)
            for entry in self.treatments
            for group in entry.sources
            for view in group.claims
        ]

    def header(self) -> list[str]:
        return ["name", *CLAIM_ROW]


def treat(base: EvidenceBase, treatments: list[Treatment]) -> TreatReport:
    entries = []
    names = source_names(base)
    for treatment in treatments:
        claims = claims_of(base, [treatment.id])
        conflicts = find_conflicts(claims, names)
        views = claim_views(base, claims, conflicts)
        grouped: dict[str, list[ClaimView]] = {}
        for view in views:
            grouped.setdefault(view.claim.source, []).append(view)
        entries.append(
            TreatmentEntry(
                treatment=treatment,
                sources=[SourceClaims(source=base.sources[s], claims=v) for s, v in grouped.items()],
                conflicts=conflicts,
            )
        )
    return TreatReport(treatments=entries)
