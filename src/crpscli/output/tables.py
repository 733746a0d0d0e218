"""Rich renderables for people. Renderers build, they never print."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from rich import box
from rich.table import Table
from rich.text import Text

from ..answers.cite import CiteReport
from ..answers.common import ClaimView, Report
from ..answers.compare import CompareReport
from ..answers.conflicts import ConflictsReport
from ..answers.export import ExportReport
from ..answers.listing import ListReport, SourcesReport
from ..answers.matrix import MatrixReport
from ..answers.search import SearchReport
from ..answers.topics import TopicsReport
from ..answers.treat import TreatReport
from ..evidence.records import format_figure
from .text import NOTICE, clean

if TYPE_CHECKING:
    from rich.console import RenderableType

STANCE_STYLE = {
    "supports": "green",
    "opposes": "red",
    "mixed": "yellow",
    "neutral": "cyan",
    "caution": "magenta",
}


def text(value: object, style: str = "") -> Text:
    """Data shown as literal text: no markup, no control characters."""
    return Text(clean("" if value is None else str(value)), style=style)


def _table(*columns: str, title: str | None = None, plain: bool, wide: tuple[str, ...] = ()) -> Table:
    """A table; columns named in `wide` share the spare width (they hold the prose)."""
    table = Table(
        title=title,
        title_justify="left",
        box=None if plain else box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        expand=bool(wide),
        header_style="bold",
    )
    for column in columns:
        prose = column in wide
        table.add_column(
            column, overflow="fold", ratio=1 if prose else None, max_width=None if prose or not wide else 28
        )
    return table


def _stance(view: ClaimView) -> Text:
    stance = view.claim.stance.value
    label = text(stance, STANCE_STYLE.get(stance, ""))
    if view.conflicts_with:
        label.append("\n! conflict", style="bold red")
    return label


def _claim_cell(view: ClaimView) -> Text:
    claim = view.claim
    cell = text(claim.text)
    if claim.speaker.value != "author":
        cell.append(" (reader comment)", style="italic")
    if claim.condition.value != "crps":
        cell.append(f" [condition: {claim.condition.value.replace('_', ' ')}]", style="yellow")
    if claim.figures:
        cell.append(
            "\n"
            + "; ".join(
                f"{f.quantity.value.replace('_', ' ')} {format_figure(f)}" + (f" ({clean(f.note)})" if f.note else "")
                for f in claim.figures
            ),
            style="bold",
        )
    cell.append(f"\n{clean(claim.locator)}: \u201c{clean(claim.quote)}\u201d", style="dim")
    if view.conflicts_with:
        cell.append(f"\nconflicts with {', '.join(view.conflicts_with)}", style="red")
    for discrepancy in view.discrepancies:
        cell.append(
            f"\nstudy differs ({discrepancy.kind.value.replace('_', ' ')}): {clean(discrepancy.note)}", style="yellow"
        )
    return cell


def _evidence_cell(view: ClaimView) -> Text:
    return text("\n".join(s.label() for s in view.studies) or "—")


def _treat(report: TreatReport, plain: bool) -> list[RenderableType]:
    out: list[RenderableType] = []
    for entry in report.treatments:
        t = entry.treatment
        head = text(t.name, "bold underline")
        head.append(
            f"  ({t.id}; {t.category.value.replace('_', ' ')}"
            + (f"; group: {clean(t.group)}" if t.group else "")
            + ")",
            style="",
        )
        if t.aliases:
            head.append("\nalso called: " + clean(", ".join(t.aliases)), style="dim")
        head.append("\n" + clean(t.summary))
        out.append(head)
        if not entry.sources:
            out.append(text("No source makes a claim about this treatment."))
        for group in entry.sources:
            source = group.source
            year = f", {source.year}" if source.year else ""
            table = _table(
                "stance",
                "aspect",
                "what the source says",
                "rests on",
                plain=plain,
                wide=("what the source says",),
                title=f"{source.kind.label} {source.number}{year}: {clean(source.title)}",
            )
            for view in group.claims:
                table.add_row(_stance(view), text(view.claim.aspect.value), _claim_cell(view), _evidence_cell(view))
            out.append(table)
        if entry.conflicts:
            out.append(_conflict_lines(c.explanation for c in entry.conflicts))
        out.append(Text(""))
    return out


def _conflict_lines(explanations: Iterable[str]) -> Text:
    lines = text("Disagreements:", "bold red")
    for explanation in explanations:
        lines.append("\n- " + clean(explanation))
    return lines


def _compare(report: CompareReport, plain: bool) -> list[RenderableType]:
    title = " vs ".join(t.name for t in report.treatments)
    headers = [c.label for c in report.columns]
    table = _table(
        "aspect",
        *headers,
        title=f"{clean(title)}: " + ("sources side by side" if report.by == "source" else "treatments side by side"),
        plain=plain,
    )
    for row in report.grid:
        cells: list[RenderableType] = [text(row.aspect.value, "bold")]
        for column in report.columns:
            cell = Text()
            for view in row.cells[column.id]:
                if cell:
                    cell.append("\n")
                stance = view.claim.stance.value
                cell.append(stance, style=STANCE_STYLE.get(stance, ""))
                if report.by == "treatment":
                    cell.append(f" ({clean(view.claim.source)})", style="dim")
                cell.append(" " + clean(view.claim.text))
                if view.conflicts_with:
                    cell.append(" !", style="bold red")
            cells.append(cell)
        table.add_row(*cells)
    out: list[RenderableType] = [table]
    if report.conflicts:
        out.append(_conflict_lines(c.explanation for c in report.conflicts))
    else:
        out.append(text("No disagreement between the sources on these aspects."))
    if report.context:
        context = _table("source", "condition", "stance", "context (another condition; never a conflict)", plain=plain)
        for view in report.context:
            context.add_row(
                text(view.claim.source),
                text(view.claim.condition.value.replace("_", " ")),
                _stance(view),
                _claim_cell(view),
            )
        out.append(context)
    return out


def _cite(report: CiteReport, plain: bool) -> list[RenderableType]:
    out: list[RenderableType] = []
    for match in report.matches:
        s = match.study
        head = text(s.title or s.id, "bold")
        head.append(
            f"\n{s.id} — matched by {clean(match.matched)}; record {s.verification.value.replace('_', ' ')}",
            style="dim",
        )
        details = _table("field", "value", plain=plain)
        for label, value in (
            ("authors", ", ".join(s.authors)),
            ("journal", s.journal),
            ("year", s.year),
            ("volume/pages", s.volume_pages),
            ("design", s.design.value.replace("_", " ")),
            ("size", "; ".join(p for p in (f"n={s.sample_size}" if s.sample_size else None, s.sample_note) if p)),
            ("finding", s.finding),
        ):
            if value:
                details.add_row(text(label), text(value))
        if s.doi:
            details.add_row(text("DOI"), Text(clean(s.doi), style=f"link https://doi.org/{s.doi}"))
        if s.pmid:
            details.add_row(text("PMID"), Text(s.pmid, style=f"link https://pubmed.ncbi.nlm.nih.gov/{s.pmid}/"))
        details.add_row(text("cited by"), text("\n".join(match.cited_by)))
        out += [head, details]
        if match.claims:
            claims = _table("claim", "source", "treatment", "stance", "what rests on it", plain=plain)
            for c in match.claims:
                claims.add_row(
                    text(c.id),
                    text(c.source),
                    text(c.treatment),
                    text(c.stance, STANCE_STYLE.get(c.stance, "")),
                    text(c.text),
                )
            out.append(claims)
        for d in s.discrepancies:
            out.append(
                text(f"described differently by {d.source} ({d.kind.value.replace('_', ' ')}): {d.note}", "yellow")
            )
        out.append(Text(""))
    return out


def _list(report: ListReport, plain: bool) -> list[RenderableType]:
    table = _table("id", "name", "category", "sources", "claims", "disagree", plain=plain)
    for t in report.treatments:
        table.add_row(
            text(t.id),
            text(t.name),
            text(t.category.value),
            text(" ".join(t.source_numbers)),
            text(t.claims),
            text("yes" if t.conflicted else "", "red"),
        )
    return [table, text(f"{len(report.treatments)} treatment(s)", "dim")]


def _sources(report: SourcesReport, plain: bool) -> list[RenderableType]:
    table = _table("id", "no.", "kind", "year", "about", "claims", "studies", "title", plain=plain)
    worth = _table("id", "what it is worth as evidence", plain=plain)
    for e in report.sources:
        s = e.source
        about = ", ".join(c.value.replace("_", " ") for c in s.conditions)
        table.add_row(
            text(s.id),
            text(s.number),
            text(s.kind.label),
            text(s.year or "?"),
            text(about),
            text(e.claims),
            text(e.studies),
            text(s.title),
        )
        worth.add_row(text(s.id), text(s.evidence_value))
    return [table, worth]


def _conflicts(report: ConflictsReport, plain: bool) -> list[RenderableType]:
    table = _table("treatment", "aspect", "one side", "other side", "why", plain=plain)
    for e in report.conflicts:
        table.add_row(
            text(e.treatment_name),
            text(e.conflict.aspect.value),
            text(f"{e.first.source} ({e.first.stance.value}): {e.first.text}"),
            text(f"{e.second.source} ({e.second.stance.value}): {e.second.text}"),
            text(e.conflict.explanation),
        )
    return [table, text(f"{len(report.conflicts)} disagreement(s)", "dim")]


def _search(report: SearchReport, plain: bool) -> list[RenderableType]:
    table = _table("kind", "id", "treatment", "matched in", "text", plain=plain, wide=("text",))
    for hit in report.hits:
        table.add_row(text(hit.kind), text(hit.id), text(hit.treatment or ""), text(hit.matched), text(hit.text))
    return [table]


def _topics(report: TopicsReport, plain: bool) -> list[RenderableType]:
    table = _table("topic", "name", "entries, in order", plain=plain, wide=("entries, in order",))
    for topic in report.topics:
        table.add_row(text(topic.id), text(topic.name), text(", ".join(topic.members)))
    return [table, text(f"{len(report.topics)} topic(s); crps treat TOPIC shows a topic's entries", "dim")]


def _export(report: ExportReport, plain: bool) -> list[RenderableType]:
    return [
        text(
            f"{len(report.sources)} sources, {len(report.treatments)} treatments, "
            f"{len(report.claims)} claims, {len(report.studies)} studies; use --format json or yaml"
        )
    ]


# The matrix's cells: a symbol, coloured; without colour the symbol and a letter, so nothing rests on colour.
MATRIX_MARKS = {
    "supports": ("+", "S"),
    "opposes": ("−", "O"),
    "mixed": ("±", "M"),
    "neutral": ("~", "N"),
    "caution": ("!", "C"),
}
DISAGREE_MARK = "≠"


def _mark(stance: str, plain: bool) -> Text:
    symbol, letter = MATRIX_MARKS[stance]
    return text(f"{symbol} {letter}" if plain else symbol, STANCE_STYLE.get(stance, ""))


def _matrix(report: MatrixReport, plain: bool) -> list[RenderableType]:
    scope = f" on {report.aspect.value}" if report.aspect else ""
    about = "about CRPS" + scope
    table = Table(
        title=f"Where the sources stand{scope}: treatments by source",
        title_justify="left",
        box=None if plain else box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        header_style="bold",
    )
    table.add_column("treatment", overflow="fold")
    for column in report.columns:
        # "review excerpt 000" as a narrow header: "000", "review", "excerpt", one word a line.
        *words, number = column.label.split()
        table.add_column("\n".join([number, *words]), justify="center", width=max(map(len, [number, *words])))
    table.add_column("disagree", justify="center")
    for row in report.treatments:
        cells = [text(row.name)]
        for column in report.columns:
            cell = row.cells[column.id]
            cells.append(_mark(cell.stance.value, plain) if cell else Text(""))
        cells.append(text(DISAGREE_MARK if row.conflicted else "", "bold red"))
        table.add_row(*cells)
    legend = Text()
    legend.append("Legend: ", style="bold")
    for stance, (symbol, letter) in MATRIX_MARKS.items():
        legend.append(f"{symbol} {letter}" if plain else symbol, style=STANCE_STYLE.get(stance, ""))
        legend.append(f" {stance}   ")
    legend.append(f"blank: no claim {about}   ")
    legend.append(DISAGREE_MARK, style="bold red")
    legend.append(" the sources disagree (crps conflicts NAME)")
    legend.append(
        f"\nA cell is the source's overall stance over its claims {about}: "
        "supports and opposes both → mixed; else supports or opposes, whichever it takes; "
        "else mixed, caution or neutral, in that order.",
        style="dim",
    )
    if report.left_out:
        legend.append(
            "\nNo column for " + ", ".join(c.label for c in report.left_out) + f": no claim {about} in these rows.",
            style="dim",
        )
    counted = sum(1 for row in report.treatments if row.conflicted)
    legend.append(f"\n{len(report.treatments)} treatment(s), {counted} with a disagreement", style="dim")
    return [table, legend]


RENDERERS: dict[type[Report], Callable[[Any, bool], list[RenderableType]]] = {
    TreatReport: _treat,
    CompareReport: _compare,
    CiteReport: _cite,
    ListReport: _list,
    SourcesReport: _sources,
    ConflictsReport: _conflicts,
    SearchReport: _search,
    TopicsReport: _topics,
    ExportReport: _export,
    MatrixReport: _matrix,
}


def render(report: Report, plain: bool) -> list[RenderableType]:
    """The report as rich renderables, ending with the not-medical-advice notice."""
    return [*RENDERERS[type(report)](report, plain), text(NOTICE, "italic dim")]
