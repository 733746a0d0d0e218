"""The provenance check: every claim's quote must appear in its source document."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .base import EvidenceBase
from .files import Unreadable, read_bounded
from .problems import Code, Problem


def fold(text: str) -> str:
    """Whitespace and case folded, so line breaks in a document do not hide a quote."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def missing_quotes(
    base: EvidenceBase, locations: dict[tuple[str, str], tuple[Path, int]], documents: Path
) -> list[Problem]:
    texts: dict[str, str | None] = {}
    problems = []
    for source in base.sources.values():
        path, line = locations[("sources.yaml", source.id)]
        try:  # the documents are bounded like data files: regular files, never blocking, at most 32 MB
            content, _ = read_bounded(documents / source.file)
        except Unreadable as exc:
            texts[source.id] = None
            if os.path.lexists(documents / source.file):
                code, why = Code.UNREADABLE, f"document {source.file} in {documents}: {exc}"
            else:
                code, why = Code.QUOTE_NOT_FOUND, f"document {source.file} not found in {documents}"
            problems.append(Problem(path, line, code, source.id, why))
            continue
        texts[source.id] = fold(content.decode("utf-8", errors="replace"))
    for claim in base.claims.values():
        text = texts.get(claim.source)
        if text is not None and fold(claim.quote) not in text:
            path, line = locations[("claims.yaml", claim.id)]
            problems.append(
                Problem(
                    path,
                    line,
                    Code.QUOTE_NOT_FOUND,
                    claim.id,
                    f'quote not found in {base.sources[claim.source].file}: "{claim.quote}"',
                )
            )
    return problems
