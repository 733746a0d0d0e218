"""Property-based: random YAML documents and random arguments, against the loader and the entry point.

The property: a result or a clean error (a documented exit code, problems one line each),
never an uncaught exception. An internal error (exit 4) counts as a failure here: it is a bug.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path
from unittest import mock

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crpscli.edge import main
from crpscli.evidence.files import DATA_FILES
from crpscli.evidence.loading import load
from crpscli.evidence.yamlfile import read_yaml

from ..conftest import ENV
from .harness import GOOD

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CLI = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of YAML syntax, hostile tags and values that trip resolvers, glued with random text.
# fmt: off
TOKENS = [
    "- ", "-", ": ", ":", "? ", "\n", "\n  ", "\n- ", "  ", "\t", "{", "}", "[", "]", ", ", "#", "'", '"', "\\",
    "&a ", "*a", "&b ", "*b", "<<: ", "<<: *a", "!!python/object/apply:os.system ", "!!python/name:os.getcwd",
    "!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!binary ", "!!timestamp ", "!!map ", "!!seq ",
    "!local ", "!", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "---\n", "...\n", "|\n  ", ">-\n  ", "~", "null",
    "yes", "No", "0x1F", "0o17", "1_000", "1:20:30", ".inf", "-.nan", "2020-13-45", "2001-12-14t21:59:43.10-05:00",
    "1e999", "9" * 60, "id", "name", "aliases", "category", "summary", "widget", "device", "id: widget",
    "name: W", "category: device", "summary: s", "\x00", "\x1b[31m", "\x85", "\u2028", "\ufeff", "é", "😀",
    "[bold]", "\udcff",
]
# fmt: on
documents = st.one_of(
    st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)), max_size=40).map("".join),
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats()
        | st.text(max_size=20)
        | st.dates()
        | st.binary(max_size=8),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=20,
    ).map(lambda value: yaml.safe_dump(value, allow_unicode=True)),
    # entries shaped like treatments, with values of any kind
    st.lists(
        st.dictionaries(
            st.sampled_from(["id", "name", "aliases", "category", "summary", "group", "extra"]),
            st.one_of(st.text(max_size=12), st.integers(), st.none(), st.lists(st.text(max_size=6), max_size=3)),
            max_size=7,
        ),
        max_size=4,
    ).map(lambda value: yaml.safe_dump(value, allow_unicode=True)),
)


def write(path: Path, document: str) -> None:
    path.write_bytes(document.encode("utf-8", "surrogatepass"))  # a lone surrogate: invalid UTF-8


def one_line(problems) -> None:
    for problem in problems:
        assert problem.line >= 1
        assert "\n" not in str(problem), str(problem)


@FAST
@given(documents)
def test_read_yaml_gives_data_or_problems(document: str):
    with tempfile.TemporaryDirectory() as root:
        path = Path(root) / "claims.yaml"
        write(path, document)
        data, problems = read_yaml(path)
        assert data is None or not problems
        one_line(problems)


@FAST
@given(documents, st.sampled_from(list(DATA_FILES)))
def test_load_gives_a_base_or_problems(document: str, name: str):
    with tempfile.TemporaryDirectory() as root:
        directory = Path(root) / "data"
        shutil.copytree(GOOD, directory)
        write(directory / name, document)
        result = load([directory])
        one_line(result.problems)


def call_main(args: list[str]) -> tuple[int, str, str]:
    """crps's entry point in-process: its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    env = {**ENV, "CRPS_CACHE_DIR": os.environ.get("CRPS_CACHE_DIR", "")}
    with (
        mock.patch.object(sys, "argv", ["crps", *args]),
        mock.patch.dict(os.environ, env),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code: object = 0
        try:
            main()
        except SystemExit as done:
            code = done.code
    return (code if isinstance(code, int) else 1 if code else 0), out.getvalue(), err.getvalue()


# fmt: off
WORDS = [
    "treat", "compare", "cite", "list", "search", "sources", "conflicts", "export", "check", "schema",
    "--format", "-f", "--json", "--data", "--no-builtin", "--category", "--source", "--conflicted", "--sources",
    "--help", "--version", "json", "yaml", "csv", "tsv", "markdown", "table", "JSON", "infusion", "magic",
    "ketamine", "ldn", "ivig", "widget", "wt", "gadget", "138", "002:5", "kemler", "10.1016/j.pain.2009.06.023",
    "19604642", "notes", "900", str(GOOD), "/nonexistent", "/dev/null", "--", "-", "", " ", "claims",
]  # never --install-completion: it would edit the shell's start-up files
# fmt: on
arguments = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.text(max_size=12),
        st.integers(4090, 4100).map(lambda n: "k" * n),
    ),
    max_size=6,
)


@CLI
@given(st.sampled_from([[], ["--no-builtin", "--data", str(GOOD)]]), arguments)
def test_any_arguments_get_an_answer_or_a_clean_error(prefix: list[str], args: list[str]):
    code, _, err = call_main([*prefix, *args])
    assert code in (0, 1, 2, 3), (code, err)
    assert "Traceback" not in err
    if code == 2 and err.startswith("crps: argument"):
        assert err.count("\n") == 1


@CLI
@given(
    documents,
    st.sampled_from(list(DATA_FILES)),
    st.sampled_from(["list", "treat widget", "search made", "export --json"]),
)
def test_any_data_gets_an_answer_or_a_clean_error(document: str, name: str, command: str):
    with tempfile.TemporaryDirectory() as root:
        directory = Path(root) / "data"
        shutil.copytree(GOOD, directory)
        write(directory / name, document)
        code, _, err = call_main(["--no-builtin", "--data", str(directory), *command.split()])
    assert code in (0, 1, 3), (code, err)
    assert "Traceback" not in err
    if code == 3:
        assert err.splitlines()[-1].endswith(" in the data; run 'crps check'")


# --- every field of every record, from the models' own schema, through every command and format ---

# Where an instance of each record class sits in the small valid data set (tests/data/good).
RECORD_AT = {
    "Source": ("sources", 0),
    "Study": ("studies", 0),
    "Citation": ("studies", 0, "citations", 0),
    "Discrepancy": ("studies", 0, "discrepancies", 0),
    "Treatment": ("treatments", 0),
    "Claim": ("claims", 1),
    "Figure": ("claims", 1, "figures", 0),
    "Topic": ("topics", 0),
}
RAW = "@@raw@@"
# Plain scalars as a person or a hostile file writes them: every type YAML 1.1 resolves.
RAW_SCALARS = [
    "0x1F", "0o17", "017", "1_000", "1:20:30", "190:20:30.15", ".nan", "-.inf", ".Inf", "1e999", "-0", "+12",
    "9" * 5000, "yes", "No", "~", "null", "2020-01-01", "2001-12-14t21:59:43.10-05:00", "!!binary aGVsbG8=",
    "!!float 1", "!!int 0x1F", "!!str 12", "''", "' '", '"\\u200b"', '"\\u202e\\u202e"', '"Кetamine"', "x" * 300,
]  # fmt: skip


def _record_fields() -> list[tuple[str, str, dict]]:
    from crpscli.evidence.schema import data_schemas

    found: dict[tuple[str, str], tuple[str, str, dict]] = {}
    for schema in data_schemas().values():
        for name, definition in schema["$defs"].items():
            for field, prop in definition.get("properties", {}).items():
                found[(name, field)] = (name, field, {**prop, "$defs": schema["$defs"]})
    return sorted(found.values(), key=lambda item: item[:2])


def _from_schema(prop: dict) -> st.SearchStrategy:
    """Values of the field's own type (enum members, strings, numbers, lists), valid or not."""
    defs = prop["$defs"]
    if "$ref" in prop:
        target = defs[prop["$ref"].rsplit("/", 1)[1]]
        if "enum" in target:
            return st.sampled_from(target["enum"])
        return st.fixed_dictionaries({k: _from_schema({**v, "$defs": defs}) for k, v in target["properties"].items()})
    if "anyOf" in prop:
        return st.one_of([_from_schema({**option, "$defs": defs}) for option in prop["anyOf"]])
    kind = prop.get("type")
    if kind == "array":
        return st.lists(_from_schema({**prop["items"], "$defs": defs}), max_size=2)
    return {
        "string": st.text(max_size=12),
        "integer": st.integers(),
        "number": st.floats(),
        "null": st.none(),
    }.get(kind, st.none())


FIELDS = _record_fields()
YAML_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8), st.dates(), st.datetimes(),
    st.binary(max_size=4), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.none()),
)  # fmt: skip
COMMAND_FORMATS = [
    (command, fmt)
    for command, formats in (
        (["treat", "widget"], ["table", "json", "yaml", "csv", "tsv", "markdown"]),
        (["compare", "widget", "gadget"], ["table", "json", "markdown"]),
        (["cite", "smith-2020"], ["table", "json", "bibtex", "ris", "csl-json"]),
        (["list"], ["table", "csv"]),
        (["search", "made"], ["table", "tsv", "yaml"]),
        (["sources"], ["table", "json"]),
        (["conflicts"], ["table", "json"]),
        (["export"], ["json", "yaml", "bibtex", "ris", "csl-json", "csv"]),
        (["matrix"], ["table", "markdown"]),
        (["brief", "widget"], ["markdown", "html"]),
    )
    for fmt in formats
]


def _data_with(root: Path, record: str, field: str, value: object) -> Path:
    directory = root / "data"
    shutil.copytree(GOOD, directory)
    where = RECORD_AT[record]
    path = directory / f"{where[0]}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    node = data
    for step in where[1:]:
        if isinstance(node, dict) and step not in node:  # a list the good set leaves out (discrepancies)
            node[step] = [{"kind": "result", "source": "notes", "note": "A note."}]
        node = node[step]
    node[field] = value
    text = yaml.safe_dump(data, allow_unicode=True)
    if isinstance(value, str) and value.startswith(RAW):
        text = text.replace(yaml.safe_dump(value).removesuffix("\n...\n").strip(), value.removeprefix(RAW), 1)
    path.write_text(text, encoding="utf-8")
    return directory


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(FIELDS).flatmap(
        lambda found: st.tuples(
            st.just(found[:2]),
            st.one_of(_from_schema(found[2]), YAML_VALUES, st.sampled_from(RAW_SCALARS).map(RAW.__add__)),
        )
    ),
    st.sampled_from(COMMAND_FORMATS),
)
def test_what_check_passes_every_command_shows_in_every_format(field_value, command_format):
    """A value of any type YAML can produce in any field: `check` finds a problem (and every
    command then refuses the data, exit 3), or `check` is clean and every command answers (0 or 1).
    Never exit 4."""
    (record, field), value = field_value
    command, fmt = command_format
    with tempfile.TemporaryDirectory() as root:
        directory = _data_with(Path(root), record, field, value)
        checked, out, err = call_main(["check", "--alone", str(directory)])
        assert checked in (0, 1), (checked, err)
        code, _, err = call_main(["--no-builtin", "--data", str(directory), *command, "--format", fmt])
    assert "Traceback" not in err
    assert code != 4, (record, field, value, command, fmt, err)
    if checked == 1:
        assert code == 3, (record, field, value, command, fmt, out)
    else:
        assert code in (0, 1), (record, field, value, command, fmt, err)
