"""The one rule that decides when two claims disagree.

Two claims conflict when they are about the same treatment, aspect and condition, and
either their stances oppose (one supports, the other opposes) or they give different
figures for the same protocol quantity (dose, infusion length, booster interval, ...) in the
same unit. Descriptive numbers (sample sizes, percentages, scores) describe different
things from claim to claim, so they never conflict. Only claims about CRPS can conflict: a
claim about another condition (004 on back pain) is context, never a conflict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations

from ..evidence.records import Claim, Figure, format_figure
from ..evidence.vocab import Aspect, Condition, Quantity, Stance

SUBJECT = Condition.crps
OPPOSED = {frozenset({Stance.supports, Stance.opposes})}
# Quantities that mean the same thing wherever they appear: how a treatment is given.
COMPARABLE = {
    Quantity.dose,
    Quantity.daily_dose,
    Quantity.infusion_length,
    Quantity.session_length,
    Quantity.booster_interval,
    Quantity.booster_length,
    Quantity.course_length,
    Quantity.start_before_surgery,
    Quantity.continue_after_surgery,
    Quantity.frequency,
}


class ConflictKind(StrEnum):
    stance = "stance"
    figure = "figure"


@dataclass(frozen=True, slots=True, kw_only=True)
class Conflict:
    treatment: str
    aspect: Aspect
    kind: ConflictKind
    first: str
    second: str
    explanation: str


def _figure_differences(first: Claim, second: Claim) -> list[tuple[Figure, Figure]]:
    theirs = {(f.quantity, f.unit): f for f in second.figures if f.quantity in COMPARABLE}
    return [
        (mine, theirs[(mine.quantity, mine.unit)])
        for mine in first.figures
        if (mine.quantity, mine.unit) in theirs
        and (mine.min, mine.max) != (theirs[(mine.quantity, mine.unit)].min, theirs[(mine.quantity, mine.unit)].max)
    ]


def claim_conflicts(first: Claim, second: Claim, sources: dict[str, str]) -> list[Conflict]:
    """Every way two claims disagree, each explained in words; [] when they do not."""
    if (
        first.treatment != second.treatment
        or first.aspect != second.aspect
        or first.condition != SUBJECT
        or second.condition != SUBJECT
    ):
        return []
    name_a, name_b = sources.get(first.source, first.source), sources.get(second.source, second.source)
    found: list[Conflict] = []
    if frozenset({first.stance, second.stance}) in OPPOSED:
        found.append(
            Conflict(
                treatment=first.treatment,
                aspect=first.aspect,
                kind=ConflictKind.stance,
                first=first.id,
                second=second.id,
                explanation=(
                    f"{name_a} {first.stance.value} it ({first.id}) while "
                    f"{name_b} {second.stance.value} it ({second.id}) on {first.aspect.value}"
                ),
            )
        )
    for mine, theirs in _figure_differences(first, second):
        found.append(
            Conflict(
                treatment=first.treatment,
                aspect=first.aspect,
                kind=ConflictKind.figure,
                first=first.id,
                second=second.id,
                explanation=(
                    f"{mine.quantity.value.replace('_', ' ')}: {name_a} gives {format_figure(mine)} "
                    f"({first.id}), {name_b} gives {format_figure(theirs)} ({second.id})"
                ),
            )
        )
    return found


def find_conflicts(claims: Iterable[Claim], sources: dict[str, str]) -> list[Conflict]:
    """All conflicts among the claims, in data order."""
    by_key: dict[tuple[str, Aspect], list[Claim]] = {}
    for claim in claims:
        if claim.condition == SUBJECT:
            by_key.setdefault((claim.treatment, claim.aspect), []).append(claim)
    return [
        conflict
        for group in by_key.values()
        for first, second in combinations(group, 2)
        for conflict in claim_conflicts(first, second, sources)
    ]
