"""`crps conflicts`: every conflict and tension in the data (the rule itself is in disagreements.py)."""

from __future__ import annotations

from ..evidence.base import EvidenceBase
from ..evidence.records import Treatment
from ..evidence.vocab import Level
from .common import Report, all_disagreements, report_class
from .disagreements import Disagreement


@report_class
class ConflictEntry:
    treatment_name: str
    level: Level
    disagreement: Disagreement


@report_class
class ConflictsReport(Report):
    records_field = "conflicts"
    listing = True

    conflicts: list[ConflictEntry]


def conflicts(
    base: EvidenceBase, treatments: list[Treatment] | None = None, level: Level | None = None
) -> ConflictsReport:
    """The entries on these treatments (all if None) at this level (both if None), perhaps none."""
    wanted = {t.id for t in treatments} if treatments is not None else None
    return ConflictsReport(
        conflicts=[
            ConflictEntry(treatment_name=base.treatments[d.treatment].name, level=d.level, disagreement=d)
            for d in all_disagreements(base)
            if (wanted is None or d.treatment in wanted) and (level is None or d.level is level)
        ]
    )
