"""`crps conflicts`: every conflict and tension in the data (the rule itself is in disagreements.py)."""

from __future__ import annotations

from ..evidence.base import EvidenceBase
from ..evidence.records import Claim, Treatment
from ..evidence.vocab import Level
from .common import NotFound, Report, Row, all_disagreements, report_class
from .disagreements import Disagreement, Side


@report_class
class ConflictEntry:
    treatment_name: str
    level: Level
    disagreement: Disagreement


@report_class
class ConflictsReport(Report):
    level: Level | None  # the --level filter, None for both
    conflicts: list[ConflictEntry]
    # Every claim the entries name, once each in data order (entries name them by id).
    claims: list[Claim]

    def rows(self) -> list[Row]:
        def side(prefix: str, found: Side | None) -> Row:
            return {
                f"{prefix}_source": found.source if found else None,
                f"{prefix}_stance": found.stance.value if found and found.stance else None,
                f"{prefix}_claims": " ".join(found.claims) if found else None,
            }

        return [
            {
                "level": e.level.value,
                "treatment": e.disagreement.treatment,
                "name": e.treatment_name,
                "aspect": e.disagreement.aspect.value,
                "outcome": e.disagreement.outcome.value,
                "basis": e.disagreement.basis.value,
                **side("first", e.disagreement.first),
                **side("second", e.disagreement.second),
                "explanation": e.disagreement.explanation,
            }
            for e in self.conflicts
        ]


class NoDisagreement(NotFound):
    pass


def conflicts(
    base: EvidenceBase, treatments: list[Treatment] | None = None, level: Level | None = None
) -> ConflictsReport:
    """The entries on these treatments (all if None) at this level (both if None); none is NotFound."""
    wanted = {t.id for t in treatments} if treatments else None
    entries = [
        ConflictEntry(treatment_name=base.treatments[d.treatment].name, level=d.level, disagreement=d)
        for d in all_disagreements(base)
        if (wanted is None or d.treatment in wanted) and (level is None or d.level is level)
    ]
    if not entries:
        what = {None: "no conflict or tension", Level.conflict: "no conflict", Level.tension: "no tension"}[level]
        where = f" on {', '.join(t.name for t in treatments)}" if treatments else " in the data"
        raise NoDisagreement(what + where)
    named = {c for e in entries for c in e.disagreement.claims}
    return ConflictsReport(level=level, conflicts=entries, claims=[c for c in base.claims.values() if c.id in named])
