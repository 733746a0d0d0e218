"""`crps conflicts`: every disagreement in the data (the rule itself is in disagreements.py)."""

from __future__ import annotations

from ..evidence.base import EvidenceBase
from ..evidence.records import Claim, Treatment
from .common import Report, all_conflicts, report_class
from .disagreements import Conflict


@report_class
class ConflictEntry:
    conflict: Conflict
    treatment_name: str
    first: Claim
    second: Claim


@report_class
class ConflictsReport(Report):
    records_field = "conflicts"
    listing = True

    conflicts: list[ConflictEntry]


def conflicts(base: EvidenceBase, treatments: list[Treatment] | None = None) -> ConflictsReport:
    wanted = {t.id for t in treatments} if treatments is not None else None
    return ConflictsReport(
        conflicts=[
            ConflictEntry(
                conflict=c,
                treatment_name=base.treatments[c.treatment].name,
                first=base.claims[c.first],
                second=base.claims[c.second],
            )
            for c in all_conflicts(base)
            if wanted is None or c.treatment in wanted
        ]
    )
