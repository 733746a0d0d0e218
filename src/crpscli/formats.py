"""Output formats: one Enum, one dispatch. Machine formats are strings built from the reports."""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .queries import Report, Row

NOTICE = "crps summarises what its sources say; it is not medical advice. Ask your own clinician."

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """Neutralise control characters (ANSI/OSC escapes) so data cannot drive the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


# json.dumps escapes U+0000-U+001F but, keeping non-ASCII readable, writes DEL and the C1 controls
# (U+0080-U+009F, among them CSI U+009B) raw. They can only occur inside JSON strings.
_JSON_RAW_CONTROL = re.compile(r"[\x7f-\x9f]")


def _json_escaped(text: str) -> str:
    return _JSON_RAW_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class Format(StrEnum):
    table = "table"
    json = "json"
    yaml = "yaml"
    csv = "csv"
    tsv = "tsv"
    markdown = "markdown"
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
        return self in (Format.bibtex, Format.ris, Format.csl_json)


class BriefFormat(StrEnum):
    """The formats of `crps brief`: a document to read or print, not data."""

    markdown = "markdown"
    html = "html"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return clean(str(value))


def _delimited(rows: list[Row], delimiter: str) -> str:
    """CSV is quoted as usual; TSV is plain (tabs and newlines in values become spaces, no quoting)."""
    import csv
    import io

    out = io.StringIO()
    plain = {"quoting": csv.QUOTE_NONE, "quotechar": None} if delimiter == "\t" else {}
    if rows:
        writer = csv.DictWriter(
            out, fieldnames=list(rows[0]), delimiter=delimiter, lineterminator="\n", extrasaction="ignore", **plain
        )
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v).replace("\t", " ").replace("\n", " ") for k, v in row.items()})
    return out.getvalue()


def _markdown(rows: list[Row]) -> str:
    if not rows:
        return f"_No rows._\n\n_{NOTICE}_\n"

    def escape(value: object) -> str:
        return _cell(value).replace("|", "\\|").replace("\n", " ")

    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(escape(row.get(k)) for k in header) + " |" for row in rows]
    return "\n".join(lines) + f"\n\n_{NOTICE}_\n"


def _json_default(value: Any) -> Any:
    """What json cannot encode itself: a report's dataclasses are their fields (enums are already
    strings to json), paths their text. Cheaper than converting the whole report first."""
    if is_dataclass(value):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    return str(value)


def dump_data(report: Report, fmt: Format) -> str:
    """Any format but `table`, as text ready for stdout."""
    match fmt:
        case Format.json:
            import json

            return _json_escaped(json.dumps(report, indent=2, ensure_ascii=False, default=_json_default)) + "\n"
        case Format.yaml:  # the same data as JSON (one rule for turning a report into data), as YAML
            import json

            from .yamlfile import dump_yaml

            return dump_yaml(json.loads(json.dumps(report, ensure_ascii=False, default=_json_default)))
        case Format.csv:
            return _delimited(report.rows(), ",")
        case Format.tsv:
            return _delimited(report.rows(), "\t")
        case Format.markdown:
            return _markdown(report.rows())
        case Format.bibtex | Format.ris | Format.csl_json:
            from . import citations

            write = {Format.bibtex: citations.bibtex, Format.ris: citations.ris, Format.csl_json: citations.csl_json}
            return write[fmt](report.cited_studies())
        case Format.table:
            raise ValueError("table output is rendered by crpscli.render")
