"""Where the evidence comes from: the cache when it matches the data files, else the YAML (then cached)."""

from __future__ import annotations

from pathlib import Path

from . import cache
from .base import LoadResult


def load_evidence(directories: list[Path], *, use_cache: bool = True) -> LoadResult:
    """The evidence base of these data directories, from the cache file when it matches them."""
    path = cache.cache_file(directories) if use_cache else None
    if path and (cached := cache.read(path)):
        return cached
    from .loading import load

    result = load(directories)
    if path and not result.problems:  # data with problems is never cached: every run reports them
        cache.store(path, result)
    return result
