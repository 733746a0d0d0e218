"""Rich renderables for people. Renderers build, they never print."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache, partial
from typing import TYPE_CHECKING, Any

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from ..evidence.records import Source, format_figure
from ..evidence.vocab import Level, Verification
from .stacked import ByWidth, StackedTable
from .text import NOTICE, clean, counted, position_notes, question_name

if TYPE_CHECKING:  # a command imports the answer module it asks, not every one (start-up time)
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

    from ..answers.cite import CiteReport
    from ..answers.common import ClaimView, Report
    from ..answers.compare import CompareReport
    from ..answers.conflicts import ConflictsReport
    from ..answers.disagreements import Disagreement, Side
    from ..answers.export import ExportReport
    from ..answers.listing import ListReport, SourcesReport
    from ..answers.matrix import MatrixReport
    from ..answers.search import SearchReport
    from ..answers.summary import BottomLine, Position
    from ..answers.topics import TopicsReport
    from ..answers.treat import TreatReport

# One symbol, one meaning, on every screen: ≠ a conflict, ≈ a tension, † a study the source describes
# differently from the study record; in the matrix, + − ± ~ ! are the stances (! is caution).
LEVEL_MARKS = {Level.conflict: "≠", Level.tension: "≈"}
LEVEL_STYLE = {Level.conflict: "bold red", Level.tension: "bold yellow"}
DIFFERS_MARK = "†"

GRID_SHARE = 26  # cells a side-by-side column needs for its prose; fewer, and the grid is shown as records
PROSE_SHARE = 30  # cells a table's column of prose needs beside its short columns; fewer, and records

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
    """A table; columns named in `wide` share the spare width (they hold the prose). Below 80
    columns its rows become stacked records where they do not fit (output/stacked.py)."""
    table = StackedTable(
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
    table.min_share = PROSE_SHARE if wide else 0  # prose squeezed under this many cells: records instead
    return table


def level_mark(level: Level | None, words: bool = True, entries: int = 1) -> Text:
    """ "≠ conflict", "≈ tension", "≈ 4 tensions" for a line that stands for 4 (or the symbol alone),
    empty for none."""
    if level is None:
        return Text("")
    said = level.value if entries == 1 else counted(entries, level.value)
    return Text(f"{LEVEL_MARKS[level]} {said}" if words else LEVEL_MARKS[level], style=LEVEL_STYLE[level])


def _stance(view: ClaimView) -> Text:
    stance = view.claim.stance.value
    label = text(stance, STANCE_STYLE.get(stance, ""))
    if view.disagreement:
        label.append("\n").append_text(level_mark(view.disagreement))
    return label


def partner_levels(disagreements: Iterable[Disagreement]) -> dict[str, dict[str, Level]]:
    """For each claim, the claims on the other side of an entry it is on, each with the strongest
    level of the entries the two share: a claim can be in conflict with one and in tension with another."""
    found: dict[str, dict[str, Level]] = {}
    for d in disagreements:
        other = d.second.claims if d.second else []
        for one, others in ((d.first.claims, other), (other, d.first.claims)):
            for claim in one:
                mine = found.setdefault(claim, {})
                for partner in others:
                    if partner != claim and mine.get(partner) is not Level.conflict:
                        mine[partner] = d.level
    return found


def _claim_cell(view: ClaimView, partners: dict[str, Level]) -> Text:
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
    cell.append(f"\n{claim.id} · {clean(claim.locator)}: \u201c{clean(claim.quote)}\u201d", style="dim")
    for level in Level:  # conflicts first
        with_level = [claim for claim in view.conflicts_with if partners.get(claim) is level]
        if with_level:
            cell.append(f"\n{LEVEL_MARKS[level]} {level.value} with {', '.join(with_level)}", style=LEVEL_STYLE[level])
    if view.disagreement and not view.conflicts_with:
        cell.append(
            f"\n{LEVEL_MARKS[view.disagreement]} {view.disagreement.value}: strong wording on weak evidence",
            style=LEVEL_STYLE[view.disagreement],
        )
    return cell


def _study_labels(view: ClaimView, differing: set[tuple[str, str]], short: bool = False) -> list[str]:
    """The labels of the studies a claim rests on (`short`: without the design), † on those its
    source describes differently."""
    return [
        s.label(design=not short) + (f" {DIFFERS_MARK}" if (view.claim.source, s.id) in differing else "")
        for s in view.studies
    ]


def _evidence_cell(view: ClaimView, differing: set[tuple[str, str]]) -> Text:
    return text("\n".join(_study_labels(view, differing)) or "—")


def _fit(line: Text, width: int) -> Text:
    """The line cut to `width` cells at a word boundary, ending in "…" when cut."""
    if cell_len(line.plain) <= width:
        return line
    room = max(0, width - 1)
    cut = line.plain.rfind(" ", 0, room + 1)
    cut = cut if cut > 0 else room  # only a word as long as the room is cut inside
    while cut and cell_len(line.plain[:cut]) > room:
        cut -= 1
    short = line[:cut]
    short.rstrip()
    return short.append("…")


class ClaimLines:
    """One source's claims, one line each: the claim's number (dim), the stance and its disagreement
    mark, the question, the studies behind the claim, and its text cut to fit the width. Where the
    studies leave too little room for the text, they are named without their design, and failing
    that they go on a line of their own below it. Width-aware: rich calls `__rich_console__`,
    plaintext.py calls `lines` itself."""

    MIN_TEXT = (24, 12)  # cells of text the studies, then their short labels, must leave, else they move below
    MIN_ROOM = 30  # cells for the text beside the columns, below which the text goes under them

    def __init__(self, title: str, views: list[ClaimView], differing: set[tuple[str, str]], columns: tuple[int, int]):
        self.title = title
        self.indent = sum(columns) + 13  # where the text starts when the number and the question fit their columns
        self.rows = [
            (
                _compact_head(v, columns),
                _flags(v),
                [text("; ".join(_study_labels(v, differing, short))) for short in (False, True)],
                text(v.claim.text),
            )
            for v in views
        ]

    def lines(self, width: int) -> list[Text]:
        out = [_fit(text(self.title), width)]
        stacked = width - self.indent < self.MIN_ROOM  # too narrow for the text beside the columns
        for head, flags, labels, body in self.rows:
            if stacked:  # the columns on one line, the text (and the studies) indented below
                columns = head.copy()
                columns.rstrip()
                out.append(columns)
                line = Text("  ").append_text(flags)
            else:
                line = head.copy().append_text(flags)
            room, whole = width - cell_len(line.plain) - 2, cell_len(body.plain)
            fits = (
                s
                for s, least in zip(labels, self.MIN_TEXT, strict=True)
                if room - cell_len(s.plain) >= min(least, whole)
            )
            studies = next(fits, None) if labels[0] else None
            if studies:
                line.append_text(studies).append(": ")
            if width - cell_len(line.plain) < self.MIN_TEXT[-1]:  # the flags left the text no room
                line.rstrip()
                out.append(line)
                line = Text(" " * (2 if stacked else self.indent))
            out.append(line.append_text(_fit(body, width - cell_len(line.plain))))
            if labels[0] and not studies:  # below, where the text starts, else at the margin
                below = next(
                    (
                        Text(" " * indent).append_text(s)
                        for indent in (2 if stacked else self.indent, 2)
                        for s in labels
                        if cell_len(s.plain) + indent <= width
                    ),
                    None,
                )
                out += [below] if below else _hanging(labels[-1], 2, width)
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.lines(options.max_width)


def _hanging(line: Text, indent: int, width: int) -> list[Text]:
    """A line too long for the width, wrapped at spaces with every piece indented (the outer
    wrapping would put its second line at the margin)."""
    from rich._wrap import divide_line

    pieces = line.divide(divide_line(line.plain, max(1, width - indent), fold=True))
    return [Text(" " * indent).append_text(piece.copy()) for piece in pieces if piece.plain.strip()]


def short_id(view: ClaimView) -> str:
    """A claim's id without the start its source's claims on its treatment share: "19" for
    003-ketamine-infusion-19 under clinician article 003 (the legend says so); else the whole id."""
    prefix = f"{_number(view.source_name)}-{view.claim.treatment}-"
    claim_id = view.claim.id
    return claim_id.removeprefix(prefix) if claim_id.startswith(prefix) and claim_id != prefix else claim_id


def _claim_columns(views: list[ClaimView]) -> tuple[int, int]:
    """The widths of the number and the question columns of compact claim lines."""
    questions = (len(question_name(v.claim.aspect.value, v.claim.outcome.value)) for v in views)
    return max((len(short_id(v)) for v in views), default=0), max(questions, default=0)


def _compact_head(view: ClaimView, columns: tuple[int, int]) -> Text:
    """ "19 supports ≈ efficacy: overall    ": the columns before the text."""
    number_width, question_width = columns
    stance = view.claim.stance.value
    head = Text().append(clean(short_id(view).rjust(number_width) + " "), style="dim")  # only the number is dim
    head.append(stance.ljust(9), STANCE_STYLE.get(stance, ""))
    head.append_text(level_mark(view.disagreement, words=False) if view.disagreement else Text(" "))
    question = question_name(view.claim.aspect.value, view.claim.outcome.value)
    return head.append(" " + clean(question).ljust(question_width) + " ")


def _flags(view: ClaimView) -> Text:
    """What sets a claim apart before its text is read: another condition, a reader's comment."""
    claim = view.claim
    flags = Text()
    if claim.condition.value != "crps":
        flags.append(f"[condition: {claim.condition.value.replace('_', ' ')}] ", style="yellow")
    if claim.speaker.value != "author":
        flags.append("(reader comment) ", style="italic")
    return flags


def _differences(line: BottomLine, plain: bool) -> list[RenderableType]:
    """Each note on a study a source describes differently from the study record, once, under a
    title naming the source and the study it is about."""
    tables: dict[tuple[str, str], Table] = {}
    for item in line.described_differently:
        key = (item.source, item.study.id)
        if key not in tables:
            title = f"{DIFFERS_MARK} {item.label} describes {item.study.label()} differently from the study record:"
            tables[key] = _table("differs in", "note", title=clean(title), plain=plain, wide=("note",))
        tables[key].add_row(text(item.kind.replace("_", " ")), text(item.note, "yellow"))
    return list(tables.values())


def _source_title(source: Source) -> str:
    year = f", {source.year}" if source.year else ""
    return f"{source.kind.label} {source.number}{year}: {clean(source.title)}"


def _overview(lines: list[BottomLine]) -> list[RenderableType]:
    """For several entries, where the disagreements are, before the first entry's details:
    "Disagreements: ketamine-infusion ≈ 10 tensions; ketamine-nasal-sublingual ≠ 2 conflicts; none in the other 3." """
    if len(lines) < 2:
        return []
    found = []
    for line in lines:
        counts = [(level, sum(1 for d in line.disagreements if d.level is level)) for level in Level]
        said = [f"{LEVEL_MARKS[level]} {counted(n, level.value)}" for level, n in counts if n]
        if said:
            found.append(f"{line.treatment} {', '.join(said)}")
    if not found:
        return [text(f"No conflict or tension in any of the {len(lines)} entries.", "dim")]
    quiet = len(lines) - len(found)
    rest = {0: "", 1: "; none in the other entry"}.get(quiet, f"; none in the other {quiet}")
    return [text(f"Disagreements: {'; '.join(found)}{rest}.")]


def _treat(report: TreatReport, plain: bool, full: bool = False) -> list[RenderableType]:
    out = _overview([entry.bottom_line for entry in report.treatments])
    for entry in report.treatments:
        labels = {s.source: s.label for s in entry.bottom_line.sources}
        differing = {(d.source, d.study.id) for d in entry.bottom_line.described_differently}
        t = entry.treatment
        head = Text()  # only the name is a heading; what follows it is plain
        head.append(clean(t.name), style="bold underline")
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
        out += _bottom_line(entry.bottom_line, labels, plain)
        if not entry.sources:
            out.append(text("No source makes a claim about this treatment."))
        columns = _claim_columns([view for group in entry.sources for view in group.claims])
        partners = partner_levels(entry.disagreements) if full else {}
        for group in entry.sources:
            if not full:
                out.append(ClaimLines(_source_title(group.source), group.claims, differing, columns))
                continue
            table = _table(
                "stance",
                "question",
                "what the source says",
                "rests on",
                plain=plain,
                wide=("what the source says",),
                title=_source_title(group.source),
            )
            for view in group.claims:
                table.add_row(
                    _stance(view),
                    text(question_name(view.claim.aspect.value, view.claim.outcome.value)),
                    _claim_cell(view, partners.get(view.claim.id, {})),
                    _evidence_cell(view, differing),
                )
            out.append(table)
        if full:
            out += _differences(entry.bottom_line, plain)
            if entry.disagreements:
                out.append(_conflict_lines(entry.disagreements))
        out.append(Text(""))
    example = next((view for entry in report.treatments for group in entry.sources for view in group.claims), None)
    return [*out, _legend(full, example)]


def _legend(full: bool, example: ClaimView | None = None) -> Text:
    """What the marks on a claims screen mean, how a compact line names its claim (`example`, the
    first claim shown), and how to see more."""
    legend = Text("Marks: ")
    for level in Level:
        legend.append_text(level_mark(level, words=False)).append(f" {level.value}, ")
    legend.append(f"{DIFFERS_MARK} a study the source describes differently from the study record")
    legend.append(" (the notes are above). " if full else ". ")
    if full:
        return legend.append("Each claim shows its id (dim).")
    if example and short_id(example) != example.claim.id:
        legend.append(f"A claim's dim number ends its id: {short_id(example)} under {example.source_name} ")
        legend.append(f"is {example.claim.id}. ")
    return legend.append("--full shows every claim whole, with its id, locator, quote, figures and notes.")


def _number(label: str) -> str:
    """A source label's document number ("patient blog 001" -> "001"): the bottom line's short name."""
    return label.rsplit(" ", 1)[-1]


def _position_words(position: Position) -> str:
    """ "003 (also caution: Sigtermans 2009, rct, n=60)": the source and `position_notes`."""
    notes = [words for words, _ in position_notes(position)]
    return _number(position.label) + (f" ({'; '.join(notes)})" if notes else "")


def _who(side: Side, labels: dict[str, str]) -> str:
    """ "001", or "001 (a reader)" for a reader's comment: a side's short name."""
    return _number(labels.get(side.source, side.source)) + (" (a reader)" if side.speaker.value != "author" else "")


def _bottom_line(line: BottomLine, labels: dict[str, str], plain: bool) -> list[RenderableType]:
    """The summary of findings: who speaks, where each stands on each question (with the best study
    behind it), every disagreement on one line, and studies a source describes differently."""
    heading = text("Bottom line", "bold")
    heading.append(" (from the claims below, no grade).", style="dim")
    crps = [s.label for s in line.sources if s.about_crps]
    other = [s.label for s in line.sources if not s.about_crps]
    heading.append(clean(" About CRPS: " + (", ".join(crps) if crps else "no source")))
    if other:
        heading.append(clean(f"; only about other conditions: {', '.join(other)}"), style="dim")
    out: list[RenderableType] = [heading]
    taken = [q for q in line.questions if any(p.stance.value != "neutral" for p in q.positions)]
    if taken:
        table = _table("question", "who takes which position (best study)", plain=plain)
        for question in taken:
            cell = Text()
            for stance in ("supports", "mixed", "opposes", "caution"):
                here = [p for p in question.positions if p.stance.value == stance]
                if not here:
                    continue
                if cell:
                    cell.append("\n")
                cell.append(stance, style=STANCE_STYLE.get(stance, ""))
                cell.append(": " + clean(", ".join(_position_words(p) for p in here)))
            name = question_name(question.aspect.value, question.outcome.value if question.outcome else None)
            table.add_row(text(name), cell)
        out.append(table)
    described = len(line.questions) - len(taken)
    if described:
        shown = f"{counted(described, 'more question')} only described, with no position (see the claims)."
        out.append(text(shown, "dim"))
    if line.disagreements:
        lines = Text()
        for level, entries, said in _disagreement_lines(line.disagreements, labels):
            if lines:
                lines.append("\n")
            lines.append_text(level_mark(level, entries=entries)).append(clean(f" {said}"))
        out.append(lines)
    else:
        out.append(text("No conflict or tension between the claims about CRPS.", "dim"))
    grouped: dict[tuple[str, str], list[str]] = {}
    studies = {}
    for item in line.described_differently:
        grouped.setdefault((item.study.id, item.label), []).append(item.kind.replace("_", " "))
        studies[item.study.id] = item.study
    if grouped:
        notes = text(f"{DIFFERS_MARK} Described differently from the study record (source, study: what differs):")
        notes.stylize("yellow")
        for (study_id, label), kinds in grouped.items():
            study, number = studies[study_id], _number(label)
            look = f"{number}:{study.ref}" if study.ref and study.ref.isdigit() else study_id
            notes.append(clean(f"\n{number} {study.label(design=False)}: {', '.join(kinds)} (crps cite {look})"))
        out.append(notes)
    return out


EVIDENCE_STATUS = {
    "no_trials": "says there are no trials",
    "under_investigation": "calls it under investigation",
    "experimental": "calls it experimental",
}


def _disagreement_lines(disagreements: list[Disagreement], labels: dict[str, str]) -> list[tuple[Level, int, str]]:
    """Each disagreement in one line: "efficacy: overall: 000, 001 supports vs 003 caution". The
    entries of one level, question and pair of positions share a line only when every pairing of
    its two lists is itself an entry, so a line never says more than the entries do; it says how
    many it stands for ("≈ 4 tensions"), so the lines add up to the overview. A source on both
    sides ("003 supports vs 003 caution") disagrees with itself; its number says so."""
    groups: dict[tuple[object, ...], list[tuple[Disagreement, str, str]]] = {}
    for d in disagreements:
        question, first, second = _positions_of(d)
        key = (d.level, question, first, second) if d.second and d.first.stance else (d.level, question, id(d))
        groups.setdefault(key, []).append((d, first, second))
    out = []
    for (level, question, *_), members in groups.items():
        pairs = {(_who(d.first, labels), _who(d.second, labels)) for d, _, _ in members if d.second}
        firsts, seconds = sorted({one for one, _ in pairs}), sorted({other for _, other in pairs})
        _, first, second = members[0]
        if len(members) > 1 and len(pairs) == len(members) == len(firsts) * len(seconds):
            out.append(
                (level, len(members), f"{question}: {', '.join(firsts)} {first} vs {', '.join(seconds)} {second}")
            )
            continue
        for d, first, second in members:
            one = f"{_who(d.first, labels)} {first}"
            other = f"{_who(d.second, labels)} {second}" if d.second else second
            out.append((level, 1, f"{question}: {one} vs {other}"))
    return out


def _positions_of(d: Disagreement) -> tuple[str, str, str]:
    """The question of an entry and what each side holds on it, in the words of its basis: a
    stance ("opposes", with its outcome where the two sides' outcomes differ), an account of the
    mechanism and its rejection, support against an evidence status, figures."""
    outcomes = [side.outcome for side in (d.first, d.second) if side and side.outcome]
    apart = len(set(outcomes)) > 1
    question = question_name(d.aspect.value, None if apart else (outcomes[0] if outcomes else d.outcome).value)
    if d.second is None:  # strong wording on weak evidence
        return (
            question,
            f"{d.first.stance.value if d.first.stance else 'gives figures'} in strong words",
            "the weak evidence it cites",
        )
    if d.basis.value == "evidence":  # support for its efficacy against what the evidence is said to be
        status = EVIDENCE_STATUS.get(d.second.outcome.value if d.second.outcome else "")
        return "efficacy", "supports it", status or (d.second.stance.value if d.second.stance else "doubts it")
    if d.basis.value == "mechanism":  # an account of one part, doubted there or of the mechanism as a whole
        rejects = d.second.stance is not None and d.second.stance.value == "opposes"
        doubt = "rejects it" if rejects else "calls it unknown"
        if apart and d.second.outcome is not None:
            doubt += f" (on mechanism: {d.second.outcome.value.replace('_', ' ')})"
        return question_name(d.aspect.value, d.outcome.value), "gives an account", doubt
    if d.basis.value == "figure":
        apart_figures = "outside them" if d.level is Level.conflict else "in part apart"
        return question, "gives figures", f"gives figures {apart_figures}"

    def held(side: Side) -> str:
        stance = side.stance.value if side.stance else "figures"
        return f"{stance} {side.outcome.value.replace('_', ' ')}" if apart and side.outcome else stance

    return question, held(d.first), held(d.second)


def _conflict_lines(disagreements: Iterable[Disagreement]) -> Text:
    lines = text("Conflicts and tensions:", "bold")
    for d in disagreements:
        lines.append("\n").append_text(level_mark(d.level)).append(": " + clean(d.explanation))
    return lines


def _compare(report: CompareReport, plain: bool, full: bool = False) -> list[RenderableType]:
    out = _overview(report.bottom_lines)
    for treatment, line in zip(report.treatments, report.bottom_lines, strict=True):
        out.append(text(treatment.name, "bold underline"))
        out += _bottom_line(line, {s.source: s.label for s in line.sources}, plain)
    differing = {(d.source, d.study.id) for line in report.bottom_lines for d in line.described_differently}
    out += _compare_grid(report, plain, full, differing)
    if full:
        for line in report.bottom_lines:
            out += _differences(line, plain)
    return [*out, _legend(full, next(iter(report.context), None))]


def _compare_grid(
    report: CompareReport, plain: bool, full: bool, differing: set[tuple[str, str]]
) -> list[RenderableType]:
    title = " vs ".join(t.name for t in report.treatments)
    headers = [c.label for c in report.columns]
    table = _table(
        "aspect",
        *headers,
        title=f"{clean(title)}: " + ("sources side by side" if report.by == "source" else "treatments side by side"),
        plain=plain,
    )
    table.min_share = GRID_SHARE
    for row in report.grid:
        cells: list[RenderableType] = [text(question_name(row.aspect.value, None), "bold")]
        for column in report.columns:
            cell = Text()
            for view in row.cells[column.id]:
                if cell:
                    cell.append("\n")
                stance = view.claim.stance.value
                cell.append(stance, style=STANCE_STYLE.get(stance, ""))
                if view.disagreement:  # beside the stance, as in treat: at a line's end it could dangle
                    cell.append(" ").append_text(level_mark(view.disagreement, words=False))
                if report.by == "treatment":
                    cell.append(f" ({_number(view.source_name)})", style="dim")
                cell.append(" " + clean(view.claim.text))
                if full:
                    studies = "; ".join(_study_labels(view, differing))
                    cell.append(f" ({clean(studies)})" if studies else "")
                cell.append(f" {view.claim.id}", style="dim")
                if full:
                    cell.append(f" · {clean(view.claim.locator)}: \u201c{clean(view.claim.quote)}\u201d", style="dim")
            cells.append(cell)
        table.add_row(*cells)
    out: list[RenderableType] = [table]
    if report.disagreements:
        out.append(_conflict_lines(report.disagreements))
    else:
        out.append(text("No conflict or tension between the sources on these treatments."))
    if report.context:
        if not full:
            by_source: dict[str, list[ClaimView]] = {}
            for view in report.context:
                by_source.setdefault(view.source_name, []).append(view)
            columns = _claim_columns(report.context)
            title = "{}: context (another condition; never a conflict)"
            return out + [ClaimLines(title.format(s), views, differing, columns) for s, views in by_source.items()]
        context = _table("source", "condition", "stance", "context (another condition; never a conflict)", plain=plain)
        for view in report.context:
            context.add_row(
                text(view.claim.source),
                text(view.claim.condition.value.replace("_", " ")),
                _stance(view),
                _claim_cell(view, {}),  # another condition: never in a disagreement
            )
        out.append(context)
    return out


def _cite(report: CiteReport, plain: bool) -> list[RenderableType]:
    out: list[RenderableType] = []
    if len(report.matches) > 1:
        found = "; ".join(f"{m.study.id} ({m.matched})" for m in report.matches)
        out.append(text(f"{len(report.matches)} studies match: {found}", "bold"))
    for match in report.matches:
        s = match.study
        unknown = s.verification is Verification.not_identified and not (s.title or s.authors)
        head = text(s.title or ("work not identified" if unknown else s.id), "bold")
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
            ("size", f"n={s.sample_size}" + (f"; {s.sample_note}" if s.sample_note else "") if s.sample_size else None),
            ("note", None if s.sample_size else s.sample_note),
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
        for d in s.discrepancies:  # before the claims: how a source's account differs is part of the record
            out.append(
                text(f"described differently by {d.source} ({d.kind.value.replace('_', ' ')}): {d.note}", "yellow")
            )
        if match.claims:
            claims = _table(
                "claim", "source", "treatment", "stance", "what rests on it", plain=plain, wide=("what rests on it",)
            )
            for c in match.claims:
                claims.add_row(
                    text(c.id),
                    text(c.source),
                    text(c.treatment),
                    text(c.stance, STANCE_STYLE.get(c.stance, "")),
                    text(c.text),
                )
            out.append(claims)
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
            level_mark(t.level),
        )
    return [table, text(counted(len(report.treatments), "treatment"), "dim")]


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
    table = _table("level", "treatment", "why", plain=plain, wide=("why",))
    for e in report.conflicts:
        table.add_row(level_mark(e.level), text(e.treatment_name), text(e.disagreement.explanation))
    counts = [sum(1 for e in report.conflicts if e.level is level) for level in Level]
    return [text(f"{counted(counts[0], 'conflict')}, {counted(counts[1], 'tension')}", "dim"), table]  # the count first


def _search(report: SearchReport, plain: bool) -> list[RenderableType]:
    table = _table("found", "matched in", "text", plain=plain, wide=("text",))
    for hit in report.hits:
        about = f"\n(about {hit.treatment})" if hit.treatment and hit.treatment != hit.id else ""
        fields = hit.matched.split(", ")
        more = f" +{len(fields) - 1}" if len(fields) > 1 else ""
        table.add_row(text(f"{hit.kind} {hit.id}{about}"), text(fields[0] + more), text(hit.text))
    return [table]


def _topics(report: TopicsReport, plain: bool) -> list[RenderableType]:
    table = _table("topic", "name", "entries, in order", plain=plain, wide=("entries, in order",))
    for topic in report.topics:
        table.add_row(text(topic.id), text(topic.name), text(", ".join(topic.members)))
    return [table, text(f"{counted(len(report.topics), 'topic')}; crps treat TOPIC shows a topic's entries", "dim")]


def _export(report: ExportReport, plain: bool) -> list[RenderableType]:
    return [
        text(
            f"{len(report.sources)} sources, {len(report.treatments)} treatments, "
            f"{len(report.claims)} claims, {len(report.studies)} studies; --format json or yaml gives them all, "
            "csv, tsv or ndjson one table (--table)"
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


BLANK = Text("")


@cache
def _mark(stance: str, plain: bool) -> Text:
    """A matrix cell's mark; one Text for every cell with that stance (nothing changes a cell once
    it is in a table), so that a grid of 5,000 treatments does not build a quarter of a million."""
    symbol, letter = MATRIX_MARKS[stance]
    return text(f"{symbol} {letter}" if plain else symbol, STANCE_STYLE.get(stance, ""))


def _matrix_table(report: MatrixReport, plain: bool, narrow: bool) -> Table:
    """The grid; narrow, each source column is headed by its number alone and the title names them."""
    scope = f" on {report.aspect.value}" if report.aspect else ""
    key = "; ".join(f"{_number(c.label)} {c.label.rsplit(' ', 1)[0]}" for c in report.columns)
    table = Table(
        title=f"Where the sources stand{scope}: treatments by source" + (f" ({key})" if narrow and key else ""),
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
        header = [number] if narrow else [number, *words]
        table.add_column("\n".join(header), justify="center", width=max(map(len, header)))
    table.add_column("≠/≈" if narrow else "disagree", justify="center")
    for row in report.treatments:
        cells = [text(row.name)]
        for column in report.columns:
            cell = row.cells[column.id]
            cells.append(_mark(cell.stance.value, plain) if cell else BLANK)
        cells.append(level_mark(row.level, words=False))
        table.add_row(*cells)
    return table


def _matrix(report: MatrixReport, plain: bool) -> list[RenderableType]:
    scope = f" on {report.aspect.value}" if report.aspect else ""
    about = "about CRPS" + scope
    table = ByWidth(
        partial(_matrix_table, report, plain, narrow=True), partial(_matrix_table, report, plain, narrow=False)
    )
    legend = Text()
    legend.append("Legend: ", style="bold")
    for stance, (symbol, letter) in MATRIX_MARKS.items():
        legend.append(f"{symbol} {letter}" if plain else symbol, style=STANCE_STYLE.get(stance, ""))
        legend.append(f" {stance}   ")
    legend.append(f"blank: no claim {about}   ")
    for level, meaning in ((Level.conflict, "a conflict"), (Level.tension, "a tension (and no conflict)")):
        legend.append_text(level_mark(level, words=False))
        legend.append(f" {meaning}   ")
    legend.append("(crps conflicts NAME)")
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
    per_level = [sum(1 for row in report.treatments if row.level is level) for level in Level]
    legend.append(
        f"\n{counted(len(report.treatments), 'treatment')}: {per_level[0]} with a conflict, "
        f"{per_level[1]} with a tension only",
        style="dim",
    )
    return [legend, table]  # the marks explained before they are met


# By the report's class name, so that rendering one report does not import every answer module;
# tests/output/test_tables.py checks that every report class has its renderer.
RENDERERS: dict[str, Callable[[Any, bool], list[RenderableType]]] = {
    "TreatReport": _treat,
    "CompareReport": _compare,
    "CiteReport": _cite,
    "ListReport": _list,
    "SourcesReport": _sources,
    "ConflictsReport": _conflicts,
    "SearchReport": _search,
    "TopicsReport": _topics,
    "ExportReport": _export,
    "MatrixReport": _matrix,
}


# The layouts `--full` asks for: every claim whole, with its locator, quote, figures and notes.
FULL_RENDERERS: dict[str, Callable[[Any, bool], list[RenderableType]]] = {
    "TreatReport": partial(_treat, full=True),
    "CompareReport": partial(_compare, full=True),
}


def render(report: Report, plain: bool, full: bool = False) -> list[RenderableType]:
    """The report as rich renderables, ending with the not-medical-advice notice."""
    name = type(report).__name__
    renderer = FULL_RENDERERS.get(name) if full else None
    return [*(renderer or RENDERERS[name])(report, plain), text(NOTICE, "italic dim")]
