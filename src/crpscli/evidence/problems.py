"""The problems found in data files, their stable codes, and the limits on untrusted files."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


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
    OUTCOME_OUTSIDE_ASPECT = "D015"
    GROUP_NAME_TAKEN = "D016"


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    code: Code
    entry: str
    message: str

    def __str__(self) -> str:
        """One line, whatever the data put in the entry name or message (a key may hold a line break)."""
        entry = f" {self.entry}:" if self.entry else ""
        return f"{self.path}:{self.line}: {self.code.value}{entry} {self.message}".replace("\n", "\\n")


# Limits on untrusted data files (the README's Security section lists them).
MAX_FILE_BYTES = 32 * 1024 * 1024  # the shipped claims.yaml is 0.14 MB, a hundredfold one (bench/scale.py) 19.5 MB
MAX_LINE_CHARS = 100_000
MAX_DEPTH = 64
MAX_ALIAS_NODES = 100_000
MAX_NODES = 2_000_000  # values in one file; that hundredfold claims.yaml has 1.1 million
MAX_PROBLEMS = 1000  # listed per file; then the file is not checked further

FILE_LEVEL = {Code.INVALID_YAML, Code.UNSAFE_TAG, Code.DUPLICATE_KEY, Code.NOT_A_LIST, Code.UNREADABLE}
