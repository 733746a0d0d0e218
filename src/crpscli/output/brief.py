"""The brief as markdown or as one self-contained HTML file, and where it may be written.

Page one is the summary of findings (each treatment's bottom line); the details follow under their
own heading, and in HTML from a new printed page. Every data string is passed through `text.clean`
(control characters) and then escaped for its format. The HTML is one self-contained file: inline
CSS, no scripts, no images or fonts to fetch (a Content-Security-Policy forbids any), and its only
external links are the DOI and PubMed links of the references.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from ..answers.brief import Brief, BriefClaim, FigureRow, TreatmentBrief
from ..evidence.records import Source
from ..evidence.vocab import Level
from .citations import vancouver
from .formats import BriefFormat, FormatError
from .tables import LEVEL_MARKS
from .text import NOTICE, clean, counted, position_notes, question_name

# The suffixes of the files each format is written to; `-o` takes no other.
SUFFIXES = {BriefFormat.markdown: (".md", ".markdown", ".txt"), BriefFormat.html: (".html", ".htm")}
DETAILS = "each source's claims, the disagreements with both sides, the figures and the references"
DETAILS_NOTE = f"The details follow: {DETAILS}."
DETAILS_PAGE = f"The details follow, from a new page when printed: {DETAILS}."
POSITIONS_INTRO = "Where each source stands, with the best study behind its position:"
NO_DISAGREEMENT = "No conflict or tension between the claims about CRPS."
SUMMARY_INTRO = "Computed from the claims in the details; crps gives no grade the sources do not give."


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _who_speaks(brief: Brief) -> str:
    """ "4 sources speak about it, 3 of them about CRPS (AI-generated answer 004 only about back pain)"."""
    subject = "it" if len(brief.treatments) == 1 else "them"
    speakers = brief.speakers
    if not speakers:
        return f"No source speaks about {subject}"
    crps, n = sum(s.about_crps for s in speakers), len(speakers)
    said = f"{counted(n, 'source')} {'speaks' if n == 1 else 'speak'} about {subject}"
    if crps == n:
        return said + (", all of them about CRPS" if n > 1 else "; it is about CRPS")
    others = "; ".join(f"{s.source.label} only about {_listed(s.conditions)}" for s in speakers if not s.about_crps)
    part = "not about CRPS" if n == 1 else f"{crps or 'none'} of them about CRPS"
    return said + f", {part} ({others})"


def _covers(brief: Brief) -> str | None:
    """What a brief of several treatments covers, said before anything else."""
    if len(brief.treatments) == 1:
        return None
    names = "; ".join(tb.treatment.name for tb in brief.treatments)
    count = counted(len(brief.treatments), "treatment")
    of = f' of the {brief.collection[0]} "{brief.collection[1]}"' if brief.collection else ""
    return f"This brief covers the {count}{of}: {names}."


def _meta(brief: Brief) -> str:
    return f"{_who_speaks(brief)}. crps data of {brief.data_date}."


@dataclass(frozen=True)
class _Said:
    """One line of the summary: its words, the reference after them (if any), more words each with
    its own reference (a position names a study for each of its stances), and the words after that."""

    text: str
    ref: int | None = None
    after: str = ""
    more: tuple[tuple[str, int | None], ...] = ()


@dataclass(frozen=True)
class _Summary:
    """A treatment's bottom line as the brief writes it (the same words in markdown and HTML)."""

    speaking: str
    positions: list[tuple[str, list[_Said]]]
    described_only: int
    disagreements: list[tuple[Level, str]]
    differently: list[_Said]


def _summary(tb: TreatmentBrief, numbers: dict[str, int]) -> _Summary:
    line = tb.bottom_line
    crps = [s.label for s in line.sources if s.about_crps]
    other = [s.label for s in line.sources if not s.about_crps]
    speaking = f"About CRPS: {', '.join(crps) if crps else 'no source'}."
    if other:
        speaking += f" Only about other conditions: {', '.join(other)}."
    positions = []
    for question, taken in tb.positions:
        said = []
        for p in taken:
            notes = [(words, numbers[study.id] if study else None) for words, study in position_notes(p)]
            head = f"{p.label} {p.stance.value}"
            if not notes:
                said.append(_Said(head))
                continue
            (first, ref), *rest = notes
            said.append(_Said(f"{head} ({first}", ref, ")", tuple((f"; {words}", n) for words, n in rest)))
        outcome = question.outcome.value if question.outcome else None
        positions.append((question_name(question.aspect.value, outcome), said))
    disagreements = [(d.level, f"{d.level.value}: {d.explanation}") for d in line.disagreements]
    grouped: dict[tuple[str, str], list[str]] = {}
    studies = {}
    for item in line.described_differently:
        grouped.setdefault((item.study.id, item.label), []).append(item.kind.replace("_", " "))
        studies[item.study.id] = item.study
    differently = []
    for (study_id, label), kinds in grouped.items():
        corrected = [
            f"{row.what} given as {row.figure}, in the study record {row.record}"
            for row in tb.figures
            if row.record and row.record_ref == numbers[study_id] and row.source == label
        ]
        differently.append(
            _Said(
                f"{label[:1].upper()}{label[1:]} describes {studies[study_id].label(ref=False)}",
                numbers[study_id],
                f" differently from the study record ({'; '.join([', '.join(kinds), *corrected])}): see References.",
            )
        )
    return _Summary(
        speaking=speaking,
        positions=positions,
        described_only=len(line.questions) - len(tb.positions),
        disagreements=disagreements,
        differently=differently,
    )


def _described_only(n: int) -> str:
    return (
        f"{n} more {'question is' if n == 1 else 'questions are'} only described, with no position (see the details)."
    )


def _flags(claim: BriefClaim) -> list[str]:
    """Pointers from a claim to the sections that say more about it."""
    flags = []
    if claim.view.disagreement:
        flags.append(f"This claim is part of a {claim.view.disagreement.value}: see Where the sources disagree.")
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


def _figure_words(row: FigureRow) -> str:
    """The source's figure, and the study record's where it gives the same quantity otherwise."""
    return f"{row.figure}; the study record: {row.record}" if row.record else row.figure


def _figures_intro() -> str:
    return (
        "The numbers the sources give, as they give them: first how the treatment is given "
        "(doses, lengths, intervals), then the other numbers they report. Where the study record gives "
        "a figure otherwise, the cell shows both."
    )


def _no_disagreement() -> str:
    return (
        "The sources show no conflict or tension on this treatment by crps's rule (opposite stances, "
        "doubts or figures that do not match on the same question, a mechanism called unknown, or "
        "strong wording on weak evidence)."
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


def _md_said(said: _Said) -> str:
    after = md(said.after)
    more = "".join(md(words) + _md_refs([ref] if ref else []) for words, ref in said.more)
    head = md(said.text) + _md_refs([said.ref] if said.ref else []) + more
    return head + (" " + after if said.after[:1] == " " else after)


def _md_summary(tb: TreatmentBrief, numbers: dict[str, int]) -> list[str]:
    summary = _summary(tb, numbers)
    out = [md(summary.speaking), ""]
    if summary.positions:
        out += [POSITIONS_INTRO, ""]
        for question, said in summary.positions:
            positions = "; ".join(_md_said(p) for p in said)
            out.append(f"- **{md(question)}**: {positions}")
        out.append("")
    if summary.described_only:
        out += [md(_described_only(summary.described_only)), ""]
    if summary.disagreements:
        out += [f"- {LEVEL_MARKS[level]} {md(said)}" for level, said in summary.disagreements] + [""]
    else:
        out += [NO_DISAGREEMENT, ""]
    if summary.differently:
        out += [f"- {_md_said(d)}" for d in summary.differently] + [""]
    return out


def _md_details(tb: TreatmentBrief, depth: int) -> list[str]:
    """One treatment's details, its sections at heading level `depth` and its sources one below."""
    t = tb.treatment
    section, sub = "#" * depth, "#" * (depth + 1)
    out = [f"{section} What it is", "", md(t.summary), ""]
    out.append(f"- Category: {md(t.category.value.replace('_', ' '))}")
    if t.aliases:
        out.append(f"- Also called: {', '.join(md(a) for a in t.aliases)}")
    if t.group:
        out.append(f"- Group: {md(t.group)}")
    out += ["", f"{section} What each source says", ""]
    if not tb.sources:
        out += ["No source makes a claim about this treatment.", ""]
    for source_claims in tb.sources:
        s = source_claims.source
        out += [f"{sub} {md(_source_heading(s))}", "", md(_source_facts(s)), ""]
        out += [f"What it is worth as evidence: {md(s.evidence_value)}", ""]
        for c in source_claims.claims:
            claim = c.view.claim
            stance, aspect = _stance_words(c)
            note = f" ({md(c.note)})" if c.note else ""
            lines = [f"- **{stance}** ({aspect}){note}: {md(claim.text)}{_md_refs(c.refs)}"]
            lines.append(f"  {md(claim.locator)}: “{md(claim.quote)}”")
            lines += [f"  _{md(flag)}_" for flag in _flags(c)]
            out += _hard_breaks(lines)
        out.append("")
    out += [f"{section} Where the sources disagree", ""]
    if not tb.disagreements:
        out += [_no_disagreement(), ""]
    for d in tb.disagreements:
        out.append(f"- {LEVEL_MARKS[d.level]} **{d.level.value.capitalize()}:** {md(d.explanation)}")
        for side in d.sides:
            claim = side.claim.view.claim
            stance, _ = _stance_words(side.claim)
            out.append(f"  - {md(side.source)}, {stance}: {md(claim.text)} ({_rests_on(side.claim.refs)})")
    if tb.disagreements:
        out.append("")
    out += [f"{section} Key figures", ""]
    if tb.figures:
        out += [_figures_intro(), "", "| what | figure | note | source | claim |", "|---|---|---|---|---|"]
        out += [
            f"| {md(f.what)} | {md(_figure_words(f))}{_md_refs([f.record_ref] if f.record_ref else [])} "
            f"| {md(f.note)} | {md(f.source)} | {md(f.claim)} |"
            for f in tb.figures
        ]
    else:
        out.append("The sources give no figures for this treatment.")
    return [*out, ""]


def to_markdown(brief: Brief) -> str:
    several = len(brief.treatments) > 1
    out = [f"# {md(brief.title)}", "", f"**{NOTICE}**", ""]
    if covers := _covers(brief):
        out += [md(covers), ""]
    out += [md(_meta(brief)), "", "## Summary of findings", "", SUMMARY_INTRO, ""]
    for tb in brief.treatments:
        if several:
            out += [f"### {md(tb.treatment.name)}", ""]
        out += _md_summary(tb, brief.numbers)
    out += [DETAILS_NOTE, "", "## Details", ""]
    for tb in brief.treatments:
        if several:
            out += [f"### {md(tb.treatment.name)}", ""]
        out += _md_details(tb, 4 if several else 3)
    out += ["## References", ""]
    if not brief.references:
        out += ["The claims above cite no study.", ""]
    for r in brief.references:
        text, found_links = vancouver(r.study)
        body = md(text) if text else "No bibliographic details are known for this study."
        links = " ".join(f"[{md(link.label)}](<{link.url}>)." for link in found_links)
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
h4, h5 { font-size: 10.5pt; margin: 8pt 0 2pt; break-after: avoid; page-break-after: avoid; }
#details { break-before: page; page-break-before: always; }
p { margin: 3pt 0; }
ul, ol { margin: 3pt 0; padding-left: 16pt; }
li { margin: 0 0 4pt; break-inside: avoid; page-break-inside: avoid; }
.notice { border: 1.5pt solid #111; padding: 4pt 7pt; font-weight: bold; margin: 6pt 0; }
.meta, .where, .cited, .worth { color: #444; font-size: 9.5pt; }
.stance { font-weight: bold; }
.supports { color: #17612a; } .opposes { color: #a01818; } .mixed { color: #7a5b00; }
.caution { color: #7a1f6b; } .neutral { color: #1d4f73; }
.conflict { color: #a01818; } .tension { color: #7a5b00; }
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


def _html_said(said: _Said) -> str:
    more = "".join(esc(words) + _html_refs([ref] if ref else []) for words, ref in said.more)
    return esc(said.text) + _html_refs([said.ref] if said.ref else []) + more + esc(said.after)


def _html_summary(tb: TreatmentBrief, numbers: dict[str, int]) -> list[str]:
    summary = _summary(tb, numbers)
    out = [f'<p class="speaking">{esc(summary.speaking)}</p>']
    if summary.positions:
        out += [f"<p>{esc(POSITIONS_INTRO)}</p>", '<ul class="positions">']
        for question, said in summary.positions:
            positions = "; ".join(_html_said(p) for p in said)
            out.append(f'<li><strong class="question">{esc(question)}</strong>: {positions}</li>')
        out.append("</ul>")
    if summary.described_only:
        out.append(f'<p class="meta">{esc(_described_only(summary.described_only))}</p>')
    if summary.disagreements:
        out.append('<ul class="summary-disagreements">')
        out += [
            f'<li><span class="{level.value}">{LEVEL_MARKS[level]}</span> {esc(said)}</li>'
            for level, said in summary.disagreements
        ]
        out.append("</ul>")
    else:
        out.append(f"<p>{esc(NO_DISAGREEMENT)}</p>")
    if summary.differently:
        out.append('<ul class="differently">')
        out += [f'<li class="flag">{_html_said(d)}</li>' for d in summary.differently]
        out.append("</ul>")
    return out


def _html_details(tb: TreatmentBrief, depth: int) -> list[str]:
    """One treatment's details, its sections at heading level `depth` and its sources one below; every
    id starts with the treatment's id, so that several treatments can share one page."""
    t = tb.treatment
    h, sub = f"h{depth}", f"h{depth + 1}"
    out = [
        f'<section id="{esc(t.id)}-what-it-is">',
        f"<{h}>What it is</{h}>",
        f"<p>{esc(t.summary)}</p>",
        '<ul class="meta">',
        f"<li>Category: {esc(t.category.value.replace('_', ' '))}</li>",
    ]
    if t.aliases:
        out.append(f"<li>Also called: {esc(', '.join(t.aliases))}</li>")
    if t.group:
        out.append(f"<li>Group: {esc(t.group)}</li>")
    out += ["</ul>", "</section>", f'<section id="{esc(t.id)}-sources">', f"<{h}>What each source says</{h}>"]
    if not tb.sources:
        out.append("<p>No source makes a claim about this treatment.</p>")
    for source_claims in tb.sources:
        s = source_claims.source
        out += [
            f'<section class="source" id="{esc(t.id)}-source-{esc(s.number)}">',
            f"<{sub}>{esc(_source_heading(s))}</{sub}>",
            f'<p class="meta">{esc(_source_facts(s))}</p>',
            f'<p class="worth">What it is worth as evidence: {esc(s.evidence_value)}</p>',
            '<ul class="claims">',
        ]
        for c in source_claims.claims:
            claim = c.view.claim
            note = f' <span class="flag">({esc(c.note)})</span>' if c.note else ""
            item = f"<li>{_stance_html(c)}{note}: {esc(claim.text)}{_html_refs(c.refs)}"
            item += f'<br><span class="where">{esc(claim.locator)}: “{esc(claim.quote)}”</span>'
            item += "".join(f'<br><span class="flag">{esc(flag)}</span>' for flag in _flags(c))
            out.append(item + "</li>")
        out += ["</ul>", "</section>"]
    out += ["</section>", f'<section id="{esc(t.id)}-disagreements">', f"<{h}>Where the sources disagree</{h}>"]
    if not tb.disagreements:
        out.append(f"<p>{esc(_no_disagreement())}</p>")
    else:
        out.append('<ul class="disagreements">')
        for d in tb.disagreements:
            sides = "".join(
                f'<li class="side">{esc(side.source)}, {_stance_html(side.claim)}: '
                f"{esc(side.claim.view.claim.text)} ({_rests_on_html(side.claim.refs)})</li>"
                for side in d.sides
            )
            out.append(
                f'<li>{LEVEL_MARKS[d.level]} <strong class="{d.level.value}">{d.level.value.capitalize()}:</strong> '
                f"{esc(d.explanation)}<ul>{sides}</ul></li>"
            )
        out.append("</ul>")
    out += ["</section>", f'<section id="{esc(t.id)}-figures">', f"<{h}>Key figures</{h}>"]
    if tb.figures:
        out += [
            f"<p>{esc(_figures_intro())}</p>",
            "<table>",
            "<thead><tr><th>what</th><th>figure</th><th>note</th><th>source</th><th>claim</th></tr></thead>",
            "<tbody>",
        ]
        out += [
            f"<tr><td>{esc(f.what)}</td>"
            f"<td>{esc(_figure_words(f))}{_html_refs([f.record_ref] if f.record_ref else [])}</td>"
            f"<td>{esc(f.note)}</td><td>{esc(f.source)}</td><td>{esc(f.claim)}</td></tr>"
            for f in tb.figures
        ]
        out += ["</tbody>", "</table>"]
    else:
        out.append("<p>The sources give no figures for this treatment.</p>")
    return [*out, "</section>"]


def to_html(brief: Brief) -> str:
    several = len(brief.treatments) > 1
    title = f"{brief.title}: what the sources say"
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
        f"<h1>{esc(brief.title)}</h1>",
    ]
    if covers := _covers(brief):
        out.append(f'<p class="covers">{esc(covers)}</p>')
    out += [
        f'<p class="meta">{esc(_meta(brief))}</p>',
        f'<p class="notice" role="note">{esc(NOTICE)}</p>',
        "</header>",
        '<section id="summary">',
        "<h2>Summary of findings</h2>",
        f'<p class="meta">{esc(SUMMARY_INTRO)}</p>',
    ]
    for tb in brief.treatments:
        if several:
            out.append(f"<h3>{esc(tb.treatment.name)}</h3>")
        out += _html_summary(tb, brief.numbers)
    out += [f'<p class="meta">{esc(DETAILS_PAGE)}</p>', "</section>", '<section id="details">', "<h2>Details</h2>"]
    for tb in brief.treatments:
        if several:
            out.append(f'<h3 id="{esc(tb.treatment.id)}">{esc(tb.treatment.name)}</h3>')
        out += _html_details(tb, 4 if several else 3)
    out += ["</section>", '<section id="references">', "<h2>References</h2>"]
    if not brief.references:
        out.append("<p>The claims above cite no study.</p>")
    else:
        out.append('<ol class="references">')
        for r in brief.references:
            text, found_links = vancouver(r.study)
            body = esc(text) if text else "No bibliographic details are known for this study."
            links = "".join(f' <a href="{html.escape(link.url)}">{esc(link.label)}</a>.' for link in found_links)
            cited = f'<br><span class="cited">Cited by {esc("; ".join(r.cited_by))}.</span>'
            cited += "".join(f'<br><span class="flag">Described differently by {esc(d)}</span>' for d in r.differences)
            out.append(f'<li id="ref-{r.number}" value="{r.number}">{body}{links}{cited}</li>')
        out.append("</ol>")
    out += [
        "</section>",
        "<footer>",
        f'<p class="notice" role="note">{esc(NOTICE)}</p>',
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


def output_format(path: Path | None, explicit: BriefFormat | None) -> BriefFormat:
    """The format to write to `path`: the one named, else the one its suffix names, else markdown.
    A suffix naming another kind of file is refused (FormatError): a .pdf is never given markdown."""
    if path is None or not path.suffix:
        return explicit or BriefFormat.markdown
    suffix = path.suffix.lower()
    by_suffix = next((fmt for fmt, suffixes in SUFFIXES.items() if suffix in suffixes), None)
    kinds = "; ".join(f"{fmt.value}: {', '.join(suffixes)}" for fmt, suffixes in SUFFIXES.items())
    if by_suffix is None:
        raise FormatError(f"-o {path}: crps writes a brief as markdown or HTML, not {path.suffix} ({kinds})")
    if explicit and explicit is not by_suffix:
        raise FormatError(f"-o {path}: a {path.suffix} file is not {explicit.value} ({kinds})")
    return by_suffix
