"""The data formats: JSON, ndjson, YAML, CSV, TSV and markdown, as text built from a report.

A report of records (see `answers.common.Report`) is a JSON array of them, one ndjson line and one
CSV row each. Its CSV columns are the records' JSON fields, named by their path when a field is a
record itself (`first.id`), with a list joined by "; "; the columns come from the record class, so
the header is written even with no rows, and a field added to a record class is a column too.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields, is_dataclass
from enum import Enum
from functools import cache
from types import UnionType
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin, get_type_hints

from ..evidence.records import Figure, format_figure
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


def _record_class(hint: Any) -> type | None:
    """The record class a field holds (itself, or itself or None), else None."""
    if get_origin(hint) in (Union, UnionType):
        classes = [a for a in get_args(hint) if a is not type(None)]
        hint = classes[0] if len(classes) == 1 else None
    return hint if isinstance(hint, type) and is_dataclass(hint) else None


def record_type(report_class: type, field: str) -> type:
    """The class of the records in a report's list field (`list[ListEntry]` -> ListEntry)."""
    return get_args(get_type_hints(report_class)[field])[0]


@cache
def columns(record: type) -> tuple[str, ...]:
    """A record class's CSV columns: its fields, a nested record's fields by path."""
    hints = get_type_hints(record)
    names: list[str] = []
    for f in fields(record):
        nested = _record_class(hints[f.name])
        names += [f"{f.name}.{c}" for c in columns(nested)] if nested else [f.name]
    return tuple(names)


def _inline(value: object) -> str:
    """One item of a list, in a cell: a figure as "daily_dose=1.75–4.5 mg", a record as its values."""
    if isinstance(value, Figure):
        return f"{value.quantity.value}={format_figure(value)}"
    if is_dataclass(value) and not isinstance(value, type):
        return ": ".join(_inline(getattr(value, f.name)) for f in fields(value) if getattr(value, f.name) is not None)
    return value.value if isinstance(value, Enum) else str(value)


def flat(record: object, prefix: str = "") -> Row:
    """A record as one CSV row, named as `columns` names it."""
    row: Row = {}
    for f in fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        if is_dataclass(value):
            row.update(flat(value, f"{prefix}{f.name}."))
        elif isinstance(value, list | tuple):
            row[prefix + f.name] = "; ".join(_inline(v) for v in value)
        elif isinstance(value, dict):
            row[prefix + f.name] = "; ".join(f"{k}={_inline(v)}" for k, v in value.items())
        else:
            row[prefix + f.name] = value.value if isinstance(value, Enum) else value
    return row


def _table(report: Report) -> tuple[list[str], list[Row]]:
    """The header and rows of the delimited and markdown formats."""
    if report.records_field:
        header = columns(record_type(type(report), report.records_field))
        return list(header), [flat(r) for r in report.records()]
    rows = report.rows()
    return (list(rows[0]) if rows else report.header()), rows


def _delimited(report: Report, delimiter: str) -> str:
    """CSV is quoted as usual; TSV is plain (tabs and newlines in values become spaces, no quoting)."""
    import csv
    import io

    header, rows = _table(report)
    out = io.StringIO()
    plain = {"quoting": csv.QUOTE_NONE, "quotechar": None} if delimiter == "\t" else {}
    writer = csv.DictWriter(
        out, fieldnames=header, delimiter=delimiter, lineterminator="\n", extrasaction="ignore", **plain
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v).replace("\t", " ").replace("\n", " ") for k, v in row.items()})
    return out.getvalue()


def _markdown(report: Report) -> str:
    header, rows = _table(report)
    if not header:
        return f"_No rows._\n\n_{NOTICE}_\n"

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_markdown_cell(row.get(k)) for k in header) + " |" for row in rows]
    return "\n".join(lines) + f"\n\n_{NOTICE}_\n"


def _json_default(value: Any) -> Any:
    """What json cannot encode itself: a report's dataclasses are their fields (enums are already
    strings to json), paths their text. Cheaper than converting the whole report first."""
    if is_dataclass(value):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    return str(value)


def _data(report: Report) -> object:
    """What JSON and YAML write: a report of records is the list of them, any other the report."""
    return report.records() if report.listing else report


def to_json(report: Report) -> str:
    # allow_nan off: NaN and Infinity are not JSON (validation keeps them out of the data)
    text = json.dumps(_data(report), indent=2, ensure_ascii=False, allow_nan=False, default=_json_default)
    return _json_escaped(text) + "\n"


def to_ndjson(report: Report) -> str:
    """One record per line (JSON Lines); nothing at all when there are none."""
    lines = (json.dumps(r, ensure_ascii=False, allow_nan=False, default=_json_default) for r in report.records())
    return "".join(_json_escaped(line) + "\n" for line in lines)


def to_yaml(report: Report) -> str:
    """The same data as JSON (one rule for turning a report into data), as YAML."""
    return dump_yaml(json.loads(json.dumps(_data(report), ensure_ascii=False, default=_json_default)))


def to_csv(report: Report) -> str:
    return _delimited(report, ",")


def to_tsv(report: Report) -> str:
    return _delimited(report, "\t")


def to_markdown(report: Report) -> str:
    return _markdown(report)


def output_schema(report_class: type[Report], command: str) -> dict[str, Any]:
    """The JSON Schema of a command's JSON output, generated from its report class (pydantic is
    imported here only). A report of records is an array of them; an ndjson line is one item."""
    from pydantic import TypeAdapter

    records = report_class.records_field
    shape = list[record_type(report_class, records)] if report_class.listing and records else report_class  # type: ignore[misc]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"crps {command} --format json",
        **TypeAdapter(shape).json_schema(mode="serialization"),
    }


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
