"""Pure functions over the evidence base: each command's question, answered as a report.

Reports are frozen dataclasses: JSON and YAML output are their fields, dumped by
`formats.py`, and each has a ``rows()`` method giving one flat record per line for CSV, TSV
and markdown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from .conflicts import Conflict, find_conflicts, format_figure
from .evidence import EvidenceBase, name_key
from .models import Aspect, Category, Claim, Condition, Discrepancy, Source, Stance, Study, Treatment

Row = dict[str, str | int | bool | None]


class NotFound(Exception):
    """Base for a name or reference that found nothing usable (exit 1)."""


class UnknownName(NotFound):
    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no treatment matches '{name}'{hint}")
        self.suggestions = suggestions


class AmbiguousName(NotFound):
    def __init__(self, name: str, candidates: list[Treatment]) -> None:
        listed = ", ".join(f"{t.id} ({t.name})" for t in candidates)
        super().__init__(f"'{name}' matches several treatments: {listed}")
        self.candidates = candidates


class UnknownReference(NotFound):
    pass


view = dataclass(kw_only=True, eq=False, repr=False)  # each generated method costs start-up time


@view
class Report:
    def rows(self) -> list[Row]:
        raise NotImplementedError

    def cited_studies(self) -> list[Study]:
        """The studies the citation formats export; only reports that list studies have them."""
        raise NotImplementedError(f"{type(self).__name__} has no studies to cite")


# --- names -------------------------------------------------------------------------


def _resolve(base: EvidenceBase, index: dict[str, list[str]], name: str) -> list[Treatment]:
    """The treatments a name means: one, or a whole group; raise when unknown or ambiguous."""
    key = name_key(name)
    if key and key in index:
        return [base.treatments[i] for i in index[key]]
    order = {treatment_id: n for n, treatment_id in enumerate(base.treatments)}
    partial = sorted({i for k, ids in index.items() if key and key in k for i in ids}, key=order.__getitem__)
    if len(partial) == 1:
        return [base.treatments[partial[0]]]
    if partial:
        raise AmbiguousName(name, [base.treatments[i] for i in partial])
    import difflib

    close = difflib.get_close_matches(key, list(index), n=8, cutoff=0.6)
    suggestions = list(dict.fromkeys(i for k in close for i in index[k]))[:4]
    raise UnknownName(name, suggestions)


def resolve_all(base: EvidenceBase, names: Iterable[str]) -> list[Treatment]:
    """Every treatment the names mean, in the order named, each once."""
    index = base.name_index()
    found: dict[str, Treatment] = {}
    for name in names:
        for treatment in _resolve(base, index, name):
            found.setdefault(treatment.id, treatment)
    return list(found.values())


# --- shared views ------------------------------------------------------------------


@view
class StudyRef:
    """A study as one claim cites it: the document's own label and the study's basics."""

    id: str
    ref: str | None
    first_author: str | None
    year: int | None
    design: str
    sample_size: int | None

    def label(self) -> str:
        who = " ".join(str(p) for p in (self.first_author, self.year) if p) or self.id
        ref = f"[{self.ref}] " if self.ref and self.ref.isdigit() else ""
        size = f", n={self.sample_size}" if self.sample_size else ""
        return f"{ref}{who} ({self.design.replace('_', ' ')}{size})"


@view
class ClaimView:
    claim: Claim
    source_name: str
    source_kind: str
    studies: list[StudyRef]
    conflicts_with: list[str]
    discrepancies: list[Discrepancy]

    def row(self, **extra: Any) -> Row:
        claim = self.claim
        return {
            **extra,
            "claim": claim.id,
            "treatment": claim.treatment,
            "source": claim.source,
            "source_kind": self.source_kind,
            "locator": claim.locator,
            "aspect": claim.aspect.value,
            "stance": claim.stance.value,
            "condition": claim.condition.value,
            "speaker": claim.speaker.value,
            "text": claim.text,
            "quote": claim.quote,
            "figures": "; ".join(f"{f.quantity.value}={format_figure(f)}" for f in claim.figures),
            "studies": "; ".join(s.label() for s in self.studies),
            "conflicts_with": " ".join(self.conflicts_with),
            "study_described_differently": bool(self.discrepancies),
        }


def _study_ref(study: Study, source: str) -> StudyRef:
    ref = next((c.ref for c in study.citations if c.source == source), None)
    return StudyRef(
        id=study.id,
        ref=ref,
        first_author=study.first_author,
        year=study.year,
        design=study.design.value,
        sample_size=study.sample_size,
    )


def source_names(base: EvidenceBase) -> dict[str, str]:
    return {s.id: s.label for s in base.sources.values()}


def claim_views(base: EvidenceBase, claims: list[Claim], conflicts: list[Conflict]) -> list[ClaimView]:
    partners: dict[str, list[str]] = {}
    for conflict in conflicts:
        partners.setdefault(conflict.first, []).append(conflict.second)
        partners.setdefault(conflict.second, []).append(conflict.first)
    views = []
    for claim in claims:
        source = base.sources[claim.source]
        studies = [base.studies[s] for s in claim.studies]
        views.append(
            ClaimView(
                claim=claim,
                source_name=source.label,
                source_kind=source.kind.value,
                studies=[_study_ref(s, claim.source) for s in studies],
                conflicts_with=list(dict.fromkeys(partners.get(claim.id, []))),
                discrepancies=[d for s in studies for d in s.discrepancies if d.source == claim.source],
            )
        )
    return views


def claims_of(base: EvidenceBase, treatment_ids: Iterable[str]) -> list[Claim]:
    """The claims about these treatments, grouped by source in source order, then data order."""
    order = {source_id: n for n, source_id in enumerate(base.sources)}
    return sorted(base.claims_of(treatment_ids), key=lambda c: order.get(c.source, len(order)))


def all_conflicts(base: EvidenceBase) -> list[Conflict]:
    return find_conflicts(base.claims.values(), source_names(base))


# --- treat -------------------------------------------------------------------------


@view
class SourceClaims:
    source: Source
    claims: list[ClaimView]


@view
class TreatmentEntry:
    treatment: Treatment
    sources: list[SourceClaims]
    conflicts: list[Conflict]


@view
class TreatReport(Report):
    treatments: list[TreatmentEntry]

    def rows(self) -> list[Row]:
        return [
            view.row(name=entry.treatment.name)
            for entry in self.treatments
            for group in entry.sources
            for view in group.claims
        ]


def treat(base: EvidenceBase, treatments: list[Treatment]) -> TreatReport:
    entries = []
    names = source_names(base)
    for treatment in treatments:
        claims = claims_of(base, [treatment.id])
        conflicts = find_conflicts(claims, names)
        views = claim_views(base, claims, conflicts)
        grouped: dict[str, list[ClaimView]] = {}
        for view in views:
            grouped.setdefault(view.claim.source, []).append(view)
        entries.append(
            TreatmentEntry(
                treatment=treatment,
                sources=[SourceClaims(source=base.sources[s], claims=v) for s, v in grouped.items()],
                conflicts=conflicts,
            )
        )
    return TreatReport(treatments=entries)


# --- compare -----------------------------------------------------------------------


@view
class Column:
    id: str
    label: str
    kind: str


@view
class CompareRow:
    aspect: Aspect
    cells: dict[str, list[ClaimView]]


@view
class CompareReport(Report):
    treatments: list[Treatment]
    by: str
    columns: list[Column]
    grid: list[CompareRow]
    context: list[ClaimView]
    conflicts: list[Conflict]

    def rows(self) -> list[Row]:
        grid = [
            view.row(column=column, aspect_row=row.aspect.value)
            for row in self.grid
            for column, views in row.cells.items()
            for view in views
        ]
        return grid + [view.row(column="context", aspect_row=view.claim.aspect.value) for view in self.context]


def compare(base: EvidenceBase, treatments: list[Treatment]) -> CompareReport:
    """Sources side by side for one treatment; treatments side by side for several."""
    ids = [t.id for t in treatments]
    claims = claims_of(base, ids)
    conflicts = find_conflicts(claims, source_names(base))
    views = claim_views(base, claims, conflicts)
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
        conflicts=conflicts,
    )


# --- cite --------------------------------------------------------------------------


@view
class CitingClaim:
    id: str
    treatment: str
    source: str
    stance: str
    aspect: str
    text: str


@view
class CiteMatch:
    study: Study
    matched: str
    cited_by: list[str]
    claims: list[CitingClaim]


@view
class CiteReport(Report):
    query: str
    matches: list[CiteMatch]

    def rows(self) -> list[Row]:
        return [
            {
                "study": m.study.id,
                "matched": m.matched,
                "cited_by": "; ".join(m.cited_by),
                "authors": ", ".join(m.study.authors),
                "year": m.study.year,
                "title": m.study.title,
                "journal": m.study.journal,
                "volume_pages": m.study.volume_pages,
                "doi": m.study.doi,
                "pmid": m.study.pmid,
                "design": m.study.design.value,
                "sample_size": m.study.sample_size,
                "verification": m.study.verification.value,
                "finding": m.study.finding,
                "claims": " ".join(c.id for c in m.claims),
                "described_differently": "; ".join(
                    f"{d.source}: {d.kind.value}: {d.note}" for d in m.study.discrepancies
                ),
            }
            for m in self.matches
        ]

    def cited_studies(self) -> list[Study]:
        return [m.study for m in self.matches]


def _source_by_label(base: EvidenceBase, label: str) -> Source | None:
    key = name_key(label)
    for source in base.sources.values():
        if key in (name_key(source.id), name_key(source.number), source.number.lstrip("0") or "0"):
            return source
    return None


def _match_study(base: EvidenceBase, study: Study, ref: str) -> str | None:
    """How a reference names this study, or None."""
    text = ref.strip()
    folded = text.casefold()
    doi = folded.removeprefix("https://doi.org/").removeprefix("doi:").strip()
    if study.doi and doi == study.doi.casefold():
        return "DOI"
    if ":" in text and not doi.startswith("10."):
        label, number = text.rsplit(":", 1)
        source = _source_by_label(base, label)
        if source and any(c.source == source.id and name_key(c.ref) == name_key(number) for c in study.citations):
            return f"{source.id} reference {number}"
        return None
    if folded == study.id:
        return "study id"
    if text.isdigit():
        if study.pmid == text:
            return "PMID"
        cited = [c.source for c in study.citations if c.ref.strip("[]") == text]
        return f"reference {text} of {', '.join(cited)}" if cited else None
    key = name_key(text)
    if key and any(name_key(a.split()[0]) == key for a in study.authors):
        return "author"
    if key and any(name_key(c.ref).startswith(key) for c in study.citations):
        return "citation label"
    return None


def cite(base: EvidenceBase, refs: list[str]) -> CiteReport:
    """Every study any of the references names, each once; raise if one names none."""
    matches: dict[str, CiteMatch] = {}
    for ref in refs:
        found = _cite_one(base, ref)
        if not found:
            raise UnknownReference(
                f"no study matches '{ref}' (try a reference number, SOURCE:N, a study id, "
                "an author's surname, a PMID or a DOI)"
            )
        for match in found:
            matches.setdefault(match.study.id, match)
    return CiteReport(query=" ".join(refs), matches=list(matches.values()))


def _cite_one(base: EvidenceBase, ref: str) -> list[CiteMatch]:
    matches = []
    for study in base.studies.values():
        how = _match_study(base, study, ref)
        if how:
            claims = base.claims_citing(study.id)
            matches.append(
                CiteMatch(
                    study=study,
                    matched=how,
                    cited_by=[f"{c.source} {c.ref} ({c.locator})" for c in study.citations],
                    claims=[
                        CitingClaim(
                            id=c.id,
                            treatment=c.treatment,
                            source=c.source,
                            stance=c.stance.value,
                            aspect=c.aspect.value,
                            text=c.text,
                        )
                        for c in claims
                    ],
                )
            )
    return matches


# --- list, sources, conflicts, search -------------------------------------------------


@view
class ListEntry:
    id: str
    name: str
    category: Category
    group: str | None
    sources: list[str]
    source_numbers: list[str]
    claims: int
    conflicted: bool


@view
class ListReport(Report):
    treatments: list[ListEntry]

    def rows(self) -> list[Row]:
        return [
            {
                **{k: v for k, v in asdict(t).items() if k not in ("sources", "category")},
                "category": t.category.value,
                "sources": " ".join(t.sources),
                "source_numbers": " ".join(t.source_numbers),
            }
            for t in self.treatments
        ]


def list_treatments(
    base: EvidenceBase,
    category: Category | None = None,
    source: str | None = None,
    conflicted: bool = False,
) -> ListReport:
    source_id = None
    if source:
        found = _source_by_label(base, source)
        if not found:
            raise UnknownReference(f"no source '{source}' (known: {', '.join(base.sources)})")
        source_id = found.id
    conflicted_ids = {c.treatment for c in all_conflicts(base)}
    entries = []
    for treatment in base.treatments.values():
        claims = [c for c in base.claims.values() if c.treatment == treatment.id]
        sources = list(dict.fromkeys(c.source for c in claims))
        if category and treatment.category != category:
            continue
        if source_id and source_id not in sources:
            continue
        if conflicted and treatment.id not in conflicted_ids:
            continue
        entries.append(
            ListEntry(
                id=treatment.id,
                name=treatment.name,
                category=treatment.category,
                group=treatment.group,
                sources=sources,
                source_numbers=[base.sources[s].number for s in sources],
                claims=len(claims),
                conflicted=treatment.id in conflicted_ids,
            )
        )
    return ListReport(treatments=entries)


@view
class SourceEntry:
    source: Source
    claims: int
    treatments: int
    studies: int


@view
class SourcesReport(Report):
    sources: list[SourceEntry]

    def rows(self) -> list[Row]:
        return [
            {
                "id": e.source.id,
                "number": e.source.number,
                "title": e.source.title,
                "author": e.source.author,
                "kind": e.source.kind.value,
                "year": e.source.year,
                "conditions": " ".join(c.value for c in e.source.conditions),
                "claims": e.claims,
                "treatments": e.treatments,
                "studies": e.studies,
                "evidence_value": e.source.evidence_value,
            }
            for e in self.sources
        ]


def sources(base: EvidenceBase) -> SourcesReport:
    entries = []
    for source in base.sources.values():
        claims = [c for c in base.claims.values() if c.source == source.id]
        entries.append(
            SourceEntry(
                source=source,
                claims=len(claims),
                treatments=len({c.treatment for c in claims}),
                studies=sum(1 for s in base.studies.values() if any(c.source == source.id for c in s.citations)),
            )
        )
    return SourcesReport(sources=entries)


@view
class ConflictEntry:
    conflict: Conflict
    treatment_name: str
    first: Claim
    second: Claim


@view
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


@view
class SearchHit:
    kind: str
    id: str
    treatment: str | None
    field: str
    text: str
    score: int


@view
class SearchReport(Report):
    query: str
    hits: list[SearchHit]

    def rows(self) -> list[Row]:
        return [asdict(hit) for hit in self.hits]


# Field weights: a hit in a name outranks one in a claim's text.
_WEIGHTS = {
    "name": 100,
    "alias": 90,
    "group": 80,
    "id": 70,
    "title": 60,
    "authors": 60,
    "summary": 40,
    "text": 30,
    "quote": 25,
    "finding": 25,
    "locator": 10,
}


def search(base: EvidenceBase, text: str) -> SearchReport:
    """Records with every word in one field; each record once, at its best-weighted field."""
    words = [w.casefold() for w in text.split() if w.strip()]
    if not words:
        raise UnknownReference("nothing to search for")
    best: dict[tuple[str, str], SearchHit] = {}
    for kind, record_id, treatment, field, value in base.matching_rows(words):
        score = _WEIGHTS[field] + (20 if value.casefold() == text.casefold() else 0)
        known = best.get((kind, record_id))
        if known is None or score > known.score:
            best[(kind, record_id)] = SearchHit(
                kind=kind, id=record_id, treatment=treatment, field=field, text=value, score=score
            )
    if not best:
        raise UnknownReference(f"nothing matches '{text}'")
    return SearchReport(query=text, hits=sorted(best.values(), key=lambda h: -h.score))


@view
class ExportReport(Report):
    sources: list[Source]
    studies: list[Study]
    treatments: list[Treatment]
    claims: list[Claim]

    def rows(self) -> list[Row]:
        return [{"claim": c.id, "treatment": c.treatment, "source": c.source, "text": c.text} for c in self.claims]

    def cited_studies(self) -> list[Study]:
        return self.studies


def export(base: EvidenceBase) -> ExportReport:
    return ExportReport(
        sources=list(base.sources.values()),
        studies=list(base.studies.values()),
        treatments=list(base.treatments.values()),
        claims=list(base.claims.values()),
    )


# --- matrix ------------------------------------------------------------------------


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


@view
class MatrixCell:
    """One source on one treatment: its overall stance and the claims per stance behind it."""

    stance: Stance
    claims: dict[str, int]


@view
class MatrixRow:
    id: str
    name: str
    category: Category
    conflicted: bool
    cells: dict[str, MatrixCell | None]


@view
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
            }
            for row in self.treatments
        ]


class EmptyMatrix(NotFound):
    pass


def matrix(
    base: EvidenceBase,
    category: Category | None = None,
    conflicted: bool = False,
    aspect: Aspect | None = None,
) -> MatrixReport:
    """Treatments by sources, each cell the source's `overall_stance` over its CRPS claims on the
    treatment (only those on `aspect`, if given). Rows are the treatments some source makes such a
    claim about, in data order; columns the sources with a cell in those rows. A row is conflicted
    when `conflicts.py` finds a disagreement on it (on `aspect`, if given)."""
    claims = [
        c for c in base.claims.values() if c.condition == Condition.crps and (aspect is None or c.aspect == aspect)
    ]
    conflicted_ids = {c.treatment for c in find_conflicts(claims, source_names(base))}
    stances: dict[str, dict[str, list[Stance]]] = {}
    for claim in claims:
        stances.setdefault(claim.treatment, {}).setdefault(claim.source, []).append(claim.stance)
    chosen = [
        t
        for t in base.treatments.values()
        if t.id in stances
        and (category is None or t.category == category)
        and (not conflicted or t.id in conflicted_ids)
    ]
    if not chosen:
        filters = " ".join(
            part
            for part in (
                f"--category {category.value}" if category else "",
                "--conflicted" if conflicted else "",
                f"--aspect {aspect.value}" if aspect else "",
            )
            if part
        )
        raise EmptyMatrix(f"no treatment matches {filters}" if filters else "no source makes a claim about CRPS")
    used = {source for t in chosen for source in stances[t.id]}
    every = [Column(id=s.id, label=s.label, kind=s.kind.value) for s in base.sources.values()]
    columns = [c for c in every if c.id in used]
    rows = []
    for treatment in chosen:
        by_source = stances[treatment.id]
        cells: dict[str, MatrixCell | None] = {}
        for column in columns:
            found = by_source.get(column.id, [])
            stance = overall_stance(found)
            cells[column.id] = (
                MatrixCell(stance=stance, claims={s.value: found.count(s) for s in Stance if s in found})
                if stance
                else None
            )
        rows.append(
            MatrixRow(
                id=treatment.id,
                name=treatment.name,
                category=treatment.category,
                conflicted=treatment.id in conflicted_ids,
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
