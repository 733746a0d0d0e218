"""One reader of author names: labels, `cite`'s surname match and the exports keep surname particles."""

from __future__ import annotations

import json

import pytest

from crpscli.evidence.authors import parse_author
from crpscli.output.citations import bibtex, csl_json


@pytest.mark.parametrize(
    ("written", "family", "initials"),
    [
        ("Goebel A", "Goebel", "A"),
        ("Del Valle L", "Del Valle", "L"),
        ("van Hilten JJ", "van Hilten", "JJ"),
        ("van den Wildenberg FAJM", "van den Wildenberg", "FAJM"),
        ("Todorovic-Tirnanic M", "Todorovic-Tirnanic", "M"),
        ("del Rey", "del Rey", ""),
        ("Zagnon", "Zagnon", ""),
    ],
)
def test_names_split_into_family_and_initials(written, family, initials):
    name = parse_author(written)
    assert (name.family, name.initials) == (family, initials)


def test_a_surname_is_found_with_or_without_its_particles():
    assert parse_author("Del Valle L").surname_keys() == {"delvalle", "valle"}
    assert parse_author("van den Wildenberg FAJM").surname_keys() == {"vandenwildenberg", "wildenberg"}
    assert parse_author("Goebel A").surname_keys() == {"goebel"}


@pytest.mark.parametrize("typed", ["valle", "Del Valle", "del-valle"])
def test_cite_finds_a_study_by_a_surname_with_particles(cli, typed):
    result = cli("cite", typed, "--json")
    assert result.exit_code == 0, result.output
    assert [m["study"]["id"] for m in json.loads(result.stdout)["matches"]] == ["del-valle-2009-crps-spinal-cord"]


def test_labels_keep_the_whole_surname(cli):
    result = cli("treat", "ldn", "--format", "csv")
    assert "Del Valle 2009 (autopsy study, n=1)" in result.stdout
    assert "Del 2009" not in result.stdout


def test_exports_read_names_the_same_way(cli):
    from crpscli.evidence.files import shipped_data
    from crpscli.evidence.loading import load

    study = load([shipped_data()]).base.studies["del-valle-2009-crps-spinal-cord"]
    assert json.loads(csl_json([study]))[0]["author"][0] == {"family": "Del Valle", "given": "L."}
    assert "author = {Del Valle, L. and" in bibtex([study])


def test_the_ascii_shortcut_of_fold_folds_as_unicode_does():
    import random
    import string

    from crpscli.evidence.authors import _fold_unicode, fold
    from crpscli.evidence.files import shipped_data
    from crpscli.evidence.loading import load

    labels = [row[0] for row in load([shipped_data()]).base.names()]
    chance = random.Random(3)
    noise = ["".join(chance.choices(string.printable, k=chance.randint(0, 30))) for _ in range(500)]
    for text in labels + noise:
        assert fold(text) == _fold_unicode(text), text
