"""The bottom line of a treatment: a summary of findings, computed from the claims, never written.

For one treatment: which sources speak about it (and what kind each is); each source's position
on each question it answers, with the studies behind that position, best design first; every
disagreement the conflict rule finds, with its level; and where a source describes a study it
cites differently from the study record. Nothing here grades a treatment: a position is the
source's own overall stance on the question, by the same rule as the matrix (`overall_stance`).
"""

from __future__ import annotations

from ..evidence.base import EvidenceBase
from ..evidence.records import Claim, Study, Treatment
from ..evidence.vocab import Aspect, Condition, Outcome, Stance, StudyDesign
from .common import StudyRef, report_class, study_ref
from .disagreements import Disagreement
from .matrix import overall_stance

# Study designs, strongest evidence first (the order the bottom line names a position's studies in).
DESIGN_ORDER = [
    StudyDesign.systematic_review,
    StudyDesign.guideline,
    StudyDesign.rct,
    StudyDesign.crossover_rct,
    StudyDesign.pilot,
    StudyDesign.observational,
    StudyDesign.retrospective_review,
    StudyDesign.case_series,
    StudyDesign.case_report,
    StudyDesign.autopsy_study,
    StudyDesign.animal_study,
    StudyDesign.narrative_review,
    StudyDesign.editorial,
    StudyDesign.letter,
    StudyDesign.unknown,
]
_RANK = {design: n for n, design in enumerate(DESIGN_ORDER)}


@report_class
class Speaking:
    """A source that speaks about the treatment: about CRPS, or only about another condition."""

    source: str
    label: str
    kind: str
    claims: int
    about_crps: bool


@report_class
class Qualifier:
    stance: Stance
    studies: list[StudyRef]


@report_class
class Position:
    """One source's overall stance on one question, and the studies its claims there rest on."""

    source: str
    label: str
    stance: Stance
    # The source's other stances on the question, which qualify its position (a caution beside support).
    qualified_by: list[Stance]
    claims: list[str]
    studies: list[StudyRef]  # cited by the claims that take the position itself, best first
    # Each stance in qualified_by with the studies its claims cite, best first: a study is never
    # shown behind a stance it does not back (a mixed position of supports and opposes is all qualifiers).
    qualifiers: list[Qualifier]


@report_class
class Question:
    aspect: Aspect
    outcome: Outcome | None
    positions: list[Position]


@report_class
class DescribedDifferently:
    study: StudyRef
    source: str
    label: str
    kind: str
    note: str


@report_class
class BottomLine:
    treatment: str
    sources: list[Speaking]
    questions: list[Question]
    disagreements: list[Disagreement]
    described_differently: list[DescribedDifferently]


def best_first(studies: list[Study]) -> list[Study]:
    """Strongest design first, then the larger study, then the data order."""
    order = {s.id: n for n, s in enumerate(studies)}
    return sorted(studies, key=lambda s: (_RANK.get(s.design, len(_RANK)), -(s.sample_size or 0), order[s.id]))


def _refs(base: EvidenceBase, claims: list[Claim], source: str) -> list[StudyRef]:
    """The studies the claims cite, best first, as the source cites them."""
    cited = best_first([base.studies[s] for s in dict.fromkeys(s for c in claims for s in c.studies)])
    return [study_ref(s, source) for s in cited]


def bottom_line(
    base: EvidenceBase, treatment: Treatment, claims: list[Claim], disagreements: list[Disagreement]
) -> BottomLine:
    """The summary of findings for one treatment, from its claims (in source order) and their disagreements."""
    labels = {s.id: s.label for s in base.sources.values()}
    speaking: dict[str, list[Claim]] = {}
    for claim in claims:
        speaking.setdefault(claim.source, []).append(claim)
    sources = [
        Speaking(
            source=source,
            label=labels[source],
            kind=base.sources[source].kind.value,
            claims=len(mine),
            about_crps=any(c.condition == Condition.crps for c in mine),
        )
        for source, mine in speaking.items()
    ]
    questions: dict[tuple[Aspect, Outcome | None], dict[str, list[Claim]]] = {}
    for claim in claims:
        if claim.condition == Condition.crps:
            questions.setdefault((claim.aspect, claim.outcome), {}).setdefault(claim.source, []).append(claim)
    aspects, outcomes = list(Aspect), list(Outcome)
    ordered = sorted(questions, key=lambda q: (aspects.index(q[0]), outcomes.index(q[1]) if q[1] else -1))
    found = []
    for aspect, outcome in ordered:
        positions = []
        for source, mine in questions[(aspect, outcome)].items():
            stance = overall_stance(c.stance for c in mine) or Stance.neutral
            others = [
                s for s in Stance if s is not stance and s is not Stance.neutral and any(c.stance is s for c in mine)
            ]
            positions.append(
                Position(
                    source=source,
                    label=labels[source],
                    stance=stance,
                    qualified_by=others,
                    claims=[c.id for c in mine],
                    studies=_refs(base, [c for c in mine if c.stance is stance], source),
                    qualifiers=[
                        Qualifier(stance=other, studies=_refs(base, [c for c in mine if c.stance is other], source))
                        for other in others
                    ],
                )
            )
        found.append(Question(aspect=aspect, outcome=outcome, positions=positions))
    cited_here = dict.fromkeys((s, c.source) for c in claims for s in c.studies)  # in claim order
    differently = [
        DescribedDifferently(
            study=study_ref(base.studies[study_id], d.source),
            source=d.source,
            label=labels.get(d.source, d.source),
            kind=d.kind.value,
            note=d.note,
        )
        for study_id in dict.fromkeys(s for s, _ in cited_here)
        for d in base.studies[study_id].discrepancies
        if (study_id, d.source) in cited_here
    ]
    return BottomLine(
        treatment=treatment.id,
        sources=sources,
        questions=found,
        disagreements=disagreements,
        described_differently=differently,
    )
