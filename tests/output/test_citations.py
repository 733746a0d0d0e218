"""Citation export, checked by the parsers reference tools use: citeproc-py, bibtexparser and rispy."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from types import SimpleNamespace
from typing import Any

import bibtexparser
import pytest
import rispy
from bibtexparser.library import Library
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts

from crpscli.evidence.files import shipped_data as builtin_data
from crpscli.evidence.loading import load
from crpscli.evidence.records import Study
from crpscli.evidence.vocab import StudyDesign, Verification
from crpscli.output.citations import bibtex, csl_json, ris

from .citation_readers import render_bibliography

GOEBEL = "goebel-2010-ivig"
GOEBEL_TITLE = "Intravenous immunoglobulin treatment of the complex regional pain syndrome: a randomized trial"

# volume_pages whose last page is abbreviated in the data and written in full in the exports.
EXPANDED_PAGES = {
    "atkins-1993-scintigraphy": ("41", "45"),
    "bennett-1999-scs": ("202", "210"),
    "kapoor-2012-foot-ankle-spec": ("228", "229"),
}


@pytest.fixture(scope="module")
def studies() -> list[Study]:
    result = load([builtin_data()])
    assert not result.problems
    return list(result.base.studies.values())


@pytest.fixture(scope="module")
def goebel(studies: list[Study]) -> Study:
    return next(study for study in studies if study.id == GOEBEL)


def record(**fields: Any) -> SimpleNamespace:
    """A study as a plain object, as the dataclass models will be; unset fields are unknown."""
    defaults: dict[str, Any] = {
        "id": "synthetic",
        "verification": Verification.from_source_only,
        "authors": [],
        "title": None,
        "journal": None,
        "year": None,
        "volume_pages": None,
        "doi": None,
        "pmid": None,
        "design": StudyDesign.unknown,
    }
    return SimpleNamespace(**{**defaults, **fields})


def expected_pages(study: Study) -> tuple[str | None, str | None, str | None, str | None]:
    """Volume, issue, first and last page as the data writes them, e.g. "152(3):152-158"."""
    if not study.volume_pages:
        return None, None, None, None
    if study.id in EXPANDED_PAGES:
        first, last = EXPANDED_PAGES[study.id]
    else:
        first, _, last = study.volume_pages.partition(":")[2].partition("-")
    volume, _, issue = study.volume_pages.partition(":")[0].partition("(")
    return volume, issue.rstrip(")") or None, first, last or None


def parse_bibtex(text: str, *, decode: bool) -> Library:
    middleware = [LatexDecodingMiddleware()] if decode else [SeparateCoAuthors()]
    library = bibtexparser.parse_string(text, append_middleware=middleware)
    assert not library.failed_blocks
    return library


def fields_of(library: Library) -> list[tuple[str, str, dict[str, Any]]]:
    return [(e.entry_type, e.key, {f.key: f.value for f in e.fields}) for e in library.entries]


# ------------------------------------------------------------------ CSL-JSON


def test_csl_json_renders_goebel_2010_with_citeproc(goebel: Study) -> None:
    [entry] = render_bibliography(csl_json([goebel]))
    assert entry.startswith("Goebel, A. et al. (2010)")
    assert f"“{GOEBEL_TITLE}”" in entry
    assert "Annals of Internal Medicine, 152(3), pp. 152–158" in entry
    assert "https://doi.org/10.7326/0003-4819-152-3-201002020-00006" in entry


def test_csl_json_goebel_item_has_every_known_field(goebel: Study) -> None:
    [item] = json.loads(csl_json([goebel]))
    assert item == {
        "id": "goebel2010intravenous",
        "type": "article-journal",
        "author": [
            {"family": "Goebel", "given": "A."},
            {"family": "Baranowski", "given": "A."},
            {"family": "Maurer", "given": "K."},
            {"family": "Ghiai", "given": "A."},
            {"family": "McCabe", "given": "C."},
            {"family": "Ambler", "given": "G."},
        ],
        "title": GOEBEL_TITLE,
        "container-title": "Annals of Internal Medicine",
        "issued": {"date-parts": [[2010]]},
        "volume": "152",
        "issue": "3",
        "page": "152-158",
        "DOI": "10.7326/0003-4819-152-3-201002020-00006",
        "PMID": "20124231",
    }


def test_csl_json_splits_particles_and_several_initials() -> None:
    study = record(authors=["van der Meer JW", "Zuurmond WWA", "del Rey"], title="T", year=2001, journal="J")
    [item] = json.loads(csl_json([study]))
    assert item["author"] == [
        {"family": "van der Meer", "given": "J. W."},
        {"family": "Zuurmond", "given": "W. W. A."},
        {"family": "del Rey"},
    ]
    [entry] = render_bibliography(csl_json([study]))
    assert entry.startswith("van der Meer, J.W., Zuurmond, W.W.A. and del Rey (2001)")


def test_csl_json_every_shipped_study_renders_and_keeps_its_identifiers(studies: list[Study]) -> None:
    items = json.loads(csl_json(studies))
    assert len(items) == len(studies) == 49
    assert len(render_bibliography(csl_json(studies))) == 49
    for study, item in zip(studies, items, strict=True):
        assert item.get("DOI") == study.doi
        assert item.get("PMID") == study.pmid
        assert item.get("title") == study.title
        assert item.get("container-title") == study.journal
        assert item.get("issued") == ({"date-parts": [[study.year]]} if study.year else None)
        volume, issue, first, last = expected_pages(study)
        assert item.get("volume") == volume
        assert item.get("issue") == issue
        assert item.get("page") == (f"{first}-{last}" if last else first)
        # Family name and initials put back together give the Vancouver name again.
        names = [
            " ".join([a["family"], a.get("given", "").replace(".", "").replace(" ", "")]).strip()
            for a in item.get("author", [])
        ]
        assert names == study.authors


@pytest.mark.parametrize(
    ("design", "journal", "expected"),
    [
        (StudyDesign.crossover_rct, "Pain", "article-journal"),
        (StudyDesign.editorial, "Pain", "article-journal"),
        (StudyDesign.unknown, "Pain", "article-journal"),
        (StudyDesign.unknown, None, "article"),
        (StudyDesign.case_report, None, "article"),
        (StudyDesign.guideline, None, "report"),
    ],
)
def test_csl_json_type_follows_design_and_journal(design: StudyDesign, journal: str | None, expected: str) -> None:
    [item] = json.loads(csl_json([record(design=design, journal=journal)]))
    assert item["type"] == expected


# ------------------------------------------------------------------ BibTeX


def test_bibtex_round_trips_every_shipped_study(studies: list[Study]) -> None:
    text = bibtex(studies)
    decoded = fields_of(parse_bibtex(text, decode=True))
    raw = fields_of(parse_bibtex(text, decode=False))
    assert len(decoded) == len(studies) == 49
    keys = [key for _, key, _ in raw]
    assert len(set(keys)) == 49
    for study, (kind, key, fields), (_, _, raw_fields) in zip(studies, decoded, raw, strict=True):
        assert kind == ("article" if study.journal else "misc")
        assert re.fullmatch(r"[a-z]+(\d{4})?[a-z]*", key), key
        if study.year:
            assert str(study.year) in key
            assert fields["year"] == str(study.year)
        assert fields.get("title") == study.title
        assert fields.get("journal") == study.journal
        assert fields.get("doi") == study.doi
        assert fields.get("pmid") == study.pmid
        volume, issue, first, last = expected_pages(study)
        assert raw_fields.get("volume") == volume
        assert raw_fields.get("number") == issue
        assert raw_fields.get("pages") == (f"{first}--{last}" if last else first)
        assert len(raw_fields.get("author", [])) == len(study.authors)


def test_bibtex_keys_follow_author_year_first_significant_word(studies: list[Study]) -> None:
    entries = parse_bibtex(bibtex(studies), decode=False).entries
    keys = {study.id: entry.key for study, entry in zip(studies, entries, strict=True)}
    assert keys[GOEBEL] == "goebel2010intravenous"
    assert keys["todorovic-tirnanic-1995-scintigraphy"] == "todorovictirnanic1995diagnostic"
    assert keys["del-valle-2009-crps-spinal-cord"] == "delvalle2009spinal"
    assert keys["kim-2017-vitc-rat"] == "kim2017therapeutic"  # "The" skipped
    assert keys["kapoor-2012-foot-ankle-spec"] == "kapoor2012"  # no title
    assert keys["varenna-2013-neridronate"] == "varennatreatment"  # no year
    assert keys["medscape-137"] == "medscape"  # no author: the id's letters
    assert [keys[f"droracle-004-ref{n}"] for n in (1, 2, 3)] == ["droracleref", "droraclerefa", "droraclerefb"]


def test_bibtex_goebel_authors_parse_as_family_and_initials(goebel: Study) -> None:
    library = bibtexparser.parse_string(bibtex([goebel]), append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    names = library.entries[0]["author"]
    assert [(n.last, n.first) for n in names[:2]] == [(["Goebel"], ["A."]), (["Baranowski"], ["A."])]
    assert len(names) == 6


def test_bibtex_particles_and_single_names_keep_their_family_name() -> None:
    study = record(authors=["van Hilten JJ", "Besedovsky", "del Rey"], year=2011)
    library = bibtexparser.parse_string(bibtex([study]), append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    names = library.entries[0]["author"]
    assert [(n.von, n.last, n.first) for n in names] == [
        (["van"], ["Hilten"], ["J.", "J."]),
        ([], ["Besedovsky"], []),
        ([], ["{del Rey}"], []),  # one family name, not given name "del" + family "Rey"
    ]


def test_bibtex_escapes_specials_so_values_parse_back_unchanged() -> None:
    title = r"Pain & mood: 50% pay $5 for #1 in_vivo {sets} ~x^2 a\b"
    study = record(title=title, journal="R&D_Journal", authors=["O'Brien_X A"], year=2020, volume_pages="4(2#):9")
    text = bibtex([study])
    for escaped in (r"\&", r"\%", r"\$", r"\#", r"\_", r"\{sets\}", r"\textasciitilde{}", r"\textasciicircum{}"):
        assert escaped in text
    [(_, _, fields)] = fields_of(parse_bibtex(text, decode=True))
    # pylatexenc renders \textasciicircum as the modifier letter U+02C6 rather than ASCII ^.
    assert fields["title"].replace("\u02c6", "^") == title
    assert fields["journal"] == "R&D_Journal"
    assert fields["number"] == "2#"
    assert fields["author"] == "O'Brien_X, A."


def test_bibtex_doi_is_verbatim_for_biblatex_links() -> None:
    [(_, _, fields)] = fields_of(parse_bibtex(bibtex([record(doi="10.1000/in_vivo")]), decode=False))
    assert fields["doi"] == "10.1000/in_vivo"


def test_bibtex_protects_acronyms_from_lowercasing_styles(studies: list[Study]) -> None:
    collins = next(s for s in studies if s.id == "collins-2009-magnesium-pilot")
    assert "type 1 ({CRPS} 1) patients" in bibtex([collins])


def test_bibtex_key_collisions_get_letters_in_input_order() -> None:
    same = [record(id=f"s{n}", authors=["Müller K"], year=2001, title="On the pain") for n in range(3)]
    other = record(id="other", authors=["Jørgensen P"], title="A study")
    keys = [e.key for e in parse_bibtex(bibtex([*same, other]), decode=False).entries]
    assert keys == ["muller2001pain", "muller2001paina", "muller2001painb", "jorgensenstudy"]


# ------------------------------------------------------------------ RIS


def test_ris_round_trips_every_shipped_study(studies: list[Study]) -> None:
    records = rispy.loads(ris(studies))
    assert len(records) == len(studies) == 49
    for study, entry in zip(studies, records, strict=True):
        assert entry["type_of_reference"] == ("JOUR" if study.journal else "GEN")
        assert entry.get("title") == study.title
        assert entry.get("secondary_title") == study.journal
        assert entry.get("year") == (str(study.year) if study.year else None)
        assert entry.get("doi") == study.doi
        assert entry.get("accession_number") == (f"PMID:{study.pmid}" if study.pmid else None)
        volume, issue, first, last = expected_pages(study)
        assert (entry.get("volume"), entry.get("number")) == (volume, issue)
        assert (entry.get("start_page"), entry.get("end_page")) == (first, last)
        assert len(entry.get("authors", [])) == len(study.authors)


def test_ris_goebel_record(goebel: Study) -> None:
    [entry] = rispy.loads(ris([goebel]))
    assert entry == {
        "type_of_reference": "JOUR",
        "authors": ["Goebel, A.", "Baranowski, A.", "Maurer, K.", "Ghiai, A.", "McCabe, C.", "Ambler, G."],
        "title": GOEBEL_TITLE,
        "secondary_title": "Annals of Internal Medicine",
        "year": "2010",
        "volume": "152",
        "number": "3",
        "start_page": "152",
        "end_page": "158",
        "doi": "10.7326/0003-4819-152-3-201002020-00006",
        "accession_number": "PMID:20124231",
    }


def test_ris_lines_follow_the_specification(studies: list[Study]) -> None:
    text = ris(studies)
    assert text.endswith("ER  - \r\n")
    lines = text.split("\r\n")[:-1]
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) and "\n" not in line for line in lines)
    assert sum(line.startswith("TY  - ") for line in lines) == sum(line == "ER  - " for line in lines) == 49
    assert lines[0].startswith("TY  - ")


def test_ris_initials_and_multiline_values() -> None:
    study = record(authors=["Zuurmond WWA", "Leow-Dyke"], title="Two\n  lines", journal="J", year=1999)
    [entry] = rispy.loads(ris([study]))
    assert entry["authors"] == ["Zuurmond, W.W.A.", "Leow-Dyke"]
    assert entry["title"] == "Two lines"


# ------------------------------------------------------------------ all formats


@pytest.mark.parametrize(
    ("volume_pages", "volume", "issue", "first", "last"),
    [
        ("152(3):152-158", "152", "3", "152", "158"),
        ("4:9", "4", None, "9", None),
        ("147(1-3):107-115", "147", "1-3", "107", "115"),
        ("32(1):41-5", "32", "1", "41", "45"),
        ("12:e0123", "12", None, "e0123", None),
        ("7(Suppl 1):S1-S9", "7", "Suppl 1", "S1", "S9"),
        ("5:99-1", "5", None, "99", "1"),  # not 91: an end page before the start is left as written
        ("30", "30", None, None, None),
        ("99-1", None, None, None, None),
        ("in press", None, None, None, None),
        ("Suppl 2:S10-S15", None, None, None, None),
        ("152(3):152-158 (erratum)", None, None, None, None),
    ],
)
def test_volume_pages_parse_or_are_left_out(
    volume_pages: str, volume: str | None, issue: str | None, first: str | None, last: str | None
) -> None:
    study = record(title="T", journal="J", volume_pages=volume_pages)
    [item] = json.loads(csl_json([study]))
    assert (item.get("volume"), item.get("issue")) == (volume, issue)
    assert item.get("page") == (f"{first}-{last}" if last else first)
    [(_, _, fields)] = fields_of(parse_bibtex(bibtex([study]), decode=False))
    assert (fields.get("volume"), fields.get("number")) == (volume, issue)
    assert fields.get("pages") == (f"{first}--{last}" if last else first)
    [entry] = rispy.loads(ris([study]))
    assert (entry.get("volume"), entry.get("number"), entry.get("start_page"), entry.get("end_page")) == (
        volume,
        issue,
        first,
        last,
    )


def test_study_with_nothing_known_gives_minimal_records() -> None:
    study = record(id="droracle-004-ref9", authors=[], title="  ", volume_pages="")
    assert json.loads(csl_json([study])) == [{"id": "droracleref", "type": "article"}]
    assert bibtex([study]) == "@misc{droracleref,\n}\n"
    assert ris([study]) == "TY  - GEN\r\nER  - \r\n"


def test_no_format_prints_an_empty_or_placeholder_field(studies: list[Study]) -> None:
    partial = record(id="partial", authors=["Kapoor S"], volume_pages="odd")
    every = [*studies, partial]
    for item in json.loads(csl_json(every)):
        assert all(value not in (None, "", [], {}) for value in item.values()), item
    assert "None" not in json.dumps(json.loads(csl_json(every)))
    text = bibtex(every)
    assert not re.search(r"= \{\s*\}|None|--\}|\{--", text)
    for line in ris(every).split("\r\n")[:-1]:
        assert line == "ER  - " or (line[6:].strip() and "None" not in line), line
    [*_, last] = rispy.loads(ris(every))
    assert last == {"type_of_reference": "GEN", "authors": ["Kapoor, S."]}


def test_empty_input_gives_empty_documents() -> None:
    assert json.loads(csl_json([])) == []
    assert bibtex([]) == ""
    assert ris([]) == ""


def test_module_imports_only_the_standard_library() -> None:
    code = (
        "import sys, crpscli.output.citations; "
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'yaml'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
