"""What every answer shares: the report base, the not-found errors, and the view of a claim with its
source and studies.

Reports are plain dataclasses: JSON and YAML output are their fields (the output layer dumps
them), and each has a ``rows()`` method giving one flat record per line for CSV, TSV and markdown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from ..evidence.base import EvidenceBase, name_key
from ..evidence.records import Claim, Discrepancy, Source, Study, design_and_size, format_figure, work_name
from ..evidence.vocab import Level
from .disagreements import Disagreement, find_disagreements, levels_by_claim

Row = dict[str, str | int | bool | None]


class NotFound(Exception):
    """Base for a name or reference that found nothing usable (exit 1)."""


class UnknownReference(NotFound):
    pass


report_class = dataclass(kw_only=True, eq=False, repr=False)  # each generated method costs start-up time


@report_class
class Report:
    """A command's answer. A report of records (list, sources, search, conflicts) names the field
    holding them in `records_field` and sets `listing`: its JSON is then a top-level array of those
    records, and its CSV, TSV, markdown and ndjson one line per record, with the records' own field
    names. Other reports are JSON objects with named lists, and give their CSV rows by `rows()`."""

    records_field: ClassVar[str | None] = None
    listing: ClassVar[bool] = False

    def records(self) -> list[Any]:
        return list(getattr(self, self.records_field)) if self.records_field else []

    def rows(self) -> list[Row]:
        raise NotImplementedError

    def header(self) -> list[str]:
        """The CSV columns when `rows()` has none, so that the header is written all the same."""
        return []

    def cited_studies(self) -> list[Study]:
        """The studies the citation formats export; only reports that list studies have them."""
        raise NotImplementedError(f"{type(self).__name__} has no studies to cite")


@report_class
class StudyRef:
    """A study as one claim cites it: the document's own label and the study's basics."""

    id: str
    ref: str | None
    first_author: str | None
    year: int | None
    design: str
    sample_size: int | None

    @property
    def named(self) -> bool:
        return bool(self.first_author or self.year)

    def who(self) -> str:
        """ "Sigtermans 2009", "unnamed editorial" (`work_name`)."""
        return work_name(self.first_author, self.year, self.ref, self.design)

    def label(self, design: bool = True, ref: bool = True) -> str:
        """ "[2] Sigtermans 2009 (rct, n=60)"; without the design, "[2] Sigtermans 2009"; without
        the document's reference number (where crps numbers references itself), "Sigtermans 2009
        (rct, n=60)"; an unnamed work is "[142] unnamed editorial"."""
        number = f"[{self.ref}] " if ref and self.ref and self.ref.isdigit() else ""
        if design and self.named:
            return f"{number}{self.who()} ({design_and_size(self.design, self.sample_size)})"
        return f"{number}{self.who()}"


@report_class
class ClaimView:
    claim: Claim
    source_name: str
    source_kind: str
    studies: list[StudyRef]
    # The claims on the other side of an entry this claim is on, and the strongest level of those entries.
    conflicts_with: list[str]
    disagreement: Level | None
    discrepancies: list[Discrepancy]

    def row(self, **extra: Any) -> Row:
        claim = self.claim
        values = (
            claim.id,
            claim.treatment,
            claim.source,
            self.source_kind,
            claim.locator,
            claim.aspect.value,
            claim.stance.value,
            claim.condition.value,
            claim.speaker.value,
            claim.text,
            claim.quote,
            "; ".join(f"{f.quantity.value}={format_figure(f)}" for f in claim.figures),
            "; ".join(s.label() for s in self.studies),
            "; ".join(self.conflicts_with),
            self.disagreement.value if self.disagreement else None,
            bool(self.discrepancies),
        )
        return {**extra, **dict(zip(CLAIM_ROW, values, strict=True))}


# The CSV columns of a claim in `treat` and `compare`, after the columns each adds.
CLAIM_ROW = (
    "claim",
    "treatment",
    "source",
    "source_kind",
    "locator",
    "aspect",
    "stance",
    "condition",
    "speaker",
    "text",
    "quote",
    "figures",
    "studies",
    "conflicts_with",
    "disagreement",
    "study_described_differently",
)


def study_ref(study: Study, source: str) -> StudyRef:
    ref = next((c.ref for c in study.citations if c.source == source), None)
    return StudyRef(
        id=study.id,
        ref=ref,
        first_author=study.first_author,
        year=study.year,
        design=study.design.value,
        sample_size=study.sample_size,
    )


def claim_views(base: EvidenceBase, claims: list[Claim], disagreements: list[Disagreement]) -> list[ClaimView]:
    partners: dict[str, list[str]] = {}
    for d in disagreements:
        other = d.second.claims if d.second else []
        for claim in d.first.claims:
            partners.setdefault(claim, []).extend(other)
        for claim in other:
            partners.setdefault(claim, []).extend(d.first.claims)
    levels = levels_by_claim(disagreements)
    views = []
    for claim in claims:
        source = base.sources[claim.source]
        studies = [base.studies[s] for s in claim.studies]
        views.append(
            ClaimView(
                claim=claim,
                source_name=source.label,
                source_kind=source.kind.value,
                studies=[study_ref(s, claim.source) for s in studies],
                conflicts_with=[c for c in dict.fromkeys(partners.get(claim.id, [])) if c != claim.id],
                disagreement=levels.get(claim.id),
                discrepancies=[d for s in studies for d in s.discrepancies if d.source == claim.source],
            )
        )
    return views


def claims_of(base: EvidenceBase, treatment_ids: Iterable[str]) -> list[Claim]:
    """The claims about these treatments, grouped by source in source order, then data order."""
    order = {source_id: n for n, source_id in enumerate(base.sources)}
    return sorted(base.claims_of(treatment_ids), key=lambda c: order.get(c.source, len(order)))


def disagreements_among(base: EvidenceBase, claims: Iterable[Claim]) -> list[Disagreement]:
    claims = list(claims)
    return find_disagreements(claims, base.sources, base.studies_cited(claims))


def all_disagreements(base: EvidenceBase) -> list[Disagreement]:
    return disagreements_among(base, base.claims.values())


@report_class
class Column:
    id: str
    label: str
    kind: str


def source_by_label(base: EvidenceBase, label: str) -> Source | None:
    key = name_key(label)
    for source in base.sources.values():
        if key in (name_key(source.id), name_key(source.number), source.number.lstrip("0") or "0"):
            return source
    return None
