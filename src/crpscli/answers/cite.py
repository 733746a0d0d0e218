"""`crps cite`: the study a reference names, who cites it under which number, and what rests on it."""

from __future__ import annotations

import re

from ..evidence.authors import parse_author
from ..evidence.base import EvidenceBase, id_starts, name_key
from ..evidence.records import Study
from .common import Report, Row, UnknownReference, report_class, source_by_label

CITE_ROW = (
    "study",
    "matched",
    "cited_by",
    "authors",
    "year",
    "title",
    "journal",
    "volume_pages",
    "doi",
    "pmid",
    "design",
    "sample_size",
    "verification",
    "finding",
    "claims",
    "described_differently",
)
_SURNAME_YEAR = re.compile(r"(\D+?)\s+(\d{4})")


@report_class
class CitingClaim:
    id: str
    treatment: str
    source: str
    stance: str
    aspect: str
    text: str


@report_class
class CiteMatch:
    study: Study
    matched: str
    cited_by: list[str]
    claims: list[CitingClaim]


@report_class
class CiteReport(Report):
    query: str
    matches: list[CiteMatch]

    def rows(self) -> list[Row]:
        return [
            dict(
                zip(
                    CITE_ROW,
                    (
                        m.study.id,
                        m.matched,
                        "; ".join(m.cited_by),
                        ", ".join(m.study.authors),
                        m.study.year,
                        m.study.title,
                        m.study.journal,
                        m.study.volume_pages,
                        m.study.doi,
                        m.study.pmid,
                        m.study.design.value,
                        m.study.sample_size,
                        m.study.verification.value,
                        m.study.finding,
                        "; ".join(c.id for c in m.claims),
                        "; ".join(f"{d.source}: {d.kind.value}: {d.note}" for d in m.study.discrepancies),
                    ),
                    strict=True,
                )
            )
            for m in self.matches
        ]

    def header(self) -> list[str]:
        return list(CITE_ROW)

    def cited_studies(self) -> list[Study]:
        return [m.study for m in self.matches]


def _match_study(base: EvidenceBase, study: Study, ref: str) -> str | None:
    """How a reference names this study, or None."""
    text = ref.strip()
    folded = text.casefold()
    if folded.startswith("pmid:"):  # PMID:20124231, as PubMed writes it
        return "PMID" if study.pmid and study.pmid == text[5:].strip() else None
    doi = folded.removeprefix("https://doi.org/").removeprefix("doi:").strip()
    if study.doi and doi == study.doi.casefold():
        return "DOI"
    if ":" in text and not doi.startswith("10."):
        label, number = text.rsplit(":", 1)
        source = source_by_label(base, label)
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
    if (labelled := _SURNAME_YEAR.fullmatch(text)) and study.authors:
        # "Goebel 2010", as crps labels a study: its first author and year
        surname, year = labelled.groups()
        if str(study.year) == year and name_key(surname) in parse_author(study.authors[0]).surname_keys():
            return "first author and year"
    key = name_key(text)
    if key and any(key in parse_author(a).surname_keys() for a in study.authors):
        return "author"
    if key and any(name_key(c.ref).startswith(key) for c in study.citations):
        return "citation label"
    if _id_words(folded) in id_starts(study.id):  # "zagon" for zagon-opioid-growth-factor
        return "start of its study id"
    return None


def _id_words(folded: str) -> str:
    """A reference as the leading words of a study id: "kemler 2000" reads as "kemler-2000"."""
    return "-".join(folded.replace("-", " ").split())


def cite(base: EvidenceBase, refs: list[str], missing: dict[str, str] | None = None) -> CiteReport:
    """Every study any of the references names, each once. A reference that names none raises,
    or with `missing` (--keep-going) is noted there and skipped."""
    matches: dict[str, CiteMatch] = {}
    for ref in refs:
        found = _cite_one(base, ref)
        if not found:
            why = _unmatched(base, ref) or (
                f"no study matches '{ref}' (try a reference number, SOURCE:N, a study id, "
                "an author's surname, 'Surname YEAR', a PMID or a DOI)"
            )
            if missing is None:
                raise UnknownReference(why)
            missing[ref] = why
        for match in found:
            matches.setdefault(match.study.id, match)
    return CiteReport(query=" ".join(refs), matches=list(matches.values()))


def _unmatched(base: EvidenceBase, ref: str) -> str | None:
    """For SOURCE:N naming a known source: which references that source does have."""
    label, _, number = ref.strip().rpartition(":")
    source = (
        source_by_label(base, label) if label and not ref.strip().casefold().startswith(("doi:", "pmid:")) else None
    )
    if source is None:
        return None
    refs = list(dict.fromkeys(c.ref for s in base.studies.values() for c in s.citations if c.source == source.id))
    if not refs:
        return f"{source.label} cites no study by reference"
    typable = [r.strip("[]") for r in refs if ":" not in r]  # "8:470-476" would read as SOURCE:N itself
    shown = ", ".join(f"{source.number}:{r}" for r in typable[:4]) + (", ..." if len(typable) > 4 else "")
    return f"{source.label} has no reference '{number}'; it cites {len(refs)}, for example {shown}"


def _lookup_keys(ref: str) -> tuple[set[str], str]:
    """What `_match_study` compares of a reference with a study's `cite_keys`, and the folded text a
    citation label may start with: every study it can match has one of these (a few more may)."""
    text = ref.strip()
    folded = text.casefold()
    keys = {text, folded, text[5:].strip(), folded.removeprefix("https://doi.org/").removeprefix("doi:").strip()}
    if ":" in text:
        keys.add(name_key(text.rsplit(":", 1)[1]))
    if labelled := _SURNAME_YEAR.fullmatch(text):
        keys.add(name_key(labelled.group(1)))
    key = name_key(text)
    keys.update((key, _id_words(folded)))
    return keys, key


def _cite_one(base: EvidenceBase, ref: str) -> list[CiteMatch]:
    matches = []
    for study in base.studies_keyed(*_lookup_keys(ref)):
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
