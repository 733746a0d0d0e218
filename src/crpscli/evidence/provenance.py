"""The provenance check: every claim's quote must appear in its source document."""

from __future__ import annotations

import re
from pathlib import Path

from .base import EvidenceBase
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
        path = documents / source.file
        texts[source.id] = fold(path.read_text(encoding="utf-8", errors="replace")) if path.is_file() else None
    for source_id, text in texts.items():
        if text is None:
            path, line = locations[("sources.yaml", source_id)]
            problems.append(
                Problem(
                    path,
                    line,
                    Code.QUOTE_NOT_FOUND,
                    source_id,
                    f"document {base.sources[source_id].file} not found in {documents}",
                )
            )
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
