"""The evidence base as frozen dataclasses, validated by pydantic when the data is loaded.

The records are plain dataclasses so that a command answered from the cache never pays for
pydantic; `loading.py` validates the YAML into these same classes with pydantic's
``TypeAdapter``, which reads the constraints below from the type annotations. Every closed
vocabulary is an Enum, so a typo in a data file is a validation error rather than a silent
new category. Every record forbids unknown fields.
"""

from __future__ import annotations

import math
import re
import unicodedata
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

    ``limits`` are pydantic-core schema keys (pattern, max_length, min_length, strip_whitespace,
    strict, ge, le, allow_inf_nan); ``check`` runs after them and raises ValueError with the
    message to show. ``checker`` is the same rule without pydantic, for values read back from the
    cache: what the cache returns has passed exactly what `crps check` passes.
    """

    def __init__(self, check: Callable[[Any], Any] | None = None, **limits: object) -> None:
        self.check = check
        self.limits = limits
        self.checkers: dict[type | None, Callable[[Any], Any]] = {}  # one per kind: Id, Text... recur

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        from pydantic_core import core_schema

        schema = {**handler(source), **self.limits}
        return core_schema.no_info_after_validator_function(self.check, schema) if self.check else schema

    def checker(self, kind: type | None = None) -> Callable[[Any], Any]:
        """The same rule without pydantic, as one function, for values read back from the cache
        (one call a value: a whole hundredfold base is 400,000 of them). With `kind`, the value must
        also be exactly of that type. The function holds only the steps this rule has."""
        if kind not in self.checkers:
            self.checkers[kind] = self._checker(kind)
        return self.checkers[kind]

    def _checker(self, kind: type | None) -> Callable[[Any], Any]:
        limits = self.limits
        shortest, longest = limits.get("min_length"), limits.get("max_length")
        low, high = limits.get("ge"), limits.get("le")
        pattern = limits.get("pattern")
        steps = ["def check(value):"]
        if kind is not None:
            steps.append("    if type(value) is not kind: raise TypeError(f'{type(value).__name__} where {kind}')")
        if limits.get("strip_whitespace"):
            steps.append("    value = value.strip()")
        if shortest is not None or longest is not None:
            steps.append(
                f"    if not {shortest or 0} <= len(value) <= {longest if longest is not None else 'len(value)'}: "
                f"raise ValueError(f'{{len(value)}} is outside {shortest}..{longest}')"
            )
        if pattern:
            steps.append(f"    if search(value) is None: raise ValueError({f'does not match {pattern}'!r})")
        if limits.get("allow_inf_nan") is False:
            steps.append("    if not isfinite(value): raise ValueError('not a finite number')")
        if low is not None or high is not None:
            bounds = [f"{low!r} <= value"] if low is not None else []
            bounds += [f"value <= {high!r}"] if high is not None else []
            outside = f"raise ValueError(f'{{value!r}} is outside {low}..{high}')"
            steps.append(f"    if not ({' and '.join(bounds)}): {outside}")
        steps.append("    return custom(value)" if self.check else "    return value")
        namespace = {
            "kind": kind,
            "custom": self.check,
            "search": re.compile(pattern).search if pattern else None,  # type: ignore[arg-type]
            "isfinite": math.isfinite,
        }
        exec("\n".join(steps), namespace)  # our own rule's steps, no outside text
        return namespace["check"]  # type: ignore[no-any-return]


def _short_quote(quote: str) -> str:
    if len(quote.split()) > QUOTE_MAX_WORDS:
        raise ValueError(f"quote has more than {QUOTE_MAX_WORDS} words")
    return quote


def _visible(text: str) -> str:
    """At least one character that shows: not only spaces, invisible or format characters."""
    if not text[:1].isalnum() and not any(unicodedata.category(ch)[0] in "LNPS" for ch in text):
        raise ValueError("has no visible character (only spaces, invisible or control characters)")
    return text


def _visible_quote(quote: str) -> str:
    return _short_quote(_visible(quote))


# Characters a name may not hold: C0/C1 controls, line and paragraph separators, and the
# bidirectional overrides and isolates that make text display in an order other than the one
# it is matched in.
_NOT_IN_NAMES = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_LOOKALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
_WORDS = re.compile(r"[^\W\d_]+")


def _script(letter: str) -> str | None:
    try:
        first = unicodedata.name(letter).split()[0]
    except ValueError:
        return None
    return first if first in _LOOKALIKE_SCRIPTS else None


def _name(text: str) -> str:
    """A name a user types: visible, no control or direction-changing characters, and no word
    mixing Latin, Cyrillic and Greek letters (a look-alike such as Cyrillic "а" in "Ketаmine")."""
    _visible(text)
    if text.isascii() and text.isprintable():  # the usual name: no control, no look-alike possible
        return text
    if bad := _NOT_IN_NAMES.search(text):
        raise ValueError(f"holds the control or text-direction character U+{ord(bad.group()):04X}")
    for word in _WORDS.findall(text):
        scripts = {s for s in map(_script, word) if s}
        if len(scripts) > 1:
            mixed = " and ".join(sorted(s.title() for s in scripts))
            raise ValueError(f"the word {word!r} mixes {mixed} letters (a look-alike name?)")
    return text


# "152(3):152-158", "4:9", "147(1-3):107-115", "32(1):41-5", "354(9195):2025-2028", "2:202-10"
VOLUME_PAGES = re.compile(
    r"(?P<volume>[0-9]+[A-Za-z]?)\s*(?:\((?P<issue>[0-9A-Za-z -]+)\))?"
    r"(?:\s*:\s*(?P<first>[A-Za-z]?[0-9]+)(?:\s*[-–]\s*(?P<last>[A-Za-z]?[0-9]+))?)?"
)


def _volume_pages(text: str) -> str:
    """Volume, issue and a page range whose last page (written in full) is not before the first."""
    match = VOLUME_PAGES.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not volume(issue):first-last, such as 152(3):152-158")
    first, last = match["first"], match["last"]
    if first and last and first.isdigit() and last.isdigit():
        full = first[: max(len(first) - len(last), 0)] + last
        if int(full) < int(first):
            raise ValueError(f"page range {first}-{last} ends before it starts")
    return text


def _file_name(name: str) -> str:
    """A document's file name, found in the --sources folder: no directory part, no way out of it."""
    if name in (".", "..") or any(ch in name for ch in "/\\\0"):
        raise ValueError(f"{name!r} is not a plain file name (no directory part)")
    return name


Id = Annotated[str, Rule(strict=True, pattern=r"^[a-z0-9][a-z0-9.-]*$", max_length=80)]
Text = Annotated[str, Rule(_visible, strict=True, strip_whitespace=True, min_length=1)]
Name = Annotated[str, Rule(_name, strict=True, strip_whitespace=True, min_length=1, max_length=200)]
Quote = Annotated[str, Rule(_visible_quote, strict=True, strip_whitespace=True, min_length=1)]
Year = Annotated[int, Rule(strict=True, ge=1800, le=2100)]
Count = Annotated[int, Rule(strict=True, ge=0, le=10**9)]
Number = Annotated[float, Rule(strict=True, allow_inf_nan=False, ge=-1e12, le=1e12)]
NonEmpty = Rule(min_length=1)
# DOI syntax: "10.", a registrant code, "/", then no whitespace, braces, quotes, backslash or
# control characters (a DOI becomes a BibTeX field and a terminal hyperlink, where any of those
# could end the field or the link early).
DOI_PATTERN = r"^10\.[0-9]{4,9}(\.[0-9]+)*/[^\s{}\"'`\\\x00-\x1f\x7f-\x9f]+$"

# pydantic reads this class attribute of a dataclass as its config: unknown fields are errors.
_FORBID_EXTRA = {"extra": "forbid"}
record = dataclass(frozen=True, kw_only=True)


@record
class Source:
    __pydantic_config__ = _FORBID_EXTRA

    id: Id
    number: Annotated[str, Rule(strict=True, pattern=r"^[0-9]{3}$")]
    file: Annotated[str, Rule(_file_name, strict=True, strip_whitespace=True, min_length=1, max_length=255)]
    title: Text
    author: Text | None = None
    kind: SourceKind
    year: Year | None = None
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
class Figure:
    """A number a claim states: a single value (min) or a range (min to max)."""

    __pydantic_config__ = _FORBID_EXTRA

    quantity: Quantity
    min: Number
    max: Number | None = None
    unit: Unit
    note: Text | None = None

    def __post_init__(self) -> None:
        if self.max is not None and self.max < self.min:
            raise ValueError(f"max {self.max:g} is less than min {self.min:g}")


@record
class Discrepancy:
    """Where a document describes the study differently from the study record."""

    __pydantic_config__ = _FORBID_EXTRA

    kind: DiscrepancyKind
    source: Id
    note: Text
    # The study record's own figure where the source states the same quantity otherwise ("0.5 g" for 0.5 g/kg):
    # the brief shows it beside the source's figure.
    record_figure: Figure | None = None


@record
class Study:
    __pydantic_config__ = _FORBID_EXTRA

    id: Id
    verification: Verification
    citations: Annotated[list[Citation], NonEmpty]
    authors: list[Text] = field(default_factory=list)
    title: Text | None = None
    journal: Text | None = None
    year: Year | None = None
    volume_pages: Annotated[str, Rule(_volume_pages, strict=True, strip_whitespace=True)] | None = None
    doi: Annotated[str, Rule(strict=True, pattern=DOI_PATTERN, max_length=300)] | None = None
    pmid: Annotated[str, Rule(strict=True, pattern=r"^[0-9]{1,9}$")] | None = None
    design: StudyDesign = StudyDesign.unknown
    sample_size: Count | None = None
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
    name: Name
    aliases: list[Name] = field(default_factory=list)
    category: Category
    group: Name | None = None
    summary: Text


@record
class Topic:
    """A situation or class people ask about by name (surgery, children, NSAIDs): its entries, in reading order."""

    __pydantic_config__ = _FORBID_EXTRA

    id: Id
    name: Name  # typed by people like a treatment's name, so checked like one
    aliases: list[Name] = field(default_factory=list)
    summary: Text
    members: Annotated[list[Id], NonEmpty]


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


def author_year(first_author: str | None, year: int | None, fallback: str) -> str:
    """How a study is named in a sentence: "Sigtermans 2009", else its id."""
    return " ".join(str(part) for part in (first_author, year) if part) or fallback


def design_and_size(design: object, sample_size: int | None) -> str:
    """ "rct, n=60"; "design not given" where neither the documents nor the record give one."""
    value = str(getattr(design, "value", design))
    words = "design not given" if value == StudyDesign.unknown.value else value.replace("_", " ")
    return words + (f", n={sample_size}" if sample_size else "")


def work_name(first_author: str | None, year: int | None, ref: str | None, design: object) -> str:
    """How a study a document cites is named in a sentence: "Sigtermans 2009"; a work with no
    author or year by the document's own label for it ("IVIG (source) link"), else as unnamed
    ("unnamed editorial"), never by crps's id for it."""
    if first_author or year:
        return author_year(first_author, year, "")
    if ref and not ref.isdigit():
        return f"\u201c{ref}\u201d"
    value = str(getattr(design, "value", design))
    return "unnamed " + ("work" if value == StudyDesign.unknown.value else value.replace("_", " "))
