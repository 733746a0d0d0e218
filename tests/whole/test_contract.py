"""The scripting contract: every command's output in every format it takes parses, matches the JSON
Schema `crps schema --output` gives for it, and has its header; nothing found, batches from stdin,
--keep-going, and the exit codes scripts rely on."""

from __future__ import annotations

import csv
import io
import json
import re
from functools import cache

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from crpscli.answers.cite import CITE_ROW
from crpscli.answers.common import CLAIM_ROW
from crpscli.cli import COMMAND_FORMATS, app
from crpscli.output.formats import Format
from crpscli.output.text import NOTICE

from ..conftest import ENV, MATRIX_HEADER

# One invocation per command that prints results.
COMMANDS = {
    "treat": ["treat", "ldn"],
    "compare": ["compare", "magnesium"],
    "cite": ["cite", "138"],
    "matrix": ["matrix"],
    "list": ["list"],
    "search": ["search", "naltrexone"],
    "sources": ["sources"],
    "conflicts": ["conflicts"],
    "topics": ["topics"],
    "export": ["export"],
}
# Commands whose JSON is a top-level array of records; the rest are objects with named lists.
LISTS = {"list", "search", "sources", "conflicts", "topics"}
# The CSV header of each lookup: its rows' columns (matrix: a column per source with a claim about CRPS).
LOOKUP_HEADERS = {
    "treat": ["name", *CLAIM_ROW],
    "compare": ["column", "aspect_row", *CLAIM_ROW],
    "cite": list(CITE_ROW),
    "matrix": MATRIX_HEADER,
}
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when there: the export is large
CASES = [(command, fmt) for command in COMMANDS for fmt in COMMAND_FORMATS[command]]


@cache
def schema_of(command: str) -> dict:
    result = CliRunner().invoke(app, ["schema", "--output", command], env=ENV)
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


@cache
def line_validator(command: str) -> jsonschema.Draft202012Validator:
    """An ndjson line: one item of the array, or one record of export's claims table."""
    schema = schema_of(command)
    item = schema["items"] if command in LISTS else schema["properties"]["claims"]["items"]
    return jsonschema.Draft202012Validator({"$defs": schema.get("$defs", {}), **item})


def flat_keys(record: dict, prefix: str = "") -> list[str]:
    """The CSV columns a JSON record should have: its fields, a nested object's by path."""
    keys: list[str] = []
    for key, value in record.items():
        keys += flat_keys(value, f"{prefix}{key}.") if isinstance(value, dict) else [prefix + key]
    return keys


@pytest.mark.parametrize(("command", "fmt"), CASES, ids=[f"{c}-{f.value}" for c, f in CASES])
def test_every_command_in_every_format_parses_and_matches_its_schema(cli, command, fmt):
    result = cli(*COMMANDS[command], "--format", fmt.value)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert (NOTICE in out) == fmt.for_people
    match fmt:
        case Format.json | Format.yaml:
            data = json.loads(out) if fmt is Format.json else yaml.load(out, Loader=SAFE_LOADER)
            assert isinstance(data, list if command in LISTS else dict)
            jsonschema.Draft202012Validator(schema_of(command)).validate(data)
        case Format.ndjson:
            lines = out.splitlines()
            assert len(lines) > 1
            for line in lines:
                line_validator(command).validate(json.loads(line))
        case Format.csv | Format.tsv:
            rows = list(csv.reader(io.StringIO(out), delimiter="," if fmt is Format.csv else "\t"))
            assert len(rows) >= 2 and all(len(row) == len(rows[0]) for row in rows)
            if command in LISTS or command == "export":  # the columns are the JSON fields, by path
                records = json.loads(cli(*COMMANDS[command], "--format", "ndjson").stdout.splitlines()[0])
                assert rows[0] == flat_keys(records)
            else:
                assert rows[0] == LOOKUP_HEADERS[command]
        case Format.markdown:
            assert out.startswith("| ") and out.rstrip().endswith(f"_{NOTICE}_")
        case Format.table:
            assert out.rstrip().endswith(NOTICE)
        case Format.bibtex:  # every entry has a field
            assert out.startswith("@") and not re.search(r"@\w+\{[^\n]*,\n\}", out)
        case Format.ris | Format.csl_json:
            assert out.strip()


def test_conflicts_csv_has_both_claim_ids_and_sources(cli):
    rows = list(csv.DictReader(io.StringIO(cli("conflicts", "magnesium", "--format", "csv").stdout)))
    d = "disagreement."
    sides = [
        (r["level"], r[d + "first.source"], r[d + "first.claims"], r[d + "second.source"], r[d + "second.claims"])
        for r in rows
    ]
    assert sides == [
        ("conflict", "medscape-ivig", "000-magnesium-1; 000-magnesium-2", "medscape-ivig", "000-magnesium-3"),
        ("conflict", "blog-flames", "001-magnesium-3", "medscape-ivig", "000-magnesium-3"),
    ]


def test_export_tables_have_every_scalar_field(cli):
    claims = list(csv.DictReader(io.StringIO(cli("export", "--format", "csv").stdout)))
    dose = next(r for r in claims if r["id"] == "002-ldn-8")
    assert dose["figures"].startswith("daily_dose=1.75–4.5 mg") and dose["stance"] == "neutral"
    tsv = cli("export", "--table", "studies", "--format", "tsv").stdout
    studies = list(csv.DictReader(io.StringIO(tsv), delimiter="\t"))
    goebel = next(r for r in studies if r["id"] == "goebel-2010-ivig")
    assert goebel["pmid"] == "20124231" and goebel["authors"].startswith("Goebel A; Baranowski A")
    refused = cli("export", "--table", "nothing", "--format", "csv")
    assert refused.exit_code == 2 and "not one of sources, studies, treatments, claims" in refused.stderr


@pytest.mark.parametrize("fmt", ["json", "yaml", "csv", "tsv", "ndjson", "table"])
def test_nothing_found_is_exit_1_an_empty_result_and_one_line(cli, fmt):
    result = cli("conflicts", "ketamine-oral", "--format", fmt)
    assert result.exit_code == 1
    assert result.stderr == "crps: no conflict or tension on ketamine-oral\n"
    expected = {"json": "[]\n", "yaml": "[]\n", "ndjson": "", "table": ""}
    if fmt in expected:
        assert result.stdout == expected[fmt]
    else:  # the header alone
        header = ("treatment_name,level,", "treatment_name\tlevel\t")
        assert result.stdout.count("\n") == 1 and result.stdout.startswith(header)
    empty = cli("list", "--category", "device", "--source", "004", "--json")
    assert (empty.exit_code, empty.stdout, empty.stderr) == (
        1,
        "[]\n",
        "crps: no treatment matches --category device --source 004\n",
    )
    grid = cli("matrix", "--category", "surgery", "--conflicted", "--json")
    assert grid.exit_code == 1 and json.loads(grid.stdout)["treatments"] == []


def test_names_and_references_from_stdin(cli):
    runner = CliRunner()
    treat = runner.invoke(app, ["treat", "-", "--json"], input="ldn\n\n  magnesium \n", env=ENV)
    assert treat.exit_code == 0, treat.output
    assert [e["treatment"]["id"] for e in json.loads(treat.stdout)["treatments"]] == ["ldn", "magnesium"]
    cite = runner.invoke(app, ["cite", "-", "--format", "ndjson"], input="138\n", env=ENV)
    assert cite.exit_code == 2 and "cite takes" in cite.stderr  # ndjson is for lists of records only
    cite = runner.invoke(app, ["cite", "kemler", "-", "--json"], input="PMID:20124231\n", env=ENV)
    assert [m["study"]["id"] for m in json.loads(cite.stdout)["matches"]][-1] == "goebel-2010-ivig"


def test_keep_going_shows_what_was_found_and_names_what_was_not(cli):
    stopped = cli("treat", "ldn", "foo", "--json")
    assert stopped.exit_code == 1 and stopped.stdout == ""
    kept = cli("treat", "ldn", "foo", "barbaz", "--json", "--keep-going")
    assert kept.exit_code == 1
    assert [e["treatment"]["id"] for e in json.loads(kept.stdout)["treatments"]] == ["ldn"]
    assert [line.split("'")[1] for line in kept.stderr.splitlines()] == ["foo", "barbaz"]
    cites = cli("cite", "138", "nobody-at-all", "--keep-going", "--format", "csv")
    assert cites.exit_code == 1 and cites.stdout.count("goebel-2010-ivig") == 1
    assert cites.stderr.startswith("crps: no study matches 'nobody-at-all'")
    header = cli("treat", "foo", "--keep-going", "--format", "csv")  # nothing found: the header all the same
    assert (header.exit_code, header.stdout.splitlines()) == (1, [",".join(["name", *CLAIM_ROW])])
    assert cli("treat", "-", "--json").exit_code == 2  # '-' with nothing on stdin
    none = cli("conflicts", "foo", "--keep-going", "--json")  # nothing resolved: no conflicts, not all of them
    assert (none.exit_code, none.stdout) == (1, "[]\n")


def test_cite_reads_references_as_crps_and_pubmed_write_them(cli):
    for ref in ("PMID:20124231", "pmid: 20124231", "Goebel 2010", "goebel 2010"):
        data = json.loads(cli("cite", ref, "--json").stdout)
        assert [m["study"]["id"] for m in data["matches"]] == ["goebel-2010-ivig"], ref
    assert cli("cite", "Goebel 2011").exit_code == 1
    several = cli("cite", "1").stdout
    assert several.startswith("2 studies match: schwartzman-2009-ketamine-outpatient (reference 1 of chopra-ketamine)")
    assert "droracle-004-ref1 (reference 1 of droracle-ivig-back)" in several.split("\n\n")[0]
    unknown = cli("cite", "004:1").stdout.splitlines()
    assert unknown[0] == "work not identified"
    assert "credits to unrelated guidelines" in next(line for line in unknown if line.startswith("note "))
    assert not any(line.startswith("size ") for line in unknown)


def test_citation_exports_leave_out_empty_entries_and_say_so(cli):
    result = cli("export", "--format", "bibtex")
    assert result.exit_code == 0
    assert "@misc{medscape,\n}" not in result.stdout
    entries = result.stdout.count("\n@") + 1
    left_out = result.stderr.splitlines()
    assert entries + len(left_out) == 49 and len(left_out) == 17
    assert "crps: left out medscape-137: the sources give no bibliographic details for it" in left_out
    empty = cli("cite", "004:1", "--format", "ris")
    assert (empty.exit_code, empty.stdout) == (1, "")
    assert empty.stderr.splitlines()[-1] == "crps: nothing to export: no study here has bibliographic details"


def test_help_lists_only_the_formats_a_command_takes(cli):
    treat = cli("treat", "--help").stdout
    assert "[table|json|yaml|csv|tsv|markdown]" in treat
    assert not any(word in treat for word in ("bibtex", "ris,", "csl-json", "ndjson"))
    assert "[table|json|yaml|csv|tsv|markdown|ndjson|bibtex|ris|csl-json]" in cli("export", "--help").stdout
    refused = cli("treat", "ldn", "--format", "ndjson")
    assert refused.exit_code == 2
    assert refused.stderr.startswith(
        "crps: --format ndjson is for list, sources, search, conflicts, topics and export only"
    )
    assert cli("schema", "--output", "brief").exit_code == 2


def test_stdin_lines_are_screened_as_arguments_are(cli):
    from typer.testing import CliRunner

    from crpscli.cli import app

    result = CliRunner().invoke(app, ["treat", "-"], input="ldn\nmag\x1bnesium\n", env=ENV)
    assert (result.exit_code, result.stderr) == (2, "crps: stdin: line 2 contains the control character U+001B\n")
    assert result.stdout == ""
