"""Tables that turn into stacked records on a narrow screen, instead of collapsing into columns a
few characters wide.

Below STACK_BELOW columns, a table whose rows do not each fit on one line is shown row by row:
the first column's value is the record's heading, and each other column follows it, indented,
as "column: value" when that fits on one line, else the column's name with the value on the
lines below. The prose (the table's ratio columns, and the second column of a two-column table)
is a paragraph without a name, as wide as the screen allows; a two-column table says once what
its heading and paragraph are. A blank line parts the records. rich draws the blocks
(`StackedTable.__rich_console__`) and plaintext.py lays out the same blocks for pipes, so both
print the same text (tests/test_plaintext.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.table import Column, Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

# Every screen is laid out for the classic 80-column terminal; narrower than that, a table with
# a prose column leaves the prose 1-25 characters wide (2-30 times the lines), so records win.
STACK_BELOW = 80
INDENT = 2


def _text(cell: object) -> Text:
    return cell.copy() if isinstance(cell, Text) else Text(str(cell))


def natural_width(table: Table) -> int:
    """The width the table takes when no cell wraps: its columns' longest lines, padding and rules."""
    widest = []
    for column in table.columns:
        longest = max(
            (cell_len(line) for cell in (column.header, *column.cells) for line in _text(cell).plain.split("\n")),
            default=0,
        )
        widest.append(longest if column.max_width is None else min(longest, column.max_width))
    return sum(widest) + 2 * (len(widest) - 1) + table._extra_width


def stacks(table: Table, width: int) -> bool:
    """Whether the table is shown as records at this width: narrow, and some cell would wrap."""
    return isinstance(table, StackedTable) and width < STACK_BELOW and natural_width(table) > width


def _unnamed(table: Table, column: Column) -> bool:
    return column.ratio is not None or (len(table.columns) == 2 and column is table.columns[1])


def records(table: Table, width: int) -> list[tuple[int, Text]]:
    """The table as (indent, text) blocks, each wrapped to the width less its indent."""
    columns = table.columns
    blocks: list[tuple[int, Text]] = []
    if table.title:
        blocks.append((0, Text(_text(table.title).plain, style="table.title")))
    if len(columns) == 2:
        blocks.append((0, Text(f"{_text(columns[0].header).plain}: {_text(columns[1].header).plain}", style="dim")))
    cells = [list(column.cells) for column in columns]
    # records with a paragraph of prose are parted by a blank line; short ones follow one another
    parted = any(
        "\n" in text or cell_len(text) > width - INDENT
        for column, values in zip(columns, cells, strict=True)
        if _unnamed(table, column)
        for text in (_text(value).plain for value in values)
    )
    for row in range(table.row_count):
        if row and parted:
            blocks.append((0, Text("")))
        line: Text | None = Text("  ").join(_text(cells[0][row]).split("\n"))
        line.stylize("bold")
        blocks.append((0, line))
        room = width  # the line being filled with short fields, and its width; None once a block follows
        for column, values in zip(columns[1:], cells[1:], strict=True):
            value = _text(values[row])
            if not value.plain.strip():
                continue
            if _unnamed(table, column):
                blocks.append((INDENT, value))
                line = None
                continue
            name = _text(column.header).plain
            field = Text(f"{name}: ", style="dim").append_text(value)
            size = cell_len(field.plain)
            if "\n" in value.plain or size > width - INDENT:
                blocks += [(INDENT, Text(f"{name}:", style="dim")), (2 * INDENT, value)]
                line = None
            elif line is not None and cell_len(line.plain) + 2 + size <= room:
                line.append("  ").append_text(field)
            else:
                line, room = field, width - INDENT
                blocks.append((INDENT, line))
    return blocks


class StackedTable(Table):
    """A rich Table that shows its rows as stacked records where it is too narrow (see the module)."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not stacks(self, options.max_width):
            yield from super().__rich_console__(console, options)
            return
        from rich.padding import Padding  # here: the piped path (plaintext.py) never needs it

        for indent, block in records(self, options.max_width):
            yield Padding(block, (0, 0, 0, indent)) if indent else block
