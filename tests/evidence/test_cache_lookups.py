"""The cache's lookup tables (names by folded key, studies by reference key) answer exactly what a
scan of every record answers: they only spare a command from reading every name or study."""

from __future__ import annotations

import pytest

from crpscli.answers import names as names_module
from crpscli.answers.cite import _cite_one
from crpscli.answers.common import NotFound
from crpscli.answers.names import Names, _resolve, resolve_all
from crpscli.evidence.authors import parse_author
from crpscli.evidence.base import EvidenceBase
from crpscli.evidence.files import shipped_data
from crpscli.evidence.loading import load
from crpscli.evidence.store import load_evidence


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> tuple[EvidenceBase, EvidenceBase]:
    """The shipped data read from the YAML, and from a cache file."""
    cache = tmp_path_factory.mktemp("lookups")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRPS_CACHE_DIR", str(cache))
        load_evidence([shipped_data()])  # builds the cache
        cached = load_evidence([shipped_data()]).base
    assert type(cached).__name__ == "CachedBase"
    return load([shipped_data()]).base, cached


def references(base: EvidenceBase) -> list[str]:
    """Every form of reference `crps cite` takes, for every study, and some that name nothing."""
    refs = ["nothing-like-it", "PMID: 1", "doi:10.9999/none", "zz:1", "", "[", "Smith 1999"]
    for study in list(base.studies.values())[::6]:  # a sample: each reference is asked of every study
        refs += [study.id, study.id.upper()]
        words = study.id.split("-")
        refs += [words[0], "-".join(words[:2]), " ".join(words[:2]).upper()]  # the id's leading words
        if study.pmid:
            refs += [study.pmid, f"PMID:{study.pmid}", f"pmid: {study.pmid} "]
        if study.doi:
            refs += [study.doi.upper(), f"doi:{study.doi}", f"https://doi.org/{study.doi}"]
        for citation in study.citations:
            source = base.sources.get(citation.source)
            refs += [citation.ref, citation.ref.strip("[]"), citation.ref[:3]]
            if source:
                refs += [f"{source.number}:{citation.ref}", f"{source.id}:{citation.ref.strip('[]')}"]
        for author in study.authors:
            family = parse_author(author).family
            refs += [family, family.lower(), family[:4], f"{family} {study.year}"]
    return list(dict.fromkeys(refs))


def test_cite_finds_the_same_studies_through_the_key_table_as_by_reading_every_study(bases):
    memory, cached = bases
    refs = references(memory)
    assert len(refs) > 100
    for ref in refs:
        found = [(m.study.id, m.matched) for m in _cite_one(cached, ref)]
        assert found == [(m.study.id, m.matched) for m in _cite_one(memory, ref)], ref


def typed_names(base: EvidenceBase) -> list[list[str]]:
    labels = list(dict.fromkeys(label for label, *_ in base.names()))[::8]
    typed = [[label] for label in labels] + [label.split() for label in labels if " " in label]
    typed += [[label.upper()] for label in labels[::5]]
    typed += [labels[i : i + 3] for i in range(0, len(labels), 7)]  # several names in one call
    typed += [["ketamin"], ["ketamine", "infusoin"], ["mirror"], ["nerve", "block"], ["nothing", "here"], ["iv", "ig"]]
    return typed


def reading(resolve, *args) -> tuple[list[str], list[str]] | str:
    try:
        found = resolve(*args)
    except NotFound as exc:
        return f"{type(exc).__name__}: {exc}"
    return [t.id for t in found.treatments], found.notices


@pytest.mark.parametrize("exact", [False, True])
def test_names_read_from_the_key_table_as_from_the_whole_index(bases, exact):
    for base in bases:
        whole = Names(base)
        for typed in typed_names(base):
            assert reading(resolve_all, base, typed, exact) == reading(_resolve, whole, typed, exact), typed


def test_an_exact_name_builds_no_index_of_every_name(bases):
    _, cached = bases
    names_module._INDEXES.pop(cached, None)
    assert [t.id for t in resolve_all(cached, ["Ketamine Infusion"]).treatments] == ["ketamine-infusion"]
    assert cached not in names_module._INDEXES
    resolve_all(cached, ["ketamin"])  # a misspelling needs the whole index
    assert cached in names_module._INDEXES
