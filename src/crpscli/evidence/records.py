"""The evidence base as frozen dataclasses, validated by pydantic when the data is loaded.

The records are plain dataclasses so that a command answered from the cache never pays for
pydantic; `loading.py` validates the YAML into these same classes with pydantic's
``TypeAdapter``, which reads the constraints below from the type annotations. Every closed
vocabulary is an Enum, so a typo in a data file is a validation error rather than a silent
new category. Every record forbids unknown fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from .authors import parse_author
from .vocab import (
    Aspect,
    Category,
    Condition,
    DiscrepancyKind,
    Outcome,
    Quantity,
    SourceKind,
    Speaker,
    Stance,
    StudyDesign,
    Unit,
    Verification,
)

QUOTE_MAX_WORDS = 12


class Rule:
    """A validation constraint kept in a type annotation, built into pydantic's schema only when
    pydantic validates (``__get_pydantic_core_schema__`` is pydantic's hook for custom types).

    ``limits`` are pydantic-core string or list schema keys (pattern, max_length, min_length,
    strip_whitespace); ``check`` runs after them and raises ValueError with the message to show.
    """

    def __init__(self, check: Callable[[Any], Any] | None = None, **limits: object) -> None:
        self.check = check
        self.limits = limits

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        from pydantic_core import core_schema

        schema = {**handler(source), **self.limits}
        return core_schema.no_info_after_validator_function(self.check, schema) if self.check else schema


def _short_quote(quote: str) -> str:
    if len(quote.split()) > QUOTE_MAX_WORDS:
        raise ValueError(f"quote has more than {QUOTE_MAX_WORDS} words")
    return quote


Id = Annotated[str, Rule(pattern=r"^[a-z0-9][a-z0-9.-]*$", max_length=80)]
Text = Annotated[str, Rule(strip_whitespace=True, min_length=1)]
Quote = Annotated[str, Rule(_short_quote, strip_whitespace=True, min_length=1)]
NonEmpty = Rule(min_length=1)

# pydantic reads this class attribute of a dataclass as its config: unknown fields are errors.
_FORBID_EXTRA = {"extra": "forbid"}
record = dataclass(frozen=True, kw_only=True)


@record
class Source:
    __pydantic_config__ = _FORBID_EXTRA

    id: Id
    number: Annotated[str, Rule(pattern=r"^\d{3}$")]
    file: Text
    title: Text
    author: Text | None = None
    kind: SourceKind
    year: int | None = None
    conditions: Annotated[list[Condition], NonEmpty]
    origin: Text | None = None
    evidence_value: Text

    @property
    def label(self) -> str:
        """Short name for tables and explanations: the kind and the document number."""
        return f"{self.kind.label} {self.number}"


@record
class Citation:
    """How one document refers to a study: its own number or author-year label."""

    __pydantic_config__ = _FORBID_EXTRA

    source: Id
    ref: Text
    locator: Text


@record
class Discrepancy:
    """Where a document describes the study differently from the study record."""

    __pydantic_config__ = _FORBID_EXTRA

    kind: DiscrepancyKind
    source: Id
    note: Text


@record
class Study:
    __pydantic_config__ = _FORBID_EXTRA

    id: Id
    verification: Verification
    citations: Annotated[list[Citation], NonEmpty]
    authors: list[Text] = field(default_factory=list)
    title: Text | None = None
    journal: Text | None = None
    year: int | None = None
    volume_pages: Text | None = None
    # no control characters: the DOI becomes a terminal hyperlink, where one could end the link early
    doi: Annotated[str, Rule(pattern=r"^10\.\d{4,9}/[^\s\x00-\x1f\x7f-\x9f]+$")] | None = None
    pmid: Annotated[str, Rule(pattern=r"^\d{1,9}$")] | None = None
    design: StudyDesign = StudyDesign.unknown
    sample_size: int | None = None
    sample_note: Text | None = None
    finding: Text
    discrepancies: list[Discrepancy] = field(default_factory=list)

    @property
    def first_author(self) -> str | None:
        """The first author's family name, particles kept ("Del Valle")."""
        return parse_author(self.authors[0]).family if self.authors else None


@record
class Treatment:
    __pydantic_config__ = _FORBID_EXTRA

    id: Id
    name: Text
    aliases: list[Text] = field(default_factory=list)
    category: Category
    group: Text | None = None
    summary: Text


@record
class Topic:
    """A situation or class people ask about by name (surgery, children, NSAIDs): its entries, in reading order."""

    __pydantic_config__ = _FORBID_EXTRA

    id: Id
    name: Text
    aliases: list[Text] = field(default_factory=list)
    summary: Text
    members: Annotated[list[Id], NonEmpty]


@record
class Figure:
    """A number a claim states: a single value (min) or a range (min to max)."""

    __pydantic_config__ = _FORBID_EXTRA

    quantity: Quantity
    min: float
    max: float | None = None
    unit: Unit
    note: Text | None = None


@record
class Claim:
    __pydantic_config__ = _FORBID_EXTRA

    id: Id
    treatment: Id
    source: Id
    locator: Text
    quote: Quote
    text: Text
    stance: Stance
    aspect: Aspect
    # The question within the aspect the claim answers (vocab.OUTCOMES lists those of each aspect).
    outcome: Outcome
    condition: Condition = Condition.crps
    speaker: Speaker = Speaker.author
    figures: list[Figure] = field(default_factory=list)
    studies: list[Id] = field(default_factory=list)


def format_figure(figure: Figure) -> str:
    """A figure as text: "0.5 g", "2–10 days"."""

    def number(value: float) -> str:
        return f"{value:g}"

    span = number(figure.min) if figure.max is None else f"{number(figure.min)}–{number(figure.max)}"
    return f"{span} {figure.unit.value}"
