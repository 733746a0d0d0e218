"""`crps matrix`: treatments by sources, each cell a source's overall stance."""

from __future__ import annotations

from collections.abc import Iterable

from ..evidence.base import EvidenceBase
from ..evidence.vocab import Aspect, Category, Condition, Level, Stance
from .common import Column, Report, Row, disagreements_among, report_class
from .disagreements import levels_by_treatment

STANCES = tuple(Stance)  # iterating the Enum class itself costs a generator step per member


def overall_stance(stances: Iterable[Stance]) -> Stance | None:
    """A source's overall stance on a treatment, from the stances of its claims about CRPS.

    1. No claim: None (a blank cell).
    2. Both supports and opposes: mixed (the source argues both ways).
    3. Otherwise supports or opposes, whichever is present: a source that takes a side keeps it;
       its caution, mixed and neutral claims qualify that side rather than reverse it.
    4. No claim takes a side: mixed if any claim is mixed, else caution if any is, else neutral.
    """
    present = set(stances)
    if not present:
        return None
    if {Stance.supports, Stance.opposes} <= present:
        return Stance.mixed
    for stance in (Stance.supports, Stance.opposes, Stance.mixed, Stance.caution):
        if stance in present:
            return stance
    return Stance.neutral


@report_class
class MatrixCell:
    """One source on one treatment: its overall stance and the claims per stance behind it."""

    stance: Stance
    claims: dict[str, int]


@report_class
class MatrixRow:
    id: str
    name: str
    category: Category
    conflicted: bool  # the sources conflict on it (not only a tension)
    level: Level | None  # the strongest disagreement on it
    cells: dict[str, MatrixCell | None]


@report_class
class MatrixReport(Report):
    category: Category | None
    conflicted_only: bool
    aspect: Aspect | None
    columns: list[Column]
    treatments: list[MatrixRow]
    # Sources with no claim about CRPS on these rows, so no column (004, about back pain, usually).
    left_out: list[Column]

    def rows(self) -> list[Row]:
        return [
            {
                "id": row.id,
                "name": row.name,
                "category": row.category.value,
                **{
                    column.id: (cell.stance.value if (cell := row.cells[column.id]) else None)
                    for column in self.columns
                },
                "conflicted": row.conflicted,
                "level": row.level.value if row.level else None,
            }
            for row in self.treatments
        ]

    def header(self) -> list[str]:
        return ["id", "name", "category", *(c.id for c in self.columns), "conflicted", "level"]


def matrix(
    base: EvidenceBase,
    category: Category | None = None,
    conflicted: bool = False,
    aspect: Aspect | None = None,
) -> MatrixReport:
    """Treatments by sources, each cell the source's `overall_stance` over its CRPS claims on the
    treatment (only those on `aspect`, if given). Rows are the treatments some source makes such a
    claim about, in data order; columns the sources with a cell in those rows. A row is conflicted
    when the rule of `disagreements.py` finds a conflict on it (on `aspect`, if given), and its level
    is the strongest disagreement found there, conflict or tension."""
    claims = [
        c for c in base.claims.values() if c.condition == Condition.crps and (aspect is None or c.aspect == aspect)
    ]
    levels = levels_by_treatment(disagreements_among(base, claims))
    stances: dict[str, dict[str, list[Stance]]] = {}
    for claim in claims:
        stances.setdefault(claim.treatment, {}).setdefault(claim.source, []).append(claim.stance)
    chosen = [
        t
        for t in base.treatments.values()
        if t.id in stances
        and (category is None or t.category == category)
        and (not conflicted or levels.get(t.id) is Level.conflict)
    ]
    used = {source for t in chosen for source in stances[t.id]}
    every = [Column(id=s.id, label=s.label, kind=s.kind.value) for s in base.sources.values()]
    columns = [c for c in every if c.id in used]
    rows = []
    for treatment in chosen:
        cells: dict[str, MatrixCell | None] = dict.fromkeys(c.id for c in columns)  # blank, in column order
        for source, found in stances[treatment.id].items():
            stance = overall_stance(found)
            cells[source] = MatrixCell(stance=stance, claims={s.value: found.count(s) for s in STANCES if s in found})
        rows.append(
            MatrixRow(
                id=treatment.id,
                name=treatment.name,
                category=treatment.category,
                conflicted=levels.get(treatment.id) is Level.conflict,
                level=levels.get(treatment.id),
                cells=cells,
            )
        )
    return MatrixReport(
        category=category,
        conflicted_only=conflicted,
        aspect=aspect,
        columns=columns,
        treatments=rows,
        left_out=[c for c in every if c.id not in used],
    )
