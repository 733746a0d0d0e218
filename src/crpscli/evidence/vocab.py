"""The closed vocabularies of the data, as Enums: a typo in a data file is an error, not a new category.

Kept apart from the record classes so the command line can offer them as choices cheaply.
"""

from __future__ import annotations

from enum import StrEnum


class SourceKind(StrEnum):
    encyclopedic_review_excerpt = "encyclopedic_review_excerpt"
    patient_blog = "patient_blog"
    clinician_slide_deck = "clinician_slide_deck"
    clinician_article = "clinician_article"
    ai_generated_answer = "ai_generated_answer"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    SourceKind.encyclopedic_review_excerpt: "review excerpt",
    SourceKind.patient_blog: "patient blog",
    SourceKind.clinician_slide_deck: "clinician slides",
    SourceKind.clinician_article: "clinician article",
    SourceKind.ai_generated_answer: "AI-generated answer",
}


class Condition(StrEnum):
    crps = "crps"
    back_pain = "back_pain"
    sepsis = "sepsis"
    autoimmune_disease = "autoimmune_disease"
    neuropathic_pain = "neuropathic_pain"
    diabetic_neuropathy = "diabetic_neuropathy"
    migraine = "migraine"
    depression = "depression"


class Category(StrEnum):
    infusion = "infusion"
    medication = "medication"  # oral, sublingual or nasal
    topical = "topical"
    supplement = "supplement"
    device = "device"  # devices and neuromodulation
    procedure = "procedure"  # injections, blocks, ablations, plasma exchange
    surgery = "surgery"
    physical_therapy = "physical_therapy"  # physical and movement therapies
    psychological = "psychological"  # psychological and behavioural
    self_care = "self_care"  # self-care and environment
    care = "care"  # finding and organising care
    diagnostic_test = "diagnostic_test"
    perioperative = "perioperative"  # precautions around surgery and hospital stays
    pregnancy = "pregnancy"  # pregnancy and delivery advice
    about = "about"  # the condition itself: signs, causes, types, diagnosis (not a treatment)


class Stance(StrEnum):
    supports = "supports"
    opposes = "opposes"
    mixed = "mixed"
    neutral = "neutral"
    caution = "caution"


class Aspect(StrEnum):
    efficacy = "efficacy"
    safety = "safety"  # safety and side effects
    protocol = "protocol"  # protocol and dosing
    mechanism = "mechanism"
    cost_access = "cost_access"
    diagnostic_use = "diagnostic_use"
    indication = "indication"  # who it suits, when to use it
    prevention = "prevention"
    evidence = "evidence"  # how far it has been studied: established, under investigation, no trials
    description = "description"  # what the condition is: signs, causes, types


class Outcome(StrEnum):
    """The question within an aspect that a claim answers: claims conflict only on the same question."""

    # efficacy
    pain = "pain"
    function = "function"  # function and daily life
    long_term_benefit = "long_term_benefit"
    disease_course = "disease_course"  # whether it changes the course of the disease ("disease modifying")
    overall = "overall"  # works or not, no narrower question named
    # safety
    side_effects = "side_effects"  # short-term side effects
    long_term_safety = "long_term_safety"
    serious_risk = "serious_risk"  # serious harms, contraindications, interactions
    # protocol
    dose = "dose"
    course_length = "course_length"
    boosters = "boosters"
    route = "route"  # how it is taken or given: IV, oral, nasal, sublingual, topical
    stopping_medicines = "stopping_medicines"  # whether other medicines must stop for it (supports: they must)
    administration = "administration"  # other details of how it is given
    # mechanism
    site_of_action = "site_of_action"  # where the problem or the treatment acts (brain, nerves, glia, DRG)
    target = "target"  # what it acts on (a receptor, a molecule, inflammation)
    # evidence
    established = "established"
    under_investigation = "under_investigation"
    no_trials = "no_trials"
    experimental = "experimental"
    # cost_access
    cost = "cost"
    access = "access"  # insurance, availability, finding a provider
    # diagnostic_use
    diagnostic_value = "diagnostic_value"
    # indication
    who_it_suits = "who_it_suits"
    when_to_use = "when_to_use"
    # prevention
    prevention = "prevention"
    # description (the condition itself)
    signs = "signs"
    cause = "cause"
    types = "types"
    course = "course"  # how the condition behaves over time, flares, spread
    general = "general"  # any aspect: no narrower question fits


OUTCOMES: dict[Aspect, frozenset[Outcome]] = {
    Aspect.efficacy: frozenset(
        {Outcome.pain, Outcome.function, Outcome.long_term_benefit, Outcome.disease_course, Outcome.overall}
    ),
    Aspect.safety: frozenset({Outcome.side_effects, Outcome.long_term_safety, Outcome.serious_risk}),
    Aspect.protocol: frozenset(
        {
            Outcome.dose,
            Outcome.course_length,
            Outcome.boosters,
            Outcome.route,
            Outcome.stopping_medicines,
            Outcome.administration,
        }
    ),
    Aspect.mechanism: frozenset({Outcome.site_of_action, Outcome.target}),
    Aspect.evidence: frozenset(
        {Outcome.established, Outcome.under_investigation, Outcome.no_trials, Outcome.experimental}
    ),
    Aspect.cost_access: frozenset({Outcome.cost, Outcome.access}),
    Aspect.diagnostic_use: frozenset({Outcome.diagnostic_value}),
    Aspect.indication: frozenset({Outcome.who_it_suits, Outcome.when_to_use}),
    Aspect.prevention: frozenset({Outcome.prevention}),
    Aspect.description: frozenset({Outcome.signs, Outcome.cause, Outcome.types, Outcome.course}),
}
"""The outcomes each aspect may take; `general` fits any aspect."""


class Level(StrEnum):
    """How strongly claims disagree (decided by answers/disagreements.py, never stored in the data)."""

    conflict = "conflict"  # they cannot both be taken at face value
    tension = "tension"  # reconcilable on a careful reading, but a reader must see it


class Speaker(StrEnum):
    author = "author"
    reader_comment = "reader_comment"


class Quantity(StrEnum):
    dose = "dose"
    daily_dose = "daily_dose"
    infusion_length = "infusion_length"  # how many days a course of infusions lasts
    session_length = "session_length"  # how long one infusion or session lasts
    booster_interval = "booster_interval"
    booster_length = "booster_length"
    course_length = "course_length"  # how long a course of treatment runs
    start_before_surgery = "start_before_surgery"
    continue_after_surgery = "continue_after_surgery"
    frequency = "frequency"
    percentage = "percentage"
    sample_size = "sample_size"
    pain_score = "pain_score"
    pressure = "pressure"
    follow_up = "follow_up"
    other = "other"


class Unit(StrEnum):
    mg = "mg"
    g = "g"
    mg_per_day = "mg/day"
    g_per_kg = "g/kg"
    mg_per_kg = "mg/kg"
    percent = "%"
    days = "days"
    hours = "hours"
    weeks = "weeks"
    months = "months"
    minutes = "minutes"
    years = "years"
    times_per_day = "times/day"
    people = "people"
    points = "points"
    ata = "ATA"


class StudyDesign(StrEnum):
    rct = "rct"
    crossover_rct = "crossover_rct"
    pilot = "pilot"
    case_report = "case_report"
    case_series = "case_series"
    retrospective_review = "retrospective_review"
    observational = "observational"
    systematic_review = "systematic_review"
    narrative_review = "narrative_review"
    editorial = "editorial"
    animal_study = "animal_study"
    autopsy_study = "autopsy_study"
    guideline = "guideline"
    letter = "letter"
    unknown = "unknown"


class Verification(StrEnum):
    """How far ../shared/bibliography.yaml could check the record."""

    verified = "verified"
    partially_verified = "partially_verified"
    from_source_only = "from_source_only"
    not_identified = "not_identified"


class DiscrepancyKind(StrEnum):
    dose_units = "dose_units"
    design = "design"
    protocol = "protocol"
    population = "population"
    result = "result"
    citation = "citation"
    relevance = "relevance"
