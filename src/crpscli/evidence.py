"""The evidence base in memory and the problems found loading it: plain data, cheap to import.

Kept apart from `loading.py` (YAML and pydantic) so that a command answered from the cache
imports neither.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from .models import Claim, Source, Study, Treatment


class Code(StrEnum):
    """Stable problem codes; the README lists them with one sentence each."""

    INVALID_YAML = "D001"
    UNSAFE_TAG = "D002"
    DUPLICATE_KEY = "D003"
    NOT_A_LIST = "D004"
    UNKNOWN_FIELD = "D005"
    MISSING_FIELD = "D006"
    UNKNOWN_VALUE = "D007"
    INVALID_VALUE = "D008"
    DUPLICATE_ID = "D009"
    DUPLICATE_ALIAS = "D010"
    UNKNOWN_REFERENCE = "D011"
    QUOTE_NOT_FOUND = "D012"
    UNREADABLE = "D013"
    NO_DATA = "D014"


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    code: Code
    entry: str
    message: str

    def __str__(self) -> str:
        entry = f" {self.entry}:" if self.entry else ""
        return f"{self.path}:{self.line}: {self.code.value}{entry} {self.message}"


FILE_LEVEL = {Code.INVALID_YAML, Code.UNSAFE_TAG, Code.DUPLICATE_KEY, Code.NOT_A_LIST, Code.UNREADABLE}


# The four files of a data directory, in the order they are read, with their model.
FILES: dict[str, type] = {
    "sources.yaml": Source,
    "studies.yaml": Study,
    "treatments.yaml": Treatment,
    "claims.yaml": Claim,
}


@dataclass
class EvidenceBase:
    """Everything the tool knows, keyed by id, in data order."""

    sources: dict[str, Source] = field(default_factory=dict)
    studies: dict[str, Study] = field(default_factory=dict)
    treatments: dict[str, Treatment] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)

    def table(self, filename: str) -> dict[str, Any]:
        return {
            "sources.yaml": self.sources,
            "studies.yaml": self.studies,
            "treatments.yaml": self.treatments,
            "claims.yaml": self.claims,
        }[filename]

    def counts(self) -> dict[str, int]:
        return {
            "sources": len(self.sources),
            "treatments": len(self.treatments),
            "claims": len(self.claims),
            "studies": len(self.studies),
        }


@dataclass
class LoadResult:
    base: EvidenceBase
    problems: list[Problem]
    notices: list[str]
    # (file name, id) -> where the entry that won is defined
    locations: dict[tuple[str, str], tuple[Path, int]] = field(default_factory=dict)


def name_key(text: str) -> str:
    """Fold a name for matching: case, accents, spaces, hyphens and punctuation ignored."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())
