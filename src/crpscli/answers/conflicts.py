"""`crps conflicts`: every disagreement in the data (the rule itself is in disagreements.py)."""

from __future__ import annotations

from ..evidence.base import EvidenceBase
from ..evidence.records import Claim, Treatment
from .common import Report, Row, all_conflicts, report_class
from .disagreements import Conflict


@report_class
class ConflictEntry:
    conflict: Conflict
    treatment_name: str
    first: Claim
    second: Claim


@report_class
class ConflictsReport(Report):
    conflicts: list[ConflictEntry]

    def rows(self) -> list[Row]:
        return [
            {
                "treatment": e.conflict.treatment,
                "aspect": e.conflict.aspect.value,
                "kind": e.conflict.kind.value,
                "first_source": e.first.source,
                "first_stance": e.first.stance.value,
                "first_claim": e.first.text,
                "second_source": e.second.source,
                "second_stance": e.second.stance.value,
                "second_claim": e.second.text,
                "explanation": e.conflict.explanation,
            }
            for e in self.conflicts
        ]


def conflicts(base: EvidenceBase, treatments: list[Treatment] | None = None) -> ConflictsReport:
    wanted = {t.id for t in treatments} if treatments else None
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
