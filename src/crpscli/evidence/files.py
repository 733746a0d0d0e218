"""The one registry of data files: each file's name, the kind of record it holds, and its table.

Loading, the cache, `crps check`, the schema and export all read this, so a new kind of data
file is added here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .records import Claim, Source, Study, Topic, Treatment


@dataclass(frozen=True)
class DataFile:
    name: str  # the file's name in a data directory
    kind: str  # one record, in messages: "claim"
    table: str  # the EvidenceBase attribute holding its records, by id: "claims"
    record: type  # the record class pydantic validates each entry into


# In the order they are read: a file's references point only to files read before it.
DATA_FILES: dict[str, DataFile] = {
    f.name: f
    for f in (
        DataFile("sources.yaml", "source", "sources", Source),
        DataFile("studies.yaml", "study", "studies", Study),
        DataFile("treatments.yaml", "treatment", "treatments", Treatment),
        DataFile("claims.yaml", "claim", "claims", Claim),
        DataFile("topics.yaml", "topic", "topics", Topic),
    )
}
FILE_OF_KIND = {f.kind: f for f in DATA_FILES.values()}


def shipped_data() -> Path:
    """The data shipped inside the package (a plain directory: crps is never run from a zip)."""
    return Path(__file__).parent.parent / "data"
