"""The brief's content: one treatment's claims, disagreements, figures and references, as a document
model for a patient to take to their clinician (`output/brief.py` writes it as markdown or HTML).

The brief re-presents what is already in the data and adds nothing: the treatment's summary,
each source's claims (with the kind of source), the disagreements found by the conflict rule and
the studies each side rests on, the figures the claims give, and the studies, numbered in order
of first appearance.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import DATA_DATE, __version__
from ..evidence.base import EvidenceBase
from ..evidence.records import Source, Study, Treatment, format_figure
from ..evidence.vocab import Condition, Level
from .common import ClaimView, NotFound
from .disagreements import COMPARABLE
from .treat import treat


class SeveralTreatments(NotFound):
    def __init__(self, name: str, treatments: list[Treatment]) -> None:
        listed = ", ".join(t.id for t in treatments)
        super().__init__(
            f"'{name}' means {len(treatments)} treatments ({listed}); a brief covers one: name one of them"
        )


# --- the document ------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    number: int
    study: Study
    cited_by: list[str]
    # Where a source describes the study differently from the record: "who (kind): note".
    differences: list[str]


@dataclass(frozen=True)
class BriefClaim:
    view: ClaimView
    refs: list[int]
    # The references among `refs` that this claim's source describes differently from the record.
    differing: list[int]

    @property
    def note(self) -> str:
        """What a reader must know beside the text: a reader comment, another condition."""
        claim = self.view.claim
        notes = []
        if claim.speaker.value != "author":
            notes.append("a reader comment, not the author")
        if claim.condition != Condition.crps:
            notes.append(f"about {claim.condition.value.replace('_', ' ')}, not CRPS")
        return "; ".join(notes)


@dataclass(frozen=True)
class SourceSection:
    source: Source
    claims: list[BriefClaim]


@dataclass(frozen=True)
class Side:
    source: str
    claim: BriefClaim


@dataclass(frozen=True)
class Disagreement:
    level: Level
    explanation: str
    aspect: str
    sides: list[Side]


@dataclass(frozen=True)
class FigureRow:
    what: str
    figure: str
    note: str
    source: str
    claim: str
    how_given: bool  # a quantity of how the treatment is given (dose, length, interval, ...)


@dataclass
class Brief:
    treatment: Treatment
    sources: list[SourceSection]
    disagreements: list[Disagreement]
    figures: list[FigureRow]
    references: list[Reference]
    data_date: str = DATA_DATE
    version: str = __version__


def one_treatment(name: str, found: list[Treatment]) -> Treatment:
    """The one treatment a name means; a group name (several treatments) is refused."""
    if len(found) > 1:
        raise SeveralTreatments(name, found)
    return found[0]


def build(base: EvidenceBase, treatment: Treatment) -> Brief:
    """The brief's content, from the same report `crps treat` shows."""
    [entry] = treat(base, [treatment]).treatments
    labels = {s.id: s.label for s in base.sources.values()}
    numbers: dict[str, int] = {}
    sections = []
    by_claim: dict[str, BriefClaim] = {}
    for group in entry.sources:
        claims = []
        for view in group.claims:
            refs = [numbers.setdefault(study.id, len(numbers) + 1) for study in view.studies]
            differing = [
                numbers[s.id]
                for s in view.studies
                if any(d.source == view.claim.source for d in base.studies[s.id].discrepancies)
            ]
            brief_claim = BriefClaim(view=view, refs=refs, differing=differing)
            by_claim[view.claim.id] = brief_claim
            claims.append(brief_claim)
        sections.append(SourceSection(source=group.source, claims=claims))
    disagreements = [
        Disagreement(
            level=d.level,
            explanation=d.explanation,
            aspect=d.aspect.value,
            sides=[Side(source=labels.get(by_claim[i].view.claim.source, ""), claim=by_claim[i]) for i in d.claims],
        )
        for d in entry.disagreements
    ]
    figures = [
        FigureRow(
            what=f.quantity.value.replace("_", " "),
            figure=format_figure(f),
            note=f.note or "",
            source=labels.get(c.view.claim.source, c.view.claim.source),
            claim=c.view.claim.id,
            how_given=f.quantity in COMPARABLE,
        )
        for section in sections
        for c in section.claims
        for f in c.view.claim.figures
    ]
    # How the treatment is given first (doses, lengths, intervals), then the other numbers; each in data order.
    figures.sort(key=lambda row: not row.how_given)
    references = []
    for study_id, number in numbers.items():
        study = base.studies[study_id]
        cited_by = [
            f"{labels.get(c.source, c.source)} as "
            + (f"reference {c.ref}" if c.ref.isdigit() else f"“{c.ref}”")
            + f" ({c.locator})"
            for c in study.citations
        ]
        differences = [
            f"{labels.get(d.source, d.source)} ({d.kind.value.replace('_', ' ')}): {d.note}"
            for d in study.discrepancies
        ]
        references.append(Reference(number=number, study=study, cited_by=cited_by, differences=differences))
    return Brief(
        treatment=treatment,
        sources=sections,
        disagreements=disagreements,
        figures=figures,
        references=references,
    )
