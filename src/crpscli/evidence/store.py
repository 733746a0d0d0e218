"""Where the evidence comes from: the cache when it matches the data files, else the YAML (then cached)."""

from __future__ import annotations

from pathlib import Path

from . import cache
from .base import LoadResult


def load_evidence(directories: list[Path], *, use_cache: bool = True) -> LoadResult:
    """The evidence base of these data directories, from the cache file when it matches them."""

    def build(contents: dict[Path, bytes] | None) -> LoadResult:
        from .loading import load

        return load(directories, contents)

    return cache.load_or_build(directories, build) if use_cache else build(None)
