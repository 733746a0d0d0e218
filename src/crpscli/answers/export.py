"""`crps export`: the whole evidence base in one report."""

from __future__ import annotations

from ..evidence.base import EvidenceBase
from ..evidence.records import Claim, Source, Study, Treatment
from .common import Report, Row, report_class


@report_class
class ExportReport(Report):
    sources: list[Source]
    studies: list[Study]
    treatments: list[Treatment]
    claims: list[Claim]

    def rows(self) -> list[Row]:
        return [{"claim": c.id, "treatment": c.treatment, "source": c.source, "text": c.text} for c in self.claims]

    def cited_studies(self) -> list[Study]:
        return self.studies


def export(base: EvidenceBase) -> ExportReport:
    return ExportReport(
        sources=list(base.sources.values()),
        studies=list(base.studies.values()),
        treatments=list(base.treatments.values()),
        claims=list(base.claims.values()),
    )
