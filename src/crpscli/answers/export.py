"""`crps export`: the whole evidence base in one report."""

from __future__ import annotations

from dataclasses import fields

from ..evidence.base import EvidenceBase
from ..evidence.records import Claim, Source, Study, Treatment
from .common import Report, report_class


@report_class
class ExportReport(Report):
    """JSON and YAML: every table. CSV, TSV, markdown and ndjson: one table's records (claims unless
    another is chosen), every scalar field a column."""

    records_field = "claims"

    sources: list[Source]
    studies: list[Study]
    treatments: list[Treatment]
    claims: list[Claim]

    def cited_studies(self) -> list[Study]:
        return self.studies


def tables() -> list[str]:
    """The tables `--table` can choose: every list the export holds."""
    return [f.name for f in fields(ExportReport)]


def export(base: EvidenceBase, table: str = "claims") -> ExportReport:
    report = ExportReport(
        sources=list(base.sources.values()),
        studies=list(base.studies.values()),
        treatments=list(base.treatments.values()),
        claims=list(base.claims.values()),
    )
    report.records_field = table  # the table the one-record-per-line formats write
    return report
