"""A printable brief on one treatment, for a patient to take to their clinician: markdown or HTML.

The brief re-presents what is already in the data and adds nothing: the treatment's summary,
each source's claims (with the kind of source), the disagreements found by `conflicts.py` and
the studies each side rests on, the figures the claims give, the studies as Vancouver-style
references numbered in order of first appearance, the date of the data and the
not-medical-advice notice. `build` makes a small document; `to_markdown` and `to_html` write it.

Every data string is passed through `formats.clean` (control characters) and then escaped for
its format. The HTML is one self-contained file: inline CSS, no scripts, no images or fonts to
fetch (a Content-Security-Policy forbids any), and its only external links are the DOI and
PubMed links of the references.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from . import DATA_DATE, __version__
from .conflicts import COMPARABLE, format_figure
from .evidence import EvidenceBase
from .formats import NOTICE, clean
from .models import Condition, Source, Study, Treatment
from .queries import ClaimView, NotFound, resolve_all, treat

DOI_URL = "https://doi.org/"
PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/"
VANCOUVER_MAX_AUTHORS = 6  # more than six: the first six, then "et al."


class SeveralTreatments(NotFound):
    def __init__(self, name: str, treatments: list[Treatment]) -> None:
        listed = ", ".join(t.id for t in treatments)
        super().__init__(
            f"'{name}' means {len(treatments)} treatments ({listed}); a brief covers one: name one of them"
        )


# --- the document ------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Reference:
    number: int
    study: Study
    text: str  # the Vancouver reference without its DOI and PMID, which are links
    links: list[Link]
    cited_by: list[str]
    # Where a source describes the study differently from the record: "who (kind): note".
    differences: list[str]


@dataclass(frozen=True)
class BriefClaim:
    view: ClaimView
    refs: list[int]
    # The references among `refs` that this claim's source describes differently from the record.
    differing: list[int]

    @property
    def note(self) -> str:
        """What a reader must know beside the text: a reader comment, another condition."""
        claim = self.view.claim
        notes = []
        if claim.speaker.value != "author":
            notes.append("a reader comment, not the author")
        if claim.condition != Condition.crps:
            notes.append(f"about {claim.condition.value.replace('_', ' ')}, not CRPS")
        return "; ".join(notes)


@dataclass(frozen=True)
class SourceSection:
    source: Source
    claims: list[BriefClaim]


@dataclass(frozen=True)
class Side:
    source: str
    claim: BriefClaim


@dataclass(frozen=True)
class Disagreement:
    explanation: str
    aspect: str
    sides: list[Side]


@dataclass(frozen=True)
class FigureRow:
    what: str
    figure: str
    note: str
    source: str
    claim: str
    how_given: bool  # a quantity of how the treatment is given (dose, length, interval, ...)


@dataclass
class Brief:
    treatment: Treatment
    sources: list[SourceSection]
    disagreements: list[Disagreement]
    figures: list[FigureRow]
    references: list[Reference]
    data_date: str = DATA_DATE
    notice: str = NOTICE
    version: str = __version__


def one_treatment(base: EvidenceBase, name: str) -> Treatment:
    """The one treatment a name means; a group name (several treatments) is refused."""
    found = resolve_all(base, [name])
    if len(found) > 1:
        raise SeveralTreatments(name, found)
    return found[0]


def vancouver(study: Study) -> tuple[str, list[Link]]:
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


def build(base: EvidenceBase, treatment: Treatment) -> Brief:
    """The brief's content, from the same report `crps treat` shows."""
    [entry] = treat(base, [treatment]).treatments
    labels = {s.id: s.label for s in base.sources.values()}
    numbers: dict[str, int] = {}
    sections = []
    by_claim: dict[str, BriefClaim] = {}
    for group in entry.sources:
        claims = []
        for view in group.claims:
            refs = [numbers.setdefault(study.id, len(numbers) + 1) for study in view.studies]
            differing = [
                numbers[s.id]
                for s in view.studies
                if any(d.source == view.claim.source for d in base.studies[s.id].discrepancies)
            ]
            brief_claim = BriefClaim(view=view, refs=refs, differing=differing)
            by_claim[view.claim.id] = brief_claim
            claims.append(brief_claim)
        sections.append(SourceSection(source=group.source, claims=claims))
    disagreements = [
        Disagreement(
            explanation=c.explanation,
            aspect=c.aspect.value,
            sides=[
                Side(source=labels.get(by_claim[i].view.claim.source, ""), claim=by_claim[i])
                for i in (c.first, c.second)
            ],
        )
        for c in entry.conflicts
    ]
    figures = [
        FigureRow(
            what=f.quantity.value.replace("_", " "),
            figure=format_figure(f),
            note=f.note or "",
            source=labels.get(c.view.claim.source, c.view.claim.source),
            claim=c.view.claim.id,
            how_given=f.quantity in COMPARABLE,
        )
        for section in sections
        for c in section.claims
        for f in c.view.claim.figures
    ]
    # How the treatment is given first (doses, lengths, intervals), then the other numbers; each in data order.
    figures.sort(key=lambda row: not row.how_given)
    references = []
    for study_id, number in numbers.items():
        study = base.studies[study_id]
        text, links = vancouver(study)
        cited_by = [
            f"{labels.get(c.source, c.source)} as "
            + (f"reference {c.ref}" if c.ref.isdigit() else f"“{c.ref}”")
            + f" ({c.locator})"
            for c in study.citations
        ]
        differences = [
            f"{labels.get(d.source, d.source)} ({d.kind.value.replace('_', ' ')}): {d.note}"
            for d in study.discrepancies
        ]
        references.append(
            Reference(number=number, study=study, text=text, links=links, cited_by=cited_by, differences=differences)
        )
    return Brief(
        treatment=treatment,
        sources=sections,
        disagreements=disagreements,
        figures=figures,
        references=references,
    )


def _flags(claim: BriefClaim) -> list[str]:
    """Pointers from a claim to the sections that say more about it."""
    flags = []
    if claim.view.conflicts_with:
        flags.append("Another claim disagrees with this one: see Where the sources disagree.")
    if claim.differing:
        listed = ", ".join(f"[{n}]" for n in claim.differing)
        flags.append(f"The source describes study {listed} differently from the study record: see References.")
    return flags


def _stance_words(claim: BriefClaim) -> tuple[str, str]:
    return claim.view.claim.stance.value, claim.view.claim.aspect.value.replace("_", " ")


def _rests_on(refs: list[int]) -> str:
    return "rests on " + ", ".join(f"[{n}]" for n in refs) if refs else "cites no study"


def _source_kind(source: Source) -> str:
    """The kind in full ("encyclopedic review excerpt"), where the label is short ("review excerpt")."""
    return source.kind.value.replace("_", " ").replace("ai generated", "AI-generated")


def _source_heading(source: Source) -> str:
    return f"{source.label[0].upper()}{source.label[1:]}: {source.title}"


def _source_facts(source: Source) -> str:
    facts = [f"Kind: {_source_kind(source)}"]
    if source.author:
        facts.append(f"author: {source.author}")
    if source.year:
        facts.append(f"year: {source.year}")
    return "; ".join(facts) + "."


def _figures_intro() -> str:
    return (
        "The numbers the sources give, as they give them: first how the treatment is given "
        "(doses, lengths, intervals), then the other numbers they report."
    )


def _no_disagreement() -> str:
    return (
        "The sources do not disagree on this treatment by crps's rule (opposite stances, or "
        "different figures for how it is given, on the same aspect)."
    )


# --- markdown ------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|#"})


def md(value: object) -> str:
    """Data as literal markdown text: no control characters, markup or line breaks."""
    return " ".join(clean(str(value)).translate(_MD_SPECIAL).split())


def _md_refs(refs: list[int]) -> str:
    return (" " + "".join(f"\\[{n}\\]" for n in refs)) if refs else ""


def _hard_breaks(lines: list[str]) -> list[str]:
    """The lines of one list item, each but the last ending in a markdown line break (two spaces)."""
    return [line + "  " for line in lines[:-1]] + lines[-1:]


def to_markdown(brief: Brief) -> str:
    t = brief.treatment
    out = [f"# {md(t.name)}", "", f"**{NOTICE}**", ""]
    out += [f"What {len(brief.sources)} source(s) say about this treatment; crps data of {brief.data_date}.", ""]
    out += ["## What it is", "", md(t.summary), ""]
    out.append(f"- Category: {md(t.category.value.replace('_', ' '))}")
    if t.aliases:
        out.append(f"- Also called: {', '.join(md(a) for a in t.aliases)}")
    if t.group:
        out.append(f"- Group: {md(t.group)}")
    out += ["", "## What each source says", ""]
    if not brief.sources:
        out += ["No source makes a claim about this treatment.", ""]
    for section in brief.sources:
        s = section.source
        out += [f"### {md(_source_heading(s))}", "", md(_source_facts(s)), ""]
        out += [f"What it is worth as evidence: {md(s.evidence_value)}", ""]
        for c in section.claims:
            claim = c.view.claim
            stance, aspect = _stance_words(c)
            note = f" ({md(c.note)})" if c.note else ""
            lines = [f"- **{stance}** ({aspect}){note}: {md(claim.text)}{_md_refs(c.refs)}"]
            lines.append(f"  {md(claim.locator)}: “{md(claim.quote)}”")
            lines += [f"  _{md(flag)}_" for flag in _flags(c)]
            out += _hard_breaks(lines)
        out.append("")
    out += ["## Where the sources disagree", ""]
    if not brief.disagreements:
        out += [_no_disagreement(), ""]
    for d in brief.disagreements:
        out.append(f"- {md(d.explanation)}")
        for side in d.sides:
            claim = side.claim.view.claim
            stance, _ = _stance_words(side.claim)
            out.append(f"  - {md(side.source)}, {stance}: {md(claim.text)} ({_rests_on(side.claim.refs)})")
    if brief.disagreements:
        out.append("")
    out += ["## Key figures", ""]
    if brief.figures:
        out += [_figures_intro(), "", "| what | figure | note | source | claim |", "|---|---|---|---|---|"]
        out += [
            f"| {md(f.what)} | {md(f.figure)} | {md(f.note)} | {md(f.source)} | {md(f.claim)} |" for f in brief.figures
        ]
    else:
        out.append("The sources give no figures for this treatment.")
    out += ["", "## References", ""]
    if not brief.references:
        out += ["The claims above cite no study.", ""]
    for r in brief.references:
        body = md(r.text) if r.text else "No bibliographic details are known for this study."
        links = " ".join(f"[{md(link.label)}](<{link.url}>)." for link in r.links)
        lines = [f"{r.number}. {body}{' ' + links if links else ''}"]
        lines.append(f"   Cited by {'; '.join(md(c) for c in r.cited_by)}.")
        lines += [f"   Described differently by {md(d)}" for d in r.differences]
        out += _hard_breaks(lines)
    out += ["", "---", "", f"Data of {brief.data_date}; made with crps {brief.version}.", "", f"**{NOTICE}**", ""]
    return "\n".join(out)


# --- HTML ---------------------------------------------------------------------------

# A4 is narrower than Letter and Letter shorter than A4: a 180 mm text block with these margins
# fits the width of both, and the text flows onto as many pages as it needs on either.
CSS = """
@page { size: A4; margin: 15mm 15mm 16mm 15mm; }
html { font: 10.5pt/1.38 Georgia, "Times New Roman", serif; color: #111; background: #fff; }
body { max-width: 180mm; margin: 0 auto; }
h1 { font-size: 19pt; margin: 0 0 2pt; }
h2 { font-size: 13pt; margin: 14pt 0 4pt; border-bottom: 1px solid #888;
     break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 10pt 0 2pt; break-after: avoid; page-break-after: avoid; }
p { margin: 3pt 0; }
ul, ol { margin: 3pt 0; padding-left: 16pt; }
li { margin: 0 0 4pt; break-inside: avoid; page-break-inside: avoid; }
.notice { border: 1.5pt solid #111; padding: 4pt 7pt; font-weight: bold; margin: 6pt 0; }
.meta, .where, .cited, .worth { color: #444; font-size: 9.5pt; }
.stance { font-weight: bold; }
.supports { color: #17612a; } .opposes { color: #a01818; } .mixed { color: #7a5b00; }
.caution { color: #7a1f6b; } .neutral { color: #1d4f73; }
.flag { font-size: 9.5pt; font-style: italic; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 4pt 0; }
th, td { border: 1px solid #aaa; padding: 2pt 4pt; text-align: left; vertical-align: top; }
tr { break-inside: avoid; page-break-inside: avoid; }
a { color: inherit; }
footer { margin-top: 14pt; border-top: 1px solid #888; padding-top: 4pt; }
@media screen { body { margin: 2em auto; padding: 0 1em; } }
@media print { a { text-decoration: none; } }
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def esc(value: object) -> str:
    """Data as literal HTML text: control characters neutralised, markup escaped."""
    return html.escape(clean(str(value)))


def _html_refs(refs: list[int]) -> str:
    return "".join(f' <a class="ref" href="#ref-{n}">[{n}]</a>' for n in refs)


def _stance_html(claim: BriefClaim) -> str:
    stance, aspect = _stance_words(claim)
    return f'<span class="stance {stance}">{stance}</span> ({esc(aspect)})'


def to_html(brief: Brief) -> str:
    t = brief.treatment
    title = f"{t.name}: what the sources say"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="crps {esc(brief.version)}">',
        f"<title>{esc(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{esc(t.name)}</h1>",
        f'<p class="meta">What {len(brief.sources)} source(s) say about this treatment; '
        f"crps data of {esc(brief.data_date)}.</p>",
        f'<p class="notice" role="note">{esc(brief.notice)}</p>',
        "</header>",
        '<section id="what-it-is">',
        "<h2>What it is</h2>",
        f"<p>{esc(t.summary)}</p>",
        '<ul class="meta">',
        f"<li>Category: {esc(t.category.value.replace('_', ' '))}</li>",
    ]
    if t.aliases:
        out.append(f"<li>Also called: {esc(', '.join(t.aliases))}</li>")
    if t.group:
        out.append(f"<li>Group: {esc(t.group)}</li>")
    out += ["</ul>", "</section>", '<section id="sources">', "<h2>What each source says</h2>"]
    if not brief.sources:
        out.append("<p>No source makes a claim about this treatment.</p>")
    for section in brief.sources:
        s = section.source
        out += [
            f'<section class="source" id="source-{esc(s.number)}">',
            f"<h3>{esc(_source_heading(s))}</h3>",
            f'<p class="meta">{esc(_source_facts(s))}</p>',
            f'<p class="worth">What it is worth as evidence: {esc(s.evidence_value)}</p>',
            '<ul class="claims">',
        ]
        for c in section.claims:
            claim = c.view.claim
            note = f' <span class="flag">({esc(c.note)})</span>' if c.note else ""
            item = f"<li>{_stance_html(c)}{note}: {esc(claim.text)}{_html_refs(c.refs)}"
            item += f'<br><span class="where">{esc(claim.locator)}: “{esc(claim.quote)}”</span>'
            item += "".join(f'<br><span class="flag">{esc(flag)}</span>' for flag in _flags(c))
            out.append(item + "</li>")
        out += ["</ul>", "</section>"]
    out += ["</section>", '<section id="disagreements">', "<h2>Where the sources disagree</h2>"]
    if not brief.disagreements:
        out.append(f"<p>{esc(_no_disagreement())}</p>")
    else:
        out.append('<ul class="disagreements">')
        for d in brief.disagreements:
            sides = "".join(
                f'<li class="side">{esc(side.source)}, {_stance_html(side.claim)}: '
                f"{esc(side.claim.view.claim.text)} ({_rests_on_html(side.claim.refs)})</li>"
                for side in d.sides
            )
            out.append(f"<li>{esc(d.explanation)}<ul>{sides}</ul></li>")
        out.append("</ul>")
    out += ["</section>", '<section id="figures">', "<h2>Key figures</h2>"]
    if brief.figures:
        out += [
            f"<p>{esc(_figures_intro())}</p>",
            "<table>",
            "<thead><tr><th>what</th><th>figure</th><th>note</th><th>source</th><th>claim</th></tr></thead>",
            "<tbody>",
        ]
        out += [
            f"<tr><td>{esc(f.what)}</td><td>{esc(f.figure)}</td><td>{esc(f.note)}</td>"
            f"<td>{esc(f.source)}</td><td>{esc(f.claim)}</td></tr>"
            for f in brief.figures
        ]
        out += ["</tbody>", "</table>"]
    else:
        out.append("<p>The sources give no figures for this treatment.</p>")
    out += ["</section>", '<section id="references">', "<h2>References</h2>"]
    if not brief.references:
        out.append("<p>The claims above cite no study.</p>")
    else:
        out.append('<ol class="references">')
        for r in brief.references:
            body = esc(r.text) if r.text else "No bibliographic details are known for this study."
            links = "".join(f' <a href="{html.escape(link.url)}">{esc(link.label)}</a>.' for link in r.links)
            cited = f'<br><span class="cited">Cited by {esc("; ".join(r.cited_by))}.</span>'
            cited += "".join(f'<br><span class="flag">Described differently by {esc(d)}</span>' for d in r.differences)
            out.append(f'<li id="ref-{r.number}" value="{r.number}">{body}{links}{cited}</li>')
        out.append("</ol>")
    out += [
        "</section>",
        "<footer>",
        f'<p class="notice" role="note">{esc(brief.notice)}</p>',
        f'<p class="meta">Data of {esc(brief.data_date)}; made with crps {esc(brief.version)}.</p>',
        "</footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out)


def _rests_on_html(refs: list[int]) -> str:
    if not refs:
        return "cites no study"
    return "rests on" + ",".join(f' <a class="ref" href="#ref-{n}">[{n}]</a>' for n in refs)


# --- writing -------------------------------------------------------------------------


def refuse_output(path: Path, data_dirs: list[Path]) -> str | None:
    """Why the brief may not be written to `path`, or None: never a directory, never into a data
    directory, and no directory is created for it."""
    if path.is_dir():
        return f"-o {path}: is a directory"
    target = path.resolve()
    if not target.parent.is_dir():
        return f"-o {path}: no directory {path.parent} (crps creates none)"
    for directory in data_dirs:
        if target.is_relative_to(directory.resolve()):
            return f"-o {path}: inside the data directory {directory}; write the brief elsewhere"
    return None
