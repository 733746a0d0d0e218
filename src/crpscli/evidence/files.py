"""The one registry of data files: each file's name, the kind of record it holds, and its table.

Loading, the cache, `crps check`, the schema and export all read this, so a new kind of data
file is added here once.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .problems import MAX_FILE_BYTES
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


class Unreadable(Exception):
    """A file that is not read: not a regular file, over the size limit, or failing to open."""


def read_bounded(path: Path, limit: int = MAX_FILE_BYTES) -> tuple[bytes, os.stat_result]:
    """A file's bytes, read once, and the stat of the very descriptor they were read from.

    Opened with O_NONBLOCK, so a FIFO swapped in under the name cannot hang the open, and checked
    with fstat on that descriptor, so nothing swapped in after a check is read unchecked.
    """
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file")
        if info.st_size > limit:
            raise Unreadable(f"larger than the limit of {limit // 2**20} MB")
        chunks, size = [], 0
        while size <= limit and (chunk := os.read(handle, min(limit + 1 - size, 1 << 20) or 1)):
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from None
    finally:
        os.close(handle)
    data = b"".join(chunks)
    if len(data) > limit:
        raise Unreadable(f"larger than the limit of {limit // 2**20} MB")
    return data, info
