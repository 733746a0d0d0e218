"""The brief's content: one treatment, or every member of a group or topic, as a document model for a
patient to take to their clinician (`output/brief.py` writes it as markdown or HTML).

The brief re-presents what is already in the data and adds nothing. It opens with the summary of
findings, each treatment's bottom line as `summary.py` computes it; then the details of each
treatment (its summary, each source's claims with the kind of source, the disagreements found by the
conflict rule and the studies each side rests on, the figures the claims give, each marked where the
study record gives it otherwise); then the studies, numbered in order of first appearance.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import DATA_DATE, __version__
from ..evidence.base import EvidenceBase
from ..evidence.records import Claim, Figure, Source, Study, Treatment, format_figure
from ..evidence.vocab import Condition, Level, Stance
from .common import ClaimView
from .disagreements import COMPARABLE
from .names import Names
from .summary import BottomLine, Position, Question
from .treat import TreatmentEntry, treat


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
    # The study record's figure for the same quantity, where it differs from the source's ("0.5 g/kg"),
    # and the reference of that study.
    record: str | None
    record_ref: int | None
    note: str
    source: str
    claim: str
    how_given: bool  # a quantity of how the treatment is given (dose, length, interval, ...)


@dataclass(frozen=True)
class SpeakingSource:
    """A source that speaks about the brief's treatments, and the conditions its claims are about."""

    source: Source
    about_crps: bool
    conditions: list[str]  # the other conditions, for a source that is not about CRPS


@dataclass(frozen=True)
class TreatmentBrief:
    """One treatment: its bottom line (page one) and its details."""

    treatment: Treatment
    bottom_line: BottomLine
    # The questions some source takes a position on, each with those positions (page one lists them);
    # the others are only described.
    positions: list[tuple[Question, list[Position]]]
    sources: list[SourceSection]
    disagreements: list[Disagreement]
    figures: list[FigureRow]


@dataclass
class Brief:
    title: str
    # What the name was read as, when it means several treatments: ('group', 'ketamine'), ('topic', ...).
    collection: tuple[str, str] | None
    treatments: list[TreatmentBrief]
    speakers: list[SpeakingSource]
    references: list[Reference]
    numbers: dict[str, int]  # study id -> its reference number
    data_date: str = DATA_DATE
    version: str = __version__


def _collection(base: EvidenceBase, asked: str, treatments: list[Treatment], exact: bool) -> tuple[str, str] | None:
    """The group or topic the typed name means, when it means exactly these treatments."""
    reading = Names.of(base).read(asked, exact)
    if reading is None or len(reading.targets) != 1:
        return None
    [target] = reading.targets
    if target.kind == "treatment" or list(target.members) != [t.id for t in treatments]:
        return None
    return target.kind, target.label


def _title(collection: tuple[str, str] | None, treatments: list[Treatment]) -> str:
    if collection:
        label = collection[1]
        return label[:1].upper() + label[1:]
    names = [t.name for t in treatments]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _record_figure(base: EvidenceBase, claim: Claim, figure: Figure) -> tuple[Figure, str] | None:
    """The study record's own figure for what this claim's figure states, with that study's id."""
    for study_id in claim.studies:
        for d in base.studies[study_id].discrepancies:
            if d.source == claim.source and d.record_figure and d.record_figure.quantity == figure.quantity:
                return d.record_figure, study_id
    return None


def _positions(line: BottomLine) -> list[tuple[Question, list[Position]]]:
    """The positions the bottom line shows: every stance but neutral (a description takes no position)."""
    found = [(q, [p for p in q.positions if p.stance is not Stance.neutral]) for q in line.questions]
    return [(q, positions) for q, positions in found if positions]


def _details(
    base: EvidenceBase,
    entry: TreatmentEntry,
    positions: list[tuple[Question, list[Position]]],
    number: dict[str, int],
    labels: dict[str, str],
) -> TreatmentBrief:
    sections = []
    by_claim: dict[str, BriefClaim] = {}
    for group in entry.sources:
        claims = []
        for view in group.claims:
            refs = [number.setdefault(study.id, len(number) + 1) for study in view.studies]
            differing = [
                number[s.id]
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
    figures = []
    for section in sections:
        for c in section.claims:
            claim = c.view.claim
            for f in claim.figures:
                corrected = _record_figure(base, claim, f)
                figures.append(
                    FigureRow(
                        what=f.quantity.value.replace("_", " "),
                        figure=format_figure(f),
                        record=format_figure(corrected[0]) if corrected else None,
                        record_ref=number[corrected[1]] if corrected else None,
                        note=f.note or "",
                        source=labels.get(claim.source, claim.source),
                        claim=claim.id,
                        how_given=f.quantity in COMPARABLE,
                    )
                )
    # How the treatment is given first (doses, lengths, intervals), then the other numbers; each in data order.
    figures.sort(key=lambda row: not row.how_given)
    return TreatmentBrief(
        treatment=entry.treatment,
        bottom_line=entry.bottom_line,
        positions=positions,
        sources=sections,
        disagreements=disagreements,
        figures=figures,
    )


def _speakers(base: EvidenceBase, entries: list[TreatmentEntry]) -> list[SpeakingSource]:
    """Every source with a claim about these treatments, in source order, and whether it is about CRPS."""
    conditions: dict[str, dict[Condition, None]] = {}
    for entry in entries:
        for group in entry.sources:
            for view in group.claims:
                conditions.setdefault(group.source.id, {})[view.claim.condition] = None
    return [
        SpeakingSource(
            source=base.sources[source],
            about_crps=Condition.crps in found,
            conditions=[c.value.replace("_", " ") for c in found if c is not Condition.crps],
        )
        for source in base.sources
        if (found := conditions.get(source))
    ]


def build(base: EvidenceBase, treatments: list[Treatment], asked: str = "", exact: bool = False) -> Brief:
    """The brief's content, from the same report `crps treat` shows. `asked` is the name as typed: a
    group or topic name titles the brief."""
    entries = treat(base, treatments).treatments
    labels = {s.id: s.label for s in base.sources.values()}
    number: dict[str, int] = {}
    # Numbered in order of first appearance: the bottom lines (page one) name each position's best study
    # and each study a source describes differently; the details cite the rest.
    shown = [_positions(entry.bottom_line) for entry in entries]
    for entry, positions in zip(entries, shown, strict=True):
        for _, taken in positions:
            for position in taken:
                if position.studies:
                    number.setdefault(position.studies[0].id, len(number) + 1)
        for item in entry.bottom_line.described_differently:
            number.setdefault(item.study.id, len(number) + 1)
    details = [
        _details(base, entry, positions, number, labels) for entry, positions in zip(entries, shown, strict=True)
    ]
    references = []
    for study_id, n in number.items():
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
        references.append(Reference(number=n, study=study, cited_by=cited_by, differences=differences))
    collection = _collection(base, asked, treatments, exact) if len(treatments) > 1 else None
    return Brief(
        title=_title(collection, treatments),
        collection=collection,
        treatments=details,
        speakers=_speakers(base, entries),
        references=references,
        numbers=number,
    )
