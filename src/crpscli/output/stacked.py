"""Tables that turn into stacked records on a narrow screen, instead of collapsing into columns a
few characters wide.

Below STACK_BELOW columns (or at any width, for a table whose `min_share` its columns of prose
cannot have), a table whose rows do not each fit on one line is shown row by row:
the first column's value is the record's heading, and each other column follows it, indented,
as "column: value" when that fits on one line, else the column's name with the value on the
lines below. The prose (the table's ratio columns, and the second column of a two-column table)
is a paragraph without a name, as wide as the screen allows; a two-column table says once what
its heading and paragraph are. A record holding a paragraph is parted from its neighbours by a
blank line; short records follow one another. A table that fits stays a table. rich draws the blocks
(`StackedTable.__rich_console__`) and plaintext.py lays out the same blocks for pipes, so both
print the same text (tests/output/test_plaintext.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich._wrap import divide_line
from rich.cells import cell_len
from rich.table import Column, Table
from rich.text import Text

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

# Every screen is laid out for the classic 80-column terminal; narrower than that, a table with
# a prose column leaves the prose 1-25 characters wide (2-30 times the lines), so records win.
STACK_BELOW = 80
INDENT = 2


def _text(cell: object) -> Text:
    return cell.copy() if isinstance(cell, Text) else Text(str(cell))


def _widest(column: Column) -> int:
    """A column's longest line, within its max_width."""
    longest = max(
        (cell_len(line) for cell in (column.header, *column.cells) for line in _text(cell).plain.split("\n")),
        default=0,
    )
    return longest if column.max_width is None else min(longest, column.max_width)


def natural_width(table: Table) -> int:
    """The width the table takes when no cell wraps: its columns' longest lines, padding and rules."""
    widest = [_widest(column) for column in table.columns]
    return sum(widest) + 2 * (len(widest) - 1) + table._extra_width


def stacks(table: Table, width: int) -> bool:
    """Whether the table is shown as records at this width: some cell would wrap, and the screen is
    narrow, or a word would be broken, or the screen is too narrow for the table's columns of prose
    (its ratio columns, else all but the first) to have `min_share` cells each."""
    if not isinstance(table, StackedTable) or natural_width(table) <= width:
        return False
    if width < STACK_BELOW:
        return True
    from .plaintext import folds  # plaintext lays out these tables for pipes, and imports this module

    if folds(table, width):
        return True
    columns = table.columns
    prose = [c for c in columns[1:] if c.ratio] or columns[1:]
    fixed = [c for c in columns if all(c is not p for p in prose)]
    room = width - sum(map(_widest, fixed)) - 2 * (len(columns) - 1) - table._extra_width
    return bool(table.min_share and prose) and room / len(prose) < table.min_share


def _unnamed(table: Table, column: Column) -> bool:
    return column.ratio is not None or (len(table.columns) == 2 and column is table.columns[1])


def _record(table: Table, row: list[Text], width: int) -> list[tuple[int, Text]]:
    """One row as blocks: its heading, with short fields packed after it, then the longer ones."""
    columns = table.columns
    line: Text | None = Text("  ").join(row[0].split("\n"))
    line.stylize("bold")
    blocks = [(0, line)]
    room = width  # of the line being filled with short fields; line is None once a longer block follows
    for column, value in zip(columns[1:], row[1:], strict=True):
        if not value.plain.strip():
            continue
        unnamed = _unnamed(table, column)
        name = _text(column.header).plain
        field = value if unnamed else Text(f"{name}: ", style="dim").append_text(value)
        size = cell_len(field.plain)
        if unnamed and ("\n" in value.plain or size > width - INDENT or len(columns) > 2):
            blocks.append((INDENT, value))
            line = None
        elif "\n" in value.plain:
            blocks += [(INDENT, Text(f"{name}:", style="dim")), (2 * INDENT, value)]
            line = None
        elif size > width - INDENT:
            blocks += _hanging(field, width)
            line = None
        elif line is not None and cell_len(line.plain) + 2 + size <= room:
            line.append("  ").append_text(field)
        else:
            line, room = field, width - INDENT
            blocks.append((INDENT, line))
    return blocks


def _hanging(field: Text, width: int) -> list[tuple[int, Text]]:
    """A field too long for a line: its first line, and the rest indented under it."""
    first, *_ = divide_line(field.plain, width - INDENT, fold=True) or [len(field)]
    head, rest = field.divide([first])
    head.rstrip()
    return [(INDENT, head), (2 * INDENT, rest)] if rest else [(INDENT, head)]


def _tall(blocks: list[tuple[int, Text]], width: int) -> bool:
    """Whether a record holds a paragraph: a block of more than one line."""
    return any("\n" in block.plain or cell_len(block.plain) > width - indent for indent, block in blocks)


def records(table: Table, width: int) -> list[tuple[int, Text]]:
    """The table as (indent, text) blocks, each wrapped to the width less its indent. A record
    holding a paragraph is parted from its neighbours by a blank line; short ones follow one another."""
    columns = table.columns
    blocks: list[tuple[int, Text]] = []
    if table.title:
        blocks.append((0, Text(_text(table.title).plain, style="table.title")))
    if len(columns) == 2:
        blocks.append((0, Text(f"{_text(columns[0].header).plain}: {_text(columns[1].header).plain}", style="dim")))
    before = False
    for row in range(table.row_count):
        record = _record(table, [_text(column._cells[row]) for column in columns], width)
        tall = _tall(record, width)
        if row and (tall or before):
            blocks.append((0, Text("")))
        blocks += record
        before = tall
    return blocks


class StackedTable(Table):
    """A rich Table that shows its rows as stacked records where it is too narrow (see the module).

    A column's max_width grows to its longest word, so that an id or a name is never folded.
    `min_share`: the cells each column of prose needs, else the rows are records at any width
    (the side-by-side grid of five treatments left 13 cells a column at 80)."""

    min_share = 0

    def add_row(self, *renderables: RenderableType | None, **kwargs: Any) -> None:
        super().add_row(*renderables, **kwargs)
        for column, cell in zip(self.columns, renderables, strict=False):
            if column.max_width is not None and cell is not None:
                longest = max(map(cell_len, _text(cell).plain.split()), default=0)
                column.max_width = max(column.max_width, longest)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not stacks(self, options.max_width):
            yield from super().__rich_console__(console, options)
            return
        from rich.padding import Padding  # here: the piped path (plaintext.py) never needs it

        for indent, block in records(self, options.max_width):
            yield Padding(block, (0, 0, 0, indent)) if indent else block


class ByWidth:
    """One of two renderables by the width there is: `narrow` below STACK_BELOW columns, else `wide`
    (the matrix, whose grid cannot be stacked, takes a narrower form). Each is built when first
    asked for: a matrix of 5,000 treatments takes seconds to build, and only one is shown."""

    def __init__(self, narrow: Callable[[], RenderableType], wide: Callable[[], RenderableType]) -> None:
        self.build = {True: narrow, False: wide}
        self.built: dict[bool, RenderableType] = {}

    def at(self, width: int) -> RenderableType:
        narrow = width < STACK_BELOW
        if narrow not in self.built:
            self.built[narrow] = self.build[narrow]()
        return self.built[narrow]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.at(options.max_width)
