"""The disagreement rule, on its own: one fixture per kind of conflict, tension and non-disagreement,
each asserting the sentence produced; then `crps conflicts` on a small data directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from crpscli.answers.disagreements import Basis, Disagreement, find_disagreements
from crpscli.evidence.files import shipped_data
from crpscli.evidence.loading import load, validator
from crpscli.evidence.records import Claim, Source, Study
from crpscli.evidence.vocab import Aspect, Level, Outcome

SOURCES = {
    "blog": {"number": "001", "kind": "patient_blog"},
    "slides": {"number": "002", "kind": "clinician_slide_deck"},
    "article": {"number": "003", "kind": "clinician_article"},
}
STUDIES = {
    "kemler-2000": {"authors": ["Kemler MA"], "year": 2000, "design": "rct", "sample_size": 54},
    "chopra-2013": {"authors": ["Chopra P", "Cooper MS"], "year": 2013, "design": "case_report", "sample_size": 2},
    "kim-2017": {"authors": ["Kim JH"], "year": 2017, "design": "animal_study"},
}


def _source(id: str, number: str, kind: str) -> Source:
    fields = {"file": f"{number}.txt", "title": id, "conditions": ["crps"], "evidence_value": "test"}
    return validator(Source).validate_python({"id": id, "number": number, "kind": kind, **fields})


def _study(id: str, **fields) -> Study:
    citation = {"source": "slides", "ref": "1", "locator": "slide 1"}
    base = {"id": id, "verification": "from_source_only", "citations": [citation], "finding": "test"}
    return validator(Study).validate_python({**base, **fields})


SOURCE_RECORDS = {id: _source(id, **fields) for id, fields in SOURCES.items()}
STUDY_RECORDS = {id: _study(id, **fields) for id, fields in STUDIES.items()}


def claim(id: str, source: str = "blog", stance: str = "neutral", **fields) -> Claim:
    base = {
        "id": id,
        "treatment": "widget",
        "source": source,
        "locator": "p1",
        "quote": "q",
        "text": "t",
        "stance": stance,
        "aspect": "efficacy",
        "outcome": "overall",
    }
    return validator(Claim).validate_python({**base, **fields})


def found(*claims: Claim) -> list[Disagreement]:
    return find_disagreements(claims, SOURCE_RECORDS, STUDY_RECORDS)


def only(*claims: Claim) -> Disagreement:
    (entry,) = found(*claims)
    return entry


def days(low: float, high: float | None = None) -> list[dict]:
    return [{"quantity": "infusion_length", "unit": "days", "min": low, **({"max": high} if high else {})}]


PROTOCOL = {"aspect": "protocol", "outcome": "course_length"}

# --- conflicts ----------------------------------------------------------------------


def test_supports_against_opposes_is_a_conflict_naming_sources_kinds_and_studies():
    entry = only(claim("a", stance="supports"), claim("b", "slides", "opposes", studies=["kemler-2000"]))
    assert (entry.level, entry.basis) == (Level.conflict, Basis.stance)
    assert entry.explanation == (
        "On efficacy (overall), patient blog 001 supports it (a; citing no study) but clinician slides 002 "
        "opposes it (b; citing Kemler 2000 (rct, n=54))."
    )


def test_mixed_against_another_sources_opposes_is_a_conflict():
    entry = only(claim("a", stance="mixed"), claim("b", "slides", "opposes"))
    assert entry.level is Level.conflict
    assert entry.explanation == (
        "On efficacy (overall), patient blog 001 reports mixed results (a; citing no study) but clinician "
        "slides 002 opposes it (b; citing no study)."
    )


def test_a_source_can_conflict_with_itself():
    entry = only(claim("a", "slides", "supports"), claim("b", "slides", "opposes"))
    assert entry.level is Level.conflict
    assert entry.explanation == (
        "On efficacy (overall), clinician slides 002 supports it (a; citing no study) but clinician slides "
        "002 itself opposes it (b; citing no study)."  # "itself": the source against its own words
    )


def test_overall_meets_a_narrower_efficacy_question_where_one_side_opposes():
    entry = only(claim("a", stance="supports", outcome="pain"), claim("b", "slides", "opposes"))
    assert entry.level is Level.conflict
    assert entry.explanation.startswith("On efficacy (pain vs overall), patient blog 001 supports it (a;")


def test_figures_that_do_not_overlap_conflict():
    entry = only(claim("a", figures=days(2, 6), **PROTOCOL), claim("b", "slides", figures=days(10), **PROTOCOL))
    assert (entry.level, entry.basis) == (Level.conflict, Basis.figure)
    assert entry.explanation == (
        "On protocol (course length), patient blog 001 gives infusion length 2–6 days (a; citing no study) "
        "and clinician slides 002 gives 10 days (b; citing no study): the figures do not overlap."
    )


def test_a_stated_mechanism_against_unknown_conflicts_and_general_covers_every_question():
    stated = claim("a", aspect="mechanism", outcome="site_of_action")
    unknown = claim("b", "slides", "caution", aspect="mechanism", outcome="general")
    entry = only(stated, unknown)
    assert (entry.level, entry.basis) == (Level.conflict, Basis.mechanism)
    assert entry.explanation == (
        "On mechanism (site of action), patient blog 001 gives an account (a; citing no study) but "
        "clinician slides 002 says it is not known (b; citing no study)."
    )


def test_a_stated_mechanism_against_a_contrary_one_conflicts():
    stated = claim("a", "blog", "neutral", aspect="mechanism", outcome="site_of_action")
    contrary = claim("b", "slides", "opposes", aspect="mechanism", outcome="site_of_action")
    entry = only(stated, contrary)
    assert entry.explanation.endswith("but clinician slides 002 rejects that account (b; citing no study).")


def test_efficacy_against_another_sources_evidence_status_conflicts():
    status = claim("b", "article", "caution", aspect="evidence", outcome="under_investigation")
    entry = only(claim("a", "slides", "supports"), status)
    assert (entry.level, entry.basis) == (Level.conflict, Basis.evidence)
    assert entry.explanation == (
        "On efficacy, clinician slides 002 supports it (a; citing no study) but clinician article 003 says "
        "it is still under investigation (b; citing no study)."
    )


# --- tensions -----------------------------------------------------------------------


def test_supports_against_caution_on_the_same_question_is_a_tension():
    entry = only(claim("a", stance="supports", outcome="pain"), claim("b", "slides", "caution", outcome="pain"))
    assert (entry.level, entry.basis) == (Level.tension, Basis.stance)
    assert entry.explanation == (
        "On efficacy (pain), patient blog 001 supports it (a; citing no study) while clinician slides 002 "
        "urges caution (b; citing no study)."
    )


def test_a_protocol_step_needed_against_done_either_way_is_a_tension():
    entry = only(
        claim("a", "slides", "supports", aspect="protocol", outcome="boosters"),
        claim("b", "blog", "mixed", aspect="protocol", outcome="boosters"),
    )
    assert (entry.level, entry.basis) == (Level.tension, Basis.stance)
    assert entry.explanation == (
        "On protocol (boosters), clinician slides 002 gives it as needed (a; citing no study) while patient blog "
        "001 gives it as optional (b; citing no study)."
    )


def test_long_term_safety_supported_and_doubted_is_a_tension():
    safety = {"aspect": "safety", "outcome": "long_term_safety"}
    entry = only(claim("a", "slides", "supports", **safety), claim("b", "article", "caution", **safety))
    assert entry.level is Level.tension
    assert entry.explanation.startswith("On safety (long term safety), clinician slides 002 supports it")


def test_a_sources_own_mixed_and_opposes_is_a_tension():
    entry = only(claim("a", "slides", "opposes"), claim("b", "slides", "mixed", outcome="long_term_benefit"))
    assert entry.level is Level.tension
    assert entry.explanation == (
        "On efficacy (long term benefit vs overall), clinician slides 002 reports mixed results (b; citing "
        "no study) while clinician slides 002 itself opposes it (a; citing no study)."
    )


def test_a_benefit_denied_only_in_the_long_term_against_an_overall_verdict_is_a_tension():
    """A claim that "no great benefit after a few years" concedes an early benefit; it qualifies "they do not work"
    and does not deny "some find relief"."""
    lasting = claim("c", "slides", "opposes", outcome="long_term_benefit", studies=["kemler-2000"])
    entries = found(claim("a", "blog", "mixed"), claim("b", "slides", "opposes"), lasting)
    assert [(e.level, e.first.claims, e.second.claims) for e in entries if e.second] == [
        (Level.conflict, ["a"], ["b"]),
        (Level.tension, ["a"], ["c"]),
        (Level.tension, ["b"], ["c"]),
    ]
    assert entries[2].explanation == (
        "On efficacy (overall vs long term benefit), clinician slides 002 opposes it (b; citing no study) while "
        "clinician slides 002 itself says the benefit does not last (c; citing Kemler 2000 (rct, n=54))."
    )


def test_a_lasting_benefit_against_it_does_not_work_stays_a_conflict():
    entry = only(claim("a", "blog", "supports", outcome="long_term_benefit"), claim("b", "slides", "opposes"))
    assert entry.level is Level.conflict


def test_figures_that_overlap_only_in_part_are_a_tension():
    entry = only(claim("a", figures=days(2, 6), **PROTOCOL), claim("b", "slides", figures=days(4, 10), **PROTOCOL))
    assert entry.level is Level.tension
    assert entry.explanation.endswith("gives 4–10 days (b; citing no study): the figures overlap only in part.")


def test_the_same_sources_evidence_status_is_a_tension():
    status = claim("b", "slides", "caution", aspect="evidence", outcome="no_trials")
    entry = only(claim("a", "slides", "supports", outcome="pain"), status)
    assert entry.level is Level.tension
    assert entry.explanation == (
        "On efficacy, clinician slides 002 supports it (a; citing no study) but it also says there are no "
        "trials of it (b; citing no study)."
    )


def test_strong_wording_on_a_case_report_or_an_animal_study_is_a_tension():
    strong = claim("a", "slides", "supports", outcome="disease_course")
    backed = claim("b", "slides", "supports", studies=["chopra-2013", "kim-2017"])
    entry = only(strong, backed)
    assert (entry.level, entry.basis, entry.second) == (Level.tension, Basis.evidence, None)
    assert entry.explanation == (
        "On efficacy (disease course vs overall), clinician slides 002 supports it (a, b) but the only "
        "studies it cites for it are Chopra 2013 (case report, n=2), Kim 2017 (animal study)."
    )


def test_disease_modifying_with_no_study_is_a_tension():
    entry = only(claim("a", "slides", "supports", outcome="disease_course"))
    assert entry.explanation == (
        "On efficacy (disease course), clinician slides 002 supports it (a) but it cites no study for it."
    )


def test_disease_modifying_beside_the_sources_own_hedge_names_the_hedge():
    hedge = claim("b", "slides", "caution", outcome="pain")
    entry = only(claim("a", "slides", "supports", outcome="disease_course"), hedge)
    assert (entry.level, entry.second and entry.second.claims) == (Level.tension, ["b"])
    assert entry.explanation == (
        "On efficacy (disease course), clinician slides 002 supports it (a) but it cites no study for it, and "
        "it urges caution itself (b)."
    )


def test_a_reader_comment_is_its_own_side():
    reader = claim("b", "blog", "caution", outcome="pain", speaker="reader_comment")
    entry = only(claim("a", "blog", "supports", outcome="pain"), reader)
    assert entry.level is Level.tension
    assert entry.explanation == (
        "On efficacy (pain), the author of patient blog 001 supports it (a; citing no study) while a reader "
        "comment in patient blog 001 urges caution (b; citing no study)."
    )


def test_a_reader_told_a_step_is_required_while_the_author_says_it_varies_is_a_tension():
    stopping = {"aspect": "protocol", "outcome": "stopping_medicines"}
    reader = claim("a", "blog", "supports", speaker="reader_comment", **stopping)
    entry = only(reader, claim("b", "blog", "mixed", **stopping), claim("c", "slides", "neutral", **stopping))
    assert entry.level is Level.tension
    assert entry.explanation == (
        "On protocol (stopping medicines), a reader comment in patient blog 001 gives it as needed (a; citing "
        "no study) while the author of patient blog 001 gives it as optional (b; citing no study)."
    )


# --- not disagreements --------------------------------------------------------------


@pytest.mark.parametrize(
    "claims",
    [
        # different questions: despair care suits a patient vs psychiatric care as the main treatment
        [
            claim("a", "slides", "supports", aspect="indication", outcome="who_it_suits"),
            claim("b", "slides", "opposes", aspect="indication", outcome="when_to_use"),
        ],
        # another condition is context (004 on back pain)
        [claim("a", stance="supports"), claim("b", "slides", "opposes", condition="back_pain")],
        # a single study's mixed result beside the claim that it works
        [claim("a", "slides", "supports"), claim("b", "slides", "mixed")],
        # the same figure given several times (vitamin C's 500 mg), and another quantity
        [
            claim(
                "a",
                "slides",
                aspect="protocol",
                outcome="dose",
                figures=[{"quantity": "daily_dose", "min": 500, "unit": "mg"}],
            ),
            claim(
                "b",
                "slides",
                aspect="protocol",
                outcome="dose",
                figures=[{"quantity": "daily_dose", "min": 500, "unit": "mg"}],
            ),
            claim(
                "c", "slides", aspect="protocol", outcome="dose", figures=[{"quantity": "dose", "min": 5, "unit": "mg"}]
            ),
        ],
        # nested ranges: 2–10, 10 and 4–10 days
        [
            claim("a", "blog", figures=days(2, 10), **PROTOCOL),
            claim("b", "slides", figures=days(10), **PROTOCOL),
            claim("c", "article", figures=days(4, 10), **PROTOCOL),
        ],
        # complementary lists of side effects beside "they are mild"
        [
            claim("a", "slides", "supports", aspect="safety", outcome="side_effects"),
            claim("b", "slides", "caution", aspect="safety", outcome="side_effects"),
            claim("c", "article", "caution", aspect="safety", outcome="side_effects"),
        ],
        # two treatments compared by one source (Calmare vs TENS) are not a disagreement
        [claim("a", stance="supports"), claim("b", "slides", "opposes", treatment="gadget")],
        # caution against opposes, neutral against anything
        [claim("a", stance="caution"), claim("b", "slides", "opposes"), claim("c", "article", "neutral")],
        # a caution on a practical question adds a condition
        [
            claim("a", "slides", "supports", aspect="cost_access", outcome="access"),
            claim("b", "slides", "caution", aspect="cost_access", outcome="access"),
        ],
        # general and administration bundle several questions: their stances are not compared
        [
            claim("a", "blog", "supports", aspect="protocol", outcome="administration"),
            claim("b", "slides", "opposes", aspect="protocol", outcome="administration"),
            claim("c", "blog", "supports", aspect="safety", outcome="general"),
            claim("d", "slides", "opposes", aspect="safety", outcome="general"),
        ],
        # a caution on one question does not doubt an overall verdict
        [claim("a", stance="supports"), claim("b", "slides", "caution", outcome="function")],
        # an overall verdict citing nothing is not strong wording on weak evidence
        [claim("a", "slides", "supports")],
        # an evidence claim on no named status (research on combinations, say) is no doubt
        [claim("a", "slides", "supports"), claim("b", "article", "neutral", aspect="evidence", outcome="general")],
        # a case report beside a trial is not resting on weak evidence
        [claim("a", "slides", "supports", studies=["chopra-2013"]), claim("b", "slides", studies=["kemler-2000"])],
        # two stated mechanisms, a hedged one on the same target, a doubt on another question
        [
            claim("a", "blog", "neutral", aspect="mechanism", outcome="target"),
            claim("b", "slides", "supports", aspect="mechanism", outcome="target"),
            claim("c", "blog", "caution", aspect="mechanism", outcome="target"),
            claim("d", "slides", "opposes", aspect="mechanism", outcome="site_of_action"),
        ],
    ],
    ids=[
        "different-questions",
        "another-condition",
        "supports-vs-mixed",
        "same-figures",
        "nested-ranges",
        "side-effect-lists",
        "different-treatments",
        "caution-opposes-neutral",
        "practical-caution",
        "bundled-outcomes",
        "narrow-caution-vs-overall",
        "overall-without-study",
        "evidence-without-status",
        "case-report-beside-trial",
        "mechanisms-on-other-questions",
    ],
)
def test_not_a_disagreement(claims):
    assert found(*claims) == []


# --- scale --------------------------------------------------------------------------


def test_entries_grow_with_sources_and_stances_not_with_claim_pairs():
    """2,000 claims on one treatment: one entry per pair of (source, stance) buckets that disagree,
    each listing all its claims, never one per claim pair."""
    stances = ["supports", "opposes", "mixed", "caution", "neutral"]
    sources = list(SOURCES)
    claims = [
        claim(f"c{i}", sources[i % 3], stances[i % 5], outcome="pain", figures=[] if i % 7 else days(i % 9 + 1))
        for i in range(2000)
    ]
    entries = found(*claims)
    by_stance = [e for e in entries if e.basis is Basis.stance]
    # Buckets: 3 sources x 5 stances. Three stance pairs disagree (supports/opposes, mixed/opposes,
    # supports/caution), each way round for two sources: 3 x 2 x 3 pairs of sources, plus 3 x 3 for
    # each source with itself. Claim by claim it would be about 1.2 million entries.
    assert len(by_stance) == 27
    assert sum(len(e.claims) for e in by_stance) > 2000  # each entry lists its claims in full
    figures = [e for e in entries if e.basis is Basis.figure]
    assert len(figures) <= 6  # one per pair of sources for the one quantity
    assert all(len({*e.first.claims, *(e.second.claims if e.second else [])}) >= 2 for e in figures)


# --- crps conflicts -----------------------------------------------------------------


def _data_dir(tmp_path: Path, claims: list[Claim]) -> Path:
    sources = [
        {"id": id, "number": f["number"], "file": f"{f['number']}.txt", "title": id, "kind": f["kind"]}
        | {"conditions": ["crps"], "evidence_value": "test"}
        for id, f in SOURCES.items()
    ]
    treatments = [
        {"id": t, "name": t.capitalize(), "category": "device", "summary": "test"} for t in ("widget", "gadget")
    ]
    fields = ("id", "treatment", "source", "locator", "quote", "text", "stance", "aspect", "outcome")
    rows = [{f: str(getattr(c, f)) for f in fields} for c in claims]
    for name, items in (("sources", sources), ("treatments", treatments), ("claims", rows)):
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(items), encoding="utf-8")
    (tmp_path / "studies.yaml").write_text("[]\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def small_data(tmp_path: Path) -> list[str]:
    claims = [
        claim("a", stance="supports"),
        claim("b", "slides", "opposes"),
        claim("c", "slides", "supports", outcome="pain", treatment="gadget"),
        claim("d", "article", "caution", outcome="pain", treatment="gadget"),
    ]
    return ["--no-builtin", "--data", str(_data_dir(tmp_path, claims))]


def test_conflicts_lists_both_levels_with_a_level_field(cli, small_data):
    result = cli(*small_data, "conflicts", "--json")
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    assert [(e["level"], e["treatment_name"]) for e in entries] == [("conflict", "Widget"), ("tension", "Gadget")]
    assert entries[0]["disagreement"]["first"]["claims"] == ["a"]


def test_level_filters_and_the_table_counts_each_level(cli, small_data):
    result = cli(*small_data, "conflicts", "--level", "tension")
    assert result.exit_code == 0
    assert "≈ tension" in result.output and "≠ conflict" not in result.output
    assert "0 conflicts, 1 tension" in result.output
    rows = cli(*small_data, "conflicts", "--level", "conflict", "--format", "csv").output.splitlines()
    assert rows[0].startswith("treatment_name,level,disagreement.treatment,disagreement.aspect")
    assert [r.split(",")[1] for r in rows[1:]] == ["conflict"]


def test_none_found_is_exit_1_with_one_line(cli, small_data):
    result = cli(*small_data, "conflicts", "gadget", "--level", "conflict")
    assert result.exit_code == 1
    assert result.output == "crps: no conflict on gadget\n"


def test_list_and_matrix_show_the_strongest_level(cli, small_data):
    listed = {t["id"]: (t["level"], t["conflicted"]) for t in json.loads(cli(*small_data, "list", "--json").output)}
    assert listed == {"widget": ("conflict", True), "gadget": ("tension", False)}
    only_conflicts = json.loads(cli(*small_data, "list", "--conflicted", "--json").output)
    assert [t["id"] for t in only_conflicts] == ["widget"]
    table = cli(*small_data, "matrix").output
    assert "≠ a conflict" in table and "≈ a tension" in table
    assert "2 treatments: 1 with a conflict, 1 with a tension only" in table


# --- the shipped data ---------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> list[Disagreement]:
    base = load([shipped_data()]).base
    return find_disagreements(base.claims.values(), base.sources, base.studies)


@pytest.mark.parametrize(
    ("level", "one", "other"),
    [
        # conflicts
        ("conflict", "001-spinal-cord-stimulator-4", "002-spinal-cord-stimulator-1"),  # some relief vs do not work
        ("conflict", "001-spinal-cord-stimulator-1", "002-spinal-cord-stimulator-5"),  # via the CNS vs unknown
        ("conflict", "001-spinal-cord-stimulator-2", "002-spinal-cord-stimulator-9"),  # CNS vs nerves only
        ("conflict", "000-ivig-1", "000-ivig-9"),  # can provide relief vs within placebo responses
        ("conflict", "002-ketamine-nasal-sublingual-1", "003-ketamine-nasal-sublingual-1"),  # effective vs investigated
        ("conflict", "000-magnesium-2", "000-magnesium-3"),
        ("conflict", "001-desensitization-1", "002-desensitization-1"),
        ("conflict", "001-drg-stimulator-5", "002-drg-stimulator-1"),
        ("conflict", "001-tens-5", "001-tens-7"),  # helpful for some vs way worse, the author included
        # tensions
        ("tension", "000-ivig-1", "000-ivig-8"),  # the editorial's blinding doubt
        ("tension", "002-ketamine-infusion-23", "003-ketamine-infusion-22"),  # no known long-term effects vs studied
        ("tension", "002-ketamine-infusion-12", "003-ketamine-infusion-25"),  # 85% function better vs limited gain
        ("tension", "002-ldn-1", "002-ldn-14"),  # disease-modifying on a two-patient case report
        ("tension", "002-erenumab-2", "002-erenumab-4"),  # disease-modifying, citing nothing, "a possibility"
        ("conflict", "001-crps-cause-1", "002-crps-cause-8"),  # a source outside the CNS vs brain and cord
        ("conflict", "001-crps-cause-1", "002-crps-cause-6"),  # a source outside the CNS vs the glia
        ("conflict", "001-sympathetic-nerve-block-4", "002-sympathetic-nerve-block-3"),  # help vs do not work
        ("conflict", "001-desensitization-2", "002-desensitization-3"),  # avoidance vs pain is not a phobia
        ("tension", "002-alpha-lipoic-acid-7", "002-alpha-lipoic-acid-4"),  # effective IV vs no trials
        ("tension", "001-hbot-3", "001-hbot-6"),  # can help vs experimental
        ("tension", "001-plasmapheresis-3", "001-plasmapheresis-4"),  # case report vs needs research
        ("tension", "002-ketamine-infusion-18", "003-ketamine-infusion-26"),  # boosters very important vs optional
        ("tension", "002-spinal-cord-stimulator-1", "002-spinal-cord-stimulator-8"),  # do not work vs not after years
        ("tension", "001-spinal-cord-stimulator-4", "002-spinal-cord-stimulator-8"),  # some relief vs not after years
        ("tension", "001-ketamine-infusion-7", "001-ketamine-infusion-10"),  # the reader vs the author's reply
    ],
)
def test_the_issues_examples_surface_at_their_level(shipped, level, one, other):
    assert any(d.level == level and {one, other} <= set(d.claims) for d in shipped), (one, other)


def test_nothing_false_on_the_shipped_data(shipped):
    treatments = {d.treatment for d in shipped}
    for treatment in ("mental-health-care", "tadalafil", "vitamin-c", "calmare"):
        assert treatment not in treatments
    assert not [c for d in shipped for c in d.claims if c.startswith("004-")]
    # the slides' and the article's lists of ketamine side effects complement each other
    assert not [d for d in shipped if d.outcome is Outcome.side_effects]
    # IV ketamine's course lengths nest (2–10, 10 and 4–10 days)
    assert not [d for d in shipped if d.basis is Basis.figure]
    # the blog's hedged DRG passage ("some evidence ... could be to blame") neither states nor doubts a site
    hedged = {"001-crps-cause-2", "001-drg-stimulator-4"}
    assert not [d for d in shipped if hedged & set(d.claims)]
    # both sources say nerve blocks act on the nerves; they disagree only on whether that helps
    blocks = [d for d in shipped if d.treatment == "sympathetic-nerve-block"]
    assert blocks and not [d for d in blocks if d.aspect is Aspect.mechanism]


def test_the_cause_of_crps_has_one_conflict_the_slides_account_against_the_blog(shipped):
    cause = [d for d in shipped if d.treatment == "crps-cause"]
    assert [(d.level, d.basis, d.first.claims, d.second and d.second.claims) for d in cause] == [
        (Level.conflict, Basis.mechanism, ["002-crps-cause-6", "002-crps-cause-8"], ["001-crps-cause-1"])
    ]
