"""The citation formats read back by real consumers, shared by the unit and command-line tests."""

from __future__ import annotations

import json

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON


def render_bibliography(csl: str) -> list[str]:
    """The bibliography citeproc-py prints for the items, in the Harvard style it ships."""
    items = json.loads(csl)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]
