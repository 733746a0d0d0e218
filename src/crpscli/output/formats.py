"""The one place an answer meets its format: every command's report, the brief included, is written here.

`choose` decides the format (the option, else `--json`, else CRPS_FORMAT, else the command's
default) and `show` writes the report in it: rich tables on a terminal, plain text off one,
data formats as text from `data.py`, citation formats from `citations.py`, and the brief's
markdown or HTML from `brief.py`.
"""

from __future__ import annotations

import io
import os
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ..answers.common import Report


class Format(StrEnum):
    table = "table"
    json = "json"
    yaml = "yaml"
    csv = "csv"
    tsv = "tsv"
    markdown = "markdown"
    # One record per line: only commands whose report is a list of records (and export) take it.
    ndjson = "ndjson"
    # Citation formats: only commands whose report lists studies (cite, export) take them.
    bibtex = "bibtex"
    ris = "ris"
    csl_json = "csl-json"

    @property
    def for_people(self) -> bool:
        """Human-facing formats carry the not-medical-advice notice."""
        return self in (Format.table, Format.markdown)

    @property
    def for_citations(self) -> bool:
        """Reference-manager formats, built from a report's studies by `citations.py`."""
        return self in CITATION_FORMATS


class ColorMode(StrEnum):
    """--color: colour on a terminal only (auto, the default), always, or never."""

    auto = "auto"
    always = "always"
    never = "never"


class BriefFormat(StrEnum):
    """The formats of `crps brief`: a document to read or print, not data."""

    markdown = "markdown"
    html = "html"


CITATION_FORMATS = (Format.bibtex, Format.ris, Format.csl_json)
DATA_FORMATS = (Format.table, Format.json, Format.yaml, Format.csv, Format.tsv, Format.markdown)
RECORD_FORMATS = (Format.ndjson,)


class FormatError(ValueError):
    """A format the command does not take (from CRPS_FORMAT, or a brief's -o suffix): a usage error."""


AnyFormat = Format | BriefFormat


def listed(formats: tuple[AnyFormat, ...]) -> str:
    return ", ".join(f.value for f in formats)


def choose(
    explicit: AnyFormat | None,
    *,
    as_json: bool = False,
    accepted: tuple[AnyFormat, ...] = DATA_FORMATS,
    default: AnyFormat = Format.table,
) -> AnyFormat:
    """The format to write: the option, else --json, else CRPS_FORMAT, else the default."""
    if as_json:
        return Format.json
    if explicit:
        return explicit
    env = os.environ.get("CRPS_FORMAT", "").strip().lower()
    if not env:
        return default
    try:
        chosen = Format(env)
    except ValueError:
        chosen = None
    if chosen is None or chosen not in accepted:
        raise FormatError(f"CRPS_FORMAT={env!r} is not one of {listed(accepted)}")
    return chosen


def text_of(report: Report, fmt: AnyFormat) -> str:
    """The report in any format but a table, as text ready to write."""
    if isinstance(fmt, BriefFormat):
        from . import brief

        return brief.to_html(report) if fmt is BriefFormat.html else brief.to_markdown(report)  # type: ignore[arg-type]
    match fmt:
        case Format.bibtex | Format.ris | Format.csl_json:
            from . import citations

            write = {Format.bibtex: citations.bibtex, Format.ris: citations.ris, Format.csl_json: citations.csl_json}
            # An entry with no bibliographic details is of no use to a reference manager: left out.
            return write[fmt]([s for s in report.cited_studies() if citations.has_details(s)])
        case Format.table:
            raise ValueError("a table is shown, not written as text: use show()")
    from . import data

    writers = {
        Format.json: data.to_json,
        Format.ndjson: data.to_ndjson,
        Format.yaml: data.to_yaml,
        Format.csv: data.to_csv,
        Format.tsv: data.to_tsv,
        Format.markdown: data.to_markdown,
    }
    return writers[fmt](report)


def show(
    report: Report,
    fmt: AnyFormat,
    out: TextIO | None = None,
    *,
    colour: ColorMode = ColorMode.auto,
    paged: bool = True,
    full: bool = False,
    said: list[str] | None = None,
) -> None:
    """Write the report to stdout (or `out`): a table for people, else the format's text.

    `said`: how the names asked were read ("showing the 5 entries of group ..."), also on stderr;
    a table opens with it, so that the screen itself (and a pager, where stderr scrolls away)
    says which treatments are shown and why.

    A table is drawn with colour and boxes by rich where colour is wanted (`terminal.py` says
    when), and otherwise laid out as plain text without rich's console, which would cost a
    quarter of the run; on a terminal, long screens go through the pager.
    """
    out = out or sys.stdout
    if fmt is not Format.table:
        out.write(text_of(report, fmt))
        return
    from .tables import render
    from .terminal import height, pager_command, wants_colour, width, write_paged
    from .text import NOTICE

    coloured = wants_colour(colour, out)
    shown = render(report, not coloured, full)
    if said:
        from rich.text import Text

        shown = [Text("\n".join(f"{n[:1].upper()}{n[1:]}." for n in said), style="yellow"), *shown]
    columns = width(out)
    text = _drawn(shown, coloured, columns)
    if pager_command(paged, out) is not None and text.count("\n") >= height(out):
        # The notice ends every screen; one longer than the terminal is paged, and opens with it too,
        # since a reader may leave on the first page. A screen that fits shows it once.
        from rich.text import Text

        text = _drawn([Text(NOTICE, style="italic dim")], coloured, columns) + text
    write_paged(text, out, paged)


def _drawn(shown: list[Any], coloured: bool, columns: int) -> str:
    """The renderables as text: drawn by rich where colour is wanted, else laid out as plain text."""
    if coloured:
        from rich.console import Console, Group

        from .terminal import colour_system

        drawn = io.StringIO()
        # markup off: text from the data is shown as text, "[bold]" or "[link=...]" stays literal
        console = Console(
            file=drawn,
            force_terminal=True,
            color_system=colour_system(),  # type: ignore[arg-type]
            width=columns,
            markup=False,
            highlight=False,
            emoji=False,
        )
        console.print(Group(*shown))
        return drawn.getvalue()
    from .plaintext import plain_text

    return plain_text(shown, columns)
