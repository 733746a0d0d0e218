"""Study records as CSL-JSON, BibTeX and RIS, for reference managers, Pandoc and LaTeX.

Pure functions over duck-typed records: only attribute access, standard library only, so the
module stays cheap to import and works with any object that has the attributes of
``StudyRecord``. A field whose value is unknown is left out, never filled with a placeholder.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar
from urllib.parse import quote

from ..evidence.authors import AuthorName, parse_author
from .text import clean


class _Valued(Protocol):
    @property
    def value(self) -> str: ...


class StudyRecord(Protocol):
    """The attributes read from a study (``models.Study`` has them)."""

    @property
    def id(self) -> str: ...
    @property
    def authors(self) -> Sequence[str]: ...
    @property
    def title(self) -> str | None: ...
    @property
    def journal(self) -> str | None: ...
    @property
    def year(self) -> int | None: ...
    @property
    def volume_pages(self) -> str | None: ...
    @property
    def doi(self) -> str | None: ...
    @property
    def pmid(self) -> str | None: ...
    @property
    def design(self) -> _Valued: ...


_S = TypeVar("_S", bound=StudyRecord)


@dataclass(frozen=True)
class _Locator:
    volume: str
    issue: str | None
    first_page: str | None
    last_page: str | None


@dataclass(frozen=True)
class _Entry:
    """One study with its fields cleaned once for all three formats."""

    key: str
    names: list[AuthorName]
    title: str | None
    journal: str | None
    year: int | None
    locator: _Locator | None
    doi: str | None
    pmid: str | None
    design: str

    @property
    def pages(self) -> str | None:
        """First page, or first and last joined by a hyphen."""
        if self.locator is None or self.locator.first_page is None:
            return None
        last = self.locator.last_page
        return self.locator.first_page + (f"-{last}" if last else "")


# "152(3):152-158", "4:9", "147(1-3):107-115", "32(1):41-5"; anything else is not split at all.
_VOLUME_PAGES = re.compile(
    r"(?P<volume>\d\w*)\s*(?:\((?P<issue>[^()]+)\))?\s*(?::\s*(?P<first>\w+)(?:\s*[-–]\s*(?P<last>\w+))?)?"
)
_KEY_STOPWORDS = frozenset({"a", "an", "the", "of", "on", "in", "and", "for", "to"})
# Letters NFKD does not decompose to ASCII.
_ASCII_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L"}
)
_BIBTEX_ESCAPES = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# Item types for a study with no journal; any study with a journal is a journal article.
_CSL_TYPE_WITHOUT_JOURNAL = {"guideline": "report"}
_RIS_TYPE_WITHOUT_JOURNAL = {"guideline": "RPRT"}


def _text(value: str | None) -> str | None:
    """The value on one line, or None when it is missing or blank."""
    if value is None:
        return None
    return " ".join(value.split()) or None


def _expand_last_page(first: str, last: str) -> str:
    """Write an abbreviated last page in full (41-5 -> 45), as RIS EP and BibTeX ranges expect."""
    if first.isdigit() and last.isdigit() and len(last) < len(first):
        full = first[: len(first) - len(last)] + last
        if int(full) > int(first):
            return full
    return last


def _locator(volume_pages: str | None) -> _Locator | None:
    text = _text(volume_pages)
    match = _VOLUME_PAGES.fullmatch(text) if text else None
    if match is None:
        return None
    first, last = match["first"], match["last"]
    if first and last:
        last = _expand_last_page(first, last)
    return _Locator(match["volume"], _text(match["issue"]), first, last)


def _ascii_letters(text: str) -> str:
    """Lowercase ASCII letters only: "Todorović-Tirnanić" -> "todorovictirnanic"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    return re.sub(r"[^a-z]", "", decomposed.encode("ascii", "ignore").decode().lower())


def _base_key(study: StudyRecord, names: list[AuthorName], title: str | None) -> str:
    who = _ascii_letters(names[0].family) if names else ""
    year = str(study.year) if study.year is not None else ""
    words = (_ascii_letters(word) for word in (title or "").split())
    word = next((w for w in words if w and w not in _KEY_STOPWORDS), "")
    # A study id may have no letters at all; a key may not be empty.
    return (who or _ascii_letters(study.id)) + year + word or "ref"


def _suffix(index: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _entries(studies: Iterable[StudyRecord]) -> list[_Entry]:
    """Clean every study and give it a key unique in this output (later duplicates get a, b, ...)."""
    entries: list[_Entry] = []
    used: set[str] = set()
    for study in studies:
        names = [parse_author(author) for author in study.authors if _text(author)]
        title = _text(study.title)
        base = key = _base_key(study, names, title)
        collisions = 0
        while key in used:
            key = base + _suffix(collisions)
            collisions += 1
        used.add(key)
        entries.append(
            _Entry(
                key=key,
                names=names,
                title=title,
                journal=_text(study.journal),
                year=study.year,
                locator=_locator(study.volume_pages),
                doi=_text(study.doi),
                pmid=_text(study.pmid),
                design=study.design.value,
            )
        )
    return entries


def has_details(study: StudyRecord) -> bool:
    """Whether a reference manager can do anything with the study: an author, title, journal, year, DOI or PMID."""
    return any(_text(a) for a in study.authors) or any(
        v is not None and _text(str(v)) for v in (study.title, study.journal, study.year, study.doi, study.pmid)
    )


def without_details(studies: Iterable[_S]) -> list[_S]:
    """The studies the citation formats leave out: no bibliographic details at all."""
    return [s for s in studies if not has_details(s)]


def csl_json(studies: Iterable[StudyRecord]) -> str:
    """A CSL-JSON array, as read by Zotero, Pandoc (--bibliography) and citeproc processors."""
    items = []
    for entry in _entries(studies):
        kind = "article-journal" if entry.journal else _CSL_TYPE_WITHOUT_JOURNAL.get(entry.design, "article")
        item: dict[str, object] = {"id": entry.key, "type": kind}
        if entry.names:
            item["author"] = [
                {"family": name.family, "given": name.spaced()} if name.initials else {"family": name.family}
                for name in entry.names
            ]
        locator = entry.locator
        optional: dict[str, object] = {
            "title": entry.title,
            "container-title": entry.journal,
            "issued": {"date-parts": [[entry.year]]} if entry.year is not None else None,
            "volume": locator.volume if locator else None,
            "issue": locator.issue if locator else None,
            "page": entry.pages,
            "DOI": entry.doi,
            "PMID": entry.pmid,
        }
        item.update((field, value) for field, value in optional.items() if value is not None)
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def _bibtex_escape(text: str) -> str:
    return text.translate(_BIBTEX_ESCAPES)


def _protect_capitals(escaped: str) -> str:
    """Brace words with two or more capitals ("CRPS", "IVIG") so styles that lowercase titles keep them."""
    return _WORD.sub(lambda m: f"{{{m[0]}}}" if sum(ch.isupper() for ch in m[0]) > 1 else m[0], escaped)


def _bibtex_name(name: AuthorName) -> str:
    family = _bibtex_escape(name.family)
    if name.initials:
        return f"{family}, {name.spaced()}"
    # Braced so that BibTeX does not take the first word of "del Rey" for a given name.
    return f"{{{family}}}" if " " in family else family


def bibtex(studies: Iterable[StudyRecord]) -> str:
    """BibTeX entries: @article for a study with a journal, @misc otherwise."""
    blocks = []
    for entry in _entries(studies):
        locator = entry.locator
        fields = {
            "author": " and ".join(_bibtex_name(name) for name in entry.names) or None,
            "title": _protect_capitals(_bibtex_escape(entry.title)) if entry.title else None,
            "journal": _bibtex_escape(entry.journal) if entry.journal else None,
            "year": str(entry.year) if entry.year is not None else None,
            "volume": _bibtex_escape(locator.volume) if locator else None,
            "number": _bibtex_escape(locator.issue) if locator and locator.issue else None,
            "pages": _bibtex_escape(entry.pages.replace("-", "--")) if entry.pages else None,
            # biblatex reads doi verbatim, so a backslash escape would end up in the link.
            "doi": entry.doi,
            "pmid": _bibtex_escape(entry.pmid) if entry.pmid else None,
        }
        lines = [f"@{'article' if entry.journal else 'misc'}{{{entry.key},"]
        lines += [f"  {field} = {{{value}}}," for field, value in fields.items() if value]
        lines.append("}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _ris_name(name: AuthorName) -> str:
    """The RIS author form: family name, comma, initials with periods and no spaces ("Zuurmond, W.W.A.")."""
    return f"{name.family}, {'.'.join(name.initials)}." if name.initials else name.family


def ris(studies: Iterable[StudyRecord]) -> str:
    """RIS records with CRLF line ends, as the RIS specification requires.

    The journal goes in T2 (Zotero and EndNote read it as the journal title; Zotero reads JO as
    an abbreviation) and the PMID in AN, the accession number, labelled "PMID:".
    """
    lines: list[str] = []
    for entry in _entries(studies):
        locator = entry.locator
        kind = "JOUR" if entry.journal else _RIS_TYPE_WITHOUT_JOURNAL.get(entry.design, "GEN")
        fields = [
            ("TY", kind),
            *(("AU", _ris_name(name)) for name in entry.names),
            ("TI", entry.title),
            ("T2", entry.journal),
            ("PY", str(entry.year) if entry.year is not None else None),
            ("VL", locator.volume if locator else None),
            ("IS", locator.issue if locator else None),
            ("SP", locator.first_page if locator else None),
            ("EP", locator.last_page if locator else None),
            ("DO", entry.doi),
            ("AN", f"PMID:{entry.pmid}" if entry.pmid else None),
        ]
        lines += [f"{tag}  - {value}" for tag, value in fields if value]
        lines.append("ER  - ")
    return "".join(f"{line}\r\n" for line in lines)


# --- Vancouver, for the brief's references ------------------------------------------

DOI_URL = "https://doi.org/"
PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/"
VANCOUVER_MAX_AUTHORS = 6  # more than six: the first six, then "et al."


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def vancouver(study: StudyRecord) -> tuple[str, list[Link]]:
    """The study as a Vancouver reference from the fields it has, and its DOI and PMID as links.

    Authors (the first six, then "et al."), title, journal exactly as recorded, year;volume(issue):pages.
    A field the record does not have is left out; with none, the text is empty.
    """
    parts = []
    authors = [clean(a) for a in study.authors]
    if authors:
        shown = authors[:VANCOUVER_MAX_AUTHORS] + (["et al"] if len(authors) > VANCOUVER_MAX_AUTHORS else [])
        parts.append(", ".join(shown))
    if study.title:
        parts.append(clean(study.title))
    if study.journal:
        parts.append(clean(study.journal))
    when = ";".join(clean(str(p)) for p in (study.year, study.volume_pages) if p)
    if when:
        parts.append(when)
    text = " ".join(p if p.endswith((".", "?", "!")) else p + "." for p in parts)
    links = []
    if study.doi:
        links.append(Link(f"doi:{study.doi}", DOI_URL + quote(study.doi, safe="/:;()")))
    if study.pmid:
        links.append(Link(f"PMID: {study.pmid}", f"{PUBMED_URL}{quote(study.pmid, safe='')}/"))
    return text, links
