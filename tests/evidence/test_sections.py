"""Every section of every document has a claim, or a recorded reason why not (the data is complete)."""

from __future__ import annotations

import re

import pytest

from crpscli.evidence.files import shipped_data
from crpscli.evidence.loading import load

from ..conftest import SHARED_SOURCES

BASE = load([shipped_data()]).base
# The documents are beside the repository for the maintainers and CI (../shared/sources), not in a clone.
pytestmark = pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="../shared/sources is not beside the repo")

# The slide deck's slide titles are the lines that start with one space; the other documents' sections
# are listed here as they are headed there (or, for the review excerpt, numbered).
SECTIONS: dict[str, list[str]] = {
    "medscape-ivig": [f"paragraph {n}" for n in range(1, 6)],
    "blog-flames": [
        "Ketamine infusion",
        "IVIG infusion",
        "Plasmapheresis",
        "Lidocaine infusion",
        "Magnesium infusion",
        "Physical Therapy",
        "Sympathetic Nerve Blocks",
        "TENS unit",
        "Spinal Cord Stimulators",
        "Dorsal Root Ganglion Stimulator",
        "Calmare Therapy",
        "Hyperbaric Oxygen Treatments",
        "There is NO cure for CRPS",
    ],
    "chopra-ketamine": [
        "What Is Ketamine?",
        "How Does It Work for CRPS?",
        "Evidence Supporting Ketamine in CRPS",
        "Clinical Use: What Patients Should Know",
        "Benefits",
        "Limitations",
        "The Future of Ketamine in CRPS",
        "Disclaimer",
    ],
    "droracle-ivig-back": [
        "Evidence Against IVIG for Back Pain",
        "Established Treatments for Back Pain",
        "Appropriate Uses of IVIG",
        "Risks and Adverse Effects of IVIG",
        "Conclusion",
    ],
}

PICTURES = "a picture caption, summarised by the claim on the slides it illustrates"
# Sections with no claim of their own, and why.
NO_CLAIM: dict[str, str] = {
    "There is NO cure for CRPS": "the blog's framing before its list, about no one treatment",
    "Disclaimer": "the article's copyright and not-medical-advice notice",
    "Pradeep Chopra, MD": "the deck's title and disclosure slides: the author, no statement",
    "Grading of treatment": "the deck names grades but never says which treatment got which",
    "How do you know if you": "a question slide; the next slides, 'Features of CRPS' on, answer it",
    "Diagnosis of CRPS": "a section title; its content is on 'Signs and Symptoms of CRPS'",
    "Color difference": PICTURES,
    "Hair growth": PICTURES,
    "Swelling": PICTURES,
    "Nails growth faster,": PICTURES,
    "Why is it so difficult to treat": "a question slide; the central sensitization slides answer it",
    "Brain and spinal cord": PICTURES,
    "Brain, spinal cord, nerves": PICTURES,
    "Painful nerve": PICTURES,
    "Brain, spinal cord sensitized – barrage of pain": PICTURES,
    "What really happens in CRPS": "a picture slide; the glia slides after it carry the claims",
    "Glia and nerves under normal conditions": PICTURES,
    "Fiery Chemicals released by activated Glia": PICTURES,
    "Glial cells cause nerves to get inflamed": PICTURES,
    "Abstract Complex Regional Pain Syndrome (CRPS) is a": "the pasted LDN paper (claims cite it as that)",
    "Department of Medicine, Alpert Medical School of BrownUniversity,": "the pasted LDN paper's affiliations",
    "J Neuroimmune Pharmacol (2013) 8:470–476": "the pasted LDN paper's running head",
    "Physical therapy modalities": "a section title; its content is on 'Physical movement'",
    "Antioxidants": "a section title; its content is on 'Free Radical scavengers (Antioxidants)'",
    "NC10 rule": "a title over a picture whose content is not in the extracted text",
    "Natural delivery or C-section?": "a section title; the delivery slides after it carry the claims",
    "Surgery and Complex Regional": "a section title; the surgical trauma slides carry the claims",
    "Palmitoyl ethanol amide": "a section title; its content is on 'PEA'",
    "Thank you": "the closing slide: contact details",
}


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _document(source_id: str) -> str:
    return (SHARED_SOURCES / BASE.sources[source_id].file).read_text(encoding="utf-8")


def slide_titles() -> list[str]:
    if not SHARED_SOURCES.is_dir():
        return []
    lines = _document("chopra-slides").splitlines()
    return list(dict.fromkeys(_fold(line) for line in lines if line.startswith(" ") and not line.startswith("  ")))


def _named_in_locators(source_id: str) -> list[str]:
    """The section names the claims' locators give (quoted titles, else the locator itself)."""
    named = []
    for claim in BASE.claims.values():
        if claim.source == source_id:
            quoted = re.findall(r'"([^"]+)"', claim.locator)
            named += [_fold(q).rstrip("…") for q in quoted] or [_fold(claim.locator)]
    return named


def _covered(source_id: str, section: str) -> bool:
    wanted = _fold(section)
    return any(wanted.startswith(n) or n.startswith(wanted) for n in _named_in_locators(source_id) if n)


def _cases() -> list[tuple[str, str]]:
    return [("chopra-slides", t) for t in slide_titles()] + [(s, t) for s, ts in SECTIONS.items() for t in ts]


@pytest.mark.parametrize(("source", "section"), _cases())
def test_every_section_has_a_claim_or_a_reason(source: str, section: str):
    reasons = {_fold(k): v for k, v in NO_CLAIM.items()}
    if source != "medscape-ivig":
        assert _fold(section) in _fold(_document(source)), f"not a heading of {source}: {section}"
    assert _covered(source, section) or _fold(section) in reasons, f"{source}: no claim for section '{section}'"


def test_a_reason_is_not_kept_for_a_section_that_has_claims():
    """A reason goes when a claim comes: the list says only what is still missing."""
    reasons = {_fold(k) for k in NO_CLAIM}
    stale = [section for source, section in _cases() if _fold(section) in reasons and _covered(source, section)]
    assert stale == []
