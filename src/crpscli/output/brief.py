"""The brief as markdown or as one self-contained HTML file, and where it may be written.

Every data string is passed through `text.clean` (control characters) and then escaped for its
format. The HTML is one self-contained file: inline CSS, no scripts, no images or fonts to fetch
(a Content-Security-Policy forbids any), and its only external links are the DOI and PubMed
links of the references.
"""

from __future__ import annotations

import html
from pathlib import Path

from ..answers.brief import Brief, BriefClaim
from ..evidence.records import Source
from .citations import vancouver
from .text import NOTICE, clean


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


def _figures_intro() -> str:
    return (
        "The numbers the sources give, as they give them: first how the treatment is given "
        "(doses, lengths, intervals), then the other numbers they report."
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
        out.append(f"- **{d.level.value.capitalize()}:** {md(d.explanation)}")
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
        f'<p class="notice" role="note">{esc(NOTICE)}</p>',
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
            out.append(
                f'<li><strong class="{d.level.value}">{d.level.value.capitalize()}:</strong> '
                f"{esc(d.explanation)}<ul>{sides}</ul></li>"
            )
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
