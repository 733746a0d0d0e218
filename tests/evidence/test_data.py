"""The shipped evidence base: complete, consistent with the documents, and checked clean."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from crpscli.evidence.files import shipped_data as builtin_data
from crpscli.evidence.loading import load
from crpscli.evidence.schema import data_schemas

from ..conftest import SHARED_SOURCES

RESULT = load([builtin_data()])
BASE = RESULT.base
BIBLIOGRAPHY = SHARED_SOURCES.parent / "bibliography.yaml"


def test_shipped_data_checks_clean(cli):
    result = cli("check")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"no problems: 5 sources, \d+ treatments, \d+ claims, \d+ studies, \d+ topics\n", result.output)


def test_every_document_and_every_treatment_has_claims():
    sources_with_claims = {c.source for c in BASE.claims.values()}
    assert sources_with_claims == set(BASE.sources)
    treated = {c.treatment for c in BASE.claims.values()}
    assert [t for t in BASE.treatments if t not in treated] == []


@pytest.mark.parametrize(
    ("source", "refs"),
    [
        ("medscape-ivig", ["137", "138", "139", "140", "141", "142"]),
        ("chopra-ketamine", ["1", "2", "3"]),
        ("droracle-ivig-back", ["1", "2", "3"]),
    ],
)
def test_every_numbered_reference_resolves_to_a_study(source, refs):
    cited = {c.ref.strip("[]") for s in BASE.studies.values() for c in s.citations if c.source == source}
    assert set(refs) <= cited


@pytest.mark.parametrize(
    "label",
    [
        "Atkins",
        "Todorovic",
        "Milligan",
        "Correll",
        "Kemler",
        "Bennett",
        "Varenna",
        "Kapoor",
        "Snedecor",
        "Zollinger",
        "Kim",
        "Perez",
        "Rash",
        "Zagnon",
        "J Neuroimmune",
    ],
)
def test_every_author_year_reference_of_the_slides_resolves(label):
    labels = [c.ref for s in BASE.studies.values() for c in s.citations if c.source == "chopra-slides"]
    assert any(ref.startswith(label) for ref in labels), labels


def test_claims_cite_only_studies_their_source_cites():
    for claim in BASE.claims.values():
        for study_id in claim.studies:
            citing = {c.source for c in BASE.studies[study_id].citations}
            assert claim.source in citing, (claim.id, study_id)


def test_aliases_people_type_resolve(cli):
    for alias, treatment in [
        ("IVIG", "ivig"),
        ("IVIg", "ivig"),
        ("intravenous immunoglobulin", "ivig"),
        ("LDN", "ldn"),
        ("SCS", "spinal-cord-stimulator"),
        ("DRG", "drg-stimulator"),
        ("HBOT", "hbot"),
        ("Calmare", "calmare"),
        ("Scrambler", "calmare"),
        ("PT", "physical-therapy"),
        ("GMI", "graded-motor-imagery"),
        ("NAC", "n-acetylcysteine"),
        ("ALA", "alpha-lipoic-acid"),
        ("PEA", "pea"),
        ("TENS", "tens"),
    ]:
        data = json.loads(cli("treat", alias, "--json").stdout)
        assert [e["treatment"]["id"] for e in data["treatments"]] == [treatment], alias


def test_shipped_schema_files_match_the_models():
    for name, schema in data_schemas().items():
        shipped = json.loads((builtin_data() / "schema" / f"{name}.json").read_text(encoding="utf-8"))
        assert shipped == schema, f"regenerate with: crps schema {name} > src/crpscli/data/schema/{name}.json"
        first_line = (builtin_data() / f"{name}.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert first_line == f"# yaml-language-server: $schema=schema/{name}.json"


needs_shared = pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="../shared/sources is not beside the repo")


@needs_shared
def test_every_quote_is_found_in_its_document(cli):
    result = cli("check", "--sources", str(SHARED_SOURCES))
    assert result.exit_code == 0, result.output


@needs_shared
def test_identifiers_come_only_from_the_documents_or_the_bibliography():
    allowed = BIBLIOGRAPHY.read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in Path(SHARED_SOURCES).glob("*.txt")
    )
    for study in BASE.studies.values():
        for identifier in (study.pmid, study.doi):
            if identifier:
                assert identifier in allowed, (study.id, identifier)
