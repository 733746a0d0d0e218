"""The one rule that decides where claims disagree, and how strongly: a conflict or a tension.

Claims disagree only about the same treatment and the same question (aspect and outcome), and only
about CRPS: a claim about another condition (004 on back pain) is context, never a disagreement.
Claims are bucketed by (question, source, speaker, stance) and buckets are compared, never claim
pairs, so the work grows with the number of sources and stances, not with claims squared; each
entry stands for one pair of buckets and lists every claim on each side.

- **conflict**: the claims cannot both be taken at face value.
  - supports or mixed against opposes on the same question (a source's own mixed and opposes
    claims are a tension: it qualifies its own verdict);
  - figures for the same protocol quantity and unit that do not overlap;
  - a stated mechanism (supports or neutral, on site of action or target) against a claim that
    it is unknown (caution, outcome `general`: no site or target named) or against a contrary
    account (opposes on the same question, or `general`). A caution that names a site or target
    is a hedged account, neither stated nor doubting;
  - efficacy supported by one source while another says there are no trials, it is still under
    investigation or experimental (an `evidence` claim with one of those outcomes).
- **tension**: reconcilable on a careful reading, but a reader must see it.
  - supports against caution on efficacy, long-term safety or serious risk;
  - on protocol, supports (a step is needed or important) against mixed (it is done either way,
    with or without it): the boosters the slides call very important, the article optional;
  - opposes on long-term benefit (the benefit does not last) against any verdict on efficacy
    `overall`, supports, mixed or opposes: it concedes an early benefit, so it qualifies "they do
    not work" and does not deny "some find relief";
  - figures that overlap only in part (one range nested in another is no disagreement);
  - the same source both supports efficacy and gives such an evidence status;
  - strong wording (supports on disease course or overall efficacy) where every study the source
    cites for the treatment's efficacy is a case report or an animal study, or where the source
    calls it disease-modifying and cites nothing; the entry also names the source's own cautions on
    its efficacy (the slides' CGRP antagonists: disease-modifying, yet only "a possibility").
- **not a disagreement**: different questions; another condition; neutral claims; supports
  against mixed (but on protocol); caution against opposes; supports against caution on short-term side effects
  (a list of side effects complements "they are mild"), on protocol and on the practical aspects
  (indication, cost and access, diagnosis, prevention), where a caution adds a condition rather
  than doubts the claim. Outcomes `general` and `administration` group several questions under
  one name, so their stances are never compared (their figures are).

Within efficacy, `overall` (works or not) meets each narrower outcome where one side opposes.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, cached_property
from itertools import combinations_with_replacement

from ..evidence.base import paused_gc
from ..evidence.records import Claim, Figure, Source, Study, author_year, design_and_size, format_figure, work_name
from ..evidence.vocab import Aspect, Condition, Level, Outcome, Quantity, Speaker, Stance, StudyDesign

SUBJECT = Condition.crps
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
# Outcomes that bundle several questions: their stances are not compared.
BUNDLES = {Outcome.general, Outcome.administration}
# Where a caution doubts a supporting claim rather than adding a condition to it.
DOUBTED = {Aspect.efficacy: set(Outcome), Aspect.safety: {Outcome.long_term_safety, Outcome.serious_risk}}
POSITIVE = {Stance.supports, Stance.mixed}
STATED = {Stance.supports, Stance.neutral}
MECHANISM_QUESTIONS = {Outcome.site_of_action, Outcome.target}
STATUS = {
    Outcome.no_trials: "there are no trials of it",
    Outcome.under_investigation: "it is still under investigation",
    Outcome.experimental: "it is experimental",
}
STRONG = {Outcome.disease_course, Outcome.overall}
WEAK_DESIGNS = {StudyDesign.case_report, StudyDesign.animal_study}
SHOWN = 4  # claim ids and studies named in a sentence; the rest are counted


class Basis(StrEnum):
    """What the disagreement is about."""

    stance = "stance"
    figure = "figure"
    mechanism = "mechanism"
    evidence = "evidence"


@dataclass(frozen=True, slots=True, kw_only=True)
class Side:
    """One side of a disagreement: one source (and speaker), one stance, its claims and studies."""

    source: str
    speaker: Speaker
    stance: Stance | None  # None for a side of figures (its claims' stances do not matter)
    outcome: Outcome | None  # None where one side spans several efficacy outcomes
    claims: list[str]
    studies: list[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class Disagreement:
    treatment: str
    aspect: Aspect
    outcome: Outcome
    level: Level
    basis: Basis
    first: Side
    # For strong wording on weak evidence, the source's own cautions on efficacy, or None: the other
    # side is then only the source's own studies.
    second: Side | None
    explanation: str

    @property
    def claims(self) -> list[str]:
        return self.first.claims + (self.second.claims if self.second else [])


@dataclass
class _Bucket:
    """Claims of one source and speaker, with one stance, on one question; what an entry says of
    them is worked out once however many entries name them."""

    source: str
    speaker: Speaker
    stance: Stance
    outcome: Outcome
    writer: _Writer
    claims: list[Claim] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, Speaker]:
        return (self.source, self.speaker)

    @cached_property
    def side(self) -> Side:
        return _side(self.key, self.stance, self.outcome, self.claims)

    @cached_property
    def said(self) -> str:
        """Its claims and studies: "a, b; citing Kemler 2000 (rct, n=54)"."""
        return self.writer.evidence(self.side.claims, self.side.studies)


class _Writer:
    """The words of an explanation: sources by label and kind, studies by first author, year, design."""

    def __init__(self, sources: Mapping[str, Source], studies: Mapping[str, Study]) -> None:
        self.sources = sources
        self.studies = studies
        self.named: dict[str, str] = {}  # study id -> its words: a study is named again and again

    def who(
        self, source: str, speaker: Speaker, against: tuple[str, Speaker] | None = None, second: bool = False
    ) -> str:
        """The source by label; a reader comment as such, and the author as such when a reader of the
        same source is the other side. The `second` side, when it is the first one again, is the
        source "itself": the source disagrees with its own words."""
        found = self.sources.get(source)
        label = found.label if found else source
        if second and against == (source, speaker):
            label = f"{label} itself"
        if speaker is Speaker.reader_comment:
            return f"a reader comment in {label}"
        return f"the author of {label}" if against and against[0] == source and against[1] != speaker else label

    def study(self, study_id: str) -> str:
        if (named := self.named.get(study_id)) is None:
            named = self.named[study_id] = self._study(study_id)
        return named

    def _study(self, study_id: str) -> str:
        study = self.studies.get(study_id)
        if study is None:
            return study_id
        if not (study.first_author or study.year):  # named as the first document citing it names it
            ref = study.citations[0].ref if study.citations else None
            return ("" if not ref or not ref.isdigit() else f"[{ref}] ") + work_name(None, None, ref, study.design)
        who = author_year(study.first_author, study.year, study.id)
        return f"{who} ({design_and_size(study.design, study.sample_size)})"

    def own(self, source_id: str, study_id: str) -> str:
        """ ", by the source's own author" when the study's first author wrote the source."""
        source, study = self.sources.get(source_id), self.studies.get(study_id)
        surname = study.first_author if study else None
        words = set(source.author.replace(",", " ").split()) if source and source.author else set()
        mine = bool(surname and set(surname.split()) <= words)
        return ", by the source's own author" if mine else ""

    @staticmethod
    def listed(items: list[str]) -> str:
        shown = ", ".join(items[:SHOWN])
        return shown + (f" and {len(items) - SHOWN} more" if len(items) > SHOWN else "")

    def evidence(self, claims: list[str], studies: list[str]) -> str:
        cited = f"citing {self.listed([self.study(s) for s in studies])}" if studies else "citing no study"
        return f"{self.listed(claims)}; {cited}"


def _studies(claims: Iterable[Claim]) -> list[str]:
    return list(dict.fromkeys(s for c in claims for s in c.studies))


@cache
def _question(aspect: Aspect, *outcomes: Outcome) -> str:
    named = " vs ".join(dict.fromkeys(o.value.replace("_", " ") for o in outcomes))
    return f"{aspect.value.replace('_', ' ')} ({named})"


VERB = {
    Stance.supports: "supports it",
    Stance.opposes: "opposes it",
    Stance.mixed: "reports mixed results",
    Stance.caution: "urges caution",
    Stance.neutral: "describes it",
}
PROTOCOL_VERB = {Stance.supports: "gives it as needed", Stance.mixed: "gives it as optional"}


def _verb(aspect: Aspect, bucket: _Bucket) -> str:
    """What a side does, in words. On how a treatment is given, supports means a step is needed and
    mixed that it is done either way; opposing a long-term benefit denies only that it lasts."""
    if aspect is Aspect.protocol and bucket.stance in PROTOCOL_VERB:
        return PROTOCOL_VERB[bucket.stance]
    if bucket.stance is Stance.opposes and bucket.outcome is Outcome.long_term_benefit:
        return "says the benefit does not last"
    return VERB[bucket.stance]


def _lasting_only(first: _Bucket, second: _Bucket) -> bool:
    """One side opposes only a lasting benefit and the other speaks of efficacy overall: "no great
    benefit after a few years" concedes the early benefit that "some find relief" reports and that
    "they do not work" denies, so the two are reconcilable either way."""
    return any(
        one.stance is Stance.opposes and one.outcome is Outcome.long_term_benefit and other.outcome is Outcome.overall
        for one, other in ((first, second), (second, first))
    )


def _stance_level(aspect: Aspect, first: _Bucket, second: _Bucket) -> Level | None:
    pair = {first.stance, second.stance}
    if Stance.opposes in pair and pair <= POSITIVE | {Stance.opposes} and _lasting_only(first, second):
        return Level.tension
    if Stance.opposes in pair and pair & POSITIVE:
        own = (first.source, first.speaker) == (second.source, second.speaker)
        return Level.tension if own and Stance.mixed in pair else Level.conflict
    if pair == {Stance.supports, Stance.caution} and first.outcome in DOUBTED.get(aspect, ()):
        return Level.tension
    if pair == {Stance.supports, Stance.mixed} and aspect is Aspect.protocol:  # needed, against done either way
        return Level.tension
    return None


def _same_question(aspect: Aspect, first: _Bucket, second: _Bucket) -> bool:
    """The same outcome; in efficacy, `overall` also meets every narrower outcome, but only where one
    side opposes (does it work at all), not for a caution, which qualifies one question."""
    if first.outcome == second.outcome:
        return True
    opposed = Stance.opposes in (first.stance, second.stance)
    return aspect is Aspect.efficacy and opposed and Outcome.overall in (first.outcome, second.outcome)


def _buckets(claims: Iterable[Claim], writer: _Writer) -> list[_Bucket]:
    found: dict[tuple[str, Speaker, Stance, Outcome], _Bucket] = {}
    for claim in claims:
        key = (claim.source, claim.speaker, claim.stance, claim.outcome)
        if key not in found:
            found[key] = _Bucket(*key, writer=writer)
        found[key].claims.append(claim)
    return list(found.values())


def _by_stance(treatment: str, aspect: Aspect, claims: list[Claim], words: _Writer) -> list[Disagreement]:
    buckets = [b for b in _buckets(claims, words) if b.outcome not in BUNDLES and b.stance is not Stance.neutral]
    found = []
    for first, second in combinations_with_replacement(buckets, 2):
        level = _stance_level(aspect, first, second)
        if level is None or not _same_question(aspect, first, second):
            continue
        # the supporting side speaks first; of two alike, the broader one
        supporting = second.stance in POSITIVE and first.stance not in POSITIVE
        if supporting or (first.stance is second.stance and second.outcome is Outcome.overall):
            first, second = second, first
        joint = "but" if level is Level.conflict else "while"
        explanation = (
            f"On {_question(aspect, first.outcome, second.outcome)}, {words.who(*first.key, second.key)} "
            f"{_verb(aspect, first)} ({first.said}) {joint} {words.who(*second.key, first.key, second=True)} "
            f"{_verb(aspect, second)} ({second.said})."
        )
        found.append(
            Disagreement(
                treatment=treatment,
                aspect=aspect,
                outcome=first.outcome if first.outcome == second.outcome else Outcome.overall,
                level=level,
                basis=Basis.stance,
                first=first.side,
                second=second.side,
                explanation=explanation,
            )
        )
    return found


def _by_mechanism(treatment: str, claims: list[Claim], words: _Writer) -> list[Disagreement]:
    buckets = _buckets(claims, words)
    stated = [b for b in buckets if b.stance in STATED and b.outcome in MECHANISM_QUESTIONS]
    doubting = [
        b
        for b in buckets
        if b.stance is Stance.opposes or (b.stance is Stance.caution and b.outcome is Outcome.general)
    ]
    found = []
    for doubt in doubting:
        for state in stated:
            if doubt.outcome not in (state.outcome, Outcome.general):
                continue
            says = "says it is not known" if doubt.stance is Stance.caution else "rejects that account"
            explanation = (
                f"On {_question(Aspect.mechanism, state.outcome)}, {words.who(*state.key, doubt.key)} gives an "
                f"account ({state.said}) but {words.who(*doubt.key, state.key, second=True)} {says} ({doubt.said})."
            )
            found.append(
                Disagreement(
                    treatment=treatment,
                    aspect=Aspect.mechanism,
                    outcome=state.outcome,
                    level=Level.conflict,
                    basis=Basis.mechanism,
                    first=state.side,
                    second=doubt.side,
                    explanation=explanation,
                )
            )
    return found


def _interval(figure: Figure) -> tuple[float, float]:
    return (figure.min, figure.min if figure.max is None else figure.max)


def _partial_overlap(mine: list[tuple[float, float]], theirs: list[tuple[float, float]]) -> tuple | None:
    """A pair (a, b) with a starting before b and ending before b ends (neither nests in the other).

    All pairs are known to overlap, so this is a dominance query: sort one side by start and keep
    the running least end, then look each interval of the other side up by its start.
    """
    for left, right in ((mine, theirs), (theirs, mine)):
        ordered = sorted(left)
        starts = [a for a, _ in ordered]
        least: list[tuple[float, float]] = []
        for interval in ordered:
            least.append(interval if not least or interval[1] < least[-1][1] else least[-1])
        for b in right:
            index = bisect_left(starts, b[0])  # intervals of left starting strictly before b
            if index and least[index - 1][1] < b[1]:
                return (least[index - 1], b) if left is mine else (b, least[index - 1])
    return None


def _figure_words(interval: tuple[float, float], like: Figure) -> str:
    low, high = interval
    return format_figure(Figure(quantity=like.quantity, min=low, max=None if low == high else high, unit=like.unit))


def _by_figures(treatment: str, aspect: Aspect, claims: list[Claim], words: _Writer) -> list[Disagreement]:
    """Per (outcome, quantity, unit): sides by (source, speaker), each with its distinct intervals."""
    sides: dict[tuple, dict[tuple[str, Speaker], dict[tuple[float, float], list[Claim]]]] = {}
    units: dict[tuple, Figure] = {}
    for claim in claims:
        for figure in claim.figures:
            if figure.quantity in COMPARABLE:
                key = (claim.outcome, figure.quantity, figure.unit)
                units.setdefault(key, figure)
                by_side = sides.setdefault(key, {}).setdefault((claim.source, claim.speaker), {})
                by_side.setdefault(_interval(figure), []).append(claim)
    found = []
    for key, by_side in sides.items():
        outcome, quantity, _ = key
        for (one, one_intervals), (other, other_intervals) in combinations_with_replacement(by_side.items(), 2):
            mine, theirs = list(one_intervals), list(other_intervals)
            low_end, high_start = min(mine, key=lambda i: i[1]), max(theirs)
            low_end_b, high_start_b = min(theirs, key=lambda i: i[1]), max(mine)
            pair: tuple | None
            if low_end[1] < high_start[0]:
                level, pair = Level.conflict, (low_end, high_start)
            elif low_end_b[1] < high_start_b[0]:
                level, pair = Level.conflict, (high_start_b, low_end_b)
            else:
                level, pair = Level.tension, _partial_overlap(mine, theirs)
            if pair is None:
                continue
            a, b = pair
            first_claims, second_claims = one_intervals[a], other_intervals[b]
            how = "do not overlap" if level is Level.conflict else "overlap only in part"
            explanation = (
                f"On {_question(aspect, outcome)}, {words.who(*one, other)} gives {quantity.value.replace('_', ' ')} "
                f"{_figure_words(a, units[key])} "
                f"({words.evidence([c.id for c in first_claims], _studies(first_claims))}) and "
                f"{words.who(*other, one, second=True)} gives {_figure_words(b, units[key])} "
                f"({words.evidence([c.id for c in second_claims], _studies(second_claims))}): the figures {how}."
            )
            found.append(
                Disagreement(
                    treatment=treatment,
                    aspect=aspect,
                    outcome=outcome,
                    level=level,
                    basis=Basis.figure,
                    first=_side(one, None, outcome, first_claims),
                    second=_side(other, None, outcome, second_claims),
                    explanation=explanation,
                )
            )
    return found


def _side(who: tuple[str, Speaker], stance: Stance | None, outcome: Outcome | None, claims: list[Claim]) -> Side:
    return Side(
        source=who[0],
        speaker=who[1],
        stance=stance,
        outcome=outcome,
        claims=[c.id for c in claims],
        studies=_studies(claims),
    )


def _by_evidence(treatment: str, efficacy: list[Claim], status: list[Claim], words: _Writer) -> list[Disagreement]:
    supporting = [b for b in _buckets(efficacy, words) if b.stance is Stance.supports]
    by_source: dict[tuple[str, Speaker], list[_Bucket]] = {}
    for bucket in supporting:
        by_source.setdefault((bucket.source, bucket.speaker), []).append(bucket)
    found = []
    answered: set[tuple[str, Speaker]] = set()
    for doubt in _buckets(status, words):
        for who, buckets in by_source.items():
            claims = [c for b in buckets for c in b.claims]
            own = who == (doubt.source, doubt.speaker)
            if own:
                answered.add(who)
            level = Level.tension if own else Level.conflict
            says = STATUS[doubt.outcome]
            other = "it also says" if own else f"{words.who(*doubt.key, who)} says"
            explanation = (
                f"On efficacy, {words.who(*who, doubt.key)} supports it "
                f"({words.evidence([c.id for c in claims], _studies(claims))}) but {other} {says} "
                f"({doubt.said})."
            )
            found.append(
                Disagreement(
                    treatment=treatment,
                    aspect=Aspect.evidence,  # the question is the evidence status it gives
                    outcome=doubt.outcome,
                    level=level,
                    basis=Basis.evidence,
                    first=_side(who, Stance.supports, None, claims),
                    second=doubt.side,
                    explanation=explanation,
                )
            )
    found += _weak_evidence(treatment, efficacy, answered, words)
    return found


def _weak_evidence(
    treatment: str, efficacy: list[Claim], answered: set[tuple[str, Speaker]], words: _Writer
) -> list[Disagreement]:
    """Strong wording where the source's own studies for the treatment's efficacy are weak or absent."""
    by_source: dict[tuple[str, Speaker], list[Claim]] = {}
    for claim in efficacy:
        by_source.setdefault((claim.source, claim.speaker), []).append(claim)
    found = []
    for who, claims in by_source.items():
        if who in answered:  # its own evidence status already says the evidence is thin
            continue
        studies = _studies(claims)
        strong = [c for c in claims if c.stance is Stance.supports and c.outcome in STRONG]
        if studies and all(s in words.studies and words.studies[s].design in WEAK_DESIGNS for s in studies):
            listed = words.listed([words.study(s) + words.own(who[0], s) for s in studies])
            weak = f"the only study it cites for it is {listed}" if len(studies) == 1 else ""
            weak = weak or f"the only studies it cites for it are {listed}"
        elif not studies:
            strong = [c for c in strong if c.outcome is Outcome.disease_course]
            weak = "it cites no study for it"
        else:
            continue
        if not strong:
            continue
        outcomes = list(dict.fromkeys(c.outcome for c in strong))
        hedges = [c for c in claims if c.stance is Stance.caution]  # "only a possibility" beside "disease modifying"
        hedged = f", and it urges caution itself ({words.listed([c.id for c in hedges])})" if hedges else ""
        found.append(
            Disagreement(
                treatment=treatment,
                aspect=Aspect.efficacy,
                outcome=outcomes[0],
                level=Level.tension,
                basis=Basis.evidence,
                first=_side(who, Stance.supports, outcomes[0], strong),
                second=_side(who, Stance.caution, None, hedges) if hedges else None,
                explanation=(
                    f"On {_question(Aspect.efficacy, *outcomes)}, {words.who(*who)} supports it "
                    f"({words.listed([c.id for c in strong])}) but {weak}{hedged}."
                ),
            )
        )
    return found


def find_disagreements(
    claims: Iterable[Claim], sources: Mapping[str, Source], studies: Mapping[str, Study]
) -> list[Disagreement]:
    """Every conflict and tension among the claims: by treatment in data order, conflicts first (with
    the collector paused: over a whole base the entries are thousands of objects that all live on)."""
    with paused_gc():
        return _find_disagreements(claims, sources, studies)


def _find_disagreements(
    claims: Iterable[Claim], sources: Mapping[str, Source], studies: Mapping[str, Study]
) -> list[Disagreement]:
    words = _Writer(sources, studies)
    groups: dict[str, dict[Aspect, list[Claim]]] = {}
    for claim in claims:
        if claim.condition == SUBJECT:
            groups.setdefault(claim.treatment, {}).setdefault(claim.aspect, []).append(claim)
    found: list[Disagreement] = []
    for treatment, by_aspect in groups.items():
        here: list[Disagreement] = []
        for aspect, group in by_aspect.items():
            if aspect is Aspect.mechanism:
                here += _by_mechanism(treatment, group, words)
            elif aspect is not Aspect.evidence:
                here += _by_stance(treatment, aspect, group, words)
            here += _by_figures(treatment, aspect, group, words)
        status = [c for c in by_aspect.get(Aspect.evidence, []) if c.outcome in STATUS]
        here += _by_evidence(treatment, by_aspect.get(Aspect.efficacy, []), status, words)
        found += sorted(here, key=lambda d: d.level is not Level.conflict)
    return found


def levels_by_claim(disagreements: Iterable[Disagreement]) -> dict[str, Level]:
    """The strongest level each claim takes part in."""
    levels: dict[str, Level] = {}
    for d in disagreements:
        for claim in d.claims:
            if levels.get(claim) is not Level.conflict:
                levels[claim] = d.level
    return levels


def levels_by_treatment(disagreements: Iterable[Disagreement]) -> dict[str, Level]:
    """The strongest level found on each treatment that has a disagreement."""
    levels: dict[str, Level] = {}
    for d in disagreements:
        if levels.get(d.treatment) is not Level.conflict:
            levels[d.treatment] = d.level
    return levels


def strongest(disagreements: Iterable[Disagreement]) -> Level | None:
    """The strongest level among these entries, None when there is none."""
    levels = {d.level for d in disagreements}
    return Level.conflict if Level.conflict in levels else (Level.tension if levels else None)
