"""`crps cite --format bibtex|ris|csl-json` and `crps export --format ...`, read back by real consumers."""

from __future__ import annotations

import json

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware

from crpscli.cli import COMMAND_FORMATS
from crpscli.evidence.files import shipped_data as builtin_data
from crpscli.evidence.loading import load
from crpscli.output.citations import has_details
from crpscli.output.formats import Format
from crpscli.output.text import NOTICE

from .citation_readers import render_bibliography

GOEBEL_DOI = "10.7326/0003-4819-152-3-201002020-00006"


@pytest.fixture(scope="module")
def shipped_studies():
    """The studies an export holds: those with bibliographic details (test_contract.py checks the rest are named)."""
    return [s for s in load([builtin_data()]).base.studies.values() if has_details(s)]


def test_cite_bibtex_parses_back_to_the_record(cli):
    result = cli("cite", "138", "--format", "bibtex")
    assert result.exit_code == 0, result.output
    library = bibtexparser.parse_string(result.stdout, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks
    [entry] = library.entries
    fields = {f.key: f.value for f in entry.fields}
    assert (entry.entry_type, entry.key) == ("article", "goebel2010intravenous")
    assert fields["journal"] == "Annals of Internal Medicine"
    # LaTeX decoding turns the BibTeX range "152--158" into an en dash, as LaTeX would print it.
    assert (fields["year"], fields["volume"], fields["number"], fields["pages"]) == ("2010", "152", "3", "152–158")
    assert (fields["doi"], fields["pmid"]) == (GOEBEL_DOI, "20124231")
    assert NOTICE not in result.stdout


def test_cite_csl_json_renders_with_citeproc_in_the_order_asked(cli):
    result = cli("cite", "138", "kemler", "-f", "csl-json")
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert [item["id"] for item in items] == ["goebel2010intravenous", "kemler2000spinal"]
    assert items[0]["PMID"] == "20124231" and items[0]["DOI"] == GOEBEL_DOI
    assert "PMID" not in items[1]  # the record has no PMID: left out, not a placeholder
    goebel, kemler = render_bibliography(result.stdout)
    assert goebel.startswith("Goebel, A. et al. (2010)") and f"https://doi.org/{GOEBEL_DOI}" in goebel
    assert kemler.startswith("Kemler, M.A. et al. (2000)") and "New England Journal of Medicine, 343(9)" in kemler


def test_cite_ris_reads_back_with_rispy(cli):
    result = cli("cite", "003:2", "--format", "ris")
    assert result.exit_code == 0, result.output
    [entry] = rispy.loads(result.stdout)
    assert entry["type_of_reference"] == "JOUR"
    assert entry["authors"][:2] == ["Sigtermans, M.J.", "van Hilten, J.J."]
    assert (entry["secondary_title"], entry["year"]) == ("Pain", "2009")
    assert (entry["start_page"], entry["end_page"]) == ("304", "311")
    assert entry["accession_number"] == "PMID:19604642"


def test_cite_unknown_reference_with_a_citation_format_still_exits_1(cli):
    result = cli("cite", "nobody", "--format", "bibtex")
    assert result.exit_code == 1 and result.stdout == ""


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csl-json"])
def test_export_gives_every_study(cli, fmt, shipped_studies):
    result = cli("export", "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "bibtex":
        library = bibtexparser.parse_string(result.stdout, append_middleware=[LatexDecodingMiddleware()])
        assert not library.failed_blocks
        titles = [{f.key: f.value for f in e.fields}.get("title") for e in library.entries]
        assert len({e.key for e in library.entries}) == len(shipped_studies)
    elif fmt == "ris":
        records = rispy.loads(result.stdout)
        titles = [r.get("title") for r in records]
    else:
        items = json.loads(result.stdout)
        assert len(render_bibliography(result.stdout)) == len(items)
        titles = [item.get("title") for item in items]
    assert titles == [s.title for s in shipped_studies]


def test_export_bibtex_leaves_unknown_fields_out(cli):
    out = cli("export", "--format", "bibtex").stdout
    assert "None" not in out and "= {}" not in out and "unknown" not in out.lower()


@pytest.mark.parametrize("command", [["treat", "ldn"], ["compare", "ivig"], ["list"], ["sources"], ["conflicts"]])
@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csl-json"])
def test_other_commands_refuse_citation_formats_with_one_line(cli, command, fmt):
    result = cli(*command, "--format", fmt)
    assert result.exit_code == 2
    assert result.stdout == ""
    takes = ", ".join(f.value for f in COMMAND_FORMATS[command[0]])
    assert result.stderr == f"crps: --format {fmt} is for cite and export only; {command[0]} takes {takes}\n"


def test_citation_format_is_refused_before_the_name_is_looked_up(cli):
    result = cli("treat", "no-such-thing", "--format", "ris")
    assert result.exit_code == 2 and "no treatment matches" not in result.stderr


def test_crps_format_env_with_a_citation_format(cli):
    cite = cli("cite", "kemler", env={"CRPS_FORMAT": "ris"})
    assert cite.exit_code == 0 and cite.stdout_bytes.startswith(b"TY  - JOUR\r\nAU  - Kemler, M.A.\r\n")
    other = cli("sources", env={"CRPS_FORMAT": "ris"})
    assert other.exit_code == 2
    assert other.stderr == "crps: CRPS_FORMAT='ris' is not one of table, json, yaml, csv, tsv, markdown, ndjson\n"
    wrong = cli("cite", "kemler", env={"CRPS_FORMAT": "xml"})
    assert "is not one of table, json, yaml, csv, tsv, markdown, bibtex, ris, csl-json" in wrong.stderr


def test_cite_and_export_still_take_the_data_formats(cli):
    assert json.loads(cli("cite", "138", "--json").stdout)["matches"][0]["study"]["id"] == "goebel-2010-ivig"
    assert cli("export", "--format", Format.yaml.value).exit_code == 0
