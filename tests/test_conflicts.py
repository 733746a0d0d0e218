"""The conflict rule, on its own."""

from __future__ import annotations

from crpscli.answers.disagreements import ConflictKind, claim_conflicts, find_conflicts
from crpscli.evidence.loading import validator
from crpscli.evidence.records import Claim

SOURCES = {"blog": "patient blog 001", "slides": "clinician slides 002"}


def claim(id: str, source: str = "blog", **fields) -> Claim:
    base = {
        "id": id,
        "treatment": "widget",
        "source": source,
        "locator": "p1",
        "quote": "q",
        "text": "t",
        "stance": "neutral",
        "aspect": "efficacy",
    }
    return validator(Claim).validate_python({**base, **fields})


def test_opposed_stances_conflict_and_are_explained():
    (conflict,) = claim_conflicts(claim("a", stance="supports"), claim("b", "slides", stance="opposes"), SOURCES)
    assert conflict.kind is ConflictKind.stance
    assert conflict.explanation == (
        "patient blog 001 supports it (a) while clinician slides 002 opposes it (b) on efficacy"
    )


def test_caution_mixed_and_neutral_do_not_oppose():
    for stance in ("caution", "mixed", "neutral", "supports"):
        assert claim_conflicts(claim("a", stance="supports"), claim("b", "slides", stance=stance), SOURCES) == []


def test_different_aspects_never_conflict():
    assert (
        claim_conflicts(claim("a", stance="supports"), claim("b", "slides", stance="opposes", aspect="safety"), SOURCES)
        == []
    )


def test_other_condition_is_context_never_a_conflict():
    assert (
        claim_conflicts(
            claim("a", stance="supports"), claim("b", "slides", stance="opposes", condition="back_pain"), SOURCES
        )
        == []
    )
    both_back_pain = [
        claim("a", stance="supports", condition="back_pain"),
        claim("b", "slides", stance="opposes", condition="back_pain"),
    ]
    assert find_conflicts(both_back_pain, SOURCES) == []


def test_different_figures_for_the_same_quantity_conflict():
    days = {"quantity": "infusion_length", "unit": "days"}
    first = claim("a", aspect="protocol", figures=[{**days, "min": 2, "max": 10}])
    second = claim("b", "slides", aspect="protocol", figures=[{**days, "min": 4, "max": 10}])
    (conflict,) = claim_conflicts(first, second, SOURCES)
    assert conflict.kind is ConflictKind.figure
    assert conflict.explanation == (
        "infusion length: patient blog 001 gives 2–10 days (a), clinician slides 002 gives 4–10 days (b)"
    )


def test_same_figures_or_different_units_do_not_conflict():
    first = claim("a", aspect="protocol", figures=[{"quantity": "dose", "min": 500, "unit": "mg"}])
    same = claim("b", "slides", aspect="protocol", figures=[{"quantity": "dose", "min": 500, "unit": "mg"}])
    other_unit = claim("c", "slides", aspect="protocol", figures=[{"quantity": "dose", "min": 0.5, "unit": "g/kg"}])
    assert claim_conflicts(first, same, SOURCES) == []
    assert claim_conflicts(first, other_unit, SOURCES) == []


def test_a_source_can_disagree_with_itself():
    found = find_conflicts([claim("a", stance="supports"), claim("b", stance="opposes")], SOURCES)
    assert [(c.first, c.second) for c in found] == [("a", "b")]


def test_descriptive_numbers_never_conflict():
    enrolled = claim("a", aspect="efficacy", figures=[{"quantity": "sample_size", "min": 13, "unit": "people"}])
    responders = claim("b", aspect="efficacy", figures=[{"quantity": "sample_size", "min": 3, "unit": "people"}])
    assert claim_conflicts(enrolled, responders, SOURCES) == []
