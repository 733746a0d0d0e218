"""The evidence base as pydantic models.

Every closed vocabulary is an Enum, so a typo in a data file is a validation error
rather than a silent new category. Every model forbids unknown fields.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.-]*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

QUOTE_MAX_WORDS = 12


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


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


class Source(Record):
    id: Id
    number: Annotated[str, StringConstraints(pattern=r"^\d{3}$")]
    file: Text
    title: Text
    author: Text | None = None
    kind: SourceKind
    year: int | None = None
    conditions: list[Condition] = Field(min_length=1)
    origin: Text | None = None
    evidence_value: Text

    @property
    def label(self) -> str:
        """Short name for tables and explanations: the kind and the document number."""
        return f"{self.kind.label} {self.number}"


class Citation(Record):
    """How one document refers to a study: its own number or author-year label."""

    source: Id
    ref: Text
    locator: Text


class Discrepancy(Record):
    """Where a document describes the study differently from the study record."""

    kind: DiscrepancyKind
    source: Id
    note: Text


class Study(Record):
    id: Id
    verification: Verification
    citations: list[Citation] = Field(min_length=1)
    authors: list[Text] = []
    title: Text | None = None
    journal: Text | None = None
    year: int | None = None
    volume_pages: Text | None = None
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    pmid: Annotated[str, StringConstraints(pattern=r"^\d{1,9}$")] | None = None
    design: StudyDesign = StudyDesign.unknown
    sample_size: int | None = None
    sample_note: Text | None = None
    finding: Text
    discrepancies: list[Discrepancy] = []

    @property
    def first_author(self) -> str | None:
        return self.authors[0].split()[0] if self.authors else None


class Treatment(Record):
    id: Id
    name: Text
    aliases: list[Text] = []
    category: Category
    group: Text | None = None
    summary: Text


class Figure(Record):
    """A number a claim states: a single value (min) or a range (min to max)."""

    quantity: Quantity
    min: float
    max: float | None = None
    unit: Unit
    note: Text | None = None


class Claim(Record):
    id: Id
    treatment: Id
    source: Id
    locator: Text
    quote: Text
    text: Text
    stance: Stance
    aspect: Aspect
    condition: Condition = Condition.crps
    speaker: Speaker = Speaker.author
    figures: list[Figure] = []
    studies: list[Id] = []

    @field_validator("quote")
    @classmethod
    def quote_is_short(cls, quote: str) -> str:
        if len(quote.split()) > QUOTE_MAX_WORDS:
            raise ValueError(f"quote has more than {QUOTE_MAX_WORDS} words")
        return quote
