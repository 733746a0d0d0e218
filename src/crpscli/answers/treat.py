"""`crps treat`: everything the sources say about a treatment, grouped by source."""

from __future__ import annotations

from ..evidence.base import EvidenceBase
from ..evidence.records import Source, Treatment
from ..evidence.vocab import Level
from .common import CLAIM_ROW, ClaimView, Report, Row, claim_views, claims_of, disagreements_among, report_class
from .disagreements import Disagreement, strongest
from .summary import BottomLine, bottom_line


@report_class
class SourceClaims:
    source: Source
    claims: list[ClaimView]


@report_class
class TreatmentEntry:
    treatment: Treatment
    bottom_line: BottomLine  # the summary of findings, shown first
    sources: list[SourceClaims]
    disagreements: list[Disagreement]
    level: Level | None  # the strongest level among the disagreements


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
    for treatment in treatments:
        claims = claims_of(base, [treatment.id])
        disagreements = disagreements_among(base, claims)
        views = claim_views(base, claims, disagreements)
        grouped: dict[str, list[ClaimView]] = {}
        for view in views:
            grouped.setdefault(view.claim.source, []).append(view)
        entries.append(
            TreatmentEntry(
                treatment=treatment,
                bottom_line=bottom_line(base, treatment, claims, disagreements),
                sources=[SourceClaims(source=base.sources[s], claims=v) for s, v in grouped.items()],
                disagreements=disagreements,
                level=strongest(disagreements),
            )
        )
    return TreatReport(treatments=entries)
