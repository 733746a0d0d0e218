"""`crps compare`: the sources side by side for one treatment, or treatments side by side."""

from __future__ import annotations

from ..evidence.base import EvidenceBase
from ..evidence.records import Treatment
from ..evidence.vocab import Aspect, Condition
from .common import CLAIM_ROW, ClaimView, Column, Report, Row, claim_views, claims_of, disagreements_among, report_class
from .disagreements import Disagreement
from .summary import BottomLine, bottom_line


@report_class
class CompareRow:
    aspect: Aspect
    cells: dict[str, list[ClaimView]]


@report_class
class CompareReport(Report):
    treatments: list[Treatment]
    by: str
    columns: list[Column]
    grid: list[CompareRow]
    context: list[ClaimView]
    disagreements: list[Disagreement]
    # The summary of findings of each treatment compared, shown above the grid.
    bottom_lines: list[BottomLine]

    def rows(self) -> list[Row]:
        grid = [
            view.row(column=column, aspect_row=row.aspect.value)
            for row in self.grid
            for column, views in row.cells.items()
            for view in views
        ]
        return grid + [view.row(column="context", aspect_row=view.claim.aspect.value) for view in self.context]

    def header(self) -> list[str]:
        return ["column", "aspect_row", *CLAIM_ROW]


def compare(base: EvidenceBase, treatments: list[Treatment]) -> CompareReport:
    """Sources side by side for one treatment; treatments side by side for several."""
    ids = [t.id for t in treatments]
    claims = claims_of(base, ids)
    disagreements = disagreements_among(base, claims)
    views = claim_views(base, claims, disagreements)
    subject = [v for v in views if v.claim.condition == Condition.crps]
    context = [v for v in views if v.claim.condition != Condition.crps]
    by_sources = len(treatments) == 1
    if by_sources:
        columns = [
            Column(id=s.id, label=s.label, kind=s.kind.value)
            for s in base.sources.values()
            if any(v.claim.source == s.id for v in subject)
        ]
    else:
        columns = [Column(id=t.id, label=t.name, kind=t.category.value) for t in treatments]
    rows = []
    for aspect in Aspect:
        cells: dict[str, list[ClaimView]] = {c.id: [] for c in columns}
        for view in subject:
            if view.claim.aspect == aspect:
                cells[view.claim.source if by_sources else view.claim.treatment].append(view)
        if any(cells.values()):
            rows.append(CompareRow(aspect=aspect, cells=cells))
    return CompareReport(
        treatments=treatments,
        by="source" if by_sources else "treatment",
        columns=columns,
        grid=rows,
        context=context,
        disagreements=disagreements,
        bottom_lines=[
            bottom_line(
                base, t, [c for c in claims if c.treatment == t.id], [d for d in disagreements if d.treatment == t.id]
            )
            for t in treatments
        ],
    )
