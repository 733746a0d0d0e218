"""The data formats: JSON, YAML, CSV, TSV and markdown, as text built from a report."""

from __future__ import annotations

import json
import re
from dataclasses import fields, is_dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from .text import NOTICE, clean

if TYPE_CHECKING:
    from ..answers.common import Report, Row


# json.dumps escapes U+0000-U+001F but, keeping non-ASCII readable, writes DEL and the C1 controls
# (U+0080-U+009F, among them CSI U+009B) raw. They can only occur inside JSON strings.
_JSON_RAW_CONTROL = re.compile(r"[\x7f-\x9f]")


def _json_escaped(text: str) -> str:
    return _JSON_RAW_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# Line and paragraph separators end a line for str.splitlines() and many editors: in a TSV or
# CSV cell they would split a row. Shown as escapes, like the control characters clean() handles.
_SEPARATORS = re.compile("[\u2028\u2029]")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _SEPARATORS.sub(lambda m: f"\\u{ord(m.group()):04x}", clean(str(value)))


def _markdown_cell(value: object) -> str:
    """A table cell: HTML escaped (a markdown renderer passes tags through and would run a
    <script> from the data), pipes escaped, on one line."""
    text = _cell(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\n", " ")


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

    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_markdown_cell(row.get(k)) for k in header) + " |" for row in rows]
    return "\n".join(lines) + f"\n\n_{NOTICE}_\n"


def _json_default(value: Any) -> Any:
    """What json cannot encode itself: a report's dataclasses are their fields (enums are already
    strings to json), paths their text. Cheaper than converting the whole report first."""
    if is_dataclass(value):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    return str(value)


def to_json(report: Report) -> str:
    # allow_nan off: NaN and Infinity are not JSON (validation keeps them out of the data)
    text = json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False, default=_json_default)
    return _json_escaped(text) + "\n"


def to_yaml(report: Report) -> str:
    """The same data as JSON (one rule for turning a report into data), as YAML."""
    return dump_yaml(json.loads(json.dumps(report, ensure_ascii=False, default=_json_default)))


def to_csv(report: Report) -> str:
    return _delimited(report.rows(), ",")


def to_tsv(report: Report) -> str:
    return _delimited(report.rows(), "\t")


def to_markdown(report: Report) -> str:
    return _markdown(report.rows())


@cache
def _dumper() -> type:
    """PyYAML escapes control characters in double quotes, but leaves NEL (U+0085) raw in other
    styles; a string holding one is written double-quoted, so it comes out as the escape \\N.
    (Built on first use: yaml is imported only for YAML output.)"""
    import yaml

    def represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = '"' if "\x85" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    dumper = type("Dumper", (yaml.SafeDumper,), {})
    dumper.add_representer(str, represent_str)
    return dumper


def dump_yaml(data: object) -> str:
    """YAML text for output; every control character in it is escaped."""
    import yaml

    return yaml.dump(data, Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=100)
